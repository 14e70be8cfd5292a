/**
 * The merge's copies are laid out compactly (no slack, shared strings and constants) and nobody
 * can tell: same keys, same order, same values, deeply frozen, unchanged subtrees shared.
 * Node only: the heap is measured with `gc` exposed.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createOddsFeed } from './feed.js'
import { mergeFrame } from './merge.js'
import type { Fixture, OddsFrame } from './schema.js'
import { referenceMerge } from './test-support/arbitraries.js'
import { exposeGc, heap } from './test-support/heap.js'

type Obj = Record<string, unknown>

// Keys of every kind a copy must keep in place: dense and sparse integers (elements, array or
// dictionary), names (in-object fields), names that need escaping, reserved names.
const recordKey = fc.constantFrom(
  '0',
  '1',
  '2',
  '10',
  '101',
  '102',
  '103',
  '1010',
  '100036',
  '4294967294',
  '4294967295',
  'total:2.5',
  'a"b\\c',
  'é',
  '__proto__',
  'constructor',
)
const stamp = fc.constantFrom(
  '2026-06-01T12:00:00.003000+00:00',
  '2026-06-01T12:00:01.000000+00:00',
  '2026-06-01T11:58:13.394Z',
)
// every kind of number a field can hold: small integers, fractions, -0 (a table keyed by value
// would give back 0 for it, or it for 0), integers past 2^31. JSON.stringify writes -0 as 0:
// the text gets it from a placeholder.
const NEGATIVE_ZERO = 'negative zero'
const number = fc.constantFrom<unknown>(
  2,
  0,
  NEGATIVE_ZERO,
  191.32,
  1.02,
  2 ** 31 + 0.5,
  2 ** 40,
  -7.25,
)
const entry = fc.record(
  {
    active: fc.boolean(),
    betslip: fc.constant(null),
    bookmakerChangedAt: stamp,
    bookmakerOutcomeId: fc.constantFrom('1858272', '7710557'),
    changedAt: stamp,
    exchangeMeta: fc.oneof(
      fc.constant({}),
      fc.constant(null),
      fc.record({
        back: fc.array(
          fc.record({ price: fc.double({ min: 1.01, max: 9 }), limit: number, size: number }),
          { maxLength: 2 },
        ),
        lay: fc.oneof(fc.constant([]), fc.constant([{ price: NEGATIVE_ZERO, limit: 0 }])),
      }),
    ),
    limit: fc.oneof(fc.constant(null), number),
    mainLine: fc.boolean(),
    oddsId: fc.constantFrom('214799768', '893622398'),
    playerId: fc.constant(0),
    playerName: fc.option(fc.constantFrom('Doe, John', 'Roe, Jane'), { nil: null }),
    price: fc.oneof(number, fc.double({ min: 1.01, max: 50, noNaN: true })),
    priceAmerican: fc.constantFrom('109', '-250'),
    priceFractional: fc.constantFrom('99/91', '2/5'),
  },
  { requiredKeys: ['price'] },
)
const dict = <T>(value: fc.Arbitrary<T>) => fc.dictionary(recordKey, value, { maxKeys: 2 })
const frameArb: fc.Arbitrary<OddsFrame> = fc
  .record({
    bookmakerOdds: fc.dictionary(
      fc.constantFrom('pinnacle', 'betfair-ex', 'starcasino.be'),
      fc.record(
        {
          bookmakerIsActive: fc.boolean(),
          markets: dict(
            fc.record(
              {
                bookmakerMarketId: fc.constantFrom('254604', null),
                outcomes: dict(fc.record({ players: dict(entry) }, { requiredKeys: [] })),
                marketActive: fc.boolean(),
              },
              { requiredKeys: [] },
            ),
          ),
          suspended: fc.boolean(),
        },
        { requiredKeys: [] },
      ),
      { minKeys: 1, maxKeys: 2 },
    ),
  })
  // what the wire carries: parsed JSON, own `__proto__` keys included
  .map((fields) => {
    const text = JSON.stringify({ fixtureId: 'f1', ...fields })
    return JSON.parse(text.replaceAll(`"${NEGATIVE_ZERO}"`, '-0')) as OddsFrame
  })

/** Every node frozen, a plain object or array, with only own enumerable data properties. */
function expectPlainFrozen(value: unknown, path: string): void {
  if (value === null || typeof value !== 'object') return
  const fail = (what: string) => expect.fail(`${path}: ${what}`)
  if (!Object.isFrozen(value)) fail('not frozen')
  const proto = Object.getPrototypeOf(value)
  if (proto !== (Array.isArray(value) ? Array.prototype : Object.prototype)) fail('prototype')
  const keys = Reflect.ownKeys(value).filter((k) => !(Array.isArray(value) && k === 'length'))
  const enumerable = Object.keys(value)
  if (keys.length !== enumerable.length || keys.some((k, i) => k !== enumerable[i])) {
    fail(`own keys ${String(keys)} vs ${String(enumerable)}`)
  }
  for (const key of enumerable) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key) as PropertyDescriptor
    if (!('value' in descriptor) || !descriptor.enumerable) fail(`${key} is not a data property`)
    expectPlainFrozen(descriptor.value, `${path}.${key}`)
  }
}

