/**
 * Price history per watched entry: a bounded ring buffer of the last `limit` changes of each
 * price entry someone subscribes to, built on `feed.select`. Entries nobody watches cost nothing:
 * a buffer exists only while its path has a subscriber, and is dropped with the last one.
 * @module
 */
import { Observable, type Subscriber, type Subscription } from 'rxjs'
import type { Player } from './schema.js'
import type { PlayerPath } from './select.js'
import { toEpochMicros } from './time.js'

/** One change of a price entry. */
export interface PricePoint {
  /** The entry's decimal price. */
  readonly price: number
  /** `false` while suspended. */
  readonly active: boolean
  /** Epoch ms: the entry's `changedAt`, or the time it was seen when it has none. */
  readonly at: number
}

/** A watched entry's recent history. */
export interface PriceHistory {
  /** The last changes, oldest first, at most `limit` of them. */
  readonly points: readonly PricePoint[]
  /** The first price seen since watching began (kept when the buffer has moved past it). */
  readonly open: PricePoint | undefined
  /** The latest price, `undefined` while the entry does not exist. */
  readonly last: PricePoint | undefined
  /** `1` above the open, `-1` below, `0` level or unknown. */
  readonly direction: -1 | 0 | 1
  /** Changes seen since watching began (the buffer keeps the last `limit`). */
  readonly changes: number
}

/** Options of {@link createHistory}. */
export interface HistoryOptions {
  /** Changes kept per entry. Default 50. */
  limit?: number | undefined
  /** Clock for entries without `changedAt`. Default `Date.now`. */
  now?: (() => number) | undefined
}

/** What {@link createHistory} needs of a feed: only `select`. */
export interface HistorySource {
  /** The price entry at `path`: its current value, then each change (`undefined` while absent). */
  select(path: PlayerPath): Observable<Player | undefined>
}

/** Price histories over a feed. */
export interface HistoryStore {
  /**
   * The history of one price entry: the current one at once, then a new one after each change
   * of its price or activity. Subscribers of the same path share one buffer.
   */
  history$(path: PlayerPath): Observable<PriceHistory>
  /** Entries with a buffer now (those with at least one subscriber). */
  readonly watched: number
  /** The limit of every buffer. */
  readonly limit: number
}

const EMPTY: PriceHistory = Object.freeze({
  points: Object.freeze([]) as readonly PricePoint[],
  open: undefined,
  last: undefined,
  direction: 0,
  changes: 0,
})

/** A fixed-size ring of points. */
class Ring {
  private readonly items: (PricePoint | undefined)[]
  private start = 0
  size = 0
  constructor(private readonly capacity: number) {
    this.items = new Array(capacity)
  }
  push(point: PricePoint): void {
    if (this.size < this.capacity) {
      this.items[(this.start + this.size++) % this.capacity] = point
    } else {
      this.items[this.start] = point
      this.start = (this.start + 1) % this.capacity
    }
  }
  last(): PricePoint | undefined {
    return this.size === 0 ? undefined : this.items[(this.start + this.size - 1) % this.capacity]
  }
  toArray(): PricePoint[] {
    const out = new Array<PricePoint>(this.size)
    for (let i = 0; i < this.size; i++) {
      out[i] = this.items[(this.start + i) % this.capacity] as PricePoint
    }
    return out
  }
}

interface Tracked {
  ring: Ring
  open: PricePoint | undefined
  changes: number
  present: boolean
  snapshot: PriceHistory
  subscribers: Set<Subscriber<PriceHistory>>
  subscription: Subscription | undefined
}

const keyOf = (p: PlayerPath) =>
  `${p.fixtureId}\u0000${p.bookmaker}\u0000${p.marketId}\u0000${p.outcomeId}\u0000${p.playerId}`

/**
 * Creates price histories over a feed's `select`.
 *
 * @example
 * ```ts
 * const history = createHistory(feed, { limit: 50 })
 * history.history$({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 })
 *   .subscribe((h) => drawSparkline(h.points))
 * ```
 */
export function createHistory(feed: HistorySource, options: HistoryOptions = {}): HistoryStore {
  const limit = Math.max(1, Math.floor(options.limit ?? 50))
  const now = options.now ?? Date.now
  const tracked = new Map<string, Tracked>()

  const snapshotOf = (t: Tracked): PriceHistory => {
    const last = t.present ? t.ring.last() : undefined
    const open = t.open
    return {
      points: t.ring.toArray(),
      open,
      last,
      direction:
        last && open ? (last.price > open.price ? 1 : last.price < open.price ? -1 : 0) : 0,
      changes: t.changes,
    }
  }

  const record = (t: Tracked, entry: Player | undefined) => {
    if (!entry || typeof entry.price !== 'number') {
      if (!t.present) return
      t.present = false
    } else {
      const active = entry.active !== false
      const previous = t.ring.last()
      const wasPresent = t.present
      t.present = true
      if (wasPresent && previous && previous.price === entry.price && previous.active === active) {
        return
      }
      const micros =
        typeof entry.changedAt === 'string' ? toEpochMicros(entry.changedAt) : Number.NaN
      const point: PricePoint = {
        price: entry.price,
        active,
        at: Number.isNaN(micros) ? now() : Math.floor(micros / 1000),
      }
      t.ring.push(point)
      t.open ??= point
      t.changes++
    }
    t.snapshot = snapshotOf(t)
    for (const subscriber of t.subscribers) subscriber.next(t.snapshot)
  }

  return {
    history$(path) {
      return new Observable<PriceHistory>((subscriber) => {
        const key = keyOf(path)
        let t = tracked.get(key)
        if (!t) {
          const created: Tracked = {
            ring: new Ring(limit),
            open: undefined,
            changes: 0,
            present: false,
            snapshot: EMPTY,
            subscribers: new Set(),
            subscription: undefined,
          }
          t = created
          tracked.set(key, created)
          created.subscription = feed.select(path).subscribe({
            next: (entry) => record(created, entry),
            // the feed closed: so do its histories
            complete: () => {
              for (const subscriber of [...created.subscribers]) subscriber.complete()
            },
          })
        }
        const mine = t
        mine.subscribers.add(subscriber)
        subscriber.next(mine.snapshot)
        return () => {
          mine.subscribers.delete(subscriber)
          if (mine.subscribers.size === 0 && tracked.get(key) === mine) {
            mine.subscription?.unsubscribe()
            tracked.delete(key)
          }
        }
      })
    },
    get watched() {
      return tracked.size
    },
    limit,
  }
}
