import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type DecodeSight, decodeFrame, decodeSeeing } from './decode.js'
import { mergeFrames } from './merge.js'
import { entryPath, PendingOdds } from './pending.js'
import type { Fixture, OddsFrame } from './schema.js'
import { frameArb } from './test-support/arbitraries.js'
import { nearMovesArb, stampArb } from './test-support/moves.js'
import { DEFAULT_MAX_CLOCK_SKEW_MS } from './time.js'

/** Mostly price moves (`bookmakerOdds` alone: what folds), else whole frames. */
const frameFor = fc
  .tuple(frameArb, fc.integer({ min: 0, max: 9 }))
  .map(([frame, kind]) =>
    kind < 7 && frame.bookmakerOdds
      ? ({ fixtureId: frame.fixtureId, bookmakerOdds: frame.bookmakerOdds } as OddsFrame)
      : frame,
  )

/**
 * Moves that collide: few prices, stamps in and out of order, untrusted stamps (another zone,
 * far future, unreadable, none), and market fields that are objects, scalars or null in turn.
 */
const collidingArb: fc.Arbitrary<OddsFrame> = fc
  .record({
    market: fc.constantFrom('101', '1010'),
    player: fc.constantFrom('0', '1'),
    price: fc.constantFrom(1.5, 2, 2.5),
    changedAt: fc.option(stampArb, { nil: undefined, freq: 8 }),
    field: fc.option(fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constant({ a: 1 })), {
      nil: undefined,
    }),
  })
  .map(
    ({ market, player, price, changedAt, field }) =>
      JSON.parse(
        JSON.stringify({
          fixtureId: 'f1',
          bookmakerOdds: {
            pinnacle: {
              markets: {
                [market]: {
                  ...(field !== undefined && { field }),
                  outcomes: { '101': { players: { [player]: { price, changedAt } } } },
                },
              },
            },
          },
        }),
      ) as OddsFrame,
  )

