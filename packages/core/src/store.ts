/**
 * The fixture store: one immutable state root per fixture, frames merged in batches, and
 * publication fanned out by fixture id.
 * @module
 */
import { FeedError } from './errors.js'
import { type MergeOptions, mergeFrame, mergeFrames, ownSharedValues } from './merge.js'
import { PackedFixture, Packer } from './packed.js'
import { entryPath, PendingOdds } from './pending.js'
import type { Fixture, OddsFrame } from './schema.js'
import { FixtureTable } from './table.js'
import { DEFAULT_MAX_CLOCK_SKEW_MS } from './time.js'

/**
 * When merged state is published:
 * - `microtask` (default): frames that arrive in one tick are merged with one immer `produce`
 *   per touched fixture and published once, at the end of the tick;
 * - `sync`: every frame is merged and published at once;
 * - `animationFrame`: once per animation frame (a 16 ms timer where there is none). When no
 *   animation frame comes for 1 s (a hidden tab), a timer publishes instead; meanwhile a
 *   fixture's queued frames are folded into its stored state every 64 frames
 *   (merged, not yet published: `get` sees them first), so what waits stays bounded.
 */
export type BatchMode = 'microtask' | 'sync' | 'animationFrame'

/** Frames queued for one fixture, in `animationFrame` mode, before they are folded into it. */
const FOLD_AT = 64

/**
 * Frames without `bookmakerOdds` (scores, status) a fixture nobody watches keeps as they came
 * ({@link FixtureStore} `deferMerge`; its price moves fold into its patch at once,
 * {@link PendingOdds}: the latest entry of each price); at this many it merges.
 */
export const DEFER_LIMIT = 128

/**
 * Frames kept as they came, of all fixtures together: past this many, the fixture whose frames
 * have waited longest merges them.
 */
export const DEFER_TOTAL = 65_536

/**
 * Price entries in the patches of all fixtures together: past this many, the fixture whose
 * patch is oldest is merged (nothing is published: nobody watches it). A patch holds one entry
 * per price, so this bounds what moves of prices nobody reads can hold to about a board.
 */
export const PATCH_TOTAL = 1_048_576

/** Options of {@link FixtureStore}. */
export interface StoreOptions extends MergeOptions {
  /**
   * Leave the frames of a stored fixture unmerged until it is read (`get`, `all`, a new
   * watcher), as long as no watcher can see them: nobody watches the fixture, or its watchers
   * all watch a {@link WatchScope} no frame of the batch can change (a price move on another
   * market). Every read sees exactly the state merging at once would have given, without
   * copying what nobody can observe yet. Price moves are folded at once into one patch per
   * fixture, the latest entry of each price (the frames are not kept); frames without
   * `bookmakerOdds` wait as they came, up to {@link DEFER_LIMIT} a fixture ({@link DEFER_TOTAL}
   * in all); any other frame makes the fixture merge. A batch of price moves alone that
   * reaches watchers by bookmaker (a `select` path) merges only the entries under their scopes
   * when those are all stored already; the rest stays in the patch. Only `lazy` `watchAll`
   * watchers (eviction) are told of fixtures left unmerged, at once. Default `false`.
   */
  readonly deferMerge?: boolean
  /**
   * Keep the fixtures nobody reads packed ({@link Packer}: a few bytes a price instead of a
   * tree of objects), unpacked into the very same frozen state on every read. A fixture is
   * read while it has a watcher that reads it (whole or scoped, not a {@link hold}) or a
   * non-lazy `watchAll` watcher exists: then it stays unpacked, so unchanged nodes keep their
   * identity between emissions. Any other read (`get`, `all`, a batch watcher's `before`)
   * unpacks it until the end of the tick. Frames merge into a packed fixture with only the
   * bookmakers they name unpacked. Default `false`.
   */
  readonly compact?: boolean
}

/** With `animationFrame`: publish from a timer when no animation frame came for this long. */
const ANIMATION_FRAME_FALLBACK_MS = 1000

/**
 * A fixture whose queued frames were folded into its stored state since the last publish: its
 * state as last published. All its watchers are woken (the folded frames are not kept).
 */
interface Folded {
  readonly before: Stored | undefined
}

/** What the store keeps for a fixture: its state, or (`compact`) that state packed. */
type Stored = Fixture | PackedFixture

/**
 * What of a fixture a watcher reads ({@link FixtureStore.watch}), below `bookmakerOdds`:
 * - `bookmaker` (and below it `marketId`, `outcomeId`, `playerId`, each only with the ones
 *   above): that node, as `select` reads it;
 * - `marketId` without `bookmaker`: that market of every bookmaker, with each bookmaker's
 *   `suspended` (what `market$` reads, see `marketDependencies`);
 * - nothing (or no scope): the whole fixture.
 *
 * A watcher with a scope below `bookmakerOdds` is woken only by a batch with a frame that can
 * change its node, and does not keep the other frames from being left unmerged (`deferMerge`).
 * A `select` path is a scope.
 */
export interface WatchScope {
  /** A bookmaker's slug (`pinnacle`). */
  readonly bookmaker?: string | number | undefined
  /** A market's id; without `bookmaker`: that market at every bookmaker. */
  readonly marketId?: string | number | undefined
  /** An outcome's id (with `bookmaker` and `marketId`). */
  readonly outcomeId?: string | number | undefined
  /** A player's id (with `bookmaker`, `marketId` and `outcomeId`). */
  readonly playerId?: string | number | undefined
}

/** Something that wants to hear about changes. */
export interface Watcher {
  /**
   * State changed. `watchAll` watchers get the changed fixture ids; a fixture's watchers get
   * its new state as the second argument (`undefined`: removed), the same as `store.get`.
   */
  next(changed?: readonly string[], fixture?: Fixture): void
  /** The store was disposed: no more changes will come. */
  complete(): void
}

/**
 * Hears every batch with its frames without forcing a merge (the board, `board$`): it decides
 * from the frames' keys which fixtures it must read. Not a watcher of any fixture, so frames of
 * fixtures it does not read stay unmerged.
 */
export interface BatchWatcher {
  /**
   * A batch was merged (or left unmerged) and published. `frames`: the batch's frames by
   * fixture; `before(fixtureId)`: that fixture's stored state before the batch (behind by the
   * frames left unmerged of earlier batches, never ahead); `whole`: fixtures to read whole
   * (their frames were folded before the batch, or they were replaced or removed outright).
   */
  batch(
    frames: ReadonlyMap<string, readonly OddsFrame[]>,
    before: (fixtureId: string) => Fixture | undefined,
    whole: ReadonlySet<string>,
  ): void
  /** The store was disposed. */
  complete(): void
}