/** Own keys at every level, in enumeration order (JSON text would drop `undefined`, not order). */
function shape(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(shape)
  return Object.keys(value).map((key) => [
    key,
    shape(Object.getOwnPropertyDescriptor(value, key)?.value),
  ])
}

describe('compact copies', () => {
  it('keep keys, their order and values, deeply frozen, for any frame sequence', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 12 }), (frames) => {
        let sdk: Fixture | undefined
        let ref: Obj | undefined
        for (const frame of frames) {
          // the reference merges a copy: the SDK shares values in place in the frame it merges
          const copy = structuredClone(frame) as unknown as Obj
          sdk = mergeFrame(sdk, frame)
          ref = referenceMerge(ref, copy)
          expect(shape(sdk)).toEqual(shape(ref))
          expectPlainFrozen(sdk, 'fixture')
        }
      }),
      { numRuns: 150 },
    )
  }, 120_000)

  it('share every entry, outcome and market a frame does not touch', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 2, maxLength: 10 }), (frames) => {
        let state: Fixture | undefined
        for (const frame of frames) {
          const before = state as unknown as Obj | undefined
          state = mergeFrame(state, frame)
          if (before) expectShared(before, state as unknown as Obj, frame as unknown as Obj)
        }
      }),
      { numRuns: 150 },
    )
  }, 120_000)

  it('share repeated stamps and numbers between entries', () => {
    const gc = exposeGc()
    const load = (texts: readonly string[]) => {
      const before = heap(gc)
      const states = texts.map((text) => mergeFrame(undefined, JSON.parse(text) as OddsFrame))
      const bytes = heap(gc) - before
      expect(states).toHaveLength(texts.length)
      return bytes / (texts.length * ENTRIES_PER_FIXTURE)
    }
    // each board against the same board with values that cost nothing a price: a stamp of 10
    // characters (V8's JSON.parse makes equal short strings one) and small integers (stored in
    // place). Shared, a repeated long stamp or fraction costs nothing a price either.
    const free = sharingBoard('f', { stamp: '2026-06-01', fraction: 0 })
    const stamps = sharingBoard('s', { stamp: '2026-06-01T11:58:13.394Z', fraction: 0 })
    const numbers = sharingBoard('n', { stamp: '2026-06-01', fraction: 0.25 })
    // stamps in turn, later and earlier: no entry's stamp is the one before's, most are not
    // the latest seen (the stamps' tables, not only their checks of the last and the latest)
    const turns = sharingBoard('t', {
      stamp: ['2026-06-01T11:58:13.394Z', '2026-06-01T11:58:14.394Z', '2026-06-01T11:58:12.394Z'],
      fraction: 0,
    })
    // first everything once: code (optimized code lands on the heap when a compiler thread is
    // done), shapes, tables
    for (const board of [free, stamps, numbers, turns]) load(board)
    const base = load(free)
    // measured −1 and −1; with changedAt not shared (only bookmakerChangedAt was, before) +40,
    // with numbers not shared +79 (5 numbers of 16 B an entry)
    expect(load(stamps) - base).toBeLessThan(20)
    expect(load(turns) - base).toBeLessThan(20)
    expect(load(numbers) - base).toBeLessThan(40)
  }, 60_000)

  it("leave nothing behind when a feed goes: a store's tables are its own", async () => {
    const gc = exposeGc()
    // 20,000 prices, each with a stamp of its own: ~68 B a stamp in a table (string and entry)
    const texts = (from: number) =>
      Array.from({ length: 200 }, (_, f) =>
        JSON.stringify({
          fixtureId: `g${f}`,
          bookmakerOdds: {
            pinnacle: {
              markets: Object.fromEntries(
                Array.from({ length: 100 }, (_, m) => {
                  const ms = from + f * 100 + m
                  const stamp = new Date(Date.UTC(2026, 5, 1, 10, 0, 0, ms)).toISOString()
                  const players = { '0': restEntry(1.5 + ms / 1_000_000, stamp) }
                  return [String(100_000 + m), { outcomes: { '101': { players } } }]
                }),
              ),
            },
          },
        }),
      )
    const run = async (from: number) => {
      const feed = createOddsFeed({
        url: 'ws://127.0.0.1:9/x',
        autoConnect: false,
        reconnect: false,
      })
      for (const text of texts(from)) expect(feed.ingest(text).type).toBe('frame')
      await new Promise((resolve) => setTimeout(resolve, 0))
      expect(feed.get({ fixtureId: 'g199' })).toBeDefined()
      feed.close()
    }
    await run(0) // code and shapes, once
    const before = heap(gc)
    await run(20_000)
    // measured ~8 KB; with tables for the whole process +3.0 MB (20,000 stamps and prices kept)
    expect(heap(gc) - before).toBeLessThan(500_000)
  }, 60_000)

  it('do not grow the state when prices stream into a loaded board', () => {
    const gc = exposeGc()
    const ids = Array.from({ length: 40 }, (_, i) => `f${i}`)
    const board = ids.map((id) => JSON.stringify(restFixture(id)))
    const updates = ids.flatMap((id) => priceUpdates(id))
    const prices = updates.length
    gc()
    const empty = heap(gc)
    const states = new Map<string, Fixture>()
    for (const text of board) {
      const frame = JSON.parse(text) as OddsFrame
      states.set(frame.fixtureId, mergeFrame(undefined, frame))
    }
    const loaded = heap(gc) - empty
    for (const text of updates) {
      const frame = JSON.parse(text) as OddsFrame
      states.set(frame.fixtureId, mergeFrame(states.get(frame.fixtureId), frame))
    }
    const streamed = heap(gc) - empty
    // every price replaced once: the state holds as many entries as before, each as compact as
    // the parsed one it replaced (a copy built by assignment carried ~150 B more a price)
    expect(states.size).toBe(ids.length)
    expect((streamed - loaded) / prices).toBeLessThan(16)
  }, 60_000)
})

