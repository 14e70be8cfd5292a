/**
 * Merging frames into a fixture with immer: key by key, structural sharing, no-op detection,
 * and the out-of-order guards (price entries by `changedAt`, score periods and the fixture's
 * top-level fields by `updatedAt`).
 * @module
 */
import { type Draft, Immer } from 'immer'
import { isArrayIndex, skeletonOf } from './keys.js'
import type { Fixture, OddsFrame } from './schema.js'
import { DEFAULT_MAX_CLOCK_SKEW_MS, isOlder } from './time.js'

/** Our own immer instance: the app's immer settings never change how the feed merges. */
const immer = new Immer({ autoFreeze: true })

type Obj = Record<string, unknown>

/**
 * How a level of the fixture tree merges. `children` names keys whose values merge with their
 * own rules, `entries` applies one rule to every key of a record, and `replaceEntries` makes
 * every entry of the record replace the stored one whole (the feed's `players`).
 */
interface Level {
  readonly children?: Readonly<Record<string, Level>>
  readonly entries?: Level
  readonly replaceEntries?: true
  /** A price entry: its `bookmakerChangedAt`, when the same text, shares `changedAt`'s string. */
  readonly priceEntry?: true
  /** Each entry of the record is ignored when this stamp of it is older than the stored one's. */
  readonly guardEntriesBy?: 'changedAt' | 'updatedAt'
  /** A record keyed by numeric ids (`101`), which objects keep as elements ({@link compactCopy}). */
  readonly ids?: true
}

const PLAYERS: Level = {
  replaceEntries: true,
  guardEntriesBy: 'changedAt',
  entries: { priceEntry: true },
  ids: true,
}
const OUTCOME: Level = { children: { players: PLAYERS } }
const MARKET: Level = { children: { outcomes: { entries: OUTCOME, ids: true } } }
const BOOKMAKER: Level = { children: { markets: { entries: MARKET, ids: true } } }
const PERIODS: Level = { guardEntriesBy: 'updatedAt', entries: {}, ids: true }
const FIXTURE: Level = {
  children: { bookmakerOdds: { entries: BOOKMAKER }, scores: { children: { periods: PERIODS } } },
}

/** Options of {@link mergeFrame} and {@link mergeFrames}. */
export interface MergeOptions {
  /**
   * A stored stamp more than this far ahead of the local clock never wins an out-of-order guard
   * (see {@link isOlder}). Default 5 min.
   */
  readonly maxClockSkewMs?: number | undefined
}

/** Keys never merged nor copied (a `__proto__` assignment would set a prototype). */
const isReserved = (key: string): boolean =>
  key === '__proto__' || key === 'constructor' || key === 'prototype'

/** Keys whose values are opaque wherever they appear: replaced whole, never merged into. */
const OPAQUE_KEYS: ReadonlySet<string> = new Set(['exchangeMeta', 'betslip'])

const hasOwn = Object.prototype.hasOwnProperty

/**
 * Merges one frame into a fixture and returns the new fixture. Pure: `fixture` is not changed.
 *
 * - Objects merge key by key, recursively; primitives, `null` and arrays replace.
 * - Each entry of `players` replaces the stored entry whole, unless its `changedAt` is older
 *   than the stored entry's (compared as instants, microseconds included): then it is ignored.
 * - A frame whose `updatedAt` is older than the fixture's changes none of its top-level fields
 *   (`statusId`, `updatedAt`, `scores` other than its periods, unknown fields …): only its
 *   `bookmakerOdds` and its `scores.periods` merge, each entry under its own guard (a period can
 *   be newer than the fixture's `updatedAt`: a snapshot taken before a status change, with a
 *   goal the socket missed). Each `scores.periods` entry whose `updatedAt` is older than the
 *   stored period's is ignored.
 * - A stored stamp that is unreadable or more than `maxClockSkewMs` ahead of the local clock
 *   never wins a guard ({@link isOlder}).
 * - Keys named `__proto__`, `constructor` or `prototype` are never merged nor copied.
 * - `exchangeMeta` and `betslip` are opaque: replaced whole.
 * - Unchanged subtrees keep their identity; a frame that changes no value returns `fixture`
 *   itself. The result is deeply frozen and may share (frozen) subtrees with `frame`.
 *
 * @example
 * ```ts
 * const entry = (price: number, changedAt: string) => ({
 *   fixtureId: 'f1',
 *   bookmakerOdds: { pinnacle: { markets: { '101': { outcomes: { '101': { players: { '0': { price, changedAt } } } } } } } },
 * })
 * let fixture = mergeFrame(undefined, entry(1.9, '2026-01-01T00:00:01Z'))
 * fixture = mergeFrame(fixture, entry(2.0, '2026-01-01T00:00:00Z')) // older: ignored
 * mergeFrame(fixture, entry(1.9, '2026-01-01T00:00:01Z')) === fixture // true: nothing changed
 * ```
 * @throws TypeError when `fixture` belongs to another fixture than `frame`.
 */