/**
 * Per-fixture state with batched merging. Subscribers of fixture A are woken only by changes
 * to A; all fixtures of a batch are merged before anybody is woken, so every subscriber sees
 * the same state (no tearing).
 */
export class FixtureStore {
  private readonly fixtures = new FixtureTable<Stored>()
  /** Packs the fixtures nobody reads (`compact`). */
  private readonly packer: Packer | undefined
  /** Fixtures stored unpacked that nobody may read (`compact`): packed by {@link settle}. */
  private loose = new Set<string>()
  private settleScheduled = false
  private pending = new Map<string, OddsFrame[]>()
  /**
   * What the decoder saw of the queued frames that are price moves alone (`DecodeSight` in
   * decode.ts), by frame: such a frame left unmerged folds from it without being walked again.
   */
  private pendingMoves = new Map<OddsFrame, readonly unknown[]>()
  /** Fixtures with frames merged but not yet published (`animationFrame` only). */
  private folded = new Map<string, Folded>()
  /** Watchers by fixture (see {@link FixtureWatchers}). */
  private readonly watchers = new Map<string, FixtureWatchers>()
  private readonly allWatchers = new Set<Watcher>()
  /** `watchAll` watchers that read only {@link statusOf}: they do not force merges. */
  private readonly lazyWatchers = new Set<Watcher>()
  /** {@link BatchWatcher}s (`board$`). */
  private readonly batchWatchers = new Set<BatchWatcher>()
  /** While a flush runs: fixtures replaced or removed meanwhile (told with the batch). */
  private wholeInFlush: Set<string> | undefined
  /** Frames of watched-by-nobody fixtures, not merged yet, in arrival order (`deferMerge`). */
  private deferred = new Map<string, OddsFrame[]>()
  /**
   * Fixtures with an unmerged frame that carries `statusId` or `updatedAt` (status and score
   * frames, not price moves): their status is read by merging them (the fixture-level guard
   * decides by `updatedAt` whether a frame's fields apply).
   */
  private deferredStatus = new Set<string>()
  /** Frames in {@link deferred}. */
  private deferredCount = 0
  /**
   * Folded price moves of watched-by-nobody fixtures (older than their frames in
   * {@link deferred}), oldest first. The stored state of a fixture with either does not change
   * until they are merged.
   */
  private patches = new Map<string, PendingOdds>()
  /** Price entries in {@link patches}. */
  private patchEntries = 0
  private readonly deferMerge: boolean
  private readonly maxClockSkewMs: number
  /** How frames merge (clock skew); snapshots merged elsewhere use the same. */
  readonly mergeOptions: MergeOptions
  private cancelScheduled: (() => void) | undefined
  private disposed = false

  constructor(
    private readonly batch: BatchMode,
    private readonly onError: (error: FeedError) => void,
    options: StoreOptions = {},
  ) {
    const { deferMerge, compact, ...mergeOptions } = options
    this.deferMerge = deferMerge === true
    this.packer = compact === true ? new Packer() : undefined
    this.mergeOptions = mergeOptions
    this.maxClockSkewMs = mergeOptions.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS
    // the strings and numbers its entries share live as long as the store
    ownSharedValues(mergeOptions)
  }

  /** The current state of one fixture (frames left unmerged for it are merged now). */
  get(fixtureId: string): Fixture | undefined {
    if (this.unmerged) this.catchUp(fixtureId, true)
    return this.state(fixtureId)
  }

  /**
   * A fixture's stored state as readers see it: a packed one is unpacked, and kept so until
   * the end of the tick ({@link settle}), so reads of one tick get the same objects.
   */
  private state(fixtureId: string): Fixture | undefined {
    const stored = this.fixtures.get(fixtureId)
    if (!(stored instanceof PackedFixture)) return stored
    const fixture = (this.packer as Packer).unpack(stored)
    this.fixtures.set(fixtureId, fixture)
    this.loosen(fixtureId)
    return fixture
  }

  /** `stored` unpacked, without storing it (a state before a batch). */
  private unpacked(stored: Stored | undefined): Fixture | undefined {
    return stored instanceof PackedFixture ? (this.packer as Packer).unpack(stored) : stored
  }

  /**
   * Whether anybody reads a fixture: a watcher of it that is not a {@link hold}, a non-lazy
   * `watchAll` watcher or a {@link BatchWatcher} (they read every fixture's state before each
   * batch: unpacking every fixture a batch touches would cost more than keeping them). Without
   * `compact`, always (nothing is packed).
   */
  private isRead(fixtureId: string): boolean {
    if (this.readsAll) return true
    const entry = this.watchers.get(fixtureId)
    return entry !== undefined && (entry.any.length > 0 || entry.scoped > 0)
  }

  /** Whether every fixture is read (see {@link isRead}); always without `compact`. */
  private get readsAll(): boolean {
    return (
      !this.packer || this.allWatchers.size > this.lazyWatchers.size || this.batchWatchers.size > 0
    )
  }

  /** After the last reader of everything went: what nobody else reads is packed at the end of the tick. */
  private loosenAll(): void {
    if (!this.packer || this.disposed || this.readsAll) return
    for (const [fixtureId, stored] of this.fixtures.snapshot()) {
      if (!(stored instanceof PackedFixture)) this.loosen(fixtureId)
    }
  }

  /** Marks an unpacked fixture to be packed at the end of the tick if nobody reads it. */
  private loosen(fixtureId: string): void {
    this.loose.add(fixtureId)
    if (this.settleScheduled) return
    this.settleScheduled = true
    queueMicrotask(() => this.settle())
  }

  /** Packs the unpacked fixtures nobody reads (`compact`). */
  private settle(): void {
    this.settleScheduled = false
    const loose = this.loose
    this.loose = new Set()
    const packer = this.packer
    if (!packer || this.disposed) return
    for (const fixtureId of loose) {
      const stored = this.fixtures.get(fixtureId)
      if (stored === undefined || stored instanceof PackedFixture || this.isRead(fixtureId)) {
        continue
      }
      const packed = packer.pack(stored)
      if (packed) this.fixtures.set(fixtureId, packed)
    }
  }

