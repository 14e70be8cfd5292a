/** fast-check arbitraries for frames, and a plain reference merge to compare the SDK with. */
import fc from 'fast-check'
import type { OddsFrame } from '../schema.js'
import type { SelectPath } from '../select.js'

const stamps = [
  '2025-06-11T16:55:30.284055+00:00',
  '2025-06-11T16:55:30.284Z',
  '2025-06-11T18:55:30.285+02:00',
  '2025-06-11T16:55:31.000001+00:00',
  '2025-06-11T16:55:29Z',
  '2025-06-11T16:55:28.9999999Z',
]
/** Stamps that must never win the out-of-order guard: far future, unreadable. */
const poisoned = ['9999-12-31T23:59:59.999999+00:00', 'zzzz-zz-zzTzz:zz:zz.zzzzzz+00:00']
const stamp = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...stamps) },
  { weight: 1, arbitrary: fc.constantFrom(...poisoned) },
)

const json = fc.jsonValue({ maxDepth: 2 })
const key = (values: string[]) => fc.constantFrom(...values)

const playerEntry = fc.record(
  {
    price: fc.double({ min: 1.01, max: 50, noNaN: true }),
    active: fc.boolean(),
    changedAt: stamp,
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
      updatedAt: stamp,
      scores: fc.record({
        periods: fc.dictionary(
          key(['1', '2', 'result', 'p1']),
          fc.record(
            {
              participant1Score: fc.integer({ min: 0, max: 9 }),
              participant2Score: fc.integer({ min: 0, max: 9 }),
              updatedAt: stamp,
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

/** The fixtures the store-level properties spread frames, reads and watches over. */
export const FIXTURES: readonly string[] = ['f1', 'f2', 'f3']

/** One of {@link FIXTURES}. */
export const fixtureArb: fc.Arbitrary<string> = fc.constantFrom(...FIXTURES)

/**
 * A path at any level (fixture, bookmaker, market, outcome, player) over the ids
 * {@link frameArb} uses, so reads and watches hit what frames change; mostly below
 * `bookmakerOdds` (those leave frames unmerged in a lazy store).
 */
export const pathArb: fc.Arbitrary<SelectPath> = fc
  .tuple(
    fixtureArb,
    fc.integer({ min: 0, max: 4 }),
    fc.constantFrom('pinnacle', 'bet365', 'betfair-ex'),
    fc.constantFrom('101', '104', '1010'),
    fc.constantFrom('101', '102'),
    fc.constantFrom('0', '1'),
  )
  .map(([fixtureId, depth, bookmaker, marketId, outcomeId, playerId]): SelectPath => {
    if (depth === 0) return { fixtureId }
    if (depth === 1) return { fixtureId, bookmaker }
    if (depth === 2) return { fixtureId, bookmaker, marketId }
    if (depth === 3) return { fixtureId, bookmaker, marketId, outcomeId }
    return { fixtureId, bookmaker, marketId, outcomeId, playerId }
  })

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * Microseconds since the epoch as a BigInt, written independently of the SDK's parser:
 * `Date.parse` reads the stamp without its fraction, the fraction's digits add the rest.
 * `undefined` when unreadable.
 */
export function referenceMicros(text: unknown): bigint | undefined {
  if (typeof text !== 'string') return undefined
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(text)
  if (!m) return undefined
  const ms = Date.parse(`${m[1]}${m[3]}`)
  if (Number.isNaN(ms)) return undefined
  const fraction = `${m[2] ?? ''}000000`.slice(0, 6)
  return BigInt(ms) * 1000n + BigInt(fraction)
}

/** The guard, plainly: older only against a readable stored stamp at most 5 min ahead of now. */
function referenceOlder(candidate: unknown, stored: unknown): boolean {
  const c = referenceMicros(candidate)
  const s = referenceMicros(stored)
  if (c === undefined || s === undefined) return false
  if (s > BigInt(Date.now() + 5 * 60_000) * 1000n) return false
  return c < s
}

/**
 * The merge rules written the plain way (deep clones, no immer, no sharing), as the reference.
 * depth names the level: 'players' entries replace whole unless older (`changedAt`), score
 * periods merge unless older (`updatedAt`), and a frame older than the fixture (`updatedAt`)
 * brings only its `bookmakerOdds` and its `scores.periods`.
 */
export function referenceMerge(state: Obj | undefined, frame: Obj): Obj {
  const out = structuredClone(state ?? { fixtureId: frame.fixtureId }) as Obj
  let patch = structuredClone(frame) as Obj
  if (referenceOlder(patch.updatedAt, out.updatedAt)) {
    const older: Obj = {}
    if (patch.bookmakerOdds !== undefined) older.bookmakerOdds = patch.bookmakerOdds
    const scores = patch.scores
    if (isObj(scores) && isObj(scores.periods)) older.scores = { periods: scores.periods }
    patch = older
  }
  mergePlain(out, patch, [])
  return out
}

/**
 * `value` without keys named `__proto__`, `constructor` or `prototype`, at every depth, as the
 * decoder gives a frame (below fields the merge replaces whole too): what a frame that went
 * through `decodeFrame` holds, for the reference of a pipeline that decodes.
 */
export function withoutReserved(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutReserved)
  if (!isObj(value)) return value
  const kept: Obj = {}
  for (const [k, v] of Object.entries(value)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue
    Object.defineProperty(kept, k, {
      value: withoutReserved(v),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return kept
}

function mergePlain(target: Obj, patch: Obj, path: string[]): void {
  for (const [k, value] of Object.entries(patch)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue
    const parent = path[path.length - 1]
    if (parent === 'periods' && path.length === 2) {
      const stored = target[k]
      if (isObj(stored) && isObj(value) && referenceOlder(value.updatedAt, stored.updatedAt)) {
        continue
      }
      if (isObj(value) && isObj(stored)) mergePlain(stored, value, [...path, k])
      else target[k] = value
    } else if (parent === 'players' && path.length === 7) {
      const stored = target[k]
      if (isObj(stored) && isObj(value) && referenceOlder(value.changedAt, stored.changedAt)) {
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
