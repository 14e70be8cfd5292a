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
import { COMMON_OPTIONS, EXIT, num, oneOf, UsageError, usage } from '../args.js'
import { type FrameFilter, pruneFrame, selectPath, wrapAtPath } from '../filter.js'
import { createEnding, endOnFatalStatus, errorText, type Io, say, stdoutWriter } from '../io.js'
import { prettyLines } from '../pretty.js'
import { redactedJson } from '../secret.js'

export const TAIL_HELP = `Usage: oddsfeed tail [options]

Prints every frame of the feed as one JSON line on stdout (ready for jq), or with --state the
merged state of the selected path after each change. Status goes to stderr.

Options:
  --url URL            WebSocket URL (default $ODDSPAPI_URL or ${DEFAULT_URL})
  --api-key KEY        API key (default $ODDSPAPI_API_KEY); never printed
  --fixture ID         only this fixture
  --bookmaker SLUG     only this bookmaker (e.g. pinnacle)
  --market ID          only this market (e.g. 101)
  --outcome ID         only this outcome
  --player ID          only this player entry (0 = no player)
  --format F           ndjson (default) or pretty (human-readable lines; with --state on a
                       terminal, a live view redrawn on each change)
  --state              print the merged state of the selected path (needs --fixture)
  --snapshot           with --state: seed it from REST GET /v4/odds (billed) and after reconnects
  --rest-url URL       REST host for --snapshot (default: the socket's host over http(s))
  --count N            exit 0 after N frames (or N states with --state)
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
        url: { type: 'string' },
        'api-key': { type: 'string' },
        fixture: { type: 'string' },
        bookmaker: { type: 'string' },
        market: { type: 'string' },
        outcome: { type: 'string' },
        player: { type: 'string' },
        format: { type: 'string' },
        state: { type: 'boolean' },
        snapshot: { type: 'boolean' },
        'rest-url': { type: 'string' },
        count: { type: 'string' },
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
  const apiKey = values['api-key'] ?? io.env.ODDSPAPI_API_KEY
  if (!apiKey) throw new UsageError('No API key: pass --api-key or set ODDSPAPI_API_KEY')
  const redact = createRedactor(apiKey)
  const format = oneOf('format', values.format, ['ndjson', 'pretty'] as const) ?? 'ndjson'
  const count = num('count', values.count, { min: 1 })
  const retries = num('retries', values.retries)
  const buffer = num('buffer', values.buffer, { min: 1 }) ?? 10_000
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

  let feed: OddsFeed
  try {
    feed = createOddsFeed({
      url,
      apiKey,
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

  let lines = 0
  const render = (value: OddsFrame): string => {
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