  /**
   * Stores a fixture's new state: packed when nobody reads it (`compact`, `read` false), else
   * as it is (a `hollow` one, with bookmakers still packed, unpacked first) until the end of
   * the tick.
   */
  private keep(fixtureId: string, fixture: Fixture, hollow: boolean, read: boolean): void {
    const packer = this.packer
    if (packer && !read) {
      const packed = packer.pack(fixture)
      if (packed) {
        this.fixtures.set(fixtureId, packed)
        return
      }
    }
    this.fixtures.set(fixtureId, hollow && packer ? packer.full(fixture) : fixture)
    if (packer) this.loosen(fixtureId)
  }

  /** Whether a fixture is stored. */
  has(fixtureId: string): boolean {
    return this.fixtures.get(fixtureId) !== undefined
  }

  /**
   * A stored fixture's `statusId` as its merged state has it. Frames left unmerged are merged
   * for it only when one of them may change it (carries `statusId` or `updatedAt`): price moves
   * stay unmerged.
   */
  statusOf(fixtureId: string): unknown {
    if (this.deferredStatus.size > 0 && this.deferredStatus.has(fixtureId)) {
      this.catchUp(fixtureId)
    }
    const stored = this.fixtures.get(fixtureId)
    return stored instanceof PackedFixture ? stored.hollow.statusId : stored?.statusId
  }

  /**
   * All fixtures as an immutable map: a new one only after a change, the same one otherwise.
   * It shares what did not change with the previous one, so it costs what changed.
   */
  all(): ReadonlyMap<string, Fixture> {
    if (this.unmerged) this.catchUpAll()
    if (this.packer) {
      for (const [fixtureId, stored] of this.fixtures.snapshot()) {
        if (stored instanceof PackedFixture) this.state(fixtureId)
      }
    }
    // (nothing packed is left in it)
    return this.fixtures.snapshot() as ReadonlyMap<string, Stored> as ReadonlyMap<string, Fixture>
  }

  /** Whether any fixture has frames or folded moves left unmerged. */
  private get unmerged(): boolean {
    return this.deferred.size > 0 || this.patches.size > 0
  }

  /**
   * Merges what was left unmerged for one fixture (publishes nothing: no watcher can see what
   * it changes).
   */
  private catchUp(fixtureId: string, read = this.isRead(fixtureId)): void {
    const frames = this.takeDeferred(fixtureId)
    if (frames) this.mergeStored(fixtureId, this.fixtures.get(fixtureId), frames, read)
  }

  /**
   * Merges `frames` into a fixture's stored state `stored` and stores the result; returns
   * what is stored then (`stored` itself when nothing changed). A packed fixture nobody reads
   * (`read` false) is merged with only the bookmakers the frames name unpacked, and packed
   * again; one that is read is unpacked whole first.
   */
  private mergeStored(
    fixtureId: string,
    stored: Stored | undefined,
    frames: OddsFrame[],
    read: boolean,
  ): Stored | undefined {
    let base: Fixture | undefined
    let hollow = false
    if (!(stored instanceof PackedFixture)) base = stored
    else if (read) {
      base = this.state(fixtureId)
      stored = base
    } else {
      base = (this.packer as Packer).open(stored, frames)
      hollow = true
    }
    const next = this.merge(base, frames)
    if (next === base || next === undefined) return stored
    this.keep(fixtureId, next, hollow, read)
    return this.fixtures.get(fixtureId)
  }

  /**
   * Takes what a fixture has left unmerged out of the queues, in order: its patch as one frame,
   * then its frames as they came. A new array, the caller's to extend.
   */
  private takeDeferred(fixtureId: string): OddsFrame[] | undefined {
    const queued = this.deferred.get(fixtureId)
    const patch = this.patches.get(fixtureId)
    if (!queued && !patch) return undefined
    if (queued) {
      this.deferred.delete(fixtureId)
      this.deferredStatus.delete(fixtureId)
      this.deferredCount -= queued.length
    }
    if (!patch) return queued
    this.patches.delete(fixtureId)
    this.patchEntries -= patch.entries
    return queued ? [patch.frame(), ...queued] : [patch.frame()]
  }

  private catchUpAll(): void {
    const ids = new Set([...this.patches.keys(), ...this.deferred.keys()])
    for (const fixtureId of ids) this.catchUp(fixtureId)
  }

  /**
   * Folds a fixture's queued frames into its patch, in order; at the first that does not fold
   * (not a price move), the patch and the frames from that one on are merged instead.
   */
  private compact(fixtureId: string): void {
    const queued = this.deferred.get(fixtureId)
    const base = this.fixtures.get(fixtureId)
    if (!queued || base === undefined) return
    this.deferred.delete(fixtureId)
    this.deferredStatus.delete(fixtureId)
    this.deferredCount -= queued.length
    const known = this.patches.get(fixtureId)
    // (a patch keeps nothing of its base but the fixture's id)
    const shell = base instanceof PackedFixture ? base.hollow : base
    const patch = known ?? new PendingOdds(shell, this.maxClockSkewMs)
    const entries = patch.entries
    let i = 0
    while (i < queued.length && patch.fold(queued[i] as OddsFrame)) i++
    if (i < queued.length) {
      // what folded, then the frames from the one that did not, in turn: exact (see PendingOdds)
      if (known) {
        this.patches.delete(fixtureId)
        this.patchEntries -= entries
      }
      this.mergeStored(fixtureId, base, [patch.frame(), ...queued.slice(i)], this.isRead(fixtureId))
      return
    }
    if (!known) this.patches.set(fixtureId, patch)
    this.patchEntries += patch.entries - entries
    if (this.patchEntries > PATCH_TOTAL) {
      // the patch that has waited longest (maps keep insertion order)
      const oldest = this.patches.keys().next().value
      if (oldest !== undefined) this.catchUp(oldest)
    }
  }

