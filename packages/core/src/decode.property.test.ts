import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { decodeFrame, isPlainFrame } from './decode.js'
import { deepEqual } from './merge.js'
import { FrameSchema } from './schema.js'

/**
 * A JSON document as a tree, so that objects can carry any key in any order, `__proto__`
 * included (an object literal cannot), and be written out as text for `JSON.parse`.
 */
type Node =
  | null
  | boolean
  | number
  | string
  | { readonly arr: Node[] }
  | { readonly obj: Entry[] }
  | { readonly raw: string }
type Entry = readonly [string, Node]

const text = (n: Node): string => {
  if (n === null || typeof n !== 'object') return JSON.stringify(n)
  if ('raw' in n) return n.raw
  if ('arr' in n) return `[${n.arr.map(text).join(',')}]`
  return `{${n.obj.map(([k, value]) => `${JSON.stringify(k)}:${text(value)}`).join(',')}}`
}

const RESERVED = ['__proto__', 'prototype', 'constructor']
const nested = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`
const noise: fc.Arbitrary<Node> = fc.oneof(
  fc.constant(null),
  fc.constant(null),
  fc.constantFrom<Node>(null, true, false, 0, -3, 1.5, 1e308, '', 'x', '2025-06-11T16:55:30Z'),
  fc.constantFrom<Node>({ arr: [] }, { arr: [1, 'a'] }, { obj: [] }, { obj: [['a', 1]] }),
  fc.constantFrom<Node>({ arr: [{ obj: [['price', 2]] }] }, { obj: [['__proto__', 1]] }),
  // 1e400 parses to Infinity; nesting around the depth limit; reserved keys below unknown ones
  fc.constantFrom<Node>({ raw: '1e400' }, { raw: '-1e400' }, 0, -0.5, { raw: '-0' }),
  fc.constantFrom<Node>({ raw: nested(50) }, { raw: nested(70) }, { raw: `[${nested(62)}]` }),
  fc.constantFrom<Node>(
    { obj: [['a', { obj: [['constructor', { obj: [['x', 1]] }]] }]] },
    { arr: [1, { obj: [['prototype', 1]] }] },
  ),
)
/** Mostly a valid value, sometimes anything. */
const field = (valid: fc.Arbitrary<Node>) =>
  fc.oneof({ weight: 40, arbitrary: valid }, { weight: 1, arbitrary: noise })

const num = fc.oneof(fc.integer({ min: -5, max: 1e6 }), fc.double({ noNaN: true }))
const str = fc.constantFrom(
  'a',
  '',
  'Doe, John',
  '2025-06-11T16:55:30.284055+00:00',
  'x'.repeat(128),
  'x'.repeat(129),
)
const orNull = (a: fc.Arbitrary<Node>) => fc.oneof(a, fc.constant(null))

/** An object with some of `fields` (in random order), and maybe an unknown or reserved key. */
function object(fields: Record<string, fc.Arbitrary<Node>>): fc.Arbitrary<Node> {
  const entries = Object.entries(fields).map(([k, a]) =>
    fc.option(
      field(a).map((value): Entry => [k, value]),
      { nil: undefined, freq: k === 'fixtureId' || k === 'price' ? 40 : 3 },
    ),
  )
  const extra = fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('extra', 'scores2', ...RESERVED), fc.oneof(noise, str)),
    },
  )
  return fc.tuple(fc.tuple(...entries), extra, fc.boolean()).map(([known, more, reverse]) => {
    const list = known.filter((e): e is Entry => e !== undefined)
    if (more) list.push(more as Entry)
    if (reverse) list.reverse()
    return { obj: list }
  })
}
/** A record: a few entries keyed by ordinary and (rarely) reserved keys. */
const record = (entry: fc.Arbitrary<Node>): fc.Arbitrary<Node> =>
  fc
    .array(
      fc.tuple(
        fc.oneof(
          { weight: 20, arbitrary: fc.constantFrom('0', '101', '3003', 'pinnacle', 'result') },
          { weight: 1, arbitrary: fc.constantFrom(...RESERVED) },
        ),
        field(entry),
      ),
      { maxLength: 3 },
    )
    .map((list): Node => ({ obj: list }))

const player = object({
  price: num,
  active: fc.boolean(),
  limit: orNull(num),
  oddsId: orNull(str),
  betslip: noise,
  playerId: orNull(num),
  changedAt: orNull(str),
  playerName: orNull(str),
  exchangeMeta: noise,
  bookmakerOutcomeId: orNull(fc.oneof(str, num)),
})
const outcome = object({ players: record(player) })
const market = object({
  bookmakerMarketId: orNull(str),
  marketActive: orNull(fc.boolean()),
  outcomes: record(outcome),
})
const bookmaker = object({
  bookmakerFixtureId: orNull(str),
  fixturePath: orNull(str),
  bookmakerIsActive: orNull(fc.boolean()),
  suspended: orNull(fc.boolean()),
  markets: record(market),
})
const period = object({
  participant1Score: orNull(num),
  participant2Score: orNull(num),
  updatedAt: orNull(str),
})
const numberFields = [
  'betradarId',
  'participant1Id',
  'participant2Id',
  'sportId',
  'tournamentId',
  'seasonId',
  'sofascoreId',
  'betgeniusId',
  'statusId',
]
const frame = object({
  fixtureId: str,
  ...Object.fromEntries(numberFields.map((k) => [k, orNull(num)])),
  startTime: orNull(fc.oneof(num, str)),
  participant1Name: orNull(str),
  participant2Name: orNull(str),
  flashscoreId: orNull(str),
  updatedAt: orNull(str),
  scores: object({ periods: record(period) }),
  bookmakerOdds: record(bookmaker),
})
const FIELD_NAMES = [
  ...numberFields,
  ...['fixtureId', 'startTime', 'participant1Name', 'flashscoreId', 'updatedAt', 'scores'],
  ...['bookmakerOdds', 'bookmakerFixtureId', 'fixturePath', 'bookmakerIsActive', 'suspended'],
  ...['markets', 'bookmakerMarketId', 'marketActive', 'outcomes', 'players', 'price', 'active'],
  ...['limit', 'oddsId', 'playerId', 'changedAt', 'playerName', 'bookmakerOutcomeId'],
  ...['periods', 'participant1Score', 'participant2Score', 'extra', ...RESERVED],
]

/** Sets one key of the `target`-th object (pre-order) of `doc` to `value`: one precise fault. */
function mutate(doc: Node, target: number, keyPick: number, value: Node): Node {
  let index = 0
  const walk = (n: Node): Node => {
    if (n === null || typeof n !== 'object' || 'raw' in n) return n
    if ('arr' in n) return { arr: n.arr.map(walk) }
    const here = index++
    const entries = n.obj.map(([k, child]): Entry => [k, walk(child)])
    if (here === target) {
      const existing = entries.length > 0 && keyPick % 2 === 0
      if (existing) {
        const at = (keyPick >> 1) % entries.length
        entries[at] = [(entries[at] as Entry)[0], value]
      } else {
        entries.push([FIELD_NAMES[(keyPick >> 1) % FIELD_NAMES.length] as string, value])
      }
    }
    return { obj: entries }
  }
  const count = (n: Node): number =>
    n === null || typeof n !== 'object' || 'raw' in n
      ? 0
      : 'arr' in n
        ? n.arr.reduce((sum: number, c) => sum + count(c), 0)
        : 1 + n.obj.reduce((sum, [, c]) => sum + count(c), 0)
  const total = count(doc)
  if (total === 0) return doc
  target %= total
  return walk(doc)
}

const mutated = fc
  .tuple(frame, fc.nat(), fc.nat(), noise)
  .map(([doc, target, keyPick, value]) => mutate(doc, target, keyPick, value))
const documents = fc.oneof(
  { weight: 10, arbitrary: frame },
  { weight: 10, arbitrary: mutated },
  { weight: 1, arbitrary: noise },
)

const isReservedKey = (key: string) => RESERVED.includes(key)

/** How deep `value` nests (a primitive is 0, `{}` is 1). Written plainly: test values are small. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0
  const children = Object.values(value as object)
  return 1 + children.reduce((max: number, child) => Math.max(max, depthOf(child)), 0)
}
/** Whether any object in `value` owns a reserved key. */
function ownsReserved(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false
  return Object.entries(value as object).some(([k, c]) => isReservedKey(k) || ownsReserved(c))
}
/** `value` without reserved keys, copied. */
function strip(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(strip)
  const out: Record<string, unknown> = {}
  for (const [k, c] of Object.entries(value)) {
    if (!isReservedKey(k)) Object.defineProperty(out, k, { value: strip(c), enumerable: true })
  }
  return out
}

describe('isPlainFrame', () => {
  it('is true exactly when valibot accepts the JSON and outputs an equal value, with no reserved key and no nesting past 64', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        const json: unknown = JSON.parse(text(doc))
        const slow = v.safeParse(FrameSchema, json, { abortEarly: true })
        const clean = !ownsReserved(json) && depthOf(json) <= 64
        expect(isPlainFrame(json)).toBe(slow.success && deepEqual(slow.output, json) && clean)
      }),
      { numRuns: 10_000 },
    )
  })

  it('decodeFrame gives the same result as valibot on the frame without reserved keys', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        const raw = text(doc)
        const json: unknown = JSON.parse(raw)
        const result = decodeFrame(raw)
        // reserved keys go with what they hold, then the depth is measured
        if (depthOf(strip(json)) > 64) {
          expect(result.type).toBe('error')
          if (result.type === 'error') {
            expect(result.error.kind).toBe('schema')
            expect(result.error.path?.split('.').length).toBe(64)
          }
          return
        }
        const slow = v.safeParse(FrameSchema, strip(json), { abortEarly: true })
        if (result.type === 'frame') expect(ownsReserved(result.frame)).toBe(false)
        if (slow.success) {
          expect(result.type).toBe('frame')
          if (result.type === 'frame') expect(deepEqual(result.frame, slow.output)).toBe(true)
        } else {
          expect(result.type).toBe('error')
          if (result.type === 'error') {
            expect(result.error.kind).toBe('schema')
            expect(result.error.path).toBe(v.getDotPath(slow.issues[0]) ?? '')
          }
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('the documents try what the limits are about', () => {
    const samples = fc.sample(documents, { numRuns: 5000, seed: 7 }).map((d) => text(d))
    expect(samples.filter((t) => t.includes('1e400')).length).toBeGreaterThan(20)
    expect(samples.filter((t) => depthOf(JSON.parse(t)) > 64).length).toBeGreaterThan(20)
    expect(
      samples.filter((t) => /"(constructor|prototype|__proto__)"/.test(t)).length,
    ).toBeGreaterThan(50)
  })

  it('covers both answers: the generated documents are often plain frames, often not', () => {
    const samples = fc.sample(documents, { numRuns: 2000, seed: 42 })
    const plain = samples.filter((doc) => isPlainFrame(JSON.parse(text(doc)))).length
    expect(plain).toBeGreaterThan(200)
    expect(plain).toBeLessThan(1800)
  })
})