export function mergeFrame(
  fixture: Fixture | undefined,
  frame: OddsFrame,
  options?: MergeOptions,
): Fixture {
  return mergeFrames(fixture, [frame], options)
}

/** The {@link Owned} of the last merge, ready for the next one (merges never nest). */
let idleOwned: Owned | undefined

/**
 * Merges several frames of one fixture, in order, with a single immer `produce`: what the
 * store does once per fixture per batch. Same rules as {@link mergeFrame}.
 */
export function mergeFrames(
  fixture: Fixture | undefined,
  frames: readonly OddsFrame[],
  options?: MergeOptions,
): Fixture {
  const first = frames[0]
  if (!first) return fixture ?? die('mergeFrames needs a fixture or at least one frame')
  const base = fixture ?? emptyFixture(first.fixtureId)
  for (const frame of frames) {
    if (frame.fixtureId !== base.fixtureId) {
      throw new TypeError(
        `Frame for fixture ${frame.fixtureId} cannot merge into fixture ${base.fixtureId}`,
      )
    }
  }
  // A fresh instance only if a merge ever does nest.
  const owned = idleOwned ?? new Owned()
  idleOwned = undefined
  owned.maxClockSkewMs = options?.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS
  owned.values = (options && ownValues.get(options)) ?? processValues
  try {
    return immer.produce(base, (draft: Draft<Fixture>) => {
      owned.root = base as unknown as Obj
      for (const frame of frames) mergeInto(draft as unknown as Obj, frame as Obj, FIXTURE, owned)
      // Everything new is frozen before immer finalizes: its deep-freeze walk then stops at the
      // fixture's own keys instead of visiting (and allocating for) every new node again.
      owned.freezeAll()
    }) as Fixture
  } finally {
    owned.clear()
    idleOwned = owned
  }
}

/**
 * The nodes one merge copied: not yet frozen and seen by nobody, so later frames of the batch
 * write into them in place instead of copying them again. Frozen together at the end.
 */
class Owned {
  /** Usually a handful per merge: a scan is cheaper than a `Set` and allocates nothing. */
  private readonly list: (Obj | undefined)[] = []
  /** Nodes in {@link list}. */
  private count = 0
  /** Made once a merge owns more than {@link SCAN_LIMIT} nodes (long batches, replays). */
  private set: Set<object> | undefined
  /** The merge's {@link MergeOptions.maxClockSkewMs}. */
  maxClockSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS
  /** The tables new price entries share values through. */
  values: SharedValues = processValues
  /**
   * The fixture the merge started from. The draft holds it and the values this merge wrote to
   * it ({@link wrote}), nothing else: {@link read} gives what the draft holds without asking
   * the draft (each `getOwnPropertyDescriptor` or `has` on it is a proxy trap, and allocates).
   */
  root: Obj = EMPTY
  /**
   * The keys written and their values, the first {@link writtenCount} slots (kept, not
   * truncated, from merge to merge: a truncated array reallocates on its next push).
   */
  private readonly writtenKeys: string[] = []
  private readonly writtenValues: unknown[] = []
  private writtenCount = 0

  private written(key: string): number {
    for (let i = 0; i < this.writtenCount; i++) if (this.writtenKeys[i] === key) return i
    return -1
  }

  /** What the draft holds at `key` (`undefined` when it has none: see {@link holds}). */
  read(key: string): unknown {
    const at = this.written(key)
    if (at >= 0) return this.writtenValues[at]
    return hasOwn.call(this.root, key) ? this.root[key] : undefined
  }

  /** Whether the draft has `key`. */
  holds(key: string): boolean {
    return this.written(key) >= 0 || hasOwn.call(this.root, key)
  }