  /**
   * Leaves a batch's frames of a fixture that no watcher can see them in unmerged: price moves
   * fold into its patch at once (only the latest entry of each price is kept, not the frames),
   * frames without `bookmakerOdds` (scores, status) wait as they came. Those change nothing a
   * price move changes and a price move changes nothing they change, so the patch merged first
   * is exact. A frame with `bookmakerOdds` that does not fold makes the fixture merge: the
   * patch, the frames waiting, then that frame and the rest of the batch, in turn.
   */
  private defer(
    fixtureId: string,
    base: Stored,
    frames: readonly OddsFrame[],
    moves: ReadonlyMap<OddsFrame, readonly unknown[]>,
  ): void {
    let patch = this.patches.get(fixtureId)
    let queued = this.deferred.get(fixtureId)
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i] as OddsFrame
      if (!hasOwn.call(frame, 'bookmakerOdds')) {
        if (queued) queued.push(frame)
        else {
          queued = [frame]
          this.deferred.set(fixtureId, queued)
        }
        this.deferredCount++
        if (hasOwn.call(frame, 'statusId') || hasOwn.call(frame, 'updatedAt')) {
          this.deferredStatus.add(fixtureId)
        }
        continue
      }
      if (
        !patch &&
        queued !== undefined &&
        queued.length > 0 &&
        !hasOwn.call(base instanceof PackedFixture ? base.hollow : base, 'bookmakerOdds')
      ) {
        // A patch merges before the frames waiting. Its first frame would bring `bookmakerOdds`
        // to a fixture without it after frames that may bring other new keys: merging in turn
        // orders the keys otherwise, so this frame merges, after the frames waiting.
        const all = this.takeDeferred(fixtureId) ?? []
        for (let j = i; j < frames.length; j++) all.push(frames[j] as OddsFrame)
        this.mergeStored(fixtureId, base, all, this.isRead(fixtureId))
        return
      }
      if (!patch) {
        // (a patch keeps nothing of its base but the fixture's id)
        patch = new PendingOdds(
          base instanceof PackedFixture ? base.hollow : base,
          this.maxClockSkewMs,
        )
        this.patches.set(fixtureId, patch)
      }
      const entries = patch.entries
      const folded = patch.fold(frame, moves.size > 0 ? moves.get(frame) : undefined)
      this.patchEntries += patch.entries - entries
      if (folded) continue
      const all = this.takeDeferred(fixtureId) ?? []
      for (let j = i; j < frames.length; j++) all.push(frames[j] as OddsFrame)
      this.mergeStored(fixtureId, base, all, this.isRead(fixtureId))
      return
    }
    if (queued && queued.length >= DEFER_LIMIT) this.compact(fixtureId)
    else if (this.deferredCount > DEFER_TOTAL) {
      // the queue that has waited longest (maps keep insertion order)
      const oldest = this.deferred.keys().next().value
      if (oldest !== undefined) this.compact(oldest)
    }
    if (this.patchEntries > PATCH_TOTAL) {
      // the patch that has waited longest
      const oldest = this.patches.keys().next().value
      if (oldest !== undefined) this.catchUp(oldest)
    }
  }

  /**
   * A batch of price moves alone that reaches scoped watchers of a fixture otherwise left
   * unmerged: merges only `wanted`, the entries under the scopes of the watchers by bookmaker it
   * reaches (all stored already: {@link reachByMoves}), and leaves the rest in the patch. Exact,
   * because the patch never holds an entry under a watched scope (a frame with one reaches that
   * watcher) but this batch's, folded first, and because merging stored entries early adds no
   * key, so no key comes in another order: the stored state then shows every watched node as
   * merging everything would, and what stays merges later to the same state. Answers `false`,
   * touching nothing, when a frame's moves are missing: the caller then merges everything.
   */
  private mergeReached(
    fixtureId: string,
    base: Stored,
    frames: readonly OddsFrame[],
    moves: ReadonlyMap<OddsFrame, readonly unknown[]>,
    wanted: readonly string[],
  ): boolean {
    for (let f = 0; f < frames.length; f++) if (!moves.has(frames[f] as OddsFrame)) return false
    this.defer(fixtureId, base, frames, moves)
    const patch = this.patches.get(fixtureId)
    // (the frames did not all fold, or the patches were over their bound: everything merged)
    if (patch === undefined) return true
    const entries = patch.entries
    const taken = patch.take(wanted)
    this.patchEntries -= entries - patch.entries
    if (patch.isEmpty) this.patches.delete(fixtureId)
    this.mergeStored(fixtureId, this.fixtures.get(fixtureId), [taken], true)
    return true
  }

  /** Whether the store was disposed. */
  get isDisposed(): boolean {
    return this.disposed
  }

  /**
   * Queues a validated frame; it is merged and published per the batch mode. `moves`: what the
   * decoder saw of it (`DecodeSight` in decode.ts), when nothing could change it since.
   */
  enqueue(frame: OddsFrame, moves?: readonly unknown[]): void {
    if (this.disposed) return
    if (moves !== undefined && this.deferMerge) this.pendingMoves.set(frame, moves)
    const queued = this.pending.get(frame.fixtureId)
    if (queued) queued.push(frame)
    else this.pending.set(frame.fixtureId, [frame])
    if (this.batch === 'sync') this.flush()
    else {
      if (queued && queued.length >= FOLD_AT && this.batch === 'animationFrame') {
        this.fold(frame.fixtureId, queued)
      }
      this.schedule()
    }
  }

  /**
   * Merges a fixture's queued frames into its stored state without publishing: the frames of a
   * long batch (a hidden tab) are not kept, the batch publishes the result. The same merge as
   * the flush's, done in steps (`mergeFrames` folds left), so the outcome is the same.
   */
  private fold(fixtureId: string, queued: OddsFrame[]): void {
    if (!this.folded.has(fixtureId)) {
      this.folded.set(fixtureId, { before: this.fixtures.get(fixtureId) })
    }
    // frames left unmerged of earlier batches go first
    if (this.unmerged) this.catchUp(fixtureId)
    this.mergeStored(fixtureId, this.fixtures.get(fixtureId), queued, this.isRead(fixtureId))
    // what the decoder saw of them goes with them: a long batch keeps nothing of them
    if (this.pendingMoves.size > 0) for (const frame of queued) this.pendingMoves.delete(frame)
    queued.length = 0
  }

  /** Merges everything queued now and wakes the watchers of what changed. */
  flush(): void {
    this.cancelScheduled?.()
    this.cancelScheduled = undefined
    if (this.pending.size === 0) return
    const batch = this.pending
    const folded = this.folded
    const moves = this.pendingMoves
    // A new map per batch, never one emptied and reused: `Map.prototype.clear` leaves the old
    // table holding its entries and linked to the new one, so once a reused map's table had
    // been promoted, every later batch's frames stayed reachable from that dead old table
    // through the links, and each scavenge copied and promoted them (a price stream with no
    // subscriber: 6.2 → 3.1 MB promoted per scavenge).
    this.pending = new Map()
    if (moves.size > 0) this.pendingMoves = new Map()
    if (folded.size > 0) this.folded = new Map()
    /** Stored states before the batch, for {@link BatchWatcher}s (only when there are some). */
    const stored = this.batchWatchers.size > 0 ? new Map<string, Stored | undefined>() : undefined
    const outerWhole = this.wholeInFlush
    if (stored) this.wholeInFlush = new Set(folded.keys())
    const changed: string[] = []
    /**
     * Per changed fixture with scoped watchers: those a frame of the batch may have changed
     * (made when there is one: most batches of a socket are one frame of a fixture without).
     */
    let woken: Map<string, readonly Watcher[]> | undefined
    /** Fixtures whose frames were left unmerged: only lazy watchers hear of them. */
    let unmerged: string[] | undefined
    const defer = this.deferMerge && this.allWatchers.size === this.lazyWatchers.size
    batch.forEach((frames, fixtureId) => {
      const base = this.fixtures.get(fixtureId)
      stored?.set(fixtureId, base)
      const isFolded = folded.size > 0 && folded.has(fixtureId)
      const entry = this.watchers.get(fixtureId)
      // Scoped watchers a frame may change (the frames left unmerged change none of them: they
      // were left so because of that, and a new watcher merges them first).
      // (a fixture with scoped watchers is read: never packed)
      let reach: Reach | undefined
      if (entry !== undefined && entry.scoped > 0 && !isFolded) {
        const state = this.unpacked(base)
        reach =
          (moves.size > 0 ? reachByMoves(entry, frames, moves, state) : undefined) ??
          reachOf(reachedWatchers(entry, frames, state))
      }
      const reached = reach?.watchers
      if (
        defer &&
        base !== undefined &&
        frames.length > 0 &&
        !isFolded &&
        (entry === undefined || entry.any.length === 0)
      ) {
        if (reached === undefined || reached.length === 0) {
          this.defer(fixtureId, base, frames, moves)
          unmerged ??= []
          unmerged.push(fixtureId)
          return
        }
        // watched nodes reached: merged, and (mostly) only they
        const wanted = (reach as Reach).wanted
        if (wanted !== undefined && this.mergeReached(fixtureId, base, frames, moves, wanted)) {
          const next = this.fixtures.get(fixtureId)
          if (next === base || next === undefined) {
            unmerged ??= []
            unmerged.push(fixtureId)
          } else {
            changed.push(fixtureId)
            woken ??= new Map()
            woken.set(fixtureId, reached)
          }
          return
        }
      }
      // what was left unmerged, then the batch: one merge
      const queued = this.unmerged ? this.takeDeferred(fixtureId) : undefined
      if (queued) for (let i = 0; i < frames.length; i++) queued.push(frames[i] as OddsFrame)
      const all = queued ?? frames
      const next =
        all.length > 0 ? this.mergeStored(fixtureId, base, all, this.isRead(fixtureId)) : base
      const before = isFolded ? folded.get(fixtureId)?.before : base
      if (next !== before && next !== undefined) {
        changed.push(fixtureId)
        if (reached) {
          woken ??= new Map()
          woken.set(fixtureId, reached)
        }
      }
    })
    if (unmerged) {
      // eviction learns of them now, as it would have after a merge (it reads statusOf only)
      const all = changed.length === 0 ? unmerged : [...changed, ...unmerged]
      for (const watcher of this.lazyWatchers) watcher.next(all)
    }
    if (changed.length > 0) this.publish(changed, woken, unmerged !== undefined)
    if (stored) {
      const whole = this.wholeInFlush ?? new Set<string>()
      this.wholeInFlush = outerWhole
      /** States before the batch unpacked, each once. */
      const unpacked = new Map<string, Fixture | undefined>()
      const read = (fixtureId: string) => {
        const state = stored.get(fixtureId)
        if (!(state instanceof PackedFixture)) return state
        if (!unpacked.has(fixtureId)) unpacked.set(fixtureId, this.unpacked(state))
        return unpacked.get(fixtureId)
      }
      for (const watcher of this.batchWatchers) watcher.batch(batch, read, whole)
    }
  }

  /** Tells the {@link BatchWatcher}s of fixtures replaced or removed outside a batch. */
  private replacedWhole(fixtureIds: readonly string[]): void {
    if (this.batchWatchers.size === 0 || fixtureIds.length === 0) return
    if (this.wholeInFlush) {
      for (const id of fixtureIds) this.wholeInFlush.add(id)
      return
    }
    const whole = new Set(fixtureIds)
    for (const watcher of this.batchWatchers) watcher.batch(NO_FRAMES, noFixture, whole)
  }

  /**
   * Hears every batch with its frames (see {@link BatchWatcher}); does not stop frames of
   * fixtures nobody else watches from being left unmerged. Returns the function that stops it.
   */
  watchBatches(watcher: BatchWatcher): () => void {
    if (this.disposed) {
      watcher.complete()
      return noop
    }
    this.batchWatchers.add(watcher)
    return () => {
      if (this.batchWatchers.delete(watcher)) this.loosenAll()
    }
  }

  /**
   * A stored fixture's state as stored, without merging the frames left unmerged for it: behind
   * `get` by those frames, never ahead.
   */
  peek(fixtureId: string): Fixture | undefined {
    return this.state(fixtureId)
  }

  /**
   * Sets a fixture's state outright (a merged snapshot) or removes it (`undefined`: eviction),
   * and wakes its watchers. Publishes nothing when the state is the same object.
   */
  replace(fixtureId: string, next: Fixture | undefined): void {
    // frames left unmerged are merged now: `next` replaces the state they would have made
    if (this.unmerged) this.catchUp(fixtureId)
    if (this.disposed || this.fixtures.get(fixtureId) === next) return
    if (next === undefined) this.fixtures.delete(fixtureId)
    else this.keep(fixtureId, next, false, this.isRead(fixtureId))
    this.publish([fixtureId])
    this.replacedWhole([fixtureId])
  }

  /**
   * Removes many fixtures at once (eviction) and publishes once: each one's watchers get
   * `undefined`, `watchAll` watchers one call with every removed id.
   */
  remove(fixtureIds: Iterable<string>): void {
    if (this.disposed) return
    const removed: string[] = []
    for (const fixtureId of fixtureIds) {
      this.deferredCount -= this.deferred.get(fixtureId)?.length ?? 0
      this.deferred.delete(fixtureId)
      this.deferredStatus.delete(fixtureId)
      this.patchEntries -= this.patches.get(fixtureId)?.entries ?? 0
      this.patches.delete(fixtureId)
      if (this.fixtures.delete(fixtureId)) removed.push(fixtureId)
    }
    if (removed.length > 0) {
      this.publish(removed)
      this.replacedWhole(removed)
    }
  }

  /** Ids of every stored fixture. */
  fixtureIds(): IterableIterator<string> {
    return this.fixtures.keys()
  }

  /** How many fixtures are stored. */
  get size(): number {
    return this.fixtures.size
  }

  /**
   * Wakes the watchers of the changed fixtures, then the `watchAll` ones. A fixture in `woken`
   * (changed by frames) wakes its whole-fixture watchers and the scoped ones listed: those a
   * frame of the batch may have changed, the only ones whose node can differ. Any other
   * (replaced, removed, folded) wakes all of its watchers.
   */
  private publish(
    changed: readonly string[],
    woken?: ReadonlyMap<string, readonly Watcher[]>,
    lazyHeard = false,
  ): void {
    for (let i = 0; i < changed.length; i++) {
      const fixtureId = changed[i] as string
      const entry = this.watchers.get(fixtureId)
      if (!entry || (entry.any.length === 0 && entry.scoped === 0)) continue
      // (read: unpacked already)
      const fixture = this.state(fixtureId)
      wakeAll(entry.any, fixture)
      if (entry.scoped === 0) continue
      const reached = woken?.get(fixtureId)
      if (reached) wakeAll(reached, fixture)
      else {
        for (const list of entry.byBookmaker.values()) wakeScoped(list, fixture)
        wakeScoped(entry.acrossBookmakers, fixture)
      }
    }
    for (const watcher of this.allWatchers) {
      if (!(lazyHeard && this.lazyWatchers.has(watcher))) watcher.next(changed)
    }
  }

  /**
   * Watches one fixture. With a `scope` below `bookmakerOdds` (see {@link WatchScope}: a
   * `select` path, or `market$`'s market of every bookmaker), only changes to that node matter
   * to the watcher: it is woken only by batches with a frame that can change it, and frames no
   * watcher can see may stay unmerged (`deferMerge`). Without one, the watcher reads the whole
   * fixture: every batch of it is merged and wakes it. Frames left unmerged are merged first.
   * Returns the function that stops watching.
   */
  watch(fixtureId: string, watcher: Watcher, scope?: WatchScope): () => void {
    if (this.disposed) {
      watcher.complete()
      return noop
    }
    // what was left unmerged goes in first: the new watcher may see it
    if (this.unmerged) this.catchUp(fixtureId)
    const entry = this.entry(fixtureId)
    const bookmaker = scope?.bookmaker === undefined ? undefined : String(scope.bookmaker)
    const keys = scopeKeys(scope)
    const scoped: ScopedWatcher | undefined =
      bookmaker !== undefined || keys.length > 0 ? { watcher, keys } : undefined
    if (!scoped) entry.any = [...entry.any, watcher]
    else if (bookmaker === undefined) entry.acrossBookmakers = [...entry.acrossBookmakers, scoped]
    else entry.byBookmaker.set(bookmaker, [...(entry.byBookmaker.get(bookmaker) ?? []), scoped])
    if (scoped) entry.scoped++
    // read from now on: kept unpacked
    if (this.packer) this.state(fixtureId)
    let watching = true
    return () => {
      if (!watching) return
      watching = false
      const current = this.watchers.get(fixtureId)
      if (!current) return
      if (!scoped) current.any = current.any.filter((w) => w !== watcher)
      else if (bookmaker === undefined) {
        current.acrossBookmakers = current.acrossBookmakers.filter((w) => w !== scoped)
      } else {
        const rest = (current.byBookmaker.get(bookmaker) ?? []).filter((w) => w !== scoped)
        if (rest.length === 0) current.byBookmaker.delete(bookmaker)
        else current.byBookmaker.set(bookmaker, rest)
      }
      if (scoped) current.scoped--
      this.release(fixtureId, current)
      // nobody may read it any more: packed at the end of the tick
      if (this.packer && this.fixtures.get(fixtureId) !== undefined) this.loosen(fixtureId)
    }
  }

  /**
   * Counts as a watcher of one fixture ({@link watcherCount}: REST snapshots, eviction, relay
   * subscriptions) without reading it (`sync$`): never woken by changes, never makes frames
   * merge; `watcher.complete` is called on dispose. Returns the function that stops it.
   */
  hold(fixtureId: string, watcher: Pick<Watcher, 'complete'>): () => void {
    if (this.disposed) {
      watcher.complete()
      return noop
    }
    const entry = this.entry(fixtureId)
    entry.holders = [...entry.holders, watcher]
    let holding = true
    return () => {
      if (!holding) return
      holding = false
      const current = this.watchers.get(fixtureId)
      if (!current) return
      current.holders = current.holders.filter((w) => w !== watcher)
      this.release(fixtureId, current)
    }
  }

  /** A fixture's watchers, made on first use; counted one more. */
  private entry(fixtureId: string): FixtureWatchers {
    let entry = this.watchers.get(fixtureId)
    if (!entry) {
      entry = {
        any: [],
        byBookmaker: new Map(),
        acrossBookmakers: [],
        holders: [],
        scoped: 0,
        count: 0,
      }
      this.watchers.set(fixtureId, entry)
    }
    entry.count++
    return entry
  }

  /** One watcher of a fixture less. */
  private release(fixtureId: string, entry: FixtureWatchers): void {
    entry.count--
    if (entry.count === 0) this.watchers.delete(fixtureId)
  }

  /**
   * Watches every fixture (woken once per batch that changed anything). A `lazy` watcher reads
   * nothing but {@link statusOf} and {@link has}: it is also woken for fixtures whose frames
   * were left unmerged (maybe unchanged), and does not stop frames from being left so. Any other
   * watcher of everything watches every fixture: all of them are merged batch by batch.
   */
  watchAll(watcher: Watcher, lazy = false): () => void {
    if (this.disposed) {
      watcher.complete()
      return noop
    }
    if (lazy) this.lazyWatchers.add(watcher)
    else if (this.unmerged) this.catchUpAll()
    this.allWatchers.add(watcher)
    return () => {
      const deleted = this.allWatchers.delete(watcher)
      const wasLazy = this.lazyWatchers.delete(watcher)
      if (deleted && !wasLazy) this.loosenAll()
    }
  }

  /** How many watchers a fixture has (of any kind: scoped, whole, {@link hold}). */
  watcherCount(fixtureId: string): number {
    return this.watchers.get(fixtureId)?.count ?? 0
  }

  /** Publishes what is queued, then completes every watcher. */
  dispose(): void {
    if (this.disposed) return
    this.flush()
    this.disposed = true
    // A watcher woken by that flush may have queued more: it is dropped, with its timer.
    this.cancelScheduled?.()
    this.cancelScheduled = undefined
    this.pending = new Map()
    this.pendingMoves = new Map()
    this.folded = new Map()
    const all = [...this.allWatchers]
    const holders: Pick<Watcher, 'complete'>[] = []
    for (const entry of this.watchers.values()) {
      all.push(...entry.any)
      for (const list of entry.byBookmaker.values()) for (const s of list) all.push(s.watcher)
      for (const s of entry.acrossBookmakers) all.push(s.watcher)
      holders.push(...entry.holders)
    }
    const batchWatchers = [...this.batchWatchers]
    this.batchWatchers.clear()
    this.allWatchers.clear()
    this.lazyWatchers.clear()
    this.watchers.clear()
    for (const watcher of all) watcher.complete()
    for (const holder of holders) holder.complete()
    for (const watcher of batchWatchers) watcher.complete()
  }

  private merge(base: Fixture | undefined, frames: OddsFrame[]): Fixture | undefined {
    try {
      return mergeFrames(base, frames, this.mergeOptions)
    } catch {
      // Never expected for validated frames. Retry one by one so one bad frame costs only itself.
      let next = base
      for (const frame of frames) {
        try {
          next = mergeFrame(next, frame, this.mergeOptions)
        } catch (cause) {
          const reason = cause instanceof Error ? cause.message : String(cause)
          this.onError(
            new FeedError('merge', `Frame could not be merged: ${reason}`, {
              fixtureId: frame.fixtureId,
            }),
          )
        }
      }
      return next
    }
  }

  private schedule(): void {
    if (this.cancelScheduled) return
    if (this.batch === 'microtask') {
      let cancelled = false
      queueMicrotask(() => {
        if (!cancelled) this.flush()
      })
      this.cancelScheduled = () => {
        cancelled = true
      }
    } else if (typeof requestAnimationFrame === 'function') {
      // No animation frame for a second (a hidden tab has none): publish anyway.
      const handle = requestAnimationFrame(() => this.flush())
      const fallback = setTimeout(() => this.flush(), ANIMATION_FRAME_FALLBACK_MS)
      this.cancelScheduled = () => {
        cancelAnimationFrame(handle)
        clearTimeout(fallback)
      }
    } else {
      const handle = setTimeout(() => this.flush(), 16)
      this.cancelScheduled = () => clearTimeout(handle)
    }
  }
}

