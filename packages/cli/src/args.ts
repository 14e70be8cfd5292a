/**
 * Flag parsing on `node:util` `parseArgs`, with the CLI's exit codes.
 * @module
 */

/** Exit codes of the `oddsfeed` command. */
export const EXIT = Object.freeze({
  /** Done (or stopped by Ctrl-C / SIGTERM, or the reader of a pipe went away). */
  ok: 0,
  /** An unexpected error. */
  error: 1,
  /** Bad arguments. */
  usage: 2,
  /** The feed refused the API key (HTTP 401/403 at the handshake). */
  auth: 3,
  /** The connection failed for good (the reconnect attempts ran out). */
  connection: 4,
})

/**
 * Bad arguments: printed with the command's usage line, exit code 2. Its message names the flag,
 * never the value given (a value may be a key in the wrong place).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/**
 * The API key of a command that talks to the feed: `--api-key`, else `ODDSPAPI_API_KEY`.
 * @throws UsageError when there is neither.
 */
export function requireApiKey(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const apiKey = flag ?? env.ODDSPAPI_API_KEY
  if (!apiKey) throw new UsageError('No API key: pass --api-key or set ODDSPAPI_API_KEY')
  return apiKey
}

/** The options every command has. */
export const COMMON_OPTIONS = { help: { type: 'boolean', short: 'h' } } as const

/**
 * Runs a `parseArgs` call; its errors (unknown flag, missing value...) become {@link UsageError}s
 * that name flags only: a stray value (`Unexpected argument '…'`) is not repeated.
 *
 * @example
 * ```ts
 * const { values } = usage(() => parseArgs({ args, options: { ...COMMON_OPTIONS }, strict: true }))
 * ```
 */
export function usage<T>(parse: () => T): T {
  try {
    return parse()
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw new UsageError('unexpected argument: this command takes no positional arguments')
    }
    // the other parseArgs errors quote the flag's name, never its value
    throw new UsageError(error instanceof Error ? error.message : 'bad arguments')
  }
}

/** A flag's value as a number: an integer unless `float`, within `[min, max]`. */
export function num(
  name: string,
  value: string | undefined,
  { min = 0, max = Number.MAX_SAFE_INTEGER, float = false } = {},
): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (
    value.trim() === '' ||
    Number.isNaN(n) ||
    (!float && !Number.isInteger(n)) ||
    n < min ||
    n > max
  ) {
    throw new UsageError(
      `--${name} must be ${float ? 'a number' : 'an integer'} from ${min} to ${max}`,
    )
  }
  return n
}

/** A flag's value out of a fixed set. */
export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`)
  }
  return value as T
}
