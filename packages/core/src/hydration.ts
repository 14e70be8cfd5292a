/**
 * Hydration: fills fixtures from REST snapshots and says, per fixture, how far its state can be
 * trusted (`feed.sync$`). A snapshot is merged with the same rules as frames (the `changedAt`
 * guard included), and every frame received while its call was in flight is replayed over it,
 * so a socket frame newer than the snapshot always wins, whatever order they arrive in.
 * @module
 */
import type { FeedError } from './errors.js'
import { mergeFrame, mergeFrames } from './merge.js'
import type { OddsFrame } from './schema.js'
import {
  type FixtureSync,
  SnapshotScheduler,
  type SnapshotSchedulerOptions,
  type SyncState,
} from './snapshot.js'
import type { FixtureStore } from './store.js'

const UNHYDRATED: FixtureSync = Object.freeze({ state: 'unhydrated' })

/** @internal */
export interface HydrationOptions
  extends Omit<
    SnapshotSchedulerOptions,
    'canDispatch' | 'isWatched' | 'onDispatch' | 'onSnapshot' | 'onFailure'
  > {
  store: FixtureStore
  /** Whether anybody but sync$ watches the fixture. */
  hasWatchers(fixtureId: string): boolean
}

/** @internal Sync state per fixture, and the snapshot calls that move it. */
export class Hydration {
  private readonly sync = new Map<string, FixtureSync>()
  private readonly listeners = new Map<string, Set<(sync: FixtureSync) => void>>()
  /** Frames received since each in-flight call went out, with the connection epoch then. */
  private readonly windows = new Map<string, { frames: OddsFrame[]; epoch: number }>()
  private readonly scheduler: SnapshotScheduler | undefined
  private socketStarted = false
  private socketOpen = false
  /** After a stale socket: the server went silent, so wait until the new one carries traffic. */
  private waitingForTraffic = false
  private epoch = 0

  constructor(
    private readonly options: HydrationOptions,
    enabled: boolean,
  ) {
    this.scheduler = enabled
      ? new SnapshotScheduler({
          ...options,
          canDispatch: () => !this.socketStarted || (this.socketOpen && !this.waitingForTraffic),
          isWatched: (id) => this.isWatched(id),
          onDispatch: (id) => this.windows.set(id, { frames: [], epoch: this.epoch }),
          onSnapshot: (id, frame) => this.applySnapshot(id, frame),
          onFailure: (id, error, unknown) => this.failed(id, error, unknown),
        })
      : undefined
  }

  /** The fixture's sync state now. */
  get(fixtureId: string): FixtureSync {
    return this.sync.get(fixtureId) ?? UNHYDRATED
  }

