/**
 * REST snapshots (`GET /v4/odds?fixtureId=…`) that hydrate fixtures the socket alone cannot fill:
 * one call in flight per endpoint, the endpoint's cooldown between calls, `retryMs` /
 * `Retry-After` honoured on 429, watched fixtures first, no fixture queued twice. Isomorphic
 * (`fetch`).
 * @module
 */
import { decodeFrame } from './decode.js'
import { FeedError, type Redactor } from './errors.js'
import type { OddsFrame } from './schema.js'

/** Snapshot options of `createOddsFeed`. */
export interface SnapshotOptions {
  /** REST host. Default `https://api.oddspapi.io`. */
  baseUrl?: string | undefined
  /** Ask only for these bookmakers (the `bookmakers` query parameter). */
  bookmakers?: readonly string[] | undefined
  /** `fetch` to use. Default: the global one. */
  fetch?: FetchLike | undefined
  /** Minimum gap between two calls to `/v4/odds`. Default 500 ms (the real endpoint's cooldown). */
  cooldownMs?: number | undefined
  /** Backoff of a failed fixture: first delay, doubled per failure up to `maxRetryDelayMs`. */
  retryDelayMs?: number | undefined
  /** Cap of that backoff. Default 30 s. */
  maxRetryDelayMs?: number | undefined
  /** Failed calls for one fixture before giving up until it is asked for again. Default 5. */
  maxAttempts?: number | undefined
  /**
   * A call not answered within this long, headers and body together (one that hangs, or
   * trickles its body), is aborted (`AbortSignal`): a `snapshot` error, the fixture is retried
   * with backoff, and the queue goes on meanwhile. Default 10 s.
   */
  timeoutMs?: number | undefined
  /**
   * The largest body taken, in bytes. A larger one (by its `Content-Length`, or counted as it
   * streams: the download is cancelled past the cap, never buffered first) is a `snapshot`
   * error, nothing is stored, and it is not retried until the fixture is asked for again.
   * Default 32 MiB.
   */
  maxBytes?: number | undefined
}

/** What snapshots read of a response body stream (the `body` of a `fetch` `Response`). */
export interface BodyStreamLike {
  /** Cancels the stream (the download stops). */
  cancel?(reason?: unknown): Promise<void>
  /** A reader of the stream's chunks. */
  getReader(): {
    /** The next chunk, or `done`. */
    read(): Promise<{
      /** `true` once the stream has ended. */
      readonly done: boolean
      /** The chunk (absent when `done`). */
      readonly value?: Uint8Array | undefined
    }>
    /** Cancels the stream through the reader. */
    cancel(reason?: unknown): Promise<void>
  }
}

/** The part of `fetch` snapshots use. */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<{
  /** HTTP status. */
  readonly status: number
  /** Response headers (`Retry-After` is read). */
  readonly headers: {
    /** A header's value, or `null`. */
    get(name: string): string | null
  }
  /**
   * The body as a stream, when there is one (`fetch` gives one): read chunk by chunk, so that
   * `maxBytes` is enforced while it arrives. Without it, `text()` is read and measured after.
   */
  readonly body?: BodyStreamLike | null
  /** The body as text. */
  text(): Promise<string>
}>

/** Default {@link SnapshotOptions.timeoutMs}. */
const DEFAULT_SNAPSHOT_TIMEOUT_MS = 10_000
/** Default {@link SnapshotOptions.maxBytes}: 32 MiB. */
const DEFAULT_SNAPSHOT_MAX_BYTES = 32 * 1024 * 1024

/**
 * How far a fixture's state can be trusted:
 * - `unhydrated`: only what the socket sent since we started (no snapshot yet);
 * - `hydrating`: a snapshot is queued or in flight;
 * - `live`: snapshot merged, socket open since: the state is complete;
 * - `stale`: the socket dropped since the last snapshot: changes may have been missed;
 * - `unknown`: the REST API does not know this fixture (404).
 */
export type SyncState = 'unhydrated' | 'hydrating' | 'live' | 'stale' | 'unknown'

/** A fixture's sync state, as published by `feed.sync$`. */
export interface FixtureSync {
  /** `unhydrated`, `hydrating`, `live`, `stale` or `unknown` (see {@link SyncState}). */
  readonly state: SyncState
  /** When the last snapshot was merged (epoch ms). */
  readonly hydratedAt?: number
  /** The last snapshot failure, while it is being retried. */
  readonly error?: FeedError
}

