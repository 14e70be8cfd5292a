/**
 * `oddsfeed relay`: one upstream connection, many clients, until Ctrl-C / SIGTERM.
 * @module
 */
import { parseArgs } from 'node:util'
import { DEFAULT_URL } from '@oddsfeed/core'
import { createKeyRedactor, type RelayOptions, startRelay } from '@oddsfeed/relay'
import { COMMON_OPTIONS, EXIT, num, oneOf, requireApiKey, UsageError, usage } from '../args.js'
import { createEnding, endOnFatalStatus, type Io, say } from '../io.js'
import { restBase } from './tail.js'

export const RELAY_HELP = `Usage: oddsfeed relay [options]

Holds one connection to the OddsPapi v4 feed and serves it to many clients on
ws://HOST:PORT/v4/ws?token=JWT: plain v4 frames, or the oddsfeed.relay.v1 protocol
(subscriptions with snapshots from the relay's memory, no REST call per client). The key stays
in this process. GET /healthz and GET /metrics on the same port. Status goes to stderr.

Options:
  --port N             port (default 8080; 0 picks a free one)
  --host HOST          interface (default 127.0.0.1; 0.0.0.0 for every one)
  --upstream-url URL   the feed's WebSocket URL (default $ODDSPAPI_URL or ${DEFAULT_URL})
  --api-key KEY        the OddsPapi key (default $ODDSPAPI_API_KEY); never printed or sent on
  --snapshot-url URL   REST host for snapshots of what clients watch (default: the upstream's
                       host over http(s))
  --secret S           HS256 secret of client tokens (default $ODDSFEED_RELAY_SECRET)
  --redis URL          scale out: several relays share one upstream through Redis
                       (redis://host:6379); the elected leader holds the upstream
  --retries N          upstream reconnect attempts before giving up with exit 4 (default: forever)
  --storage S          how the upstream state is held: objects (default; fastest per frame) or
                       compact (packed, ~6x less memory for the whole global feed, ~40 % less
                       throughput)
  --quiet              no status lines on stderr
  -h, --help           this help

Client tokens: JWT, HS256 with the secret, "exp" required; optional claims "bookmakers" and
"fixtures" (string arrays) narrow what the client sees. A bad or missing token gets HTTP 401.

Exit codes: 0 stopped (Ctrl-C, SIGTERM), 1 error (port taken, Redis unreachable), 2 bad
arguments, 3 API key refused by the upstream, 4 upstream connection failed for good.`

/** Runs `oddsfeed relay`. */
export async function relay(argv: readonly string[], io: Io): Promise<number> {
  const { values } = usage(() =>
    parseArgs({
      args: [...argv],
      strict: true,
      options: {
        ...COMMON_OPTIONS,
        port: { type: 'string' },
        host: { type: 'string' },
        'upstream-url': { type: 'string' },
        'api-key': { type: 'string' },
        'snapshot-url': { type: 'string' },
        secret: { type: 'string' },
        redis: { type: 'string' },
        retries: { type: 'string' },
        storage: { type: 'string' },
        quiet: { type: 'boolean' },
      },
    }),
  )
  if (values.help) {
    io.stdout.write(`${RELAY_HELP}\n`)
    return EXIT.ok
  }
  const apiKey = requireApiKey(values['api-key'], io.env)
  const secret = values.secret ?? io.env.ODDSFEED_RELAY_SECRET
  if (!secret) throw new UsageError('No token secret: pass --secret or set ODDSFEED_RELAY_SECRET')
  const redact = createKeyRedactor(apiKey)
  const url = values['upstream-url'] ?? io.env.ODDSPAPI_URL ?? DEFAULT_URL
  if (!/^wss?:\/\//.test(url)) throw new UsageError(`--upstream-url must be ws:// or wss://`)
  const snapshotUrl = values['snapshot-url'] ?? restBase(url)
  if (values.redis !== undefined && !/^rediss?:\/\//.test(values.redis)) {
    throw new UsageError('--redis must be a redis:// or rediss:// URL')
  }
  const retries = num('retries', values.retries)
  const storage = oneOf('storage', values.storage, ['objects', 'compact'] as const)
  const log = (message: string) => {
    if (!values.quiet) say(io, redact(message))
  }
  const ending = createEnding()
  const options: RelayOptions = {
    port: num('port', values.port, { max: 65535 }) ?? 8080,
    host: values.host ?? '127.0.0.1',
    upstream: { url, apiKey, ...(snapshotUrl && { snapshotUrl }) },
    secret,
    ...(values.redis !== undefined && { redis: values.redis }),
    upstreamTuning: {
      ...(retries !== undefined && { reconnect: retries === 0 ? false : { maxAttempts: retries } }),
      ...(storage !== undefined && { storage }),
    },
    logger: { info: log, warn: log, error: log },
    onUpstreamStatus: (status) => endOnFatalStatus(status, io, redact, ending),
  }
  const running = await startRelay(options).catch((error: NodeJS.ErrnoException) => {
    say(
      io,
      redact(`cannot start the relay: ${[error.code, error.message].filter(Boolean).join(' ')}`),
    )
    return undefined
  })
  if (!running) {
    ending.finish(EXIT.error)
    return ending.done
  }
  ending.onFinish(() => running.stop())
  // Always printed (even with --quiet): scripts read the URL from here.
  say(io, `relay ${running.url} (clients add ?token=JWT)`)
  say(io, `health ${running.url.replace(/^ws/, 'http').replace(/\/v4\/ws$/, '')}/healthz`)
  return ending.done
}
