/**
 * `createOddsFeed`: socket → decode → validate → merge → publish → select.
 * @module
 */
import WebSocketImpl from 'isomorphic-ws'
import { Observable, ReplaySubject, Subject } from 'rxjs'
import { Board, type BoardOptions, type BoardRow } from './board.js'
import { type DecodeResult, type DecodeSight, decodeSeeing } from './decode.js'
import { createRedactor, type FeedError, type Redactor } from './errors.js'
import { Eviction } from './eviction.js'
import { Hydration } from './hydration.js'
import {
  compareMarket,
  type MarketView,
  type MarketViewPath,
  marketDependencies,
} from './market.js'
import { RelayClient } from './relay-client.js'
import { RELAY_PROTOCOL } from './relay-protocol.js'
import type { Fixture, OddsFrame } from './schema.js'
import { type ExactPath, PathReader, readPath, type Selected, type SelectPath } from './select.js'
import type { FixtureSync, SnapshotOptions } from './snapshot.js'
import { type BatchMode, FixtureStore } from './store.js'
import { TokenRedactor, type TokenSource, tokenWebSocket } from './token.js'
import {
  Connection,
  DEFAULT_RECONNECT,
  type FeedStatus,
  type ReconnectOptions,
  type WebSocketConstructor,
} from './transport.js'

/** The real v4 feed. */
export const DEFAULT_URL = 'wss://api.oddspapi.io/v4/ws'

