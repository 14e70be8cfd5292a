/**
 * The relay's log lines: leveled, and every one passed through the key redactor.
 * @module
 */
import type { Redactor } from '@oddsfeed/core'

/** Where the relay logs. Every line is redacted before it gets here. */
export interface RelayLogger {
  info(message: string): void
  warn(message: string): void
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
