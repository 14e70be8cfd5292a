/**
 * The store's fixtures, kept so that an immutable snapshot of all of them (`fixtures$`) costs
 * what changed since the last one, not the size of the board.
 * @module
 */
import type { Fixture } from './schema.js'

/** Fixtures per chunk: a snapshot shares every chunk that did not change since. */
const CHUNK_BITS = 4
const CHUNK = 1 << CHUNK_BITS
const MASK = CHUNK - 1

/**
 * Fixtures (or what is kept per fixture: `board$` rows) by id in chunked slots, copy-on-write
 * against snapshots.
 *
 * Each id gets a slot when first stored and keeps it (a removed fixture leaves a hole, and the
 * same id stored again takes its old slot back) until holes outnumber fixtures, when the table
 * is rebuilt. A snapshot holds the chunk list of its moment; a write copies a chunk (16 slots)
 * only if a snapshot may still see it. So a snapshot per batch costs the chunk list plus the
 * chunks the batch touched, where copying a `Map` would cost every fixture.
 */
export class FixtureTable<T = Fixture> {
  private index = new Map<string, number>()
  private ids: string[] = []
  private chunks: (T | undefined)[][] = []
  /** Whether each chunk was copied since the last snapshot (else a snapshot may share it). */
  private owned: boolean[] = []
  private count = 0
  private view: FixtureMap<T> | undefined

  /** How many fixtures are stored. */
  get size(): number {
    return this.count
  }

  get(fixtureId: string): T | undefined {
    const slot = this.index.get(fixtureId)
    return slot === undefined ? undefined : this.chunks[slot >>> CHUNK_BITS]?.[slot & MASK]
  }

  set(fixtureId: string, fixture: T): void {
    let slot = this.index.get(fixtureId)
    if (slot === undefined) {
      slot = this.ids.length
      this.ids.push(fixtureId)
      this.index.set(fixtureId, slot)
      if ((slot & MASK) === 0) {
        this.chunks.push([])
        this.owned.push(true)
      }
    }
    if (this.write(slot, fixture) === undefined) this.count++
  }

  delete(fixtureId: string): boolean {
    const slot = this.index.get(fixtureId)
    if (slot === undefined || this.write(slot, undefined) === undefined) return false
    this.count--
    const holes = this.ids.length - this.count
    if (holes > CHUNK * 4 && holes > this.count) this.rebuild()
    return true
  }

  /** Ids of the stored fixtures, in slot order. */
  *keys(): IterableIterator<string> {
    yield* this.snapshot().keys()
  }

  /**
   * All fixtures as an immutable map: the same object until the next change. Iterates in slot
   * order: the order fixtures were first stored in.
   */
  snapshot(): FixtureMap<T> {
    if (this.view) return this.view
    this.view = new FixtureMap(
      this.index,
      this.ids,
      this.chunks.slice(),
      this.ids.length,
      this.count,
    )
    this.owned.fill(false)
    return this.view
  }

  /** Writes a slot (copying its chunk first if a snapshot may share it); returns what was there. */
  private write(slot: number, fixture: T | undefined): T | undefined {
    const c = slot >>> CHUNK_BITS
    let chunk = this.chunks[c] as (T | undefined)[]
    const before = chunk[slot & MASK]
    if (before === fixture) return before
    if (!this.owned[c]) {
      chunk = chunk.slice()
      this.chunks[c] = chunk
      this.owned[c] = true
    }
    chunk[slot & MASK] = fixture
    this.view = undefined
    return before
  }

  /** New slots for the stored fixtures, without holes. Earlier snapshots keep the old ones. */
  private rebuild(): void {
    const entries = [...this.snapshot()]
    this.index = new Map()
    this.ids = []
    this.chunks = []
    this.owned = []
    this.count = 0
    this.view = undefined
    for (const [id, fixture] of entries) this.set(id, fixture)
  }
}

/**
 * An immutable `ReadonlyMap` of fixtures by id, as `fixtures$` emits it. Shares storage with
 * the store and with other snapshots; nothing a later change does is visible through it. Not a
 * `Map` instance (`instanceof Map` is false, structured clone does not keep it a map):
 * `new Map(fixtureMap)` makes one.
 */
export class FixtureMap<T = Fixture> implements ReadonlyMap<string, T> {
  /** @internal */
  constructor(
    private readonly index: ReadonlyMap<string, number>,
    private readonly ids: readonly string[],
    private readonly chunks: readonly (readonly (T | undefined)[])[],
    private readonly length: number,
    /** How many fixtures the map holds. */
    readonly size: number,
  ) {
    Object.freeze(this)
  }

  get(fixtureId: string): T | undefined {
    const slot = this.index.get(fixtureId)
    if (slot === undefined || slot >= this.length) return undefined
    return this.chunks[slot >>> CHUNK_BITS]?.[slot & MASK]
  }

  has(fixtureId: string): boolean {
    return this.get(fixtureId) !== undefined
  }

  forEach(
    callback: (fixture: T, fixtureId: string, map: ReadonlyMap<string, T>) => void,
    thisArg?: unknown,
  ): void {
    for (const [id, fixture] of this) callback.call(thisArg, fixture, id, this)
  }

  *entries(): MapIterator<[string, T]> {
    for (let slot = 0; slot < this.length; slot++) {
      const fixture = this.chunks[slot >>> CHUNK_BITS]?.[slot & MASK]
      if (fixture !== undefined) yield [this.ids[slot] as string, fixture]
    }
  }

  *keys(): MapIterator<string> {
    for (const [id] of this.entries()) yield id
  }

  *values(): MapIterator<T> {
    for (const [, fixture] of this.entries()) yield fixture
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries()
  }

  /**
   * @internal What changed since `previous` (an earlier snapshot of the same table, or
   * `undefined`: every entry): `visit(id, value)` for each id whose value is another object,
   * with `undefined` for the ids removed, in slot order. Compares the chunks first, so it costs
   * the chunks a change touched, not the size of the map (every entry after a rebuild).
   */
  changesSince(
    previous: FixtureMap<T> | undefined,
    visit: (fixtureId: string, value: T | undefined) => void,
  ): void {
    if (previous === undefined || previous.index !== this.index) {
      if (previous !== undefined) {
        for (const [id] of previous) if (!this.has(id)) visit(id, undefined)
      }
      for (const [id, value] of this) if (previous?.get(id) !== value) visit(id, value)
      return
    }
    const length = Math.max(this.length, previous.length)
    for (let c = 0; c << CHUNK_BITS < length; c++) {
      const chunk = this.chunks[c]
      const before = previous.chunks[c]
      if (chunk === before) continue
      const end = Math.min(length, (c + 1) << CHUNK_BITS)
      for (let slot = c << CHUNK_BITS; slot < end; slot++) {
        const value = slot < this.length ? chunk?.[slot & MASK] : undefined
        const old = slot < previous.length ? before?.[slot & MASK] : undefined
        if (value !== old) visit(this.ids[slot] ?? (previous.ids[slot] as string), value)
      }
    }
  }

  get [Symbol.toStringTag](): string {
    return 'FixtureMap'
  }
}