  /** Writes `value` to the draft at `key`, and remembers it. */
  write(draft: Obj, key: string, value: unknown): void {
    draft[key] = value
    let at = this.written(key)
    if (at < 0) {
      at = this.writtenCount++
      this.writtenKeys[at] = key
    }
    this.writtenValues[at] = value
  }

  has(node: object): boolean {
    if (this.set) return this.set.has(node)
    for (let i = 0; i < this.count; i++) if (this.list[i] === node) return true
    return false
  }

  add(node: Obj): void {
    this.list[this.count++] = node
    if (this.set) this.set.add(node)
    else if (this.count > SCAN_LIMIT) this.set = new Set(this.list.slice(0, this.count) as Obj[])
  }

  /** Freezes the copies: their children are frozen already (old state, new frozen values). */
  freezeAll(): void {
    for (let i = 0; i < this.count; i++) Object.freeze(this.list[i] as Obj)
  }

  clear(): void {
    // slots kept, not truncated (a truncated array reallocates on its next write); emptied,
    // so they keep nothing of the merge alive
    if (this.count > KEPT_SLOTS) this.list.length = 0
    else for (let i = 0; i < this.count; i++) this.list[i] = undefined
    this.count = 0
    this.set = undefined
    this.root = EMPTY
    // (nothing of the merge is kept alive by its slots)
    for (let i = 0; i < this.writtenCount; i++) this.writtenValues[i] = undefined
    this.writtenCount = 0
  }
}

const SCAN_LIMIT = 32
/** Slots of a long merge's list (a replay's) are let go rather than kept. */
const KEPT_SLOTS = 256

/**
 * Freezes a new JSON value and everything in it; stops at what is frozen already (shared
 * state). Cheaper than immer's deep freeze: no key arrays, no callbacks. `level` is the value's
 * place in the fixture tree: price entries found on the way share their two equal timestamp
 * strings (REST sends `changedAt` and `bookmakerChangedAt`, mostly equal: ~90 bytes a price).
 */
function deepFreeze(value: unknown, level: Level | undefined, values: SharedValues): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return
  if (Array.isArray(value)) {
    Object.freeze(value)
    for (let i = 0; i < value.length; i++) deepFreeze(value[i], undefined, values)
    return
  }
  const node = value as Obj
  if (level?.priceEntry) compactEntry(node, values)
  Object.freeze(node)
  for (const key in node) deepFreeze(node[key], childLevel(level, key), values)
}

/** The level of `key`'s value inside a node of `level`; `undefined` below the known tree. */
function childLevel(level: Level | undefined, key: string): Level | undefined {
  if (level === undefined) return undefined
  if (level.entries) return level.entries
  const children = level.children
  return children && hasOwn.call(children, key) ? children[key] : undefined
}

/**
 * Makes a new price entry share what other entries hold too, before it is frozen. Same values,
 * so nobody can tell; measured on the realistic board (600,710 prices): 507 → 477 B per stored
 * price for the numbers alone.
 *
 * - One string per distinct timestamp (`bookmakerChangedAt` equal to `changedAt` gets the
 *   same one), and per distinct player name ({@link SharedValues}). Short strings
 *   such as `priceAmerican` (`"109"`) or `priceFractional` (`"99/91"`) need nothing: V8's
 *   `JSON.parse` already gives equal strings of up to 10 characters one string (a table bought 0).
 * - One number per distinct fractional `price` and `limit` ({@link shareNumber}), and in an
 *   exchange's depth (`exchangeMeta.back` / `lay` levels: `price`, `limit`, `size`).
 * - One frozen `{}` for an empty `exchangeMeta` (the socket sends `{}` for "no depth"), one
 *   frozen `[]` for an empty side of a depth.
 */
