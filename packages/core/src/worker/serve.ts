/**
 * The worker side of worker mode: the feed (socket, decode, merge) runs here, and each page
 * that connects gets only the slices it watches, posted once per tick.
 * @module
 */
import type { Subscription } from 'rxjs'
import type { BoardOptions } from '../board.js'
import type { FeedError } from '../errors.js'
import { createOddsFeed, type OddsFeed, type OddsFeedOptions } from '../feed.js'
import type { FeedStatus } from '../transport.js'
import { boardPatches, sharedBoard } from './board.js'
import type { ErrorData, FromWorker, PortLike, StatusData, ToWorker, Watch } from './protocol.js'

/** A worker's global scope, dedicated (`self` is the port) or shared (`connect` events). */
export interface WorkerScopeLike extends PortLike {
  addEventListener(
    type: 'message' | 'connect',
    listener: (event: { readonly data: unknown; readonly ports?: readonly PortLike[] }) => void,
  ): void
}

/** How a worker serves its feed to pages ({@link serveOddsFeed}, {@link servePort}). */
export interface ServeOptions {
  /**
   * The options of the board that pages watch with `board$()` (`WorkerOddsFeed.board$`).
   * They are given here, in the worker, because they cannot cross `postMessage`: `mainMarket`
   * is a function and `catalogue` an object with methods. Every page gets the same board,
   * computed once in the worker for all of them. Default: `board$()`'s defaults (no
   * catalogue: the market most bookmakers quote).
   */
  readonly board?: BoardOptions | undefined
}

/**
 * Runs a feed in this worker and serves it to the pages that connect: call it once in the
 * worker's module. In a `SharedWorker` every tab of the origin connects to the same feed, so
 * they share one socket; in a dedicated `Worker` the page that made it is the one client. The
 * feed connects (with `autoConnect`) when a page first watches something.
 *
 * @example
 * ```ts
 * // feed.worker.ts
 * import { serveOddsFeed } from '@oddsfeed/core/worker'
 * serveOddsFeed({ url: 'wss://relay.example/v4/ws' })
 * // or, with the board pages read through `board$()`:
 * serveOddsFeed({ url }, self, { board: { catalogue: await loadMarketCatalogue({ apiKey }) } })
 * ```
 * @param options the feed's options, as `createOddsFeed`'s.
 * @param scope the worker's global scope (default `globalThis`).
 * @param serve what pages are served ({@link ServeOptions}: the board's options).
 * @returns the feed itself (to `close()` it, or to `ingest` into it).
 */
export function serveOddsFeed(
  options: OddsFeedOptions = {},
  scope: WorkerScopeLike = globalThis as unknown as WorkerScopeLike,
  serve: ServeOptions = {},
): OddsFeed {
  const feed = createOddsFeed(options)
  if ('onconnect' in scope) {
    scope.addEventListener('connect', (event) => {
      const port = event.ports?.[0]
      if (port) servePort(feed, port, serve)
    })
  } else {
    servePort(feed, scope, serve)
  }
  return feed
}

/**
 * Serves one feed to one port (a page, or one end of a `MessageChannel`): what
 * {@link serveOddsFeed} does for each page. Returns the function that ends every watch of
 * this port. Ports served with the same `serve.board` options object share one board.
 */
export function servePort(feed: OddsFeed, port: PortLike, serve: ServeOptions = {}): () => void {
  const watches = new Map<number, Subscription>()
  let queue: ([number, unknown] | [number, unknown, true])[] = []
  let scheduled = false
  const flush = () => {
    scheduled = false
    if (queue.length === 0) return
    const message: FromWorker = { t: 'emit', emissions: queue }
    queue = []
    port.postMessage(message)
  }
  const emit = (id: number, value: unknown, done?: true) => {
    queue.push(done ? [id, value, true] : [id, value])
    if (!scheduled) {
      scheduled = true
      // one message per tick: a batch of the store wakes many watches in one go
      queueMicrotask(flush)
    }
  }
  const start = (id: number, watch: Watch) => {
    const observer = {
      next: (value: unknown) => emit(id, value),
      complete: () => {
        watches.delete(id)
        emit(id, undefined, true)
      },
    }
    let subscription: Subscription
    switch (watch.kind) {
      case 'select':
        subscription = feed.select(watch.path).subscribe(observer)
        break
      case 'market':
        subscription = feed.market$(watch.path).subscribe(observer)
        break
      case 'status':
        subscription = feed.status$.subscribe({
          ...observer,
          next: (s) => emit(id, statusData(s)),
        })
        break
      case 'board':
        subscription = boardPatches(sharedBoard(feed, serve.board)).subscribe(observer)
        break
      case 'errors':
        subscription = feed.errors$.subscribe({
          ...observer,
          next: (e) => emit(id, errorData(e)),
        })
        break
    }
    if (!subscription.closed) watches.set(id, subscription)
  }
  const stopAll = () => {
    for (const subscription of watches.values()) subscription.unsubscribe()
    watches.clear()
  }
  const onMessage = (event: { readonly data: unknown }) => {
    const message = event.data as ToWorker
    if (message?.t === 'watch') start(message.id, message.watch)
    else if (message?.t === 'unwatch') {
      watches.get(message.id)?.unsubscribe()
      watches.delete(message.id)
    } else if (message?.t === 'bye') stopAll()
  }
  port.addEventListener('message', onMessage)
  port.start?.()
  return () => {
    port.removeEventListener('message', onMessage)
    stopAll()
  }
}

function errorData(error: FeedError): ErrorData {
  return {
    kind: error.kind,
    message: error.message,
    ...(error.path !== undefined && { path: error.path }),
    ...(error.raw !== undefined && { raw: error.raw }),
    ...(error.fixtureId !== undefined && { fixtureId: error.fixtureId }),
    ...(error.status !== undefined && { status: error.status }),
  }
}

function statusData(status: FeedStatus): StatusData {
  const { error, ...rest } = status
  return error ? { ...rest, error: errorData(error) } : rest
}