/** Entries, outcomes and markets of `before` that `frame` does not name are `after`'s too. */
function expectShared(before: Obj, after: Obj, frame: Obj): void {
  const walk = (b: unknown, a: unknown, f: unknown, depth: number) => {
    if (!isObj(b) || !isObj(a)) return
    for (const key of Object.keys(b)) {
      const touched = isObj(f) ? Object.getOwnPropertyDescriptor(f, key)?.value : undefined
      const next = Object.getOwnPropertyDescriptor(a, key)?.value
      if (touched === undefined) expect(next, `${key} at depth ${depth}`).toBe(b[key])
      else if (depth < 7) walk(b[key], next, touched, depth + 1)
    }
  }
  walk(before.bookmakerOdds, after.bookmakerOdds, frame.bookmakerOdds, 1)
}

function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

const SLUGS = ['pinnacle', 'bet365', '1xbet', 'stake', 'unibet']
const MARKETS = [101, 104, 106, 108, 1010, 1012, 1701, 100000, 100003, 100006, 100009, 100036]

/** A REST `/v4/odds` fixture: 5 bookmakers × 12 markets × 2–3 outcomes × player `0`. */
function restFixture(fixtureId: string): Obj {
  const bookmakerOdds: Obj = {}
  for (const slug of SLUGS) {
    const markets: Obj = {}
    for (const m of MARKETS) {
      const outcomes: Obj = {}
      for (const o of outcomeIds(m)) {
        outcomes[o] = {
          players: { '0': restEntry(1.5 + (o % 7) / 10, '2026-06-01T11:58:13.394Z') },
        }
      }
      markets[m] = { bookmakerMarketId: `${m}7`, outcomes, marketActive: true }
    }
    bookmakerOdds[slug] = {
      bookmakerFixtureId: '1',
      fixturePath: 'https://x/1',
      markets,
      bookmakerIsActive: true,
      suspended: false,
    }
  }
  return { fixtureId, statusId: 1, updatedAt: '2026-06-01T11:58:00.000Z', bookmakerOdds }
}