/** @internal */
export interface SnapshotSchedulerOptions extends SnapshotOptions {
  apiKey: string | undefined
  redact: Redactor
  /** Whether calls may go out now (the socket is open, or there is no socket). */
  canDispatch(): boolean
  /** Whether anybody watches the fixture (watched fixtures go first). */
  isWatched(fixtureId: string): boolean
  /** A call for the fixture is about to go out: frames from now on must be replayed over it. */
  onDispatch(fixtureId: string): void
  /** The fixture's snapshot, validated. */
  onSnapshot(fixtureId: string, frame: OddsFrame): void
  /** The fixture's call failed for good, or the API does not know it. */
  onFailure(fixtureId: string, error: FeedError | undefined, unknown: boolean): void
  onError(error: FeedError): void
}

const DEFAULT_BASE_URL = 'https://api.oddspapi.io'
const ODDS_PATH = '/v4/odds'

type Timer = ReturnType<typeof setTimeout>

/** @internal The `/v4/odds` call scheduler. */
export class SnapshotScheduler {
  private readonly watchedQueue = new Set<string>()
  private readonly otherQueue = new Set<string>()
  private readonly attempts = new Map<string, number>()
  private readonly retryTimers = new Map<string, Timer>()
  private inFlight: string | undefined
  private nextAllowedAt = 0
  private pumpTimer: Timer | undefined
  private readonly abort = new AbortController()
  private closed = false
  private readonly fetch: FetchLike

  constructor(private readonly options: SnapshotSchedulerOptions) {
    if (!options.fetch && typeof globalThis.fetch !== 'function') {
      throw new TypeError('snapshot needs fetch: pass snapshot.fetch')
    }
    // Browsers refuse a `fetch` called as a method of something else ("Illegal invocation").
    this.fetch =
      options.fetch ?? ((url, init) => globalThis.fetch(url, init) as ReturnType<FetchLike>)
  }

  /**
   * Queues a fixture (once); watched fixtures jump ahead of the rest. A fixture whose call is in
   * flight is queued again (its answer may already be too old); one waiting for a retry is not.
   */
  request(fixtureId: string): void {
    if (this.closed || this.retryTimers.has(fixtureId)) return
    if (this.options.isWatched(fixtureId)) {
      this.otherQueue.delete(fixtureId)
      this.watchedQueue.add(fixtureId)
    } else if (!this.watchedQueue.has(fixtureId)) {
      this.otherQueue.add(fixtureId)
    }
    this.pump()
  }

  /** Moves a queued fixture ahead if it is now watched. */
  prioritise(fixtureId: string): void {
    if (this.otherQueue.has(fixtureId) && this.options.isWatched(fixtureId)) {
      this.otherQueue.delete(fixtureId)
      this.watchedQueue.add(fixtureId)
    }
  }

  /** Whether the fixture is queued, in flight or waiting to be retried. */
  isPending(fixtureId: string): boolean {
    return (
      this.inFlight === fixtureId ||
      this.watchedQueue.has(fixtureId) ||
      this.otherQueue.has(fixtureId) ||
      this.retryTimers.has(fixtureId)
    )
  }

  /** Forgets a fixture: dequeued and no retry (e.g. evicted). */
  cancel(fixtureId: string): void {
    this.watchedQueue.delete(fixtureId)
    this.otherQueue.delete(fixtureId)
    clearTimeout(this.retryTimers.get(fixtureId))
    this.retryTimers.delete(fixtureId)
    this.attempts.delete(fixtureId)
  }

  /** Sends the next call if the endpoint is free, off cooldown, and calls may go out. */
  pump(): void {
    if (this.closed || this.inFlight !== undefined || this.pumpTimer !== undefined) return
    if (!this.options.canDispatch()) return
    const wait = this.nextAllowedAt - Date.now()
    if (wait > 0) {
      this.pumpTimer = setTimeout(() => {
        this.pumpTimer = undefined
        this.pump()
      }, wait)
      return
    }
    const fixtureId = this.take()
    if (fixtureId === undefined) return
    this.inFlight = fixtureId
    this.options.onDispatch(fixtureId)
    void this.call(fixtureId).finally(() => {
      // The server measures the cooldown between the calls it receives. Counting it from the
      // answer (which came after the server received the call) keeps that gap whatever the
      // latency of either call.
      this.nextAllowedAt = Math.max(
        this.nextAllowedAt,
        Date.now() + (this.options.cooldownMs ?? 500),
      )
      this.inFlight = undefined
      this.pump()
    })
  }

  /** Stops everything: no call, no timer left. */
  close(): void {
    this.closed = true
    this.abort.abort()
    clearTimeout(this.pumpTimer)
    for (const timer of this.retryTimers.values()) clearTimeout(timer)
    this.retryTimers.clear()
    this.watchedQueue.clear()
    this.otherQueue.clear()
  }

  /** The next fixture to fetch: watched ones first (re-checked now), then the rest. */
  private take(): string | undefined {
    for (const fixtureId of this.watchedQueue) {
      this.watchedQueue.delete(fixtureId)
      if (this.options.isWatched(fixtureId)) return fixtureId
      this.otherQueue.add(fixtureId) // its watchers left while it waited
    }
    for (const fixtureId of this.otherQueue) {
      this.otherQueue.delete(fixtureId)
      return fixtureId
    }
    return undefined
  }

