/**
 * The relay's log lines: leveled, and every one passed through the key redactor.
 * @module
 */
import type { Redactor } from '@oddsfeed/core'

/** Where the relay logs. Every line is redacted before it gets here. */
export interface RelayLogger {
  /** A normal event: listening, the upstream's state, a role taken. */
  info(message: string): void
  /** Something went wrong and the relay copes: an upstream error, a Redis error, a lost lock. */
  warn(message: string): void
  /** A failure that needs a look. */
  error(message: string): void
}

/** Logs nothing. */
export const SILENT: RelayLogger = { info() {}, warn() {}, error() {} }

/** A logger whose every line has gone through `redact`. */
export function redactingLogger(logger: RelayLogger, redact: Redactor): RelayLogger {
  return {
    info: (message) => logger.info(redact(message)),
    warn: (message) => logger.warn(redact(message)),
    error: (message) => logger.error(redact(message)),
  }
}