function compactEntry(entry: Obj, values: SharedValues): void {
  const stamp = entry.changedAt
  if (typeof stamp === 'string') {
    // always written: strings compare by value, so no test can tell whether it is another one
    const shared = values.stamps.share(stamp)
    entry.changedAt = shared
    const other = entry.bookmakerChangedAt
    if (other === stamp) entry.bookmakerChangedAt = shared
    else if (typeof other === 'string') entry.bookmakerChangedAt = values.stamps.share(other)
  }
  const name = entry.playerName
  if (typeof name === 'string') entry.playerName = values.words.share(name)
  const price = entry.price
  if (typeof price === 'number') shareNumber(entry, 'price', price, values.numbers)
  const limit = entry.limit
  if (typeof limit === 'number') shareNumber(entry, 'limit', limit, values.numbers)
  const meta = entry.exchangeMeta
  if (meta === EMPTY || meta === null || typeof meta !== 'object' || Object.isFrozen(meta)) return
  if (isEmptyPlainObject(meta)) entry.exchangeMeta = EMPTY
  else if (Object.getPrototypeOf(meta) === Object.prototype && Object.isExtensible(meta)) {
    compactDepth(meta as Obj, values.numbers)
  }
}

/** The one frozen `{}` that empty `exchangeMeta` values share. */
const EMPTY: Obj = Object.freeze({})

function isEmptyPlainObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  if (Object.getPrototypeOf(value) !== Object.prototype) return false
  for (const _ in value) return false
  return true
}

/** The one frozen `[]` that empty sides of a depth share (`"lay":[]`). */
const NO_LEVELS: readonly unknown[] = Object.freeze([])

/**
 * The numbers of an exchange's depth levels (`{ back: [{ price, limit, size }], lay: [] }`),
 * and one frozen `[]` for its empty sides.
 */
function compactDepth(meta: Obj, numbers: SharedNumbers): void {
  for (const side of Object.keys(meta)) {
    const levels = meta[side]
    if (!Array.isArray(levels) || Object.isFrozen(levels)) continue
    if (levels.length === 0) {
      meta[side] = NO_LEVELS
      continue
    }
    for (let i = 0; i < levels.length; i++) {
      const level: unknown = levels[i]
      // a parsed level: a plain, extensible object (what a caller of mergeFrame made is left
      // alone when it is anything else)
      if (level === null || typeof level !== 'object' || !Object.isExtensible(level)) continue
      if (Object.getPrototypeOf(level) !== Object.prototype) continue
      const keys = Object.keys(level)
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k] as string
        const value = (level as Obj)[key]
        if (typeof value === 'number') shareNumber(level as Obj, key, value, numbers)
      }
    }
  }
}

/**
 * Makes `node[key]` hold the one number that other entries with the same value hold. A number
 * that is not a small integer is a 16-byte heap object; an object field that only ever held
 * such numbers keeps a private box of its own for the value, so the field is first made one
 * that holds any value (a `null` written and overwritten before anyone sees the node), then
 * given the shared number. Small integers (stored in place) and `-0` (a table would give back
 * `0`) are left as they are.
 */
function shareNumber(node: Obj, key: string, value: number, numbers: SharedNumbers): void {
  if (Number.isInteger(value) && value <= SMALL_INT && value >= -SMALL_INT) return
  const shared = numbers.share(value)
  node[key] = null
  node[key] = shared
}

/** Integers up to this magnitude are stored in place, whatever the platform (V8 Smis). */
const SMALL_INT = 2 ** 30

/**
 * Values seen recently, each kept once: `share(value)` returns the equal value an earlier caller
 * got. Bounded: two generations of at most {@link GENERATION} values; when the newer is full
 * the older is dropped, and a value found only in the older moves to the newer (what is still
 * in use survives). The board's stamps cluster in time, so recent ones repeat.
 */
class Shared<T> {
  private current = new Map<T, T>()
  private previous: Map<T, T> | undefined

  share(value: T): T {
    const known = this.current.get(value)
    if (known !== undefined) return known
    const kept = this.previous?.get(value) ?? value
    if (this.current.size >= GENERATION) {
      this.previous = this.current
      this.current = new Map()
    }
    this.current.set(kept, kept)
    return kept
  }
}

/**
 * {@link Shared} for timestamps, with two checks before the tables: the stamp shared last (the
 * entries of one frame mostly carry one stamp), and whether the stamp is later than any the
 * tables have been asked for. Such a stamp cannot be in them, and is not put in them: a live
 * stream's stamps are mostly new (on the realistic stream 87 % of its 145,197 entries carry a
 * stamp never seen before, and all but 1 % of the rest carry the stamp of the entry before), and
 * putting each in a table cost ~0.7–0.9 µs an entry there, against ~0.1 µs for these checks.
 * The tables hold only strings that were not the latest when asked for, so a later string is
 * never in them, whatever their formats.
 */