function noop(): void {}
const NO_FRAMES: ReadonlyMap<string, readonly OddsFrame[]> = new Map()
const noFixture = (): undefined => undefined

/**
 * One fixture's watchers: those that read it whole, those with a scope below one bookmaker (by
 * bookmaker), those with a market of every bookmaker, and those that only hold it. Lists are
 * replaced, never changed in place, so a wake loop is safe from (un)subscriptions made by the
 * watchers it wakes; plain array loops keep 10,000 `select`s nearly free.
 */
interface FixtureWatchers {
  any: readonly Watcher[]
  readonly byBookmaker: Map<string, readonly ScopedWatcher[]>
  acrossBookmakers: readonly ScopedWatcher[]
  holders: readonly Pick<Watcher, 'complete'>[]
  /** Watchers in `byBookmaker` and `acrossBookmakers`. */
  scoped: number
  count: number
}

/** A watcher of a node below a bookmaker: the keys down to it (market, outcome, player). */
interface ScopedWatcher {
  readonly watcher: Watcher
  readonly keys: readonly string[]
}

/** The keys of a scope below the bookmaker, down to the first absent level. */
function scopeKeys(scope: WatchScope | undefined): string[] {
  const keys: string[] = []
  if (scope?.marketId === undefined) return keys
  keys.push(String(scope.marketId))
  if (scope.bookmaker === undefined || scope.outcomeId === undefined) return keys
  keys.push(String(scope.outcomeId))
  if (scope.playerId !== undefined) keys.push(String(scope.playerId))
  return keys
}

