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
type Node = null | boolean | number | string | { readonly arr: Node[] } | { readonly obj: Entry[] }
type Entry = readonly [string, Node]

const text = (n: Node): string => {
  if (n === null || typeof n !== 'object') return JSON.stringify(n)
  if ('arr' in n) return `[${n.arr.map(text).join(',')}]`
  return `{${n.obj.map(([k, value]) => `${JSON.stringify(k)}:${text(value)}`).join(',')}}`
}

const RESERVED = ['__proto__', 'prototype', 'constructor']
const noise: fc.Arbitrary<Node> = fc.oneof(
  fc.constant(null),
  fc.constant(null),
  fc.constantFrom<Node>(null, true, false, 0, -3, 1.5, 1e308, '', 'x', '2025-06-11T16:55:30Z'),
  fc.constantFrom<Node>({ arr: [] }, { arr: [1, 'a'] }, { obj: [] }, { obj: [['a', 1]] }),
  fc.constantFrom<Node>({ arr: [{ obj: [['price', 2]] }] }, { obj: [['__proto__', 1]] }),
)
/** Mostly a valid value, sometimes anything. */
const field = (valid: fc.Arbitrary<Node>) =>
  fc.oneof({ weight: 40, arbitrary: valid }, { weight: 1, arbitrary: noise })

const num = fc.oneof(fc.integer({ min: -5, max: 1e6 }), fc.double({ noNaN: true }))
const str = fc.constantFrom('a', '', 'Doe, John', '2025-06-11T16:55:30.284055+00:00')
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
    if (n === null || typeof n !== 'object') return n
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
    n === null || typeof n !== 'object'
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

describe('isPlainFrame', () => {
  it('is true exactly when valibot accepts the JSON and outputs an equal value', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        const json: unknown = JSON.parse(text(doc))
        const slow = v.safeParse(FrameSchema, json, { abortEarly: true })
        expect(isPlainFrame(json)).toBe(slow.success && deepEqual(slow.output, json))
      }),
      { numRuns: 10_000 },
    )
  })

  it('decodeFrame gives the same result as valibot alone', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        const raw = text(doc)
        const json: unknown = JSON.parse(raw)
        const slow = v.safeParse(FrameSchema, json, { abortEarly: true })
        const result = decodeFrame(raw)
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

  it('covers both answers: the generated documents are often plain frames, often not', () => {
    const samples = fc.sample(documents, { numRuns: 2000, seed: 42 })
    const plain = samples.filter((doc) => isPlainFrame(JSON.parse(text(doc)))).length
    expect(plain).toBeGreaterThan(200)
    expect(plain).toBeLessThan(1800)
  })
})
