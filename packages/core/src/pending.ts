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
 * Joins the ids of a path in {@link PendingOdds}'s table: ids holding it do not fold, so a path
 * is one key and a key one path.
 */
const SEP = '\u0000'

const isReserved = (key: string): boolean =>
  key === '__proto__' || key === 'constructor' || key === 'prototype'

/** What a node's container key holds in its fields ({@link PendingOdds}): the container itself. */
const CONTAINER: unique symbol = Symbol('container')

/**
 * @internal One fixture's unmerged price moves (see the module). {@link fold} takes frames of
 * `bookmakerOdds` alone with plain objects at every level of the odds tree and nowhere else,
 * whose price entries replace entries stamped, like themselves, with a readable UTC `changedAt`
 * within the clock skew (so the guard is a plain order of instants). It stops at anything else;
 * the store then merges the patch, that frame and the rest in turn.
 *
 * The patch is flat, one table by path (`slug`, `slug␀market`, `slug␀market␀outcome` for a
 * node's fields, `slug␀market␀outcome␀player` for a price entry) in the order each path was
 * first reached: what it keeps of a single-entry move is the entry and its key, not the frame's
 * nine containers. {@link frame} builds the tree, in that order (the order merging in turn
 * creates new keys in).
 */
export class PendingOdds {
  /**
   * Price entries (the frames' own objects) and the fields of nodes that have some, or whose
   * container is absent or empty (a node the entries below it do not make), by path.
   */
  private readonly paths = new Map<string, Obj>()
  /** Whether a folded frame had `bookmakerOdds` (else the patch is no change at all). */
  private touched = false
  /** Price entries in the patch. */
  entries = 0
  /** Nodes' fields in {@link paths} (most patches have none: price moves alone). */
  private nodeFields = 0

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
   * merged again changes nothing). `moves`: what the decoder saw of `frame`, when it is a price
   * move alone (`DecodeSight` in decode.ts): folded from that, without walking `frame` again.
   */
  fold(frame: OddsFrame, moves?: readonly unknown[]): boolean {
    if (moves !== undefined) return this.foldMoves(moves)
    for (const key in frame) if (key !== 'fixtureId' && key !== 'bookmakerOdds') return false
    const odds: unknown = frame.bookmakerOdds
    if (odds === undefined) return true
    if (!isPlain(odds)) return false
    this.touched = true
    const slugs = Object.keys(odds)
    for (let i = 0; i < slugs.length; i++) {
      const slug = slugs[i] as string
      if (!this.foldNode(odds[slug], 0, slug, slug)) return false
    }
    return true
  }

  /**
   * {@link fold} of a price move alone, from what the decoder saw of it (`DecodeSight` in
   * decode.ts: `[slug, marketId, outcomeId, playerId, entry]` per entry, in the order the walk
   * below visits them): the same checks, paths and entries as walking the frame, without the
   * walk. Every node on the way holds its container alone, none empty, so no node has fields.
   */
  private foldMoves(moves: readonly unknown[]): boolean {
    this.touched = true
    for (let i = 0; i < moves.length; i += 5) {
      const slug = moves[i] as string
      const market = moves[i + 1] as string
      const outcome = moves[i + 2] as string
      const player = moves[i + 3] as string
      // (the decoder's check refused reserved keys and took plain objects only)
      if (slug.includes(SEP) || market.includes(SEP) || outcome.includes(SEP)) return false
      if (player.includes(SEP)) return false
      if (this.nodeFields > 0) {
        const [markets, outcomes, players] = CONTAINERS
        this.placeContainer(slug, markets)
        this.placeContainer(`${slug}${SEP}${market}`, outcomes)
        this.placeContainer(`${slug}${SEP}${market}${SEP}${outcome}`, players)
      }
      if (!this.foldEntry(moves[i + 4] as Obj, entryPath(slug, market, outcome, player))) {
        return false
      }
    }
    return true
  }

  /** Folds a price entry found at `path` (the move of one price). */
  private foldEntry(value: Obj, path: string): boolean {
    const folded = this.paths.get(path)
    if (folded === undefined) this.entries++
    else {
      // the guard between moves of one price; the merge applies it to the stored entry
      const older = isOlderTrusted(value.changedAt, folded.changedAt, this.maxClockSkewMs)
      if (older === undefined) return false
      if (older) return true
    }
    this.paths.set(path, value)
    return true
  }

  /** The patch as one frame, to merge into the stored state. */
  frame(): OddsFrame {
    const { fixtureId } = this
    if (!this.touched) return { fixtureId } as OddsFrame
    const odds: Obj = {}
    for (const [path, value] of this.paths) place(odds, path, value)
    return { fixtureId, bookmakerOdds: odds } as OddsFrame
  }

  /**
   * Takes the price entries at `paths` ({@link entryPath}) out of the patch, as one frame of
   * them (a path it does not hold is skipped). What stays merges as before: the store merges
   * the frame taken first only when that is exact (see `FixtureStore`'s `mergeReached`).
   */
  take(paths: readonly string[]): OddsFrame {
    const odds: Obj = {}
    for (let i = 0; i < paths.length; i++) {
      const path = paths[i] as string
      const value = this.paths.get(path)
      if (value === undefined) continue
      this.paths.delete(path)
      this.entries--
      place(odds, path, value)
    }
    return { fixtureId: this.fixtureId, bookmakerOdds: odds } as OddsFrame
  }

  /** Whether the patch holds nothing (no entry, no node's fields). */
  get isEmpty(): boolean {
    return this.paths.size === 0
  }

  /**
   * Folds a node of the frame, `id` in its record (a bookmaker at depth 0, a market 1, an
   * outcome 2, a price entry 3), found at `path`.
   */
  private foldNode(value: unknown, depth: number, id: string, path: string): boolean {
    if (!isPlain(value) || isReserved(id) || id.includes(SEP)) return false
    if (depth === 3) return this.foldEntry(value, path)
    const container = CONTAINERS[depth] as string
    let fields: Obj | undefined
    let records: Obj | undefined
    for (const key in value) {
      const field = value[key]
      if (key === container) {
        if (!isPlain(field)) return false
        records = field
        // its place among the node's keys, should the node have fields of its own
        if (fields) fields[key] = CONTAINER
        continue
      }
      // an object field merges key by key into whatever is stored: not foldable
      if (isReserved(key) || (field !== null && typeof field === 'object')) return false
      fields ??= this.fieldsOf(path, records === undefined ? undefined : container)
      fields[key] = field
    }
    // the container without fields of the node's own in this frame: a node already in the patch
    // (an earlier frame's fields) learns where the container comes among them
    if (records !== undefined && fields === undefined && this.nodeFields > 0) {
      this.placeContainer(path, container)
    }
    const ids = records === undefined ? EMPTY_IDS : Object.keys(records)
    // a node the entries below it do not make (no container, or an empty one): its fields do
    if (ids.length === 0) {
      const own = fields ?? this.fieldsOf(path, undefined)
      if (records !== undefined) own[container] = CONTAINER
      return true
    }
    for (let i = 0; i < ids.length; i++) {
      const next = ids[i] as string
      if (!this.foldNode((records as Obj)[next], depth + 1, next, [path, next].join(SEP))) {
        return false
      }
    }
    return true
  }

  /** The fields of the node at `path`, made on first use (with its container's place). */
  private fieldsOf(path: string, container: string | undefined): Obj {
    let fields = this.paths.get(path)
    if (fields === undefined) {
      fields = {}
      this.paths.set(path, fields)
      this.nodeFields++
    }
    if (container !== undefined) fields[container] = CONTAINER
    return fields
  }

  /**
   * A frame reached the node at `path` with its container: when the patch holds fields of that
   * node (an earlier frame's), the container takes its place among them now, as merging in turn
   * adds a key where it first comes (a later field goes after it). A place taken stays.
   */
  private placeContainer(path: string, container: string): void {
    const fields = this.paths.get(path)
    if (fields !== undefined && !hasOwn.call(fields, container)) fields[container] = CONTAINER
  }
}