/** Options of {@link createOddsFeed}. */
export interface OddsFeedOptions {
  /** Appended to the URL as `?apiKey=…`. Never shown: masked in every error, status and URL. */
  apiKey?: string | undefined
  /** Any `ws://` or `wss://` URL (the real feed, the simulator, a relay). Default {@link DEFAULT_URL}. */
  url?: string | undefined
  /**
   * A relay's client token (a JWT minted by the app's backend), appended as `?token=…` (browsers
   * cannot set headers on a WebSocket). A string, or a function (sync or async) called before
   * every connect and reconnect, so an expired token is replaced by a fresh one; a function that
   * throws or rejects fails that attempt, which is retried with backoff. Masked like the API key
   * in every error, status and URL.
   */
  token?: TokenSource | undefined
  /**
   * How to talk to the server:
   * - `v4` (default): the provider's v4 feed (or a relay's plain v4 mode): every frame of the
   *   global feed, filtered in the client;
   * - `relay`: `oddsfeed.relay.v1` (subprotocol), spoken by `@oddsfeed/relay`. The first
   *   `select`/`market$`/`sync$` on a fixture subscribes to it (one message per tick for all
   *   new fixtures), the last unsubscription unsubscribes after `unsubscribeGraceMs`, and every
   *   reconnect resubscribes what is watched. The relay answers with a snapshot of its state,
   *   which replaces the fixture's and makes `sync$` `live`, then frames. No REST call is made
   *   (`snapshot` is not used). A lost message (a gap in `seq`) marks the fixtures `stale` and
   *   asks for fresh snapshots.
   *
   * The app's code is the same either way: only the options differ.
   */
  protocol?: 'v4' | 'relay' | undefined
  /** With `protocol: 'relay'`: how long a fixture nobody watches stays subscribed. Default 2 s. */
  unsubscribeGraceMs?: number | undefined
  /** WebSocket constructor. Default: `isomorphic-ws` (`ws` in Node, the native one in browsers). */
  WebSocket?: WebSocketConstructor | undefined
  /** Backoff with full jitter, or `false` to never reconnect. */
  reconnect?:
    | { [K in keyof ReconnectOptions]?: ReconnectOptions[K] | undefined }
    | false
    | undefined
  /** No frame (keepalives count) for this long → `stale` error and reconnect. Default 60 s. */
  idleTimeoutMs?: number | false | undefined
  /**
   * A handshake not answered within this long (a server that accepts TCP and never upgrades) →
   * `transport` error, the socket is dropped and retried with the usual backoff. Default 15 s;
   * `false` waits forever.
   */
  connectTimeoutMs?: number | false | undefined
  /** When merged state is published. Default `microtask`. */
  batch?: BatchMode | undefined
  /**
   * Open the socket on the first subscription to any stream (default `true`). With `false` only
   * `connect()` opens it: for feeds fed by `ingest` alone (replays, tests, relays).
   */
  autoConnect?: boolean | undefined
  /**
   * REST snapshots: the first subscription to a fixture fetches `GET /v4/odds?fixtureId=…` (same
   * key) and merges it, and after every reconnect the watched fixtures are fetched again. Off by
   * default (every REST call is billed against the plan's quota). See {@link OddsFeed.sync$}.
   */
  snapshot?: SnapshotOptions | false | undefined
  /** Finished (`statusId` 2) or cancelled (3) fixtures nobody watches leave after this. Default 10 min. */
  evictAfterMs?: number | undefined
  /** Most fixtures kept: least recently updated leave first, unwatched before watched. Default: no cap. */
  maxFixtures?: number | undefined
  /**
   * Merge the frames nobody can see yet only when they are read (default `true`). A stored
   * fixture keeps its frames unmerged while it has no subscriber that reads it whole and no
   * frame of a batch can change what its other subscribers read. Its price moves are folded at
   * once into one patch that holds the latest entry of each price (by the same `changedAt`
   * guard), so what waits is bounded by the prices that moved, not by the frames; frames
   * without `bookmakerOdds` (scores, status) wait as they came, up to 128 (65,536 over all
   * fixtures); any other frame makes it merge:
   * - `select({ fixtureId })` (the whole fixture) and any `fixtures$` subscriber merge every
   *   batch at once;
   * - a `select` below `bookmakerOdds` (a bookmaker, market, outcome or player) merges the
   *   fixture only for a batch with a frame that can change its slice (a price move on another
   *   market or bookmaker stays unmerged), and `market$` only for one that can change its market
   *   at some bookmaker or a bookmaker's `suspended`: then the frames left unmerged and the
   *   batch are merged together, in order; a batch of price moves alone that reaches only
   *   `select`s merges just the entries under their paths (when those are stored already),
   *   and the fixture's other moves stay folded;
   * - `sync$` and `board$` never do.
   *
   * `get`, a new subscription, a snapshot or eviction merges them first, so every read sees
   * exactly the state merging at once gives, and every subscriber the same emissions; what
   * nobody could observe yet is not copied batch by batch. `false` merges every batch at once.
   * Off under `maxFixtures` (its recency is by merged change).
   */
  lazyMerge?: boolean | undefined
  /**
   * How fixtures nobody reads are stored:
   * - `objects` (default): one frozen tree of plain objects per fixture, as read;
   * - `compact`: packed into bytes, about a sixth of the memory (~73 bytes a price instead of
   *   ~450 on a board of 600,000 prices), for processes that hold the whole global feed (a
   *   relay). Every read (`get`, `fixtures$`, `board$`, snapshots, eviction) sees exactly the
   *   state `objects` gives, key order included: a fixture is unpacked when read, and stays
   *   unpacked while a `select` / `market$` watches it (unchanged nodes keep their identity
   *   between emissions) or a `fixtures$` or `board$` subscriber exists (they read every
   *   fixture: all stay unpacked, as much memory as `objects`); else it is packed again at the
   *   end of the tick (a `get` of one tick gives the same objects, one of the next tick new
   *   ones). Frames merge into a packed fixture with only the bookmakers they name unpacked
   *   (a score or status frame unpacks nothing). The price: reading an unwatched fixture
   *   unpacks it whole, and a merge packs again what it changed, so ingest is slower (see
   *   the README's performance section). `sync$` does not count as a read.
   */
  storage?: 'objects' | 'compact' | undefined
  /**
   * Largest socket frame (or `ingest`ed text/bytes), in UTF-8 bytes. Larger is a `parse` error
   * and nothing of it is stored, and the stream goes on. Default 4 MiB. (The socket itself is
   * not limited to this: a larger frame is reported, not a reason to drop the connection. Only
   * `ws`'s own ceiling, 100 MiB, closes it, with code 1009.)
   */
  maxFrameBytes?: number | undefined
  /**
   * A stored `changedAt` / `updatedAt` more than this far ahead of the local clock never wins
   * the out-of-order guard (a `9999-12-31…` stamp would freeze the entry): the next update
   * replaces it. Unreadable stamps never win either. Default 5 min.
   */
  maxClockSkewMs?: number | undefined
}