function outcomeIds(market: number): number[] {
  return market === 1010 ? [1010, 1011] : [market, market + 1, market + 2]
}

let oddsId = 100_000_000
function restEntry(price: number, changedAt: string): Obj {
  oddsId++
  return {
    active: true,
    betslip: null,
    bookmakerChangedAt: changedAt,
    bookmakerOutcomeId: String(oddsId % 9_999_999),
    changedAt,
    exchangeMeta: null,
    limit: 4500,
    mainLine: true,
    oddsId: String(oddsId),
    playerId: 0,
    playerName: null,
    price,
    priceAmerican: '109',
    priceFractional: '99/91',
  }
}

const ENTRIES_PER_FIXTURE = 100

/**
 * 300 fixtures of 100 betfair-ex entries: every entry's stamp is `stamp`, and its price, limit
 * and depth numbers are small integers plus `fraction`.
 */
/** A board of 300 fixtures whose entries carry `stamp`, or the stamps of the list in turn. */
function sharingBoard(
  name: string,
  values: { stamp: string | readonly string[]; fraction: number },
): string[] {
  const { stamp, fraction } = values
  const stamps = typeof stamp === 'string' ? [stamp] : stamp
  let n = 0
  return Array.from({ length: 300 }, (_, f) => {
    const markets: Obj = {}
    for (let k = 0; k < ENTRIES_PER_FIXTURE / 2; k++) {
      const outcomes: Obj = {}
      for (const o of [101, 102]) {
        const entry = {
          ...restEntry(2 + fraction, stamps[n++ % stamps.length] as string),
          limit: 55 + fraction,
          exchangeMeta: {
            back: [{ price: 3 + fraction, limit: 55 + fraction, size: 56 + fraction }],
            lay: [],
          },
        }
        outcomes[o] = { players: { '0': entry } }
      }
      markets[100_000 + 3 * k] = { bookmakerMarketId: '1', outcomes, marketActive: true }
    }
    return JSON.stringify({
      fixtureId: `${name}${f}`,
      bookmakerOdds: { 'betfair-ex': { markets } },
    })
  })
}

/** One single-entry frame per price of the fixture, each entry newer and re-priced. */
function priceUpdates(fixtureId: string): string[] {
  const out: string[] = []
  for (const slug of SLUGS) {
    for (const m of MARKETS) {
      for (const o of outcomeIds(m)) {
        const players = { '0': restEntry(2.5, '2026-06-01T12:00:00.000Z') }
        const markets = { [m]: { outcomes: { [o]: { players } } } }
        out.push(JSON.stringify({ fixtureId, bookmakerOdds: { [slug]: { markets } } }))
      }
    }
  }
  return out
}