  /** Listens to one fixture's sync state. Returns the function that stops listening. */
  listen(fixtureId: string, listener: (sync: FixtureSync) => void): () => void {
    let set = this.listeners.get(fixtureId)
    if (!set) {
      set = new Set()
      this.listeners.set(fixtureId, set)
    }
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0) this.listeners.delete(fixtureId)
    }
  }

  /** Someone started watching the fixture: fetch it if its state cannot be trusted. */
  want(fixtureId: string): void {
    const scheduler = this.scheduler
    if (!scheduler) return
    const current = this.get(fixtureId)
    if (current.state === 'hydrating') scheduler.prioritise(fixtureId)
    if (current.state !== 'unhydrated' && current.state !== 'stale') return
    this.set(fixtureId, { ...current, state: 'hydrating' })
    scheduler.request(fixtureId)
  }

  /** A validated frame arrived: remember it if a snapshot of its fixture is in flight. */
  frame(frame: OddsFrame): void {
    if (this.windows.size === 0) return
    this.windows.get(frame.fixtureId)?.frames.push(frame)
  }

  /** The socket is being opened for the first time: snapshots wait until it is open. */
  socketStarting(): void {
    this.socketStarted = true
  }

  /** The socket opened (again): fetch again what may have been missed. */
  opened(): void {
    this.socketOpen = true
    for (const [fixtureId, sync] of this.sync) {
      if (sync.state === 'stale' && this.isWatched(fixtureId)) this.want(fixtureId)
    }
    this.scheduler?.pump()
  }

  /**
   * A message (frame or keepalive) arrived. After a stale socket this proves the server sends
   * again: a snapshot taken while it was still silent would miss what it did not send.
   */
  traffic(): void {
    if (!this.waitingForTraffic) return
    this.waitingForTraffic = false
    this.scheduler?.pump()
  }

  /**
   * The socket dropped: what was live may now miss changes. `stale` says the server had gone
   * silent: snapshots then wait for the next socket's first message.
   */
  dropped(stale = false): void {
    if (!this.socketOpen) return
    this.socketOpen = false
    if (stale) this.waitingForTraffic = true
    this.epoch++
    for (const [fixtureId, sync] of this.sync) {
      if (sync.state === 'live') this.set(fixtureId, { ...sync, state: 'stale' })
    }
  }

  /** The fixture was evicted: forget it entirely. */
  forget(fixtureId: string): void {
    this.scheduler?.cancel(fixtureId)
    this.windows.delete(fixtureId)
    if (this.sync.delete(fixtureId)) this.notify(fixtureId, UNHYDRATED)
  }

  /**
   * Sets a fixture's sync state from a source other than REST (a relay's snapshots, see
   * `relay-client.ts`). `hydratedAt` is kept unless a new one is given.
   */
  mark(fixtureId: string, state: SyncState, hydratedAt?: number): void {
    const previous = this.get(fixtureId)
    const at = hydratedAt ?? previous.hydratedAt
    if (previous.state === state && previous.hydratedAt === at) return
    this.set(fixtureId, { state, ...(at !== undefined && { hydratedAt: at }) })
  }

  /** Stops every call and timer. */
  close(): void {
    this.scheduler?.close()
    this.windows.clear()
    this.listeners.clear()
  }

  private isWatched(fixtureId: string): boolean {
    return this.options.hasWatchers(fixtureId) || (this.listeners.get(fixtureId)?.size ?? 0) > 0
  }

  private applySnapshot(fixtureId: string, snapshot: OddsFrame): void {
    const { store } = this.options
    store.flush()
    const window = this.windows.get(fixtureId)
    this.windows.delete(fixtureId)
    let next = mergeFrame(store.get(fixtureId), snapshot, store.mergeOptions)
    if (window && window.frames.length > 0)
      next = mergeFrames(next, window.frames, store.mergeOptions)
    store.replace(fixtureId, next)
    // A drop while the call was out means the socket may have missed changes since.
    const complete = this.socketOpen || !this.socketStarted
    const missedNothing = complete && (window?.epoch ?? this.epoch) === this.epoch
    const state: SyncState = missedNothing ? 'live' : 'stale'
    this.set(fixtureId, { state, hydratedAt: Date.now() })
    if (state === 'stale' && this.socketOpen && this.isWatched(fixtureId)) this.want(fixtureId)
  }

  private failed(fixtureId: string, error: FeedError | undefined, unknown: boolean): void {
    this.windows.delete(fixtureId)
    if (unknown) {
      this.set(fixtureId, { state: 'unknown' })
      return
    }
    const previous = this.get(fixtureId)
    const state: SyncState = previous.hydratedAt !== undefined ? 'stale' : 'unhydrated'
    this.set(fixtureId, {
      state,
      ...(previous.hydratedAt !== undefined && { hydratedAt: previous.hydratedAt }),
      ...(error && { error }),
    })
  }

  private set(fixtureId: string, sync: FixtureSync): void {
    this.sync.set(fixtureId, sync)
    this.notify(fixtureId, sync)
  }

  private notify(fixtureId: string, sync: FixtureSync): void {
    const set = this.listeners.get(fixtureId)
    if (set) for (const listener of [...set]) listener(sync)
  }
}