function wakeAll(list: readonly Watcher[], fixture: Fixture | undefined): void {
  for (let i = 0; i < list.length; i++) (list[i] as Watcher).next(undefined, fixture)
}

function wakeScoped(list: readonly ScopedWatcher[], fixture: Fixture | undefined): void {
  for (let i = 0; i < list.length; i++) (list[i] as ScopedWatcher).watcher.next(undefined, fixture)
}

type Obj = Record<string, unknown>

const hasOwn = Object.prototype.hasOwnProperty

function isPlain(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** `node[key]` when own, for stored state (`undefined` otherwise). */
function own(node: unknown, key: string): unknown {
  return isPlain(node) && hasOwn.call(node, key) ? node[key] : undefined
}

/**
 * What a batch reaches of a fixture's scoped watchers: the watchers, and `wanted`, the paths
 * ({@link entryPath}) of its price entries under the scopes of the watchers by bookmaker it
 * reaches, when it is price moves alone whose entries are all stored and it reaches no watcher
 * of a market at every bookmaker (else `undefined`: the fixture merges everything).
 */
interface Reach {
  readonly watchers: readonly Watcher[]
  readonly wanted: readonly string[] | undefined
}

const NO_REACH: Reach = { watchers: [], wanted: undefined }

function reachOf(watchers: readonly Watcher[]): Reach {
  return watchers.length === 0 ? NO_REACH : { watchers, wanted: undefined }
}

/**
 * {@link reachedWatchers} for a batch of price moves alone, from what the decoder saw of each
 * frame (`[slug, marketId, outcomeId, playerId, entry]` per entry) instead of walking it: a
 * watcher is reached when an entry lies under its scope. The same watchers as the walk's, so
 * long as the stored containers on the entries' paths are plain objects or absent (a stored
 * container that is not, an array, is replaced whole: everything below it is reached); where
 * one is not, or a frame has no moves, `undefined`: the caller walks instead.
 */
function reachByMoves(
  entry: FixtureWatchers,
  frames: readonly OddsFrame[],
  moves: ReadonlyMap<OddsFrame, readonly unknown[]>,
  stored: Fixture | undefined,
): Reach | undefined {
  const odds = own(stored, 'bookmakerOdds')
  if (odds !== undefined && !isPlain(odds)) return undefined
  const across = entry.acrossBookmakers
  let watchers: Watcher[] | undefined
  let wanted: string[] | undefined
  /** Whether every entry under a reached scope is stored, and no scope of every bookmaker is reached. */
  let partial = true
  for (let f = 0; f < frames.length; f++) {
    const list = moves.get(frames[f] as OddsFrame)
    if (list === undefined) return undefined
    for (let i = 0; i < list.length; i += 5) {
      const slug = list[i] as string
      const scopes = entry.byBookmaker.get(slug)
      if (scopes === undefined && across.length === 0) continue
      const market = list[i + 1] as string
      // the stored containers on the way: plain or absent, else the walk decides (below the
      // bookmaker's `markets`, looked at only for an entry some scope's market matches)
      const markets = own(own(odds, slug), 'markets')
      if (markets !== undefined && !isPlain(markets)) return undefined
      for (let k = 0; k < across.length; k++) {
        const scoped = across[k] as ScopedWatcher
        if (scoped.keys[0] !== market) continue
        partial = false
        watchers ??= []
        if (!watchers.includes(scoped.watcher)) watchers.push(scoped.watcher)
      }
      if (scopes === undefined || !anyOfMarket(scopes, market)) continue
      const outcome = list[i + 2] as string
      const player = list[i + 3] as string
      const outcomes = own(own(markets, market), 'outcomes')
      if (outcomes !== undefined && !isPlain(outcomes)) return undefined
      const players = own(own(outcomes, outcome), 'players')
      if (players !== undefined && !isPlain(players)) return undefined
      let under = false
      for (let k = 0; k < scopes.length; k++) {
        const scoped = scopes[k] as ScopedWatcher
        if (!isUnder(scoped.keys, market, outcome, player)) continue
        under = true
        watchers ??= []
        if (!watchers.includes(scoped.watcher)) watchers.push(scoped.watcher)
      }
      if (!under || !partial) continue
      if (!isPlain(own(players, player))) partial = false
      else {
        wanted ??= []
        wanted.push(entryPath(slug, market, outcome, player))
      }
    }
  }
  if (watchers === undefined) return NO_REACH
  return { watchers, wanted: partial ? wanted : undefined }
}

/**
 * The scoped watchers of a fixture whose node a frame of the batch may change, merged into
 * `stored` (its state before the batch, maybe behind by frames left unmerged: those change no
 * watched node). Sound, not exact: a watcher not listed is certain to see the same node.
 *
 * By the merge rules (`mergeInto`, `mergePlain`): only `bookmakerOdds` reaches below it (an
 * older frame by `updatedAt` still brings it; the players' `changedAt` guard only ever
 * ignores), and it reaches a node only along its keys; a level that is not a plain object,
 * in the frame or stored, is replaced whole, so it reaches everything below.
 */
function reachedWatchers(
  entry: FixtureWatchers,
  frames: readonly OddsFrame[],
  stored: Fixture | undefined,
): readonly Watcher[] {
  /** Made for the first watcher reached (most batches reach none). */
  let reached: Watcher[] | undefined
  const storedOdds = own(stored, 'bookmakerOdds')
  const oddsReplaced = storedOdds !== undefined && !isPlain(storedOdds)
  for (let f = 0; f < frames.length; f++) {
    const frame = frames[f] as OddsFrame
    if (!hasOwn.call(frame, 'bookmakerOdds')) continue
    const odds: unknown = frame.bookmakerOdds
    if (oddsReplaced || !isPlain(odds)) return everyScoped(entry)
    for (const slug in odds) {
      if (!hasOwn.call(odds, slug)) continue
      const list = entry.byBookmaker.get(slug)
      const across = entry.acrossBookmakers
      if (!list && across.length === 0) continue
      const book = odds[slug]
      const storedBook = own(storedOdds, slug)
      if (list) {
        for (let i = 0; i < list.length; i++) {
          const scoped = list[i] as ScopedWatcher
          if (
            reached?.includes(scoped.watcher) !== true &&
            reaches(book, storedBook, scoped.keys)
          ) {
            reached ??= []
            reached.push(scoped.watcher)
          }
        }
      }
      for (let i = 0; i < across.length; i++) {
        const scoped = across[i] as ScopedWatcher
        if (reached?.includes(scoped.watcher) === true) continue
        // market$ also reads each bookmaker's `suspended`
        if (
          (isPlain(book) && hasOwn.call(book, 'suspended')) ||
          reaches(book, storedBook, scoped.keys)
        ) {
          reached ??= []
          reached.push(scoped.watcher)
        }
      }
    }
  }
  return reached ?? NONE
}

/** Whether a scope of `scopes` (of one bookmaker) is that bookmaker, or `market` or below it. */
function anyOfMarket(scopes: readonly ScopedWatcher[], market: string): boolean {
  for (let k = 0; k < scopes.length; k++) {
    const keys = (scopes[k] as ScopedWatcher).keys
    if (keys.length === 0 || keys[0] === market) return true
  }
  return false
}

/** Whether a price entry's path (market, outcome, player) lies under a scope's keys. */
function isUnder(
  keys: readonly string[],
  market: string,
  outcome: string,
  player: string,
): boolean {
  const n = keys.length
  return (
    (n < 1 || keys[0] === market) && (n < 2 || keys[1] === outcome) && (n < 3 || keys[2] === player)
  )
}

const NONE: readonly Watcher[] = []

function everyScoped(entry: FixtureWatchers): Watcher[] {
  const all: Watcher[] = []
  for (const list of entry.byBookmaker.values()) for (const s of list) all.push(s.watcher)
  for (const s of entry.acrossBookmakers) all.push(s.watcher)
  return all
}

/** The containers below a bookmaker, level by level. */
const CONTAINERS = ['markets', 'outcomes', 'players'] as const

/**
 * Whether merging `patch` (a frame's node) into `stored` (the stored node, maybe absent) may
 * change the node at `keys` below it: the patch has the keys all the way down, or a level on
 * the way is not a plain object in the patch (it replaces the stored one whole), or is a
 * stored container (`markets` …) that is not a plain object (an array, whose entries a path
 * reads, replaced whole by the patch's record).
 */
function reaches(patch: unknown, stored: unknown, keys: readonly string[]): boolean {
  let node = patch
  let old = stored
  for (let i = 0; i < keys.length; i++) {
    // (a stored node that is not a plain object has nothing below it to read, before or after)
    if (!isPlain(node)) return true
    const container = CONTAINERS[i] as string
    if (!hasOwn.call(node, container)) return false
    const records = node[container]
    const oldRecords = own(old, container)
    if (!isPlain(records) || (oldRecords !== undefined && !isPlain(oldRecords))) return true
    const key = keys[i] as string
    if (!hasOwn.call(records, key)) return false
    node = records[key]
    old = own(oldRecords, key)
  }
  return true
}