/**
 * A live OddsPapi v4 feed: one shared socket, per-fixture immutable state, and selectors.
 * Every observable completes on `close()`.
 */
export interface OddsFeed {
  /** The connection's state; replays the current one to new subscribers. */
  readonly status$: Observable<FeedStatus>
  /**
   * Every valid frame, in arrival order, as soon as it is decoded (before it is merged). Each
   * frame is the feed's own, as `ingest`'s is (its parts become the state's, and are frozen when
   * merged): read it, never change it; to change one, change a copy (`structuredClone`).
   */
  readonly frames$: Observable<OddsFrame>
  /** Every error: bad frames, transport trouble, staleness. The feed goes on after each. */
  readonly errors$: Observable<FeedError>
  /**
   * All fixtures: the current map at once, then a new map after every batch that changed any.
   * Each map is immutable and shares storage with the previous one, so an emission costs what
   * the batch changed, not the size of the board. Maps iterate in the order fixtures were first
   * stored (an evicted fixture that comes back takes its old place). They implement
   * `ReadonlyMap` but are not `Map` instances: `new Map(map)` makes one (to `postMessage` it,
   * for example).
   */
  readonly fixtures$: Observable<ReadonlyMap<string, Fixture>>
  /**
   * A board of every fixture, lighter than {@link fixtures$} for UIs that list many: per
   * fixture its status, start, participants, scores and its main market's best prices
   * ({@link BoardOptions.mainMarket}). Emits the current map at once, then at most once per
   * batch, and only when a row changed. Rows keep their identity while unchanged (`===` is the
   * change test), and maps share storage like `fixtures$`'s, in the same order.
   *
   * Unlike `fixtures$`, it does not merge every fixture batch by batch: it reads the frames'
   * keys. A price move on another market costs a few key lookups and stays unmerged
   * (`lazyMerge`); one on the main market, scores or a bookmaker's `suspended` is merged into
   * the row's own small view of the fixture (the store's stays unmerged); only a frame that
   * changes other top-level fields or brings a market new to a bookmaker makes it read the
   * fixture (merging its frames left unmerged) and pick its main market again. Each
   * subscription keeps its own rows: share one (`share()`) among many readers.
   *
   * @example
   * ```ts
   * const catalogue = await loadMarketCatalogue({ apiKey })
   * feed.board$({ catalogue }).subscribe((board) => {
   *   for (const row of board.values()) {
   *     const prices = row.main?.outcomes.map((o) => o.best?.price ?? '-').join(' / ')
   *     console.log(row.participant1Name, 'v', row.participant2Name, row.statusId, prices)
   *   }
   * })
   * ```
   */
  board$(options?: BoardOptions): Observable<ReadonlyMap<string, BoardRow>>
  /**
   * One slice of one fixture: emits the current value at once (possibly `undefined`), then
   * only when that slice changes (by identity: unchanged slices keep theirs). Only changes to
   * `path.fixtureId` wake it. A field no path has (`marketID`) is a type error.
   *
   * A path below `bookmakerOdds` is woken only by batches with a frame that can change its
   * slice, and the other frames of its fixture may stay unmerged ({@link OddsFeedOptions.lazyMerge});
   * `select({ fixtureId })` reads the whole fixture: every batch of it is merged at once.
   *
   * @example
   * ```ts
   * feed
   *   .select({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 })
   *   .subscribe((entry) => console.log(entry?.price, entry?.active)) // entry: Player | undefined
   * feed.select({ fixtureId }).subscribe((fixture) => console.log(fixture?.statusId))
   * ```
   */
  select<P extends SelectPath>(path: P & ExactPath<P>): Observable<Selected<P> | undefined>
  /**
   * One market compared across bookmakers: per outcome every bookmaker's price and the best live
   * price with who offers it, each bookmaker's margin, and the best-price book (sure bets).
   * Emits at once, then only when that market changes at some bookmaker.
   *
   * @example
   * ```ts
   * feed.market$({ fixtureId, marketId: 101 }).subscribe((view) => {
   *   for (const o of view.outcomes) console.log(o.outcomeId, o.best?.price, o.best?.bookmakers)
   *   if (view.sureBet) console.log('sure bet across bookmakers:', view.bestBook)
   * })
   * ```
   */
  market$(path: MarketViewPath): Observable<MarketView>
  /**
   * How far one fixture's state can be trusted: `unhydrated`, `hydrating`, `live`, `stale` (the
   * socket dropped since its snapshot) or `unknown` (404). Subscribing asks for a snapshot when
   * `snapshot` is on; with `protocol: 'relay'` it subscribes to the fixture at the relay, whose
   * snapshot makes it `live`.
   *
   * @example
   * ```ts
   * feed.sync$(fixtureId).subscribe(({ state }) => row.classList.toggle('greyed', state !== 'live'))
   * ```
   */
  sync$(fixtureId: string): Observable<FixtureSync>
  /** The same slice, read now. */
  get<P extends SelectPath>(path: P & ExactPath<P>): Selected<P> | undefined
  /**
   * How many fixtures the feed holds, as of the last batch. Reads no fixture: nothing is merged
   * or unpacked (with `storage: 'compact'`, counting through {@link fixtures$} unpacks them all).
   */
  fixtureCount(): number
  /**
   * Pushes one raw frame (text, UTF-8 bytes or object) through the same pipeline as the socket.
   * The frame in the result is the feed's own from then on (its parts become the state's, and
   * are frozen when merged): read it, never change it.
   */
  ingest(data: unknown): DecodeResult
  /** Opens the socket now (it otherwise opens on the first subscription). */
  connect(): void
  /** Publishes what is pending, closes the socket, stops every timer, completes every stream. Final. */
  close(): void
}