class SharedStamps extends Shared<string> {
  private last = ''
  private latest = ''

  override share(value: string): string {
    if (value === this.last) return this.last
    if (value > this.latest) {
      this.latest = value
      this.last = value
      return value
    }
    const kept = super.share(value)
    this.last = kept
    return kept
  }
}

/**
 * {@link Shared} for fractional numbers, with a direct-mapped cache before the tables: a slot
 * per value by its hundredths (most prices and limits have two decimals, and repeat), holding
 * the number the tables gave. A hit costs an array read and one comparison instead of a lookup
 * in a table of up to two generations (~0.26 µs a number on the realistic stream, most of it
 * cache misses); a miss asks the tables as before, so what is shared is unchanged. The slots
 * hold numbers boxed (the array also holds `null`, so V8 keeps its elements tagged): an array
 * of bare doubles would give each reader a new box, which is what the sharing avoids.
 */
class SharedNumbers extends Shared<number> {
  private readonly slots: (number | null)[] = new Array<number | null>(NUMBER_SLOTS).fill(null)

  override share(value: number): number {
    const slot = ((value * 100) | 0) & (NUMBER_SLOTS - 1)
    const known = this.slots[slot]
    if (known === value) return known
    const kept = super.share(value)
    this.slots[slot] = kept
    return kept
  }
}

/** Slots of {@link SharedNumbers}' cache (a power of two). */
const NUMBER_SLOTS = 16384

/**
 * Values a generation of {@link Shared} holds. On the realistic board (600,710 stamps, 119,197
 * distinct) two generations keep 227,481 strings, one table of this size cleared when full
 * 421,715 (~12 B a price more); a full table costs ~1.8 MB.
 */
const GENERATION = 65_536

/**
 * The tables through which new price entries share values ({@link compactEntry}): a store has
 * its own ({@link ownSharedValues}: they go when it goes), other merges share one.
 */
class SharedValues {
  /** Timestamps. */
  readonly stamps = new SharedStamps()
  /**
   * Player names, in a table of their own: the stream of timestamps never flushes them out.
   */
  readonly words = new Shared<string>()
  /** Fractional numbers (prices, limits, depth). */
  readonly numbers = new SharedNumbers()
}

/** The tables of merges made without tables of their own. */
const processValues = new SharedValues()
/** Tables by the options object they were made for. */
const ownValues = new WeakMap<MergeOptions, SharedValues>()

/**
 * @internal Gives the merges made with this options object (`mergeFrame(s)(…, options)`) tables
 * of their own to share values through: a store's, held as long as it holds the options.
 */
export function ownSharedValues(options: MergeOptions): void {
  ownValues.set(options, new SharedValues())
}

/** The state of a fixture nobody has sent anything for yet. */
export function emptyFixture(fixtureId: string): Fixture {
  return Object.freeze({ fixtureId }) as Fixture
}

function die(message: string): never {
  throw new TypeError(message)
}

/**
 * The fixture level, on immer's draft. Object values are read without drafting them and merged
 * by hand ({@link mergePlain}); only the result is written to the draft, and immer's finalize
 * freezes what is new. One `produce` per fixture per batch, whatever the depth of the change.
 */
function mergeInto(draft: Obj, patch: Obj, level: Level, owned: Owned): void {
  // An older frame (by the fixture's updatedAt) brings only what carries its own stamp: its
  // prices and its score periods, each under its own guard.
  const older = isOlder(patch.updatedAt, owned.read('updatedAt'), owned.maxClockSkewMs)
  for (const key in patch) {
    if (!hasOwn.call(patch, key) || isReserved(key)) continue
    let value = patch[key]
    if (older && key !== 'bookmakerOdds') {
      if (key !== 'scores') continue
      const periods = isPlainObject(value) ? value.periods : undefined
      if (!isPlainObject(periods)) continue
      value = { periods }
    }
    if (isPlainObject(value) && !OPAQUE_KEYS.has(key)) {
      const stored = owned.read(key)
      if (isPlainObject(stored)) {
        const next = mergePlain(stored, value, childLevel(level, key), owned)
        if (next !== stored) owned.write(draft, key, next)
      } else {
        deepFreeze(value, childLevel(level, key), owned.values)
        owned.write(draft, key, value)
      }
      continue
    }
    if (!owned.holds(key) || !deepEqual(owned.read(key), value)) {
      deepFreeze(value, undefined, owned.values)
      owned.write(draft, key, value)
    }
  }
}

