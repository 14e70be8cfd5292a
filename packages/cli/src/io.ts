/**
 * What a command needs from the process: streams, environment, signals; and one way to end.
 * @module
 */
import type { FeedStatus, Redactor } from '@oddsfeed/core'
import { EXIT } from './args.js'

/** The process parts a command uses (tests pass their own). */
export interface Io {
  /** Where data goes. */
  readonly stdout: NodeJS.WritableStream
  /** Where status lines go. */
  readonly stderr: NodeJS.WritableStream
  /** Environment (`ODDSPAPI_API_KEY`, `ODDSPAPI_URL`). */
  readonly env: NodeJS.ProcessEnv
}

/** The real process. */
export const processIo: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }

/** A status line on stderr (never data: data goes to stdout). */
export function say(io: Io, message: string): void {
  io.stderr.write(`oddsfeed: ${message}\n`)
}

/** An error's message, whatever was thrown (never its stack). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}

/** A command's ending: the first `finish(code)` wins; Ctrl-C and SIGTERM finish with 0. */
export interface Ending {
  readonly done: Promise<number>
  finish(code: number): void
  /** Runs before the promise resolves (close sockets, flush files). */
  onFinish(cleanup: () => void | Promise<void>): void
}

/** Creates the ending of a command, listening to SIGINT and SIGTERM until it ends. */
export function createEnding(): Ending {
  let resolve: (code: number) => void = () => {}
  const done = new Promise<number>((r) => {
    resolve = r
  })
  const cleanups: (() => void | Promise<void>)[] = []
  let finished = false
  const onSignal = () => finish(0)
  const finish = (code: number) => {
    if (finished) return
    finished = true
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    void (async () => {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup()
        } catch {
          // ending anyway
        }
      }
      resolve(code)
    })()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return { done, finish, onFinish: (cleanup) => cleanups.push(cleanup) }
}

/**
 * Writes to stdout with backpressure; a reader that went away (`EPIPE`, e.g. `| head`) ends the
 * command with 0, any other write error with 1.
 */
export function stdoutWriter(io: Io, ending: Ending) {
  let waiting: Promise<void> | undefined
  io.stdout.on('error', (error: NodeJS.ErrnoException) => {
    ending.finish(error.code === 'EPIPE' ? 0 : 1)
  })
  return {
    /** Writes; resolves at once, or when the pipe drained. */
    write(text: string): Promise<void> | undefined {
      if (io.stdout.write(text)) return undefined
      waiting ??= new Promise<void>((r) =>
        io.stdout.once('drain', () => {
          waiting = undefined
          r()
        }),
      )
      return waiting
    },
  }
}

/**
 * Ends a command whose feed closed for good: says why on stderr (redacted) and finishes with
 * 3 when the key was refused, 4 when the connection gave up.
 */
export function endOnFatalStatus(
  status: FeedStatus,
  io: Io,
  redact: Redactor,
  ending: Ending,
): void {
  if (status.state !== 'closed' || !status.error) return
  const auth = status.error.kind === 'auth'
  const why = auth ? `API key refused: ${status.error.message}` : `gave up: ${status.error.message}`
  say(io, redact(why))
  ending.finish(auth ? EXIT.auth : EXIT.connection)
}
