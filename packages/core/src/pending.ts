/**
 * What a fixture nobody watches was sent since its state was last merged, folded into one
 * patch: the latest of each price entry, and the bookmaker, market and outcome fields of later
 * frames written over earlier ones. Merged as one frame when the fixture is read, it gives
 * exactly the state merging every frame in turn would have given; meanwhile only the patch is
 * kept (one entry per price that moved), not the frames.
 * @module
 */
import type { Fixture, OddsFrame } from './schema.js'
import { isOlder, isTrustedUtcStamp } from './time.js'

type Obj = Record<string, unknown>

const hasOwn = Object.prototype.hasOwnProperty

const isPlain = (value: unknown): value is Obj =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** `node[key]` when `node` is a plain object that owns `key`. */
const own = (node: unknown, key: string): unknown =>
  isPlain(node) && hasOwn.call(node, key) ? node[key] : undefined

/** `node[key]` as a plain object of the patch, made when missing. */
function child(node: Obj, key: string): Obj {
  const found = node[key]
  if (found !== undefined) return found as Obj
  const made: Obj = {}
  node[key] = made
  return made
}

/**
 * The containers of a frame's `bookmakerOdds`, level by level: `markets` in a bookmaker,
 * `outcomes` in a market, `players` in an outcome (a price entry's record).
 */
const CONTAINERS = ['markets', 'outcomes', 'players'] as const

/**
 * @internal One fixture's unmerged price moves (see the module). {@link fold} takes only frames
 * whose result does not depend on being merged in turn: `bookmakerOdds` alone, plain objects
 * at every level of the odds tree and nowhere else, every price entry (and the one it would
 * replace) stamped with a readable UTC `changedAt` within the clock skew, so the guard is a
 * plain order of instants. Anything else is refused and merged at once by the store.
 */
export class PendingOdds {
  /** The patch: a `bookmakerOdds` tree owned by this object, never frozen, never shared. */
  private readonly odds: Obj = {}
  /** Whether a folded frame had `bookmakerOdds` (else the patch is no change at all). */
  private touched = false
  /** Price entries in the patch. */
  entries = 0

  constructor(
    /** The fixture's stored state, which does not change while this exists (the store's rule). */
    private readonly base: Fixture,
    private readonly maxClockSkewMs: number,
  ) {}

  /** Folds `frame` in and answers `true`, or answers `false` and leaves the patch unchanged. */
  fold(frame: OddsFrame): boolean {
    for (const key in frame) if (key !== 'fixtureId' && key !== 'bookmakerOdds') return false
    const odds: unknown = frame.bookmakerOdds
    if (odds === undefined) return true
    if (!isPlain(odds) || !this.foldable(odds, 0, this.odds, this.base.bookmakerOdds)) return false
    this.apply(odds, 0, this.odds, this.base.bookmakerOdds)
    this.touched = true
    return true
  }

  /** The patch as one frame, to merge into the stored state. */
  frame(): OddsFrame {
    const { fixtureId } = this.base
    return (this.touched ? { fixtureId, bookmakerOdds: this.odds } : { fixtureId }) as OddsFrame
  }

  /**
   * Whether the record `records` (bookmakers at depth 0, markets 1, outcomes 2, players 3)
   * folds; `patch` and `stored` are the same record in the patch and in the stored state.
   */
  private foldable(records: Obj, depth: number, patch: unknown, stored: unknown): boolean {
    for (const id in records) {
      const node = records[id]
      if (!isPlain(node)) return false
      if (depth === 3) {
        if (!isTrustedUtcStamp(node.changedAt, this.maxClockSkewMs)) return false
        const current = own(patch, id) ?? own(stored, id)
        if (current === undefined) continue
        if (!isPlain(current)) return false
        if (!isTrustedUtcStamp(current.changedAt, this.maxClockSkewMs)) return false
        continue
      }
      const container = CONTAINERS[depth] as string
      for (const key in node) {
        const value = node[key]
        if (key === container) {
          if (!isPlain(value)) return false
          const inPatch = own(own(patch, id), key)
          const inStore = own(own(stored, id), key)
          if (!this.foldable(value, depth + 1, inPatch, inStore)) return false
        } else if (value !== null && typeof value === 'object') {
          // an object field merges key by key into whatever is stored: not foldable
          return false
        }
      }
    }
    return true
  }

  /** Writes a record checked by {@link foldable} into the patch. */
  private apply(records: Obj, depth: number, patch: Obj, stored: unknown): void {
    for (const id in records) {
      const node = records[id] as Obj
      if (depth === 3) {
        const inPatch = hasOwn.call(patch, id)
        const current = inPatch ? patch[id] : own(stored, id)
        // the merge's guard: an entry older than the one it would replace changes nothing
        if (current !== undefined) {
          const stamp = (current as Obj).changedAt
          if (isOlder(node.changedAt, stamp, this.maxClockSkewMs)) continue
        }
        if (!inPatch) this.entries++
        patch[id] = node
        continue
      }
      const container = CONTAINERS[depth] as string
      const target = child(patch, id)
      const storedNode = own(stored, id)
      for (const key in node) {
        const value = node[key]
        if (key === container) {
          this.apply(value as Obj, depth + 1, child(target, key), own(storedNode, key))
        } else {
          target[key] = value
        }
      }
    }
  }
}
