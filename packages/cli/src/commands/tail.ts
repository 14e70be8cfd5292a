/**
 * `oddsfeed tail`: frames (or the merged state of one path) as NDJSON on stdout.
 * @module
 */
import { parseArgs } from 'node:util'
import {
  createOddsFeed,
  createRedactor,
  DEFAULT_URL,
  type FeedStatus,
  type OddsFeed,
  type OddsFrame,
  type SelectPath,
} from '@oddsfeed/core'
import { coalesceFrames, type SubscribableLike, toReadable } from '@oddsfeed/node'
import { COMMON_OPTIONS, EXIT, num, oneOf, requireApiKey, UsageError, usage } from '../args.js'
import { closeWatchingWebSocket } from '../close-watch.js'
import { entryRows, parseFields } from '../fields.js'
import { type FrameFilter, pruneFrame, selectPath, wrapAtPath } from '../filter.js'
import { createEnding, endOnFatalStatus, errorText, type Io, say, stdoutWriter } from '../io.js'
import { prettyLines } from '../pretty.js'
import { redactedJson } from '../secret.js'

export const TAIL_HELP = `Usage: oddsfeed tail [options]

Prints every frame of the feed as one JSON line on stdout (ready for jq), or with --state the
merged state of the selected path after each change. Status goes to stderr.

Options:
  -u, --url URL        WebSocket URL (default $ODDSPAPI_URL or ${DEFAULT_URL})
  -k, --api-key KEY    API key (default $ODDSPAPI_API_KEY); never printed
  -f, --fixture ID     only this fixture
  --bookmaker SLUG     only this bookmaker (e.g. pinnacle)
  --market ID          only this market (e.g. 101)
  --outcome ID         only this outcome
  --player ID          only this player entry (0 = no player)
  --format F           ndjson (default) or pretty (human-readable lines; with --state on a
                       terminal, a live view redrawn on each change)
  --state              print the merged state of the selected path (needs --fixture)
  --snapshot           with --state: seed it from REST GET /v4/odds (billed) and after reconnects
  --rest-url URL       REST host for --snapshot (default: the socket's host over http(s))
  -n, --count N        exit 0 after N frames (or N states with --state)
  --json FIELDS        one JSON line per price entry with only these comma-separated fields
                       (entry fields such as price,active,changedAt,limit and the path's
                       fixtureId,bookmaker,marketId,outcomeId,playerId; absent ones are null)
  --exit-at-end        exit 0 when the server ends the feed with a clean close (code 1000,
                       e.g. "oddsfeed replay" once the capture is sent) instead of reconnecting
  --no-match-after S   with a filter: say on stderr when nothing matched for S seconds
                       (default 30; 0 = never)
  --retries N          reconnect attempts before giving up with exit 4 (default: forever)
  --buffer N           lines queued for a slow reader before coalescing per fixture (default 10000)
  --quiet              no status lines on stderr
  -h, --help           this help

Exit codes: 0 done (--count reached, Ctrl-C, SIGTERM, reader gone), 1 error, 2 bad arguments,
3 API key refused, 4 connection failed for good.`