  private url(fixtureId: string): string {
    const url = new URL(ODDS_PATH, this.options.baseUrl ?? DEFAULT_BASE_URL)
    url.searchParams.set('fixtureId', fixtureId)
    if (this.options.bookmakers?.length) {
      url.searchParams.set('bookmakers', this.options.bookmakers.join(','))
    }
    if (this.options.apiKey !== undefined) url.searchParams.set('apiKey', this.options.apiKey)
    return url.toString()
  }

  private async call(fixtureId: string): Promise<void> {
    let status = 0
    let body = ''
    let retryAfterHeader: string | null = null
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_SNAPSHOT_TIMEOUT_MS
    const maxBytes = this.options.maxBytes ?? DEFAULT_SNAPSHOT_MAX_BYTES
    // One signal per call: aborted by close() or past the deadline, whichever first.
    const call = new AbortController()
    const onClose = () => call.abort()
    this.abort.signal.addEventListener('abort', onClose)
    let timedOut = false
    const timer =
      Number.isFinite(timeoutMs) && timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true
            call.abort(new Error(`timed out after ${timeoutMs} ms`))
          }, timeoutMs)
        : undefined
    try {
      const response = await abortable(
        this.fetch(this.url(fixtureId), {
          signal: call.signal,
          headers: { accept: 'application/json' },
        }),
        call.signal,
      )
      status = response.status
      retryAfterHeader = response.headers.get('retry-after')
      body = await readBody(response, maxBytes, call.signal)
    } catch (cause) {
      if (this.closed) return
      if (cause instanceof BodyTooLarge) {
        call.abort() // drops the connection if the body was not cancelled already
        this.tooLarge(fixtureId, status, maxBytes)
      } else if (timedOut) {
        this.fail(
          fixtureId,
          `GET ${ODDS_PATH} timed out after ${timeoutMs} ms`,
          status || undefined,
        )
      } else {
        this.fail(fixtureId, `GET ${ODDS_PATH} failed: ${describe(cause)}`, undefined)
      }
      return
    } finally {
      clearTimeout(timer)
      this.abort.signal.removeEventListener('abort', onClose)
    }
    if (this.closed) return

    if (status === 200) {
      let json: unknown
      try {
        json = JSON.parse(body)
      } catch {
        this.fail(fixtureId, `GET ${ODDS_PATH} answered text that is not JSON`, status, body)
        return
      }
      const decoded = decodeFrame(unwrap(json, fixtureId))
      if (decoded.type !== 'frame') {
        const why = decoded.type === 'error' ? decoded.error.message : 'no fixture'
        this.fail(fixtureId, `GET ${ODDS_PATH} answered an invalid fixture: ${why}`, status, body)
        return
      }
      if (decoded.frame.fixtureId !== fixtureId) {
        this.fail(fixtureId, `GET ${ODDS_PATH} answered another fixture`, status, body)
        return
      }
      this.attempts.delete(fixtureId)
      this.options.onSnapshot(fixtureId, decoded.frame)
      return
    }
    if (status === 404) {
      this.attempts.delete(fixtureId)
      this.options.onFailure(fixtureId, undefined, true)
      return
    }
    if (status === 429) {
      const retryMs = retryDelay(body, retryAfterHeader)
      this.nextAllowedAt = Math.max(this.nextAllowedAt, Date.now() + retryMs)
      const code = errorCode(body)
      if (code === 'REQUEST_LIMIT_EXCEEDED') {
        this.fail(fixtureId, `GET ${ODDS_PATH}: request quota exhausted`, status, body)
        return
      }
      // Rate limited: not the fixture's fault. Back at the head of its queue, no attempt counted.
      const queue = this.options.isWatched(fixtureId) ? this.watchedQueue : this.otherQueue
      const rest = [...queue]
      queue.clear()
      queue.add(fixtureId)
      for (const id of rest) queue.add(id)
      return
    }
    if (status === 401 || status === 403) {
      const error = this.error(`GET ${ODDS_PATH} refused with HTTP ${status}: check the API key`, {
        fixtureId,
        status,
      })
      this.options.onError(error)
      this.attempts.delete(fixtureId)
      this.options.onFailure(fixtureId, error, false)
      return
    }
    this.fail(fixtureId, `GET ${ODDS_PATH} answered HTTP ${status}`, status, body)
  }

  /** A body over `maxBytes`: reported, not retried (the same call would be as large). */
  private tooLarge(fixtureId: string, status: number, maxBytes: number): void {
    const error = this.error(`GET ${ODDS_PATH} answered more than ${maxBytes} bytes`, {
      fixtureId,
      ...(status !== 0 && { status }),
    })
    this.options.onError(error)
    this.attempts.delete(fixtureId)
    this.options.onFailure(fixtureId, error, false)
  }

  /** A failed call: reported, then retried with backoff until `maxAttempts`. */
  private fail(fixtureId: string, message: string, status?: number, body?: string): void {
    const attempt = (this.attempts.get(fixtureId) ?? 0) + 1
    const error = this.error(message, {
      fixtureId,
      ...(status !== undefined && { status }),
      ...(body !== undefined && { raw: body }),
    })
    this.options.onError(error)
    if (attempt >= (this.options.maxAttempts ?? 5)) {
      this.attempts.delete(fixtureId)
      this.options.onFailure(fixtureId, error, false)
      return
    }
    this.attempts.set(fixtureId, attempt)
    const base = this.options.retryDelayMs ?? 1000
    const cap = this.options.maxRetryDelayMs ?? 30_000
    const delay = Math.floor(Math.random() * Math.min(cap, base * 2 ** (attempt - 1)))
    this.retryTimers.set(
      fixtureId,
      setTimeout(() => {
        this.retryTimers.delete(fixtureId)
        this.request(fixtureId)
      }, delay),
    )
  }

  private error(
    message: string,
    init: { fixtureId: string; status?: number; raw?: string },
  ): FeedError {
    return new FeedError('snapshot', message, init).redacted(this.options.redact)
  }
}

