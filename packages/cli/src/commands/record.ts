/**
 * `oddsfeed record`: every message of the feed, with its receive time, to an NDJSON file.
 * @module
 */
import { parseArgs } from 'node:util'
import { createRedactor, DEFAULT_URL } from '@oddsfeed/core'
import { recordTo } from '@oddsfeed/node'
import { COMMON_OPTIONS, EXIT, num, requireApiKey, UsageError, usage } from '../args.js'
import { createEnding, endOnFatalStatus, type Io, say } from '../io.js'

export const RECORD_HELP = `Usage: oddsfeed record --out FILE.ndjson [options]

Records every message of the feed (frames, keepalives, malformed frames) with its receive time,
one JSON line each: {"t": <epoch ms>, "frame": <the parsed JSON, or the text when not JSON>}.
Ctrl-C or SIGTERM close the socket and flush the file.

Options:
  --out FILE           the file to write (created or truncated)
  -u, --url URL        WebSocket URL (default $ODDSPAPI_URL or ${DEFAULT_URL})
  -k, --api-key KEY    API key (default $ODDSPAPI_API_KEY); never printed nor recorded
  -n, --count N        stop after N messages
  --duration MS        stop after MS milliseconds
  --no-keepalives      leave keepalives (non-JSON text) out
  --retries N          reconnect attempts before giving up with exit 4 (default: forever)
  --quiet              no status lines on stderr
  -h, --help           this help

Exit codes: 0 done, 1 error, 2 bad arguments, 3 API key refused, 4 connection failed for good.`

/** Runs `oddsfeed record`. */
export async function record(argv: readonly string[], io: Io): Promise<number> {
  const { values } = usage(() =>
    parseArgs({
      args: [...argv],
      strict: true,
      options: {
        ...COMMON_OPTIONS,
        out: { type: 'string', short: 'o' },
        url: { type: 'string', short: 'u' },
        'api-key': { type: 'string', short: 'k' },
        count: { type: 'string', short: 'n' },
        duration: { type: 'string' },
        'no-keepalives': { type: 'boolean' },
        retries: { type: 'string' },
        quiet: { type: 'boolean' },
      },
    }),
  )
  if (values.help) {
    io.stdout.write(`${RECORD_HELP}\n`)
    return EXIT.ok
  }
  if (!values.out) throw new UsageError('--out FILE is required')
  const apiKey = requireApiKey(values['api-key'], io.env)
  const redact = createRedactor(apiKey)
  const count = num('count', values.count, { min: 1 })
  const duration = num('duration', values.duration, { min: 1 })
  const retries = num('retries', values.retries)
  const url = values.url ?? io.env.ODDSPAPI_URL ?? DEFAULT_URL
  const log = (message: string) => {
    if (!values.quiet) say(io, redact(message))
  }

  const ending = createEnding()
  let recording: ReturnType<typeof recordTo>
  try {
    recording = recordTo(values.out, {
      url,
      apiKey,
      reconnect: retries === undefined ? {} : retries === 0 ? false : { maxAttempts: retries },
      keepalives: !values['no-keepalives'],
      ...(count !== undefined && { limit: count }),
      onRecord: (_record, n) => {
        if (count !== undefined && n >= count) ending.finish(EXIT.ok)
      },
    })
  } catch (error) {
    throw new UsageError(redact((error as Error).message))
  }
  ending.onFinish(async () => {
    const n = await recording.stop()
    log(`recorded ${n} messages to ${values.out}`)
  })
  recording.feed.status$.subscribe((status) => {
    if (status.state === 'open') log(`recording ${status.url} to ${values.out}`)
    else if (status.state === 'reconnecting') log(`reconnecting in ${status.retryInMs ?? 0} ms`)
    else endOnFatalStatus(status, io, redact, ending)
  })
  if (duration !== undefined) {
    const timer = setTimeout(() => ending.finish(EXIT.ok), duration)
    ending.onFinish(() => clearTimeout(timer))
  }
  const progress = setInterval(() => log(`${recording.count} messages`), 5000)
  progress.unref()
  ending.onFinish(() => clearInterval(progress))
  return ending.done
}
