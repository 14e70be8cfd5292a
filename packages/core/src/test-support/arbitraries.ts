/** fast-check arbitraries for frames, and a plain reference merge to compare the SDK with. */
import fc from 'fast-check'
import type { OddsFrame } from '../schema.js'
import { toEpochMicros } from '../time.js'

const stamps = [
  '2025-06-11T16:55:30.284055+00:00',
  '2025-06-11T16:55:30.284Z',
  '2025-06-11T18:55:30.285+02:00',
  '2025-06-11T16:55:31.000001+00:00',
  '2025-06-11T16:55:29Z',
]

const json = fc.jsonValue({ maxDepth: 2 })
const key = (values: string[]) => fc.constantFrom(...values)

const playerEntry = fc.record(
  {
    price: fc.double({ min: 1.01, max: 50, noNaN: true }),
    active: fc.boolean(),
    changedAt: fc.constantFrom(...stamps),
    limit: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
    exchangeMeta: fc.oneof(fc.constant({}), json),
    playerName: fc.option(fc.constantFrom('Doe, John', 'Roe, Jane'), { nil: null }),
  },
  { requiredKeys: ['price'] },
)

const outcome = fc.record(
  { players: fc.dictionary(key(['0', '1', '2']), playerEntry, { maxKeys: 2 }) },
  { requiredKeys: [] },
)
const market = fc.record(
  {
    bookmakerMarketId: fc.option(fc.constantFrom('m1', 'm2'), { nil: null }),
    outcomes: fc.dictionary(key(['101', '102', '103']), outcome, { maxKeys: 3 }),
  },
  { requiredKeys: [] },
)
const bookmaker = fc.record(
  {
    bookmakerFixtureId: fc.option(fc.constantFrom('b1', 'b2'), { nil: null }),
    fixturePath: fc.option(fc.constantFrom('https://x/1', 'https://x/2'), { nil: null }),
    markets: fc.dictionary(key(['101', '104', '1010']), market, { maxKeys: 2 }),
  },
  { requiredKeys: [] },
)

/** A frame for fixture `f1`: partial, one bookmaker, top-level fields, unknown fields. */
export const frameArb: fc.Arbitrary<OddsFrame> = fc
  .record(
    {
      statusId: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
      updatedAt: fc.constantFrom(...stamps),
      scores: fc.record({
        periods: fc.dictionary(
          key(['1', '2', 'result', 'p1']),
          fc.record(
            {
              participant1Score: fc.integer({ min: 0, max: 9 }),
              participant2Score: fc.integer({ min: 0, max: 9 }),
            },
            { requiredKeys: [] },
          ),
          { maxKeys: 2 },
        ),
      }),
      extra: fc.dictionary(key(['a', 'b', 'list']), json, { maxKeys: 2 }),
      bookmakerOdds: fc.dictionary(key(['pinnacle', 'bet365', 'betfair-ex']), bookmaker, {
        minKeys: 1,
        maxKeys: 1,
      }),
    },
    { requiredKeys: [] },
  )
  // Round-trip through JSON: frames are what the wire can carry (no -0, no undefined).
  .map((fields) => JSON.parse(JSON.stringify({ fixtureId: 'f1', ...fields })) as OddsFrame)

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * The merge rules written the plain way (deep clones, no immer, no sharing), as the reference.
 * depth names the level: 'players' entries replace whole unless older.
 */
export function referenceMerge(state: Obj | undefined, frame: Obj): Obj {
  const out = structuredClone(state ?? { fixtureId: frame.fixtureId }) as Obj
  mergePlain(out, structuredClone(frame) as Obj, [])
  return out
}

function mergePlain(target: Obj, patch: Obj, path: string[]): void {
  for (const [k, value] of Object.entries(patch)) {
    const parent = path[path.length - 1]
    if (parent === 'players' && path.length === 7) {
      const stored = target[k]
      if (
        isObj(stored) &&
        isObj(value) &&
        typeof stored.changedAt === 'string' &&
        typeof value.changedAt === 'string' &&
        toEpochMicros(value.changedAt) < toEpochMicros(stored.changedAt)
      ) {
        continue
      }
      target[k] = value
    } else if (isObj(value) && isObj(target[k]) && k !== 'exchangeMeta' && k !== 'betslip') {
      mergePlain(target[k] as Obj, value, [...path, k])
    } else {
      target[k] = value
    }
  }
}