/** The fixture inside a `/v4/odds` answer: the object itself, or wrapped in `data` or an array. */
function unwrap(json: unknown, fixtureId: string): unknown {
  if (Array.isArray(json)) {
    return json.find((x) => x && typeof x === 'object' && x.fixtureId === fixtureId) ?? json[0]
  }
  if (json && typeof json === 'object' && !('fixtureId' in json) && 'data' in json) {
    return unwrap((json as { data: unknown }).data, fixtureId)
  }
  return json
}

function errorCode(body: string): string | undefined {
  try {
    const json = JSON.parse(body) as { error?: { code?: unknown }; code?: unknown }
    const code = json.error?.code ?? json.code
    return typeof code === 'string' ? code : undefined
  } catch {
    return undefined
  }
}

/** `retryMs` from the body, else `Retry-After` (seconds or a date), else 1 s. */
function retryDelay(body: string, retryAfter: string | null): number {
  try {
    const json = JSON.parse(body) as { error?: { retryMs?: unknown }; retryMs?: unknown }
    const ms = json.error?.retryMs ?? json.retryMs
    if (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0) return ms
  } catch {
    // not JSON: fall through to the header
  }
  if (retryAfter) {
    const seconds = Number(retryAfter)
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
    const at = Date.parse(retryAfter)
    if (!Number.isNaN(at)) return Math.max(0, at - Date.now())
  }
  return 1000
}

/** A body over `maxBytes`. */
class BodyTooLarge extends Error {}

/**
 * `promise`, or a rejection as soon as `signal` aborts: a `fetch` that ignores its signal
 * still cannot hold the queue.
 */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (cause: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(cause)
      },
    )
  })
}

/**
 * The body as text, never more than `maxBytes`: refused on its `Content-Length`, else counted
 * chunk by chunk while it streams and cancelled past the cap. Without a stream, `text()` is
 * measured after the fact.
 * @throws BodyTooLarge past the cap.
 */
async function readBody(
  response: Awaited<ReturnType<FetchLike>>,
  maxBytes: number,
  signal: AbortSignal,
): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  const stream = response.body
  if (Number.isFinite(declared) && declared > maxBytes) {
    await stream?.cancel?.().catch(() => {})
    throw new BodyTooLarge()
  }
  if (!stream || typeof stream.getReader !== 'function') {
    const text = await abortable(response.text(), signal)
    if (utf8Length(text, maxBytes) > maxBytes) throw new BodyTooLarge()
    return text
  }
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  const parts: string[] = []
  let bytes = 0
  try {
    for (;;) {
      const { done, value } = await abortable(reader.read(), signal)
      if (done) break
      if (!value) continue
      bytes += value.byteLength
      if (bytes > maxBytes) throw new BodyTooLarge()
      parts.push(decoder.decode(value, { stream: true }))
    }
  } catch (cause) {
    reader.cancel(cause).catch(() => {})
    throw cause
  }
  parts.push(decoder.decode())
  return parts.join('')
}

/** The UTF-8 size of `text`, counted exactly only when it could be over `limit`. */
function utf8Length(text: string, limit: number): number {
  if (text.length > limit) return text.length // at least a byte per UTF-16 unit
  if (text.length * 3 <= limit) return text.length // at most three bytes per UTF-16 unit
  return new TextEncoder().encode(text).byteLength
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}
