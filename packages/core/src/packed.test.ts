import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PackedFixture, PackedNode, Packer } from './packed.js'
import type { Fixture } from './schema.js'
import { ordered } from './test-support/ordered.js'

type Obj = Record<string, unknown>

/** Freezes a tree as stored state is frozen. */
function frozen<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) frozen((value as Obj)[key])
    Object.freeze(value)
  }
  return value
}

function isDeeplyFrozenPlain(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true
  if (!Object.isFrozen(value)) return false
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== Array.prototype) return false
  return Object.keys(value).every((key) => isDeeplyFrozenPlain((value as Obj)[key]))
}

const entry = (fields: Obj): Obj => ({
  active: true,
  betslip: null,
  bookmakerChangedAt: '2026-06-01T11:58:13.394Z',
  bookmakerOutcomeId: '1858272',
  changedAt: '2026-06-01T11:58:13.394Z',
  exchangeMeta: null,
  limit: 4500,
  mainLine: true,
  oddsId: '214799768',
  playerId: 0,
  playerName: null,
  price: 2.088,
  priceAmerican: '109',
  priceFractional: '99/91',
  ...fields,
})

/** Every shape the schema allows, and what JSON (or an `ingest`ed object) can put around it. */
function everyShape(): Fixture {
  const withProto = JSON.parse('{"__proto__":{"x":1},"y":2}') as Obj
  return frozen({
    fixtureId: 'id1000000000008841',
    betradarId: 68804970,
    startTime: '2026-06-01T12:00:00Z',
    participant1Name: 'Girona',
    participant2Name: null,
    statusId: 1,
    updatedAt: '2026-06-01T11:59:08.832Z',
    scores: { periods: { '1': { participant1Score: 1, participant2Score: 0 }, result: {} } },
    bookmakerOdds: {
      pinnacle: {
        bookmakerFixtureId: '91513388',
        fixturePath: 'https://pinnacle.example/soccer/girona-v-sevilla/91513388',
        bookmakerIsActive: true,
        suspended: false,
        markets: {
          '101': {
            bookmakerMarketId: '254604',
            marketActive: true,
            outcomes: {
              '101': { players: { '0': entry({}) } },
              '102': { players: { '0': entry({ priceAmerican: -101, price: 1.99 }) } },
              '103': { players: {} },
            },
          },
          '100036': {
            outcomes: {
              '1132': {
                players: {
                  '1101032': entry({ playerId: 1101032, playerName: 'Carter, Evan' }),
                  '4294967295': entry({ playerName: 'Åström, Zoë 🎾' }),
                },
              },
            },
          },
        },
      },
      'betfair-ex': {
        markets: {
          '101': {
            outcomes: {
              '101': {
                players: {
                  '0': entry({
                    exchangeMeta: {
                      back: [
                        { price: 2.102, limit: 898.54, size: 898.54 },
                        { price: 2.082, limit: 752.04, size: 752.04 },
                      ],
                      lay: [],
                    },
                    limit: 898.54,
                  }),
                },
              },
              '102': { players: { '0': entry({ exchangeMeta: {} }) } },
            },
          },
        },
      },
      odd: {
        // stamps in other layouts, numbers of every kind, strings that only look like ids
        stamps: [
          '2026-06-01T12:00:00.001000+00:00',
          '2026-06-01T12:00:00.000999+00:00',
          '2025-06-11T18:55:30.285+02:00',
          '2025-06-11T16:55:28.9999999Z',
          '2025-06-11T16:55:29Z',
          '1969-12-31T23:59:59.999Z',
          '9999-12-31T23:59:59.999999+00:00',
          'zzzz-zz-zzTzz:zz:zz.zzzzzz+00:00',
        ],
        numbers: [0, -0, 1, -1, 2 ** 31, -(2 ** 53) + 1, 2 ** 53, 0.1, -2.5, 1e300, 5e-324, 1 / 3],
        strings: [
          '',
          '0',
          '007',
          '-1',
          '1e3',
          '9007199254740993',
          '123456789012345',
          '\ud800',
          'ü',
        ],
        empty: [[], {}, [[]], [{}]],
        undef: undefined,
        nested: { a: [1, { b: [null, true, false] }] },
        proto: withProto,
        '': 'empty key',
      },
      notPlain: null,
    },
    extra: { list: [1, 2] },
  } as unknown as Fixture)
}

/** `[1, <hole>, 3]`. */
function sparse(): unknown[] {
  const list: unknown[] = [1]
  list[2] = 3
  return list
}

