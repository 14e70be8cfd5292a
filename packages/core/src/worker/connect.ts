/**
 * The page side of worker mode: the same `select`, `market$`, `status$` and `errors$` as
 * `createOddsFeed`, answered by a feed that runs in a (shared) worker.
 * @module
 */
import { defer, Observable, ReplaySubject, type Subscriber, share } from 'rxjs'
import type { BoardRow } from '../board.js'
import { FeedError } from '../errors.js'
import type { MarketView, MarketViewPath } from '../market.js'
import type { Selected, SelectPath } from '../select.js'
import type { FeedStatus } from '../transport.js'
import { BoardReplica } from './board.js'
import type {
  BoardPatch,
  ErrorData,
  FromWorker,
  PortLike,
  StatusData,
  ToWorker,
  Watch,
} from './protocol.js'

/**
 * A feed that runs in a worker, as a page sees it: the streams of `OddsFeed` that it proxies.
 * The worker's side is {@link serveOddsFeed}.
 */
export interface WorkerOddsFeed {
  /** The worker's connection state; replays the current one to new subscribers. */
  readonly status$: Observable<FeedStatus>
  /** Every error of the worker's feed (key masked there, before it crosses). */
  readonly errors$: Observable<FeedError>
  /**
   * One slice of one fixture, as `OddsFeed.select`: the current value at once (after one round
   * trip to the worker), then only when that slice changes. Each emission is a deep-frozen
   * structured clone: equal slices are not the same object across emissions, but the worker
   * posts only changes.
   */
  select<P extends SelectPath>(path: P): Observable<Selected<P> | undefined>
  /** One market compared across bookmakers, as `OddsFeed.market$`. */
  market$(path: MarketViewPath): Observable<MarketView>
  /**
   * The board of every fixture, as `OddsFeed.board$`: the current map at once (after one round
   * trip), then at most once per batch of the worker, only when a row changed. Rows are
   * deep-frozen and keep their identity while unchanged (`===` is the change test, so a
   * binding re-renders only the rows that changed), and so do a changed row's `scores`,
   * `main` and outcomes that equal the old row's. The map is immutable, like the page feed's
   * (a `ReadonlyMap`, not a `Map` instance), in the order rows first reached the page.
   *
   * Takes no options: `mainMarket` is a function and a catalogue has methods, neither crosses
   * `postMessage`, so the worker is given them (`serveOddsFeed(options, scope, { board })`)
   * and computes one board for every page. The worker posts only what changed: every row at
   * first, then the rows whose identity changed and the ids removed; a frame that changes no
   * row (a price on another market) posts nothing. Every subscription of this page shares one
   * watch of the worker (the latest map is replayed to a late subscriber).
   */
  board$(): Observable<ReadonlyMap<string, BoardRow>>
  /** Ends every watch of this page (the worker's feed goes on for other tabs) and completes them. */
  close(): void
}

/** A `Worker` or `SharedWorker` (its `port`), or a `MessagePort`. */
export type WorkerLike = PortLike | { readonly port: PortLike }

/**
 * Connects a page to a feed served by {@link serveOddsFeed} in a worker. Nothing is watched
 * until a stream is subscribed; each subscription is one watch in the worker.
 *
 * @example
 * ```ts
 * const worker = new SharedWorker(new URL('./feed.worker.ts', import.meta.url), { type: 'module' })
 * const feed = connectOddsFeed(worker)
 * feed.select({ fixtureId, bookmaker: 'pinnacle', marketId: 101 }).subscribe(render)
 * ```
 */
export function connectOddsFeed(worker: WorkerLike): WorkerOddsFeed {
  const port: PortLike = 'port' in worker ? worker.port : worker
  const subscribers = new Map<number, Subscriber<unknown>>()
  const decoders = new Map<number, (value: unknown) => unknown>()
  let nextId = 1
  let closed = false

  const onMessage = (event: { readonly data: unknown }) => {
    const message = event.data as FromWorker
    if (message?.t !== 'emit') return
    for (const [id, value, done] of message.emissions) {
      const subscriber = subscribers.get(id)
      if (!subscriber) continue
      if (done) {
        subscribers.delete(id)
        subscriber.complete()
        continue
      }
      const decode = decoders.get(id)
      subscriber.next(decode ? decode(value) : deepFreeze(value))
    }
  }
  port.addEventListener('message', onMessage)
  port.start?.()
  const post = (message: ToWorker) => port.postMessage(message)
  const pageHide = () => close()
  const target = globalThis as { addEventListener?: (type: string, fn: () => void) => void }
  target.addEventListener?.('pagehide', pageHide)

  const watch = <T>(spec: Watch, decode?: (value: unknown) => T): Observable<T> =>
    new Observable<T>((subscriber) => {
      if (closed) {
        subscriber.complete()
        return
      }
      const id = nextId++
      subscribers.set(id, subscriber as Subscriber<unknown>)
      if (decode) decoders.set(id, decode)
      post({ t: 'watch', id, watch: spec })
      return () => {
        decoders.delete(id)
        if (subscribers.delete(id) && !closed) post({ t: 'unwatch', id })
      }
    })

  const close = () => {
    if (closed) return
    closed = true
    post({ t: 'bye' })
    port.removeEventListener('message', onMessage)
    const all = [...subscribers.values()]
    subscribers.clear()
    decoders.clear()
    for (const subscriber of all) subscriber.complete()
  }

  const board$ = defer(() => {
    const replica = new BoardReplica()
    return watch({ kind: 'board' }, (patch) => replica.apply(patch as BoardPatch))
  }).pipe(
    share({
      connector: () => new ReplaySubject<ReadonlyMap<string, BoardRow>>(1),
      resetOnRefCountZero: true,
    }),
  )

  return {
    status$: watch<FeedStatus>({ kind: 'status' }, (s) => toStatus(s as StatusData)),
    errors$: watch<FeedError>({ kind: 'errors' }, (e) => toError(e as ErrorData)),
    select: <P extends SelectPath>(path: P) =>
      watch<Selected<P> | undefined>({ kind: 'select', path: { ...path } }),
    market$: (path: MarketViewPath) => watch<MarketView>({ kind: 'market', path: { ...path } }),
    board$: () => board$,
    close,
  }
}

function toError(data: ErrorData): FeedError {
  const { kind, message, ...init } = data
  return new FeedError(kind, message, init)
}

function toStatus(data: StatusData): FeedStatus {
  const { error, ...rest } = data
  return Object.freeze(error ? { ...rest, error: toError(error) } : rest)
}

/** Freezes a structured clone in place: emitted state is immutable, as in the page's own feed. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key])
  }
  return value
}