/**
 * Creates a feed. Nothing connects until the first subscription (or `connect()`).
 *
 * @example
 * ```ts
 * const feed = createOddsFeed({ apiKey: process.env.ODDSPAPI_API_KEY })
 * feed.select({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 })
 *   .subscribe((entry) => console.log(entry?.price))
 *
 * // In a browser, through a relay: the same calls, other options.
 * const viaRelay = createOddsFeed({
 *   url: 'wss://relay.example/v4/ws',
 *   protocol: 'relay',
 *   token: () => fetch('/api/relay-token').then((r) => r.text()),
 * })
 * ```
 * @throws TypeError when `url` is not a `ws://` or `wss://` URL.
 */
export function createOddsFeed(options: OddsFeedOptions = {}): OddsFeed {
  const tokens = new TokenRedactor()
  const redactKey = createRedactor(options.apiKey)
  const redact: Redactor = (text, as) => tokens.redact(redactKey(text, as), as)
  const relayMode = options.protocol === 'relay'
  const socket = tokenWebSocket({
    WebSocket: options.WebSocket ?? (WebSocketImpl as unknown as WebSocketConstructor),
    token: options.token,
    protocols: relayMode ? RELAY_PROTOCOL : undefined,
    secrets: tokens,
  })
  const url = buildUrl(options.url ?? DEFAULT_URL, options.apiKey, redact)
  const autoConnect = options.autoConnect ?? true

  const frames = new Subject<OddsFrame>()
  const errors = new Subject<FeedError>()
  const status = new ReplaySubject<FeedStatus>(1)
  /** Set as `close()` starts: a `close()` from a callback of its final flush is a no-op. */
  let closing = false
  let closed = false

  const publishError = (error: FeedError) => {
    if (!closed) errors.next(error.redacted(redact))
  }
  const store = new FixtureStore(options.batch ?? 'microtask', publishError, {
    ...(options.maxClockSkewMs !== undefined && { maxClockSkewMs: options.maxClockSkewMs }),
    deferMerge: options.lazyMerge !== false && options.maxFixtures === undefined,
    compact: options.storage === 'compact',
  })
  const decodeOptions = {
    ...(options.maxFrameBytes !== undefined && { maxFrameBytes: options.maxFrameBytes }),
  }
  const given = options.reconnect || {}
  const reconnect: ReconnectOptions | false =
    options.reconnect === false
      ? false
      : {
          initialDelayMs: given.initialDelayMs ?? DEFAULT_RECONNECT.initialDelayMs,
          maxDelayMs: given.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs,
          maxAttempts: given.maxAttempts ?? DEFAULT_RECONNECT.maxAttempts,
        }

  const hydration = new Hydration(
    {
      ...(options.snapshot || {}),
      apiKey: options.apiKey,
      redact,
      store,
      hasWatchers: (fixtureId) => store.watcherCount(fixtureId) > 0,
      onError: publishError,
    },
    Boolean(options.snapshot) && !relayMode,
  )
  const eviction = new Eviction({
    store,
    evictAfterMs: options.evictAfterMs ?? 600_000,
    maxFixtures: options.maxFixtures ?? Number.POSITIVE_INFINITY,
    isWatched: (fixtureId) => store.watcherCount(fixtureId) > 0,
    onEvict: (fixtureId) => hydration.forget(fixtureId),
  })

  /** What the decoder saw of the frame it decoded last (taken at once, see `ingest`). */
  const sight: DecodeSight = { moves: undefined }
  const ingest = (data: unknown): DecodeResult => {
    const result = decodeSeeing(data, decodeOptions, sight)
    const moves = sight.moves
    sight.moves = undefined
    return accept(result, moves)
  }
  /**
   * Where a decoded frame goes on: published raw, then merged (or its error published).
   * `moves`: what the decoder saw of it, when it is a price move alone ({@link DecodeSight}).
   */
  const accept = (result: DecodeResult, moves?: readonly unknown[]): DecodeResult => {
    if (closing) return result
    if (result.type === 'frame') {
      const frame = result.frame
      // nobody on frames$ (the usual case): not even rxjs's per-call error context. What the
      // decoder saw of the frame goes with it either way: a subscriber reads the frame, never
      // changes it (as `ingest`'s caller), so the sight still describes it when it is merged.
      if (frames.observed) frames.next(frame)
      hydration.frame(frame)
      store.enqueue(frame, moves)
    } else if (result.type === 'error') {
      publishError(result.error)
    }
    return result
  }

  const relay = relayMode
    ? new RelayClient({
        store,
        hydration,
        accept,
        isWatched: (fixtureId) => store.watcherCount(fixtureId) > 0,
        onError: publishError,
        unsubscribeGraceMs: options.unsubscribeGraceMs ?? 2_000,
      })
    : undefined
  const want = (fixtureId: string) => {
    hydration.want(fixtureId)
    relay?.want(fixtureId)
  }

  const connection = new Connection({
    url,
    WebSocket: socket.WebSocket,
    reconnect,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 15_000,
    stableAfterMs: 10_000,
    redact,
    onMessage: (data) => {
      hydration.traffic()
      if (relay) relay.message(data)
      else ingest(data)
    },
    onStatus: (next) => {
      if (next.state === 'open') {
        hydration.opened()
        relay?.opened(socket.current())
      } else {
        hydration.dropped(next.error?.kind === 'stale')
        relay?.dropped()
      }
      // the status's error is masked like the one on errors$ (path, fixtureId, cause, stack)
      status.next(next.error ? { ...next, error: next.error.redacted(redact) } : next)
    },
    onError: publishError,
  })
  status.next({ state: 'idle', attempt: 0, url: redact(url) })

  let started = false
  const connect = () => {
    if (closed) return
    started = true
    hydration.socketStarting()
    connection.connect()
  }
  const lazy = <T>(source: Observable<T>): Observable<T> =>
    new Observable<T>((subscriber) => {
      if (autoConnect && !started) connect()
      return source.subscribe(subscriber)
    })

  const fixtures$ = lazy(
    new Observable<ReadonlyMap<string, Fixture>>((subscriber) => {
      let last = store.all()
      subscriber.next(last)
      return store.watchAll({
        // A batch that evicts publishes twice (merge, then removal): one map is enough.
        next: () => {
          const map = store.all()
          if (map === last) return
          last = map
          subscriber.next(map)
        },
        complete: () => subscriber.complete(),
      })
    }),
  )

  const board$ = (options?: BoardOptions) =>
    lazy(
      new Observable<ReadonlyMap<string, BoardRow>>((subscriber) => {
        const board = new Board(store, options)
        subscriber.next(board.map())
        return store.watchBatches({
          batch: (frames, before, whole) => {
            if (board.batch(frames, before, whole)) subscriber.next(board.map())
          },
          complete: () => subscriber.complete(),
        })
      }),
    )

  return {
    status$: lazy(status.asObservable()),
    frames$: lazy(frames.asObservable()),
    errors$: lazy(errors.asObservable()),
    fixtures$,
    board$,
    select<P extends SelectPath>(path: P & ExactPath<P>) {
      const fixtureId = path.fixtureId
      return lazy(
        new Observable<Selected<P> | undefined>((subscriber) => {
          const reader = new PathReader(path)
          subscriber.next(reader.next(store.get(fixtureId)) as Selected<P> | undefined)
          // a path below bookmakerOdds is a scope: frames that cannot change it may stay unmerged
          const stop = store.watch(
            fixtureId,
            {
              next: (_, fixture) => {
                const value = reader.next(fixture)
                if (value !== PathReader.NO_CHANGE) subscriber.next(value)
              },
              complete: () => subscriber.complete(),
            },
            (path as SelectPath).bookmaker === undefined ? undefined : path,
          )
          want(fixtureId)
          return () => {
            stop()
            relay?.release(fixtureId)
          }
        }),
      )
    },
    market$(path: MarketViewPath) {
      const { fixtureId } = path
      const marketId = String(path.marketId)
      return lazy(
        new Observable<MarketView>((subscriber) => {
          let deps = marketDependencies(store.get(fixtureId), marketId)
          subscriber.next(compareMarket(store.get(fixtureId), path))
          // it reads what marketDependencies lists: this market and `suspended` of every bookmaker
          const stop = store.watch(
            fixtureId,
            {
              next: () => {
                const fixture = store.get(fixtureId)
                const next = marketDependencies(fixture, marketId)
                if (sameElements(next, deps)) return
                deps = next
                subscriber.next(compareMarket(fixture, path))
              },
              complete: () => subscriber.complete(),
            },
            { marketId },
          )
          want(fixtureId)
          return () => {
            stop()
            relay?.release(fixtureId)
          }
        }),
      )
    },
    sync$(fixtureId: string) {
      return lazy(
        new Observable<FixtureSync>((subscriber) => {
          if (closed) {
            subscriber.next(hydration.get(fixtureId))
            subscriber.complete()
            return
          }
          subscriber.next(hydration.get(fixtureId))
          const stop = hydration.listen(fixtureId, (sync) => subscriber.next(sync))
          // watched (REST re-fetch, eviction, relay) without reading: never forces a merge
          const stopClose = store.hold(fixtureId, { complete: () => subscriber.complete() })
          want(fixtureId)
          return () => {
            stop()
            stopClose()
            relay?.release(fixtureId)
          }
        }),
      )
    },
    get: (path) => readPath(store.get(path.fixtureId), path),
    fixtureCount: () => store.size,
    ingest,
    connect,
    close() {
      if (closing) return
      closing = true
      store.dispose()
      closed = true
      eviction.close()
      hydration.close()
      relay?.close()
      connection.close()
      frames.complete()
      errors.complete()
      status.complete()
    },
  }
}

function sameElements(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function buildUrl(base: string, apiKey: string | undefined, redact: (s: string) => string): string {
  let parsed: URL
  try {
    parsed = new URL(base)
  } catch {
    throw new TypeError(`Invalid feed URL: ${redact(base)}`)
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new TypeError(`Feed URL must be ws:// or wss://, got ${redact(base)}`)
  }
  if (apiKey !== undefined) parsed.searchParams.set('apiKey', apiKey)
  return parsed.toString()
}