const EMPTY_IDS: readonly string[] = []
const hasOwn = Object.prototype.hasOwnProperty

/** `parent[key]` when it is a plain object; else a new one (`make`) put there. */
function child(parent: Obj, key: string, make: () => Obj): Obj {
  const known = objectAt(parent, key)
  if (known !== undefined) return known
  const made = make()
  parent[key] = made
  return made
}

const node = (): Obj => ({})

/**
 * Puts what the patch holds at `path` into `odds` (a frame's `bookmakerOdds`), with the nodes
 * down to it made as merging in turn makes them: a price entry as it is, a node's fields
 * (its container's place among them kept).
 */
function place(odds: Obj, path: string, value: Obj): void {
  const ids = path.split(SEP)
  let parent = odds
  for (let depth = 0; depth < ids.length - 1; depth++) {
    parent = child(child(parent, ids[depth] as string, node), CONTAINERS[depth] as string, record)
  }
  const id = ids[ids.length - 1] as string
  if (ids.length === 4) {
    parent[id] = value
    return
  }
  const target = child(parent, id, node)
  for (const key in value) {
    const field = value[key]
    if (field === CONTAINER) child(target, key, record)
    else target[key] = field
  }
}

/**
 * @internal The key of a price entry's path in a {@link PendingOdds} ({@link PendingOdds.take}).
 * Joined, not concatenated: a concatenation of these parts is a tree of V8 cons strings, which a
 * key kept in the table retains whole (150–240 B a queued entry, measured) where a joined key is one
 * flat string (the ids' bytes alone).
 */
export function entryPath(slug: string, market: string, outcome: string, player: string): string {
  return [slug, market, outcome, player].join(SEP)
}
