/**
 * One relay instance's state and role, after centrifuge's `Node`: as `single` or `leader` it
 * holds the upstream (the core's feed) and publishes what it receives through the broker; as a
 * `follower` it keeps a mirror of the leader's state (a core feed fed by `ingest` alone) from
 * the broker's board and events. Either way the hub reads the state and delivers the events.
 * @module
 */
import { createOddsFeed, type FeedStatus, type Fixture, type OddsFeed } from '@oddsfeed/core'
import type { Board, Broker, BrokerHandlers, RelayEvent, RelayRole, WireEvent } from './broker.js'
import type { Hub, HubState } from './hub.js'
import type { RelayLogger } from './logger.js'
import type { RelayMetrics } from './metrics.js'
import { Upstream, type UpstreamOptions, type UpstreamTuning } from './upstream.js'

/** What a {@link RelayNode} is made of. */
export interface RelayNodeOptions {
  upstream: UpstreamOptions
  tuning: UpstreamTuning
  broker: Broker
  metrics: RelayMetrics
  log: RelayLogger
  onStatus?: ((status: FeedStatus) => void) | undefined
}

/** One instance: its role, its state, and the way events reach its hub. */
export class RelayNode implements HubState, BrokerHandlers {
  /** This instance's role now. */
  currentRole: RelayRole | 'starting' = 'starting'
  hub: Hub | undefined
  private upstream: Upstream | undefined
  private mirror: OddsFeed | undefined
  /** Follower: fixtures the leader has hydrated. */
  private hydrated = new Set<string>()
  /** Leader: fixtures other instances' clients watch. */
  private remoteWants: ReadonlySet<string> = new Set()
  private status: FeedStatus | undefined

  constructor(private readonly options: RelayNodeOptions) {}

  /** The upstream connection's state (`undefined` on a follower). */
  get upstreamStatus(): FeedStatus | undefined {
    return this.upstream ? this.status : undefined
  }

  /** Fixtures held in memory. */
  get fixtureCount(): number {
    // never through fixtures$: on the compact store that unpacks every fixture (seconds on a
    // full board), and health and metrics ask for this on every scrape
    return this.feed?.fixtureCount() ?? 0
  }

  // HubState

  get(fixtureId: string): Fixture | undefined {
    return this.feed?.get({ fixtureId })
  }

  isReady(fixtureId: string): boolean {
    if (this.upstream) return this.upstream.isReady(fixtureId)
    return this.hydrated.has(fixtureId)
  }

  hold(fixtureId: string): void {
    this.upstream?.hold(fixtureId)
    if (this.currentRole === 'follower') this.options.broker.want(fixtureId, true)
  }

  release(fixtureId: string): void {
    if (!this.remoteWants.has(fixtureId)) this.upstream?.release(fixtureId)
    if (this.currentRole === 'follower') this.options.broker.want(fixtureId, false)
  }

  // BrokerHandlers

  role(role: RelayRole, board?: Board): void {
    const previous = this.currentRole
    this.currentRole = role
    const { log } = this.options
    if (role === 'follower') {
      this.upstream?.close()
      this.upstream = undefined
      this.mirror?.close()
      const mirror = createOddsFeed({
        url: 'ws://mirror.invalid/',
        autoConnect: false,
        batch: 'sync',
        reconnect: false,
        idleTimeoutMs: false,
      })
      this.mirror = mirror
      for (const json of board?.fixtures.values() ?? []) mirror.ingest(json)
      this.hydrated = new Set(board?.hydrated)
      for (const fixtureId of this.hub?.fixtureIds() ?? [])
        this.options.broker.want(fixtureId, true)
      log.info(`follower: ${board?.fixtures.size ?? 0} fixtures loaded from the broker`)
      if (previous !== 'starting') this.hub?.resyncAll()
      return
    }
    const seed = this.mirror ? [...fixturesOf(this.mirror).values()] : []
    this.mirror?.close()
    this.mirror = undefined
    this.hydrated.clear()
    const { metrics, broker } = this.options
    this.upstream = new Upstream(
      this.options.upstream,
      {
        frame: (frame, text) => {
          metrics.upstreamFrames++
          broker.publish({ type: 'frame', frame, text })
        },
        keepalive: (text) => broker.publish({ type: 'keepalive', text }),
        hydrated: (fixtureId, fixture) => broker.publish({ type: 'hydrated', fixtureId, fixture }),
        restCall: () => {
          metrics.restCalls++
        },
        status: (status) => {
          if (status.state !== this.status?.state) {
            log.info(`upstream ${status.state}${status.error ? `: ${status.error.message}` : ''}`)
          }
          const reopened = status.state === 'open' && this.status?.state !== 'open'
          this.status = status
          this.options.onStatus?.(status)
          if (reopened) broker.publish({ type: 'reopened' })
        },
        error: (error) => {
          if (error.kind !== 'parse' && error.kind !== 'schema') {
            log.warn(`upstream ${error.kind}: ${error.message}`)
          }
        },
      },
      this.options.tuning,
      seed,
    )
    for (const fixtureId of this.hub?.fixtureIds() ?? []) this.upstream.hold(fixtureId)
    for (const fixtureId of this.remoteWants) this.upstream.hold(fixtureId)
    log.info(`${role}: holding the upstream${seed.length ? ` (${seed.length} fixtures kept)` : ''}`)
  }

  event(event: RelayEvent): void {
    this.hub?.deliver(event)
  }

  followed(event: WireEvent): void {
    const mirror = this.mirror
    if (!mirror || this.currentRole !== 'follower') return
    if (event.type === 'frame') {
      const result = mirror.ingest(event.text)
      if (result.type !== 'frame') return
      this.options.metrics.upstreamFrames++
      this.hub?.deliver({ type: 'frame', frame: result.frame, text: event.text })
    } else if (event.type === 'keepalive' || event.type === 'reopened') {
      this.hub?.deliver(event)
    } else {
      if (event.json !== 'null') mirror.ingest(event.json)
      this.hydrated.add(event.fixtureId)
      this.hub?.deliver({
        type: 'hydrated',
        fixtureId: event.fixtureId,
        fixture: mirror.get({ fixtureId: event.fixtureId }),
      })
    }
  }

  wants(fixtureIds: ReadonlySet<string>): void {
    const before = this.remoteWants
    this.remoteWants = fixtureIds
    const upstream = this.upstream
    if (!upstream) return
    for (const fixtureId of fixtureIds) if (!before.has(fixtureId)) upstream.hold(fixtureId)
    const local = new Set(this.hub?.fixtureIds() ?? [])
    for (const fixtureId of before) {
      if (!fixtureIds.has(fixtureId) && !local.has(fixtureId)) upstream.release(fixtureId)
    }
  }

  state(fixtureId: string): Fixture | undefined {
    return this.get(fixtureId)
  }

  /** Closes the upstream or the mirror. */
  close(): void {
    this.upstream?.close()
    this.upstream = undefined
    this.mirror?.close()
    this.mirror = undefined
  }

  private get feed(): OddsFeed | undefined {
    return this.upstream?.feed ?? this.mirror
  }
}

function fixturesOf(feed: OddsFeed): ReadonlyMap<string, Fixture> {
  let map: ReadonlyMap<string, Fixture> = new Map()
  feed.fixtures$
    .subscribe((m) => {
      map = m
    })
    .unsubscribe()
  return map
}
