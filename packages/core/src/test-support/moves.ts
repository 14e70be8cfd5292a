/**
 * Price moves alone (what the decoder lists and the store folds fast), and frames that are
 * nearly so, for the properties of the fold and of whoever hands the decoder's list on.
 * @module
 */
import fc from 'fast-check'
import type { OddsFrame } from '../schema.js'

type Obj = Record<string, unknown>

/** Stamps in and out of order, and untrusted ones (another zone, far future, unreadable). */
export const stampArb = fc.constantFrom(
  '2026-01-01T00:00:01.000Z',
  '2026-01-01T00:00:02.000001+00:00',
  '2026-01-01T00:00:03Z',
  '2026-01-01T02:00:02+02:00',
  '9999-12-31T23:59:59.999999+00:00',
  'zzzz-zz-zzTzz:zz:zz.zzzzzz+00:00',
)

/** Price moves alone: one to a few entries, below nodes that hold their containers only. */
export const movesArb: fc.Arbitrary<OddsFrame> = fc
  .dictionary(
    fc.constantFrom('pinnacle', 'bet365'),
    fc.dictionary(
      fc.constantFrom('101', '1010', 'x1'),
      fc.dictionary(
        fc.constantFrom('101', '102'),
        fc.dictionary(
          fc.constantFrom('0', '1', '1101032'),
          fc.record({
            price: fc.constantFrom(1.5, 2, 2.5),
            changedAt: fc.option(stampArb, { nil: undefined, freq: 8 }),
          }),
          { minKeys: 1, maxKeys: 2 },
        ),
        { minKeys: 1, maxKeys: 2 },
      ),
      { minKeys: 1, maxKeys: 2 },
    ),
    { minKeys: 1, maxKeys: 2 },
  )
  .map((odds) => {
    const bookmakerOdds: Obj = {}
    for (const [slug, markets] of Object.entries(odds)) {
      const m: Obj = {}
      for (const [market, outcomes] of Object.entries(markets)) {
        const o: Obj = {}
        for (const [outcome, players] of Object.entries(outcomes)) o[outcome] = { players }
        m[market] = { outcomes: o }
      }
      bookmakerOdds[slug] = { markets: m }
    }
    return JSON.parse(JSON.stringify({ fixtureId: 'f1', bookmakerOdds })) as OddsFrame
  })

/**
 * Nearly price moves alone: one of {@link movesArb}, sometimes spoilt in one place (a node
 * with a field, a node without its container, an empty container, a fixture field), which
 * the decoder must see.
 */
export const nearMovesArb: fc.Arbitrary<OddsFrame> = fc
  .tuple(movesArb, fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 2 }))
  .map(([frame, spoil, depth]) => {
    const copy = structuredClone(frame) as OddsFrame & Obj
    let node = Object.values(copy.bookmakerOdds ?? {})[0] as Obj
    for (let d = 0; d < depth; d++) {
      const container = ['markets', 'outcomes', 'players'][d] as string
      node = Object.values(node[container] as Obj)[0] as Obj
    }
    const container = ['markets', 'outcomes', 'players'][depth] as string
    if (spoil === 1) node.suspended = true
    else if (spoil === 2) delete node[container]
    else if (spoil === 3) node[container] = {}
    else if (spoil === 4) copy.statusId = 2
    else if (spoil === 5) node.extra = null
    return copy
  })