describe('Packer', () => {
  it('round-trips every shape: same values, same key order, deeply frozen plain objects', () => {
    const packer = new Packer()
    const fixture = everyShape()
    const packed = packer.pack(fixture) as PackedFixture
    expect(packed).toBeInstanceOf(PackedFixture)
    const odds = (packed.hollow as Obj).bookmakerOdds as Obj
    expect(odds.pinnacle).toBeInstanceOf(PackedNode)
    expect(odds['betfair-ex']).toBeInstanceOf(PackedNode)
    expect(odds.notPlain).toBeNull()
    const back = packer.unpack(packed)
    expect(ordered(back)).toBe(ordered(fixture))
    expect(back).toEqual(fixture)
    expect(isDeeplyFrozenPlain(back)).toBe(true)
    // a `__proto__` key stays an own key, the prototype stays Object.prototype
    const proto = ((back as Obj).bookmakerOdds as Obj).odd as Obj
    const own = proto.proto as Obj
    expect(Object.getPrototypeOf(own)).toBe(Object.prototype)
    expect(Object.keys(own)).toEqual(['__proto__', 'y'])
    expect(Object.getOwnPropertyDescriptor(own, '__proto__')?.value).toEqual({ x: 1 })
    // -0 and the other numbers exactly
    const numbers = (proto.numbers as number[]).map((n) => (Object.is(n, -0) ? '-0' : n))
    expect(numbers).toContain('-0')
    // packing what is packed changes nothing; a second packer of the same tables agrees
    expect(packer.pack(back)?.hollow).toEqual(packed.hollow)
    expect(ordered(packer.unpack(packer.pack(back) as PackedFixture))).toBe(ordered(fixture))
  })

  it('round-trips random JSON trees of bookmakers', () => {
    const packer = new Packer()
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 4 }),
        fc.dictionary(
          fc.constantFrom('0', '7', '101', '4294967294', 'a', '__proto__'),
          fc.jsonValue(),
          {
            maxKeys: 4,
          },
        ),
        (book, ids) => {
          const fixture = frozen({
            fixtureId: 'f',
            bookmakerOdds: JSON.parse(JSON.stringify({ a: { ...book, markets: ids }, b: ids })),
          } as unknown as Fixture)
          const packed = packer.pack(fixture)
          const back = packed ? packer.unpack(packed) : fixture
          expect(ordered(back)).toBe(ordered(fixture))
          expect(isDeeplyFrozenPlain(back)).toBe(true)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('writes out names and key lists past its tables', () => {
    const packer = new Packer()
    const wide: Obj = {}
    for (let i = 0; i < 5000; i++) wide[`k${i}`] = { [`n${i}`]: i }
    const fixture = frozen({ fixtureId: 'f', bookmakerOdds: { a: wide } } as unknown as Fixture)
    const again = frozen({
      fixtureId: 'g',
      bookmakerOdds: { a: { ...wide, last: 1 } },
    } as unknown as Fixture)
    for (const f of [fixture, again]) {
      expect(ordered(packer.unpack(packer.pack(f) as PackedFixture))).toBe(ordered(f))
    }
  })

  it('leaves what it cannot pack exactly as it is', () => {
    const packer = new Packer()
    const odd = frozen({
      fixtureId: 'f',
      bookmakerOdds: { a: { fn: () => 1 }, b: { list: sparse() }, c: { at: new Date(0) } },
    } as unknown as Fixture)
    expect(packer.pack(odd)).toBeUndefined()
    const mixed = frozen({
      fixtureId: 'f',
      bookmakerOdds: { a: { fn: () => 1 }, b: { price: 2 } },
    } as unknown as Fixture)
    const packed = packer.pack(mixed) as PackedFixture
    const odds = (packed.hollow as Obj).bookmakerOdds as Obj
    expect(odds.a).toBe((mixed as Obj & { bookmakerOdds: Obj }).bookmakerOdds.a)
    expect(odds.b).toBeInstanceOf(PackedNode)
    expect(packer.unpack(packed)).toEqual(mixed)
    expect(packer.pack(frozen({ fixtureId: 'f' } as Fixture))).toBeUndefined()
  })

  it('opens only the bookmakers frames name (all of them for a record replaced whole)', () => {
    const packer = new Packer()
    const packed = packer.pack(everyShape()) as PackedFixture
    const opened = packer.open(packed, [
      { fixtureId: 'x', statusId: 2 },
      { fixtureId: 'x', bookmakerOdds: { pinnacle: {} } },
    ]) as Obj
    const odds = opened.bookmakerOdds as Obj
    expect(odds.pinnacle).not.toBeInstanceOf(PackedNode)
    expect(odds['betfair-ex']).toBeInstanceOf(PackedNode)
    expect(Object.keys(opened)).toEqual(Object.keys(packed.hollow))
    expect(packer.open(packed, [{ fixtureId: 'x', statusId: 2 }])).toBe(packed.hollow)
    const whole = packer.open(packed, [{ fixtureId: 'x', bookmakerOdds: null as never }])
    expect(whole).toEqual(everyShape())
  })
})