const entry = (price: number, changedAt: string) => ({
  fixtureId: 'f1',
  bookmakerOdds: {
    pinnacle: {
      markets: { '101': { outcomes: { '101': { players: { '0': { price, changedAt } } } } } },
    },
  },
})
const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`
const clone = <T>(value: T): T => structuredClone(value)
const base = (): Fixture => mergeFrames(undefined, [clone(entry(1.5, at(10)) as OddsFrame)])

/**
 * Stores `before` (or the first of `frames`), folds `frames` until one does not fold, and
 * expects the patch and the rest, merged, to equal every frame merged in turn. Returns how many
 * folded.
 */
function expectFoldExact(before: OddsFrame[], frames: OddsFrame[]): number {
  const stored = mergeFrames(undefined, clone(before.length > 0 ? before : frames.slice(0, 1)))
  const pending = new PendingOdds(stored, DEFAULT_MAX_CLOCK_SKEW_MS)
  const sent = clone(frames)
  let i = 0
  while (i < sent.length && pending.fold(sent[i] as OddsFrame)) i++
  const lazy = mergeFrames(stored, [pending.frame(), ...sent.slice(i)])
  const eager = mergeFrames(stored, clone(frames))
  expect(lazy).toEqual(eager)
  // keys in the same order too
  expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager))
  return i
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * The entries of a price move alone, walked here on their own terms: `[slug, market, outcome,
 * player, entry]` each, in key order; `undefined` for any other frame (a key besides
 * `fixtureId` and `bookmakerOdds`, no bookmaker, a node with a field or without its container,
 * an empty container).
 */
function referenceMoves(frame: OddsFrame): unknown[] | undefined {
  const top = Object.keys(frame)
  if (
    !top.includes('bookmakerOdds') ||
    top.some((k) => k !== 'fixtureId' && k !== 'bookmakerOdds')
  ) {
    return undefined
  }
  const moves: unknown[] = []
  const walk = (node: unknown, depth: number, ids: string[]): boolean => {
    if (depth === 4) {
      moves.push(...ids, node)
      return true
    }
    if (!isObj(node)) return false
    const container = depth === 0 ? null : (['markets', 'outcomes', 'players'][depth - 1] as string)
    const records = container === null ? node : node[container]
    if (container !== null && Object.keys(node).join() !== container) return false
    if (!isObj(records) || Object.keys(records).length === 0) return false
    return Object.keys(records).every((id) => walk(records[id], depth + 1, [...ids, id]))
  }
  return walk(frame.bookmakerOdds, 0, []) ? moves : undefined
}

/** A frame decoded from its text, and what the decoder saw of its price moves. */
function decoded(frame: OddsFrame): { frame: OddsFrame; moves: readonly unknown[] | undefined } {
  const sight: DecodeSight = { moves: [] }
  const result = decodeSeeing(JSON.stringify(frame), undefined, sight)
  if (result.type !== 'frame') throw new Error('the arbitrary made a frame the decoder refuses')
  return { frame: result.frame, moves: sight.moves }
}

describe('PendingOdds', () => {
  it('folded moves then the rest, merged, equal every frame merged in turn', () => {
    let folds = 0
    fc.assert(
      fc.property(
        fc.array(frameFor, { maxLength: 8 }),
        fc.array(frameFor, { minLength: 1, maxLength: 12 }),
        (before, frames) => {
          folds += expectFoldExact(before, frames)
        },
      ),
      { numRuns: 2000 },
    )
    // the property is about folding: most price moves of the arbitrary do fold
    expect(folds).toBeGreaterThan(1000)
  }, 60_000)

  it('the same, for moves of a few prices with stamps good and bad', () => {
    fc.assert(
      fc.property(
        fc.array(collidingArb, { maxLength: 6 }),
        fc.array(collidingArb, { minLength: 1, maxLength: 8 }),
        (before, frames) => {
          expectFoldExact(before, frames)
        },
      ),
      { numRuns: 3000 },
    )
  }, 60_000)

  it("folding from the decoder's moves is folding the frame itself", () => {
    let hinted = 0
    fc.assert(
      fc.property(
        fc.array(fc.oneof(frameFor, collidingArb, { weight: 3, arbitrary: nearMovesArb }), {
          minLength: 1,
          maxLength: 12,
        }),
        (frames) => {
          const walked = new PendingOdds(base(), DEFAULT_MAX_CLOCK_SKEW_MS)
          const fast = new PendingOdds(base(), DEFAULT_MAX_CLOCK_SKEW_MS)
          for (const sent of frames) {
            const { frame, moves } = decoded(sent)
            // given for exactly the price moves alone, entries as the frame holds them
            const reference = referenceMoves(frame)
            expect(moves?.length).toBe(reference?.length)
            for (let i = 0; i < (moves?.length ?? 0); i++) expect(moves?.[i]).toBe(reference?.[i])
            // collected for a caller that asks only: the public decode leaves nothing behind
            const sight: DecodeSight = { moves: [] }
            expect(decodeFrame(JSON.stringify(sent)).type).toBe('frame')
            decodeSeeing('ping', undefined, sight)
            expect(sight.moves).toBeUndefined()
            if (moves !== undefined) hinted++
            expect(fast.fold(frame, moves)).toBe(walked.fold(frame))
            expect(fast.entries).toBe(walked.entries)
            expect(JSON.stringify(fast.frame())).toBe(JSON.stringify(walked.frame()))
          }
        },
      ),
      { numRuns: 1500 },
    )
    // the property is about the fast path: it is taken often
    expect(hinted).toBeGreaterThan(1000)
  }, 60_000)

  it('keeps the latest entry of each price, by changedAt, and counts each price once', () => {
    const pending = new PendingOdds(base(), DEFAULT_MAX_CLOCK_SKEW_MS)
    expect(pending.fold(clone(entry(1.8, at(20)) as OddsFrame))).toBe(true)
    expect(pending.fold(clone(entry(1.6, at(15)) as OddsFrame))).toBe(true) // older: dropped
    for (let s = 21; s < 60; s++)
      expect(pending.fold(clone(entry(2 + s / 100, at(s)) as OddsFrame))).toBe(true)
    expect(pending.entries).toBe(1)
    const merged = mergeFrames(base(), [pending.frame()])
    expect(
      merged.bookmakerOdds?.pinnacle?.markets?.['101']?.outcomes?.['101']?.players?.['0'],
    ).toEqual({
      price: 2.59,
      changedAt: at(59),
    })
  })

  it('takes entries out: what is taken, then what stays, merged, equal the whole patch merged', () => {
    const move = (market: string, player: string, price: number, second: number) =>
      ({
        fixtureId: 'f1',
        bookmakerOdds: {
          pinnacle: {
            markets: {
              [market]: {
                outcomes: { '101': { players: { [player]: { price, changedAt: at(second) } } } },
              },
            },
          },
        },
      }) as OddsFrame
    const stored = mergeFrames(undefined, [move('101', '0', 1.5, 1), move('104', '0', 1.5, 1)])
    const sent = [move('101', '0', 1.6, 2), move('104', '0', 1.7, 2), move('101', '0', 1.8, 3)]
    const pending = new PendingOdds(stored, DEFAULT_MAX_CLOCK_SKEW_MS)
    for (const frame of clone(sent)) expect(pending.fold(frame)).toBe(true)
    expect(pending.entries).toBe(2)
    const taken = pending.take([
      entryPath('pinnacle', '101', '101', '0'),
      entryPath('x', '1', '1', '0'),
    ])
    // the latest entry of the price taken, alone; a path the patch does not hold is skipped
    expect(taken).toEqual(move('101', '0', 1.8, 3))
    expect(pending.entries).toBe(1)
    expect(pending.isEmpty).toBe(false)
    expect(pending.frame()).toEqual(move('104', '0', 1.7, 2))
    const lazy = mergeFrames(mergeFrames(stored, [taken]), [pending.frame()])
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(mergeFrames(stored, clone(sent))))
    pending.take([entryPath('pinnacle', '104', '101', '0')])
    expect(pending.isEmpty).toBe(true)
    expect(pending.entries).toBe(0)
  })

  it('a move older than the stored entry changes nothing when merged', () => {
    const pending = new PendingOdds(base(), DEFAULT_MAX_CLOCK_SKEW_MS)
    expect(pending.fold(clone(entry(9, at(5)) as OddsFrame))).toBe(true)
    expect(mergeFrames(base(), [pending.frame()])).toEqual(base())
  })

  it("keeps the place of a container that reaches a node already in the patch, before the node's later fields", () => {
    // found by the first property (seed -1056335884): a bookmaker folded empty, then its
    // markets, then a field of its own; merging in turn puts `markets` before the field
    expectFoldExact([], [
      { fixtureId: 'f1', bookmakerOdds: { 'betfair-ex': {} } },
      { fixtureId: 'f1', bookmakerOdds: { 'betfair-ex': { markets: { '101': {} } } } },
      { fixtureId: 'f1', bookmakerOdds: { 'betfair-ex': { fixturePath: null } } },
    ] as unknown as OddsFrame[])
    // the same with the markets brought by a price move folded from the decoder's list
    const empty = { fixtureId: 'f1', bookmakerOdds: { pinnacle: {} } } as unknown as OddsFrame
    const stored = mergeFrames(undefined, [clone(empty)])
    const pending = new PendingOdds(stored, DEFAULT_MAX_CLOCK_SKEW_MS)
    const field = { fixtureId: 'f1', bookmakerOdds: { pinnacle: { fixturePath: null } } }
    expect(pending.fold(clone(empty))).toBe(true)
    const move = decoded(entry(1.7, at(11)) as OddsFrame)
    expect(move.moves).toBeDefined()
    expect(pending.fold(move.frame, move.moves)).toBe(true)
    expect(pending.fold(clone(field) as unknown as OddsFrame)).toBe(true)
    const lazy = mergeFrames(stored, [pending.frame()])
    const eager = mergeFrames(stored, [clone(empty), entry(1.7, at(11)), field] as OddsFrame[])
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager))
  })

  it('stops at what must merge in turn: fixture fields, object fields, untrusted stamps', () => {
    const refused: unknown[] = [
      { ...entry(1.9, at(12)), statusId: 2 },
      { fixtureId: 'f1', bookmakerOdds: { pinnacle: { markets: null } } },
      { fixtureId: 'f1', bookmakerOdds: { pinnacle: { exchangeMeta: { a: 1 } } } },
      entry(1.9, '2026-01-01T02:00:12+02:00'),
      entry(1.9, '9999-12-31T23:59:59.999999+00:00'),
      entry(1.9, 'zzzz'),
      entry(1.9, undefined as unknown as string),
    ]
    for (const frame of refused) {
      const pending = new PendingOdds(base(), DEFAULT_MAX_CLOCK_SKEW_MS)
      expect(pending.fold(clone(entry(1.7, at(11)) as OddsFrame))).toBe(true)
      expect(pending.fold(clone(frame) as OddsFrame)).toBe(false)
      // the patch, then the refused frame whole: what merging both in turn gives
      const lazy = mergeFrames(base(), [pending.frame(), clone(frame) as OddsFrame])
      const eager = mergeFrames(base(), [clone(entry(1.7, at(11))), clone(frame)] as OddsFrame[])
      expect(lazy).toEqual(eager)
    }
  })
})
