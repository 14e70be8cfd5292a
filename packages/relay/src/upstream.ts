/**
 * The upstream: the core's own `createOddsFeed` (composed, not copied), with REST hydration of
 * what clients watch and a tap on its socket so that each valid frame is handed on with the
 * text it arrived as, and keepalives too.
 * @module
 */
import {
  createOddsFeed,
  type FeedError,
  type FeedStatus,
  type Fixture,
  type FixtureSync,
  type OddsFeed,
  type OddsFrame,
  type WebSocketConstructor,
  type WebSocketLike,
} from '@oddsfeed/core'
import type { Subscription } from 'rxjs'
import { WebSocket } from 'ws'

/** Where the upstream is. */
export interface UpstreamOptions {
  /** The v4 feed's WebSocket URL (`wss://api.oddspapi.io/v4/ws`, or the simulator's). */
  url: string
  /** The OddsPapi key. Never leaves the process. */
  apiKey: string
  /** REST host for snapshots (`https://api.oddspapi.io`); without it nothing is hydrated. */
  snapshotUrl?: string | undefined
}

/** What the upstream hands on. */
export interface UpstreamHandlers {
  /** A valid frame, already merged into `feed`'s state. */
  frame(frame: OddsFrame, text: string): void
  /** A keepalive, as received. */
  keepalive(text: string): void
  /** A REST snapshot of a held fixture was merged (or the API does not know it). */
  hydrated(fixtureId: string, fixture: Fixture | undefined): void
  /** REST call made. */
  restCall(): void
  status(status: FeedStatus): void
  error(error: FeedError): void
}

/** A tuning of the upstream feed (tests shorten the timings). */
export type UpstreamTuning = Pick<
  import('@oddsfeed/core').OddsFeedOptions,
  'reconnect' | 'idleTimeoutMs' | 'evictAfterMs' | 'maxFixtures'
> & {
  /**
   * How the upstream state is held. Default `'objects'`. `'compact'` keeps it packed (~73 B a
   * price instead of ~450, bench case 6) for a relay whose memory is the limit; it costs
   * throughput, since the relay merges each frame as it comes (`batch: 'sync'`) and each merge
   * into a packed fixture unpacks and repacks its bookmaker (case 7, one run each in the same
   * window: 0.68M client messages/s against 1.10M).
   */
  storage?: import('@oddsfeed/core').OddsFeedOptions['storage']
  /** REST snapshot timings (retries, cooldown); the URL is `upstream.snapshotUrl`. */
  snapshot?: Omit<import('@oddsfeed/core').SnapshotOptions, 'baseUrl' | 'fetch'> | undefined
}

/** The relay's one upstream connection and its merged state. */
export class Upstream {
  /** The merged state, one frame at a time (`batch: 'sync'`). */
  readonly feed: OddsFeed
  private readonly held = new Map<string, Subscription>()
  private readonly lastHydratedAt = new Map<string, number | 'unknown'>()
  private readonly subscriptions: Subscription[] = []
  /** The frame the message being delivered turned out to be. */
  private decoded: OddsFrame | undefined
  private failed = false
  private closed = false
  private readonly hydrating: boolean

  constructor(
    options: UpstreamOptions,
    private readonly handlers: UpstreamHandlers,
    tuning: UpstreamTuning = {},
    seed: Iterable<Fixture> = [],
  ) {
    this.hydrating = Boolean(options.snapshotUrl)
    const fetchCounting: typeof fetch = (input, init) => {
      handlers.restCall()
      return fetch(input, init)
    }
    this.feed = createOddsFeed({
      url: options.url,
      apiKey: options.apiKey,
      WebSocket: this.tappedWebSocket(),
      // Each frame is merged as it arrives: outside a frame's delivery the state holds exactly
      // the frames handed on (the relay's snapshots depend on it).
      batch: 'sync',
      ...tuning,
      snapshot: options.snapshotUrl
        ? { ...tuning.snapshot, baseUrl: options.snapshotUrl, fetch: fetchCounting }
        : false,
    })
    // The state an instance taking over already holds (followers keep the leader's).
    for (const fixture of seed) this.feed.ingest(fixture)
    this.subscriptions.push(
      this.feed.frames$.subscribe((frame) => {
        this.decoded = frame
      }),
      this.feed.errors$.subscribe((error) => {
        this.failed = true
        handlers.error(error)
      }),
      this.feed.status$.subscribe((status) => handlers.status(status)),
    )
    this.feed.connect()
  }