/** Runs `oddsfeed tail`. */
export async function tail(argv: readonly string[], io: Io): Promise<number> {
  const { values } = usage(() =>
    parseArgs({
      args: [...argv],
      strict: true,
      options: {
        ...COMMON_OPTIONS,
        url: { type: 'string', short: 'u' },
        'api-key': { type: 'string', short: 'k' },
        fixture: { type: 'string', short: 'f' },
        bookmaker: { type: 'string' },
        market: { type: 'string' },
        outcome: { type: 'string' },
        player: { type: 'string' },
        format: { type: 'string' },
        state: { type: 'boolean' },
        snapshot: { type: 'boolean' },
        'rest-url': { type: 'string' },
        count: { type: 'string', short: 'n' },
        json: { type: 'string' },
        'exit-at-end': { type: 'boolean' },
        'no-match-after': { type: 'string' },
        retries: { type: 'string' },
        buffer: { type: 'string' },
        quiet: { type: 'boolean' },
      },
    }),
  )
  if (values.help) {
    io.stdout.write(`${TAIL_HELP}\n`)
    return EXIT.ok
  }
  const apiKey = requireApiKey(values['api-key'], io.env)
  const redact = createRedactor(apiKey)
  const format = oneOf('format', values.format, ['ndjson', 'pretty'] as const) ?? 'ndjson'
  const count = num('count', values.count, { min: 1 })
  const retries = num('retries', values.retries)
  const buffer = num('buffer', values.buffer, { min: 1 }) ?? 10_000
  const noMatchAfter = num('no-match-after', values['no-match-after'], { float: true }) ?? 30
  let fields: readonly string[] | undefined
  if (values.json !== undefined) {
    if (values.format !== undefined) throw new UsageError('--json and --format do not go together')
    try {
      fields = parseFields(values.json)
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
  }
  const filter: FrameFilter = {
    ...(values.fixture !== undefined && { fixtureId: values.fixture }),
    ...(values.bookmaker !== undefined && { bookmaker: values.bookmaker }),
    ...(values.market !== undefined && { marketId: values.market }),
    ...(values.outcome !== undefined && { outcomeId: values.outcome }),
    ...(values.player !== undefined && { playerId: values.player }),
  }
  let path: SelectPath | undefined
  if (values.state) {
    try {
      path = selectPath(filter)
    } catch (error) {
      throw new UsageError((error as Error).message)
    }
  } else if (values.snapshot) {
    throw new UsageError('--snapshot only goes with --state')
  }
  const url = values.url ?? io.env.ODDSPAPI_URL ?? DEFAULT_URL
  const restUrl = values['rest-url'] ?? restBase(url)
  const log = (message: string) => {
    if (!values.quiet) say(io, redact(message))
  }

  // set once the server ended the feed with a clean close and --exit-at-end is on
  let ended = false
  const onClose = (code: number, reason: string) => {
    if (code !== 1000 || ended) return
    const said = `the server ended the feed (1000${reason ? ` "${redact(reason)}"` : ''})`
    if (!values['exit-at-end']) {
      log(`${said}; reconnecting (--exit-at-end exits here)`)
      return
    }
    ended = true
    log(`${said}: done`)
    // what was received is still printed: the streams complete once their queue is read
    readable.once('end', () => ending.finish(EXIT.ok))
    feed.close()
  }

  let feed: OddsFeed
  try {
    feed = createOddsFeed({
      url,
      apiKey,
      WebSocket: closeWatchingWebSocket(onClose),
      reconnect: retries === undefined ? {} : retries === 0 ? false : { maxAttempts: retries },
      ...(values.snapshot && restUrl && { snapshot: { baseUrl: restUrl } }),
    })
  } catch (error) {
    throw new UsageError(redact((error as Error).message))
  }

  const ending = createEnding()
  const out = stdoutWriter(io, ending)
  ending.onFinish(() => feed.close())

  feed.status$.subscribe((status: FeedStatus) => {
    if (status.state === 'open') log(`connected to ${status.url}`)
    else if (status.state === 'reconnecting') {
      log(
        `reconnecting in ${status.retryInMs ?? 0} ms${status.error ? ` (${status.error.message})` : ''}`,
      )
    } else {
      endOnFatalStatus(status, io, redact, ending)
    }
  })
  feed.errors$.subscribe((error) => {
    if (error.kind === 'parse' || error.kind === 'schema' || error.kind === 'merge') {
      log(`skipped a bad frame: ${error.message}`)
    }
  })

  const source: SubscribableLike<OddsFrame> = path
    ? filterDefined(feed.select(path) as unknown as SubscribableLike<OddsFrame | undefined>)
    : mapDefined<OddsFrame, OddsFrame>(feed.frames$, (frame) => pruneFrame(frame, filter))
  // frames queued for a slow reader are merged; one that cannot be (nested too deep for the
  // merge) replaces the queued one, said on stderr
  const coalesce = (queued: OddsFrame, incoming: OddsFrame): OddsFrame => {
    try {
      return coalesceFrames(queued, incoming)
    } catch (error) {
      log(
        `a frame${ofFixture(incoming)} could not be merged with the queued one: ${errorText(error)}`,
      )
      return incoming
    }
  }
  const readable = toReadable<OddsFrame>(source, {
    highWaterMark: buffer,
    ...(path ? { keyOf: () => 'state' } : { coalesce }),
  })
  ending.onFinish(() => {
    readable.destroy()
  })

  // a filtered tail that matches nothing says so, once per silence
  const filtered = Object.keys(filter).length > 0
  let silence: ReturnType<typeof setTimeout> | undefined
  const armSilence = () => {
    if (!filtered || noMatchAfter <= 0) return
    clearTimeout(silence)
    silence = setTimeout(() => {
      const what = Object.entries(filter)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')
      log(
        `nothing matched ${what} for ${noMatchAfter} s (fixture finished or not started? unknown id? ` +
          'see the ids that flow with: oddsfeed tail -n 5)',
      )
    }, noMatchAfter * 1000)
    silence.unref?.()
  }
  armSilence()
  ending.onFinish(() => clearTimeout(silence))

  let lines = 0
  const render = (value: OddsFrame): string => {
    if (fields) {
      const frame = path ? wrapAtPath(path, value) : value
      return entryRows(frame, fields)
        .map((row) => `${redactedJson(row, redact)}\n`)
        .join('')
    }
    // data lines too never show the key (an upstream may echo it in a frame)
    if (format === 'ndjson') return `${redactedJson(value, redact)}\n`
    const frame = path ? wrapAtPath(path, value) : value
    const text = redact(prettyLines(frame).join('\n'))
    if (!path) return text ? `${text}\n` : ''
    // a live view on a terminal: redraw in place; in a pipe, one block per change
    const tty = (io.stdout as NodeJS.WriteStream).isTTY === true
    return tty ? `\x1b[2J\x1b[H${text}\n` : `--\n${text}\n`
  }
  readable.on('data', (value: OddsFrame) => {
    // finishing is asynchronous: values already queued must not pass --count
    if (count !== undefined && lines >= count) return
    armSilence()
    let text: string
    try {
      text = render(value)
    } catch (error) {
      // a value the SDK accepted but that cannot be printed (e.g. nested too deep for
      // JSON.stringify): said on stderr, and the next one is printed as usual
      const what = `${path ? 'state' : 'frame'}${ofFixture(value)}`
      log(`skipped a ${what} that cannot be printed: ${errorText(error)}`)
      return
    }
    const pending = out.write(text)
    lines++
    if (count !== undefined && lines >= count) {
      ending.finish(EXIT.ok)
      return
    }
    if (pending) {
      readable.pause()
      pending.then(() => readable.resume())
    }
  })
  readable.on('error', (error) => {
    say(io, redact(error.message))
    ending.finish(EXIT.error)
  })
  return ending.done
}

/** ` of fixture X` when the value names its fixture (a frame does; a `--state` value may not). */
function ofFixture(value: unknown): string {
  const fixtureId = (value as { fixtureId?: unknown } | null)?.fixtureId
  return typeof fixtureId === 'string' ? ` of fixture ${fixtureId}` : ''
}

/** `ws://host/v4/ws` → `http://host`. */
export function restBase(wsUrl: string): string | undefined {
  try {
    const u = new URL(wsUrl)
    const protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : undefined
    return protocol ? `${protocol}//${u.host}` : undefined
  } catch {
    return undefined
  }
}

function mapDefined<T, R>(
  source: SubscribableLike<T>,
  project: (value: T) => R | undefined,
): SubscribableLike<R> {
  return {
    subscribe: (observer) =>
      source.subscribe({
        next: (value) => {
          const out = project(value)
          if (out !== undefined) observer.next(out)
        },
        error: (e) => observer.error(e),
        complete: () => observer.complete(),
      }),
  }
}

function filterDefined<T>(source: SubscribableLike<T | undefined>): SubscribableLike<T> {
  return mapDefined(source, (v) => v)
}
