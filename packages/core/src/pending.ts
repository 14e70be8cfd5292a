/**
 * What a fixture nobody watches was sent since its state was last merged, folded into one
 * patch: the latest of each price entry, and the bookmaker, market and outcome fields of later
 * frames written over earlier ones. Merged as one frame when the fixture is read, it gives
 * exactly the state merging every frame in turn would have given; meanwhile only the patch is
 * kept (one entry per price that moved), not the frames.
 * @module
 */
import type { Fixture, OddsFrame } from './schema.js'
import { isOlderTrusted } from './time.js'

type Obj = Record<string, unknown>

/**
 * `node[key]` when it is a plain object (so an own one: what objects inherit from
 * `Object.prototype` is functions, and `__proto__` never reaches the store); else `undefined`.
 */
function objectAt(node: Obj, key: string): Obj | undefined {
  const value = node[key]
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Obj)
    : undefined
}

/**
 * An empty record for ids (`101`, `1010`): its elements a dictionary from the start, as
 * `compactCopy` in merge.ts makes them: assigned into `{}`, such ids make V8 grow a holey array
 * of up to the largest id (KBs for one market).
 */
function record(): Obj {
  const made: Obj = {}
  made[FAR_INDEX] = undefined
  delete made[FAR_INDEX]
  return made
}

/** The largest array index. */
const FAR_INDEX = 4294967294

const isPlain = (value: unknown): value is Obj =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * The containers of a frame's `bookmakerOdds`, level by level: `markets` in a bookmaker,
 * `outcomes` in a market, `players` in an outcome (a price entry's record).
 */
const CONTAINERS = ['markets', 'outcomes', 'players'] as const

/**
 * @internal One fixture's unmerged price moves (see the module). {@link fold} takes frames of
 * `bookmakerOdds` alone with plain objects at every level of the odds tree and nowhere else,
 * whose price entries replace entries stamped, like themselves, with a readable UTC `changedAt`
 * within the clock skew (so the guard is a plain order of instants). It stops at anything else;
 * the store then merges the patch, that frame and the rest in turn.
 */
export class PendingOdds {
  /** The patch: a `bookmakerOdds` tree owned by this object, never frozen, never shared. */
  private readonly odds: Obj = {}
  /** Whether a folded frame had `bookmakerOdds` (else the patch is no change at all). */
  private touched = false
  /** Price entries in the patch. */
  entries = 0

  /** The fixture's id (only that is kept of its state: a compact store may pack the state). */
  private readonly fixtureId: string

  constructor(
    /** The fixture's stored state, which does not change while this exists (the store's rule). */
    base: Fixture,
    private readonly maxClockSkewMs: number,
  ) {
    this.fixtureId = base.fixtureId
  }

  /**
   * Folds `frame` in and answers `true`; or answers `false` when it cannot fold. Then the patch
   * may hold a part of `frame`: merging the patch and then `frame` whole is still exact (a part
   * merged again changes nothing).
   */
  fold(frame: OddsFrame): boolean {
    for (const key in frame) if (key !== 'fixtureId' && key !== 'bookmakerOdds') return false
    const odds: unknown = frame.bookmakerOdds
    if (odds === undefined) return true
    if (!isPlain(odds)) return false
    this.touched = true
    return this.foldRecords(odds, 0, this.odds)
  }

  /** The patch as one frame, to merge into the stored state. */
  frame(): OddsFrame {
    const { fixtureId } = this
    return (this.touched ? { fixtureId, bookmakerOdds: this.odds } : { fixtureId }) as OddsFrame
  }

  /**
   * Folds a record of the frame (bookmakers at depth 0, markets 1, outcomes 2, players 3) into
   * the same record of the patch; `stored` is that record in the stored state.
   */
  private foldRecords(records: Obj, depth: number, patch: Obj): boolean {
    for (const id in records) {
      const node = records[id]
      if (!isPlain(node)) return false
      if (depth === 3) {
        const folded = objectAt(patch, id)
        if (folded === undefined) this.entries++
        else {
          // the guard between moves of one price; the merge applies it to the stored entry
          const older = isOlderTrusted(node.changedAt, folded.changedAt, this.maxClockSkewMs)
          if (older === undefined) return false
          if (older) continue
        }
        patch[id] = node
        continue
      }
      const container = CONTAINERS[depth] as string
      let target = objectAt(patch, id)
      if (target === undefined) {
        target = {}
        patch[id] = target
      }
      for (const key in node) {
        const value = node[key]
        if (key === container) {
          if (!isPlain(value)) return false
          let inner = objectAt(target, key)
          if (inner === undefined) {
            inner = record()
            target[key] = inner
          }
          if (!this.foldRecords(value, depth + 1, inner)) return false
        } else if (value !== null && typeof value === 'object') {
          // an object field merges key by key into whatever is stored: not foldable
          return false
        } else {
          target[key] = value
        }
      }
    }
    return true
  }
}