/**
 * Merges a patch into a plain node of the tree: returns `node` itself when nothing changes,
 * else a copy with the changes (copy-on-write, unchanged children shared). A node this merge
 * copied earlier in the batch (`owned`) is written in place. Each `players` entry replaces the
 * stored one whole, unless older (`changedAt`) or identical.
 *
 * Copies are as compact as the parsed source ({@link compactCopy}): V8 would otherwise copy a
 * `markets` object of 20 markets with ids up to 3036 into a 3,037-slot array, 24 KB per copy.
 */
function mergePlain(node: Obj, patch: Obj, level: Level | undefined, owned: Owned): Obj {
  let out: Obj | undefined = owned.has(node) ? node : undefined
  const guard = level?.guardEntriesBy
  for (const key in patch) {
    if (!hasOwn.call(patch, key) || isReserved(key)) continue
    const value = patch[key]
    const latest = out ?? node
    const has = hasOwn.call(latest, key)
    const current = has ? latest[key] : undefined
    let next: unknown = value
    if (guard && has && isPlainObject(current) && isPlainObject(value)) {
      if (isOlder(value[guard], current[guard], owned.maxClockSkewMs)) continue
    }
    if (level?.replaceEntries) {
      if (has && deepEqual(current, value)) continue
    } else if (isPlainObject(value) && !OPAQUE_KEYS.has(key)) {
      if (isPlainObject(current)) {
        next = mergePlain(current, value, childLevel(level, key), owned)
        if (next === current) continue // unchanged, or an owned copy changed in place
      }
    } else if (has && deepEqual(current, value)) {
      continue
    }
    if (next === value) deepFreeze(value, childLevel(level, key), owned.values)
    if (!out || !has) {
      // a new key gets its slot in the copy (an owned copy is copied again: nobody holds it
      // but its parent, which this merge writes next)
      out = compactCopy(out ?? node, has ? undefined : key, level?.ids !== true)
      owned.add(out)
    }
    out[key] = next // never `__proto__`: reserved keys are skipped above
  }
  return out ?? node
}

/**
 * A shallow copy laid out as compactly as `JSON.parse` lays out the source. Built by assignment
 * or spread, a copy carries slack: 4 unused fields on `{ players }`, a 17-slot array for a lone
 * `0`, a 1.4–12 KB holey array for `101`–`103`; streaming would then grow the state past what a
 * load leaves (measured: +12–19 B per stored price after 60k frames). Instead:
 *
 * - an object with integer keys is parsed from a skeleton of its keys
 *   (`{"101":null,"102":null}`), then its values are set: `JSON.parse` gives integer keys a
 *   backing store of their own size (a dictionary for sparse ids such as `101`–`103` or
 *   `100036`) and named keys exactly as many in-object fields;
 * - an object of up to {@link MAX_SIZED} named keys only (most copies: `{ players }`, a market,
 *   a bookmaker) comes from {@link SIZED}, whose instances V8 sizes to exactly their keys:
 *   as compact as the skeleton, at the cost of a spread.
 *
 * `extraKey`, when given, gets a slot too (the caller sets it): a key added to an object this
 * merge owns is added by copying the object again with room for it. Integer keys enumerate in
 * ascending order and the other keys in insertion order, whichever way the copy is built, so it
 * enumerates exactly like the source (and like the source with `extraKey` set last).
 * `named`: the source is likely to have named keys only (a node, not a record of ids): it is
 * then first copied without a key array ({@link copyNamed}).
 */
function compactCopy(source: Obj, extraKey?: string, named = false): Obj {
  // a copy of a recent copy (the next batch of a fixture and bookmaker): its keys and skeleton
  const slot = extraKey === undefined ? recentSlot(source) : -1
  let keys: readonly string[]
  let text: string
  if (slot >= 0) {
    keys = recentKeys[slot] as readonly string[]
    text = recentTexts[slot] as string
  } else {
    if (named && (extraKey === undefined || !isArrayIndex(extraKey))) {
      const copy = copyNamed(source, extraKey)
      if (copy !== undefined) return copy
    }
    keys = Object.keys(source)
    const count = keys.length + (extraKey === undefined ? 0 : 1)
    // integer keys enumerate first: only the first key and the extra one can tell
    const indexed =
      (keys.length !== 0 && isArrayIndex(keys[0] as string)) ||
      (extraKey !== undefined && isArrayIndex(extraKey))
    if (!indexed && count <= MAX_SIZED) {
      return copyValues(source, keys, new (SIZED[count] as new () => Obj)())
    }
    text = skeletonOf(keys, extraKey)
  }
  const copy = copyValues(source, keys, JSON.parse(text) as Obj)
  remember(copy, extraKey === undefined ? keys : [...keys, extraKey], text, slot)
  return copy
}

