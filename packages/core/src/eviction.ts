/**
 * Memory bounds: finished fixtures nobody watches leave after a grace period, and `maxFixtures`
 * caps the store (least recently updated first, unwatched before watched).
 * @module
 */
import type { FixtureStore } from './store.js'

/** @internal */
export interface EvictionOptions {
  store: FixtureStore
  /** Grace period for fixtures with `statusId` 2 (finished) or 3 (cancelled). */
  evictAfterMs: number
  /** Most fixtures kept. */
  maxFixtures: number
  isWatched(fixtureId: string): boolean
  /** Called for each evicted fixture (after it left the store, and its watchers heard). */
  onEvict(fixtureId: string): void
}

const FINISHED = new Set([2, 3])

/** @internal Tracks recency and end of play; evicts. */
export class Eviction {
  /** Fixture ids, least recently updated first (a Map keeps insertion order). */
  private readonly recency = new Map<string, true>()
  /** When each finished fixture was first seen finished. */
  private readonly finishedAt = new Map<string, number>()
  private sweepTimer: ReturnType<typeof setTimeout> | undefined
  private readonly stopWatching: () => void
  /** While evicting: the store's publication of the removal is ours, nothing to track. */
  private evicting = false
  private closed = false

  constructor(private readonly options: EvictionOptions) {
    // lazy: eviction reads only has() and statusOf(), so unwatched fixtures may stay unmerged
    this.stopWatching = options.store.watchAll(
      {
        next: (changed) => this.changed(changed ?? []),
        complete: () => this.close(),
      },
      true,
    )
  }

  /** Evicts finished, unwatched fixtures whose grace period is over. */
  sweep(now = Date.now()): void {
    const due: string[] = []
    for (const [fixtureId, at] of this.finishedAt) {
      if (now - at >= this.options.evictAfterMs && !this.options.isWatched(fixtureId)) {
        due.push(fixtureId)
      }
    }
    this.evict(due)
    this.schedule()
  }

  /** Stops the timer, for good (also when called from a watcher woken by an eviction). */
  close(): void {
    this.closed = true
    clearTimeout(this.sweepTimer)
    this.sweepTimer = undefined
    this.stopWatching()
  }

  private changed(changed: readonly string[]): void {
    if (this.evicting || this.closed) return
    const { store } = this.options
    const capped = Number.isFinite(this.options.maxFixtures)
    for (const fixtureId of changed) {
      // Recency matters only under a cap; without one, it would be Map churn on every batch.
      if (capped) this.recency.delete(fixtureId)
      if (!store.has(fixtureId)) {
        this.finishedAt.delete(fixtureId)
        continue
      }
      if (capped) this.recency.set(fixtureId, true)
      const status = store.statusOf(fixtureId)
      if (typeof status === 'number' && FINISHED.has(status)) {
        if (!this.finishedAt.has(fixtureId)) this.finishedAt.set(fixtureId, Date.now())
      } else {
        this.finishedAt.delete(fixtureId)
      }
    }
    if (store.size > this.options.maxFixtures) this.enforceCap()
    this.schedule()
  }

  /** Picks the fixtures over the cap in one pass, then evicts them at once. */
  private enforceCap(): void {
    const { store, maxFixtures } = this.options
    let excess = store.size - maxFixtures
    const chosen = new Set<string>()
    for (const watchedToo of [false, true]) {
      for (const fixtureId of this.recency.keys()) {
        if (excess <= 0) break
        if (chosen.has(fixtureId)) continue
        if (watchedToo || !this.options.isWatched(fixtureId)) {
          chosen.add(fixtureId)
          excess--
        }
      }
    }
    this.evict(chosen)
  }

  /**
   * Removes fixtures with one publication of the store, however many (iterative: a removal
   * never comes back here through the store's watchers).
   */
  private evict(fixtureIds: Iterable<string>): void {
    const ids = [...fixtureIds]
    if (ids.length === 0) return
    for (const fixtureId of ids) {
      this.recency.delete(fixtureId)
      this.finishedAt.delete(fixtureId)
    }
    this.evicting = true
    try {
      this.options.store.remove(ids)
    } finally {
      this.evicting = false
    }
    for (const fixtureId of ids) this.options.onEvict(fixtureId)
  }

  private schedule(): void {
    if (this.closed || this.sweepTimer !== undefined || this.finishedAt.size === 0) return
    if (!Number.isFinite(this.options.evictAfterMs)) return
    const now = Date.now()
    let earliest = Number.POSITIVE_INFINITY
    for (const at of this.finishedAt.values()) earliest = Math.min(earliest, at)
    const due = earliest + this.options.evictAfterMs - now
    // Overdue but watched: look again a little later (nobody tells us when a watcher leaves).
    const delay = due > 0 ? due : Math.max(250, Math.min(this.options.evictAfterMs, 5000))
    const timer = setTimeout(() => {
      this.sweepTimer = undefined
      this.sweep()
    }, delay)
    // Never keep a Node process alive just to evict (isomorphic: browsers have no unref).
    ;(timer as { unref?: () => void }).unref?.()
    this.sweepTimer = timer
  }
}