  /** Keeps a fixture hydrated (a `sync$` subscription: hydration happens once for all clients). */
  hold(fixtureId: string): void {
    if (this.held.has(fixtureId) || this.closed) return
    const subscription = this.feed
      .sync$(fixtureId)
      .subscribe((sync) => this.onSync(fixtureId, sync))
    this.held.set(fixtureId, subscription)
  }

  /** Stops holding a fixture. */
  release(fixtureId: string): void {
    this.held.get(fixtureId)?.unsubscribe()
    this.held.delete(fixtureId)
    // (held again, its sync state is replayed at once: nothing to remember meanwhile)
    this.lastHydratedAt.delete(fixtureId)
  }

  /** Whether the fixture's state is worth a first snapshot. */
  isReady(fixtureId: string): boolean {
    return !this.hydrating || this.lastHydratedAt.has(fixtureId)
  }

  close(): void {
    this.closed = true
    for (const subscription of this.held.values()) subscription.unsubscribe()
    this.held.clear()
    for (const subscription of this.subscriptions) subscription.unsubscribe()
    this.feed.close()
  }

  private onSync(fixtureId: string, sync: FixtureSync): void {
    const last = this.lastHydratedAt.get(fixtureId)
    if (sync.state === 'live' && sync.hydratedAt !== undefined && sync.hydratedAt !== last) {
      this.lastHydratedAt.set(fixtureId, sync.hydratedAt)
      this.handlers.hydrated(fixtureId, this.feed.get({ fixtureId }))
    } else if (sync.state === 'unknown' && last !== 'unknown') {
      this.lastHydratedAt.set(fixtureId, 'unknown')
      this.handlers.hydrated(fixtureId, this.feed.get({ fixtureId }))
    }
  }

  /** A message from the socket: the core decodes and merges it, then it is handed on. */
  private onMessage(data: unknown, deliver: () => void): void {
    this.decoded = undefined
    this.failed = false
    deliver()
    if (this.closed) return
    const frame = this.decoded
    this.decoded = undefined
    if (frame) this.handlers.frame(frame, textOf(data))
    else if (!this.failed) this.handlers.keepalive(textOf(data))
  }

  private tappedWebSocket(): WebSocketConstructor {
    const upstream = this
    return class TappedSocket implements WebSocketLike {
      private readonly socket: WebSocket
      onopen: WebSocketLike['onopen'] = null
      onmessage: WebSocketLike['onmessage'] = null
      onclose: WebSocketLike['onclose'] = null
      onerror: WebSocketLike['onerror'] = null

      constructor(url: string) {
        const socket = new WebSocket(url, { perMessageDeflate: false })
        this.socket = socket
        socket.onopen = (event) => this.onopen?.(event)
        socket.onclose = (event) => this.onclose?.(event)
        socket.onerror = (event) => this.onerror?.(event)
        socket.onmessage = (event) =>
          upstream.onMessage(event.data, () => this.onmessage?.({ data: event.data }))
      }

      get readyState(): number {
        return this.socket.readyState
      }
      get binaryType(): string {
        return this.socket.binaryType
      }
      set binaryType(value: string) {
        this.socket.binaryType = value as WebSocket['binaryType']
      }
      close(code?: number, reason?: string): void {
        this.socket.close(code, reason)
      }
      send(data: string): void {
        this.socket.send(data)
      }
      terminate(): void {
        this.socket.terminate()
      }
    }
  }
}

function textOf(data: unknown): string {
  if (typeof data === 'string') return data
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8')
  if (ArrayBuffer.isView(data))
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')
  return String(data)
}