/**
 * {@link compactCopy}'s copy of an object with named keys only, up to {@link MAX_SIZED} with
 * `extraKey`, walked with `for…in` (the shape's enum cache: no key array, which was ~0.2 KB of
 * garbage a merged frame); `undefined` when it has an integer key (they enumerate first) or
 * more keys.
 */
function copyNamed(source: Obj, extraKey: string | undefined): Obj | undefined {
  let count = extraKey === undefined ? 0 : 1
  for (const key in source) {
    if (!hasOwn.call(source, key)) continue
    if (++count > MAX_SIZED || isArrayIndex(key)) return undefined
  }
  const copy = new (SIZED[count] as new () => Obj)()
  for (const key in source) {
    if (!hasOwn.call(source, key)) continue
    // an assignment to `__proto__` would set the copy's prototype
    if (key === '__proto__') define(copy, key, source[key])
    else copy[key] = source[key]
  }
  return copy
}

/** Sets `keys` of `source` on `copy`; returns `copy`. */
function copyValues(source: Obj, keys: readonly string[], copy: Obj): Obj {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    // an assignment to `__proto__` would set the copy's prototype
    if (key === '__proto__') define(copy, key, source[key])
    else copy[key] = source[key]
  }
  return copy
}

/**
 * The last {@link RECENT} copies made from a skeleton, with their keys and skeleton: the keys of
 * a copy never change (a key added makes a new copy), so copying one of them again (the next
 * batch of the same fixture and bookmaker: a `markets` record of 20 sparse ids, whose
 * `Object.keys` and skeleton cost about as much as the parse) starts from them. Identity only:
 * nothing is read from a copy but its values.
 */
const RECENT = 16
const recentCopies: (Obj | undefined)[] = new Array(RECENT).fill(undefined)
const recentKeys: (readonly string[] | undefined)[] = new Array(RECENT).fill(undefined)
const recentTexts: (string | undefined)[] = new Array(RECENT).fill(undefined)
let recentNext = 0

function recentSlot(source: Obj): number {
  for (let i = 0; i < RECENT; i++) if (recentCopies[i] === source) return i
  return -1
}

/** Remembers a copy in `slot` (its source's, now stale) or in the oldest slot. */
function remember(copy: Obj, keys: readonly string[], text: string, slot: number): void {
  let at = slot
  if (at < 0) {
    at = recentNext
    recentNext = (recentNext + 1) % RECENT
  }
  recentCopies[at] = copy
  recentKeys[at] = keys
  recentTexts[at] = text
}

/** Largest number of named keys a {@link SIZED} instance holds in-object (V8's first guess). */
const MAX_SIZED = 10

/**
 * `SIZED[n]` makes an empty plain object (its prototype is `Object.prototype`, like `{}`'s) for
 * exactly `n` named keys: V8 fits a constructor's instances to the keys its first instances got
 * ("slack tracking"), and each of these only ever makes objects of `n` keys.
 */
const SIZED: readonly (new () => Obj)[] = Array.from({ length: MAX_SIZED + 1 }, () => {
  function Plain(): void {}
  Plain.prototype = Object.prototype
  return Plain as unknown as new () => Obj
})

/** Sets an own, enumerable, writable value (no setter runs: `__proto__` stays a plain key). */
function define(target: Obj, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  })
}

function isPlainObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ao = a as Obj
  const bo = b as Obj
  let count = 0
  for (const key in ao) {
    if (!hasOwn.call(ao, key)) continue
    if (!hasOwn.call(bo, key) || !deepEqual(ao[key], bo[key])) return false
    count++
  }
  for (const key in bo) if (hasOwn.call(bo, key)) count--
  return count === 0
}
