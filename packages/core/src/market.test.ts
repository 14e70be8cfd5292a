import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createOddsFeed } from './feed.js'
import { bestPrices, compareMarket, type MarketView } from './market.js'
import { mergeFrame, mergeFrames } from './merge.js'
import type { OddsFrame } from './schema.js'
import { frameArb } from './test-support/arbitraries.js'

const at = '2025-06-11T16:55:30.000001+00:00'
function quote(bookmaker: string, prices: Record<string, number | [number, boolean]>, extra = {}) {
  const outcomes: Record<string, unknown> = {}
  for (const [id, p] of Object.entries(prices)) {
    const [price, active] = Array.isArray(p) ? p : [p, true]
    outcomes[id] = { players: { '0': { price, active, changedAt: at, limit: 100 } } }
  }
  return {
    fixtureId: 'F',
    bookmakerOdds: { [bookmaker]: { ...extra, markets: { '101': { outcomes } } } },
  }
}

describe('feed.market$', () => {
  it('compares a market across bookmakers: best live price, margins, best-price book', () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
    const views: MarketView[] = []
    feed.market$({ fixtureId: 'F', marketId: 101 }).subscribe((v) => views.push(v))
    feed.ingest(quote('pinnacle', { '101': 2.0, '102': 3.5, '103': 4.0 }))
    feed.ingest(quote('bet365', { '101': 2.1, '102': [9.0, false], '103': 3.8 }))
    const view = views.at(-1)!
    expect(view.outcomes.map((o) => o.outcomeId)).toEqual(['101', '102', '103'])
    expect(view.outcomes[0]?.best).toEqual({ price: 2.1, bookmakers: ['bet365'] })
    // the suspended 9.0 never counts as best
    expect(view.outcomes[1]?.best).toEqual({ price: 3.5, bookmakers: ['pinnacle'] })
    expect(view.outcomes[1]?.prices.find((p) => p.bookmaker === 'bet365')?.live).toBe(false)
    const pinnacle = view.bookmakers.find((b) => b.bookmaker === 'pinnacle')
    expect(pinnacle?.margin).toBeCloseTo(1 / 2 + 1 / 3.5 + 1 / 4 - 1, 10)
    // bet365 has no live price for 102: no margin
    expect(view.bookmakers.find((b) => b.bookmaker === 'bet365')?.margin).toBeUndefined()
    expect(view.bestBook).toBeCloseTo(1 / 2.1 + 1 / 3.5 + 1 / 4, 10)
    expect(view.sureBet).toBe(false)
    feed.close()
  })

  it('flags a sure bet and ignores suspended bookmakers and inactive markets', () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
    feed.ingest(quote('a', { '101': 2.2, '102': 1.5 }))
    feed.ingest(quote('b', { '101': 1.6, '102': 2.3 }))
    let view = feed.get({ fixtureId: 'F' }) && lastView(feed)
    expect(view?.bestBook).toBeCloseTo(1 / 2.2 + 1 / 2.3, 10)
    expect(view?.sureBet).toBe(true)
    feed.ingest({ fixtureId: 'F', bookmakerOdds: { b: { suspended: true } } })
    view = lastView(feed)
    expect(view.outcomes[1]?.best).toEqual({ price: 1.5, bookmakers: ['a'] })
    expect(view.sureBet).toBe(false)
    feed.ingest({
      fixtureId: 'F',
      bookmakerOdds: { a: { markets: { '101': { marketActive: false } } } },
    })
    expect(lastView(feed).outcomes.every((o) => o.best === undefined)).toBe(true)
    feed.close()
  })

  it('a hostile Infinity price is a schema error: an honest 1.9/1.9 market stays no sure bet', () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
    feed.ingest(quote('a', { '101': 1.9, '102': 1.9 }))
    const text = JSON.stringify(quote('evil', { '101': 7, '102': 7 })).replaceAll(':7,', ':1e400,')
    const result = feed.ingest(text)
    expect(result.type === 'error' && result.error.kind).toBe('schema')
    expect(feed.get({ fixtureId: 'F', bookmaker: 'evil' })).toBeUndefined()
    expect(lastView(feed).sureBet).toBe(false)
    feed.close()
  })

  it('never counts a price that is not finite or not above 1, however it was stored', () => {
    // mergeFrame takes any object: state can hold what decode would have rejected
    let fixture = mergeFrame(undefined, quote('a', { '101': 1.9, '102': 1.9 }) as OddsFrame)
    for (const [slug, price] of [
      ['inf', Number.POSITIVE_INFINITY],
      ['one', 1],
      ['neg', -3],
    ] as const) {
      fixture = mergeFrame(fixture, quote(slug, { '101': price, '102': price }) as OddsFrame)
    }
    const view = compareMarket(fixture, { fixtureId: 'F', marketId: 101 })
    expect(view.outcomes.map((o) => o.best)).toEqual([
      { price: 1.9, bookmakers: ['a'] },
      { price: 1.9, bookmakers: ['a'] },
    ])
    expect(view.bookmakers.filter((b) => b.margin !== undefined).map((b) => b.bookmaker)).toEqual([
      'a',
    ])
    expect(view.bestBook).toBeCloseTo(2 / 1.9, 10)
    expect(view.sureBet).toBe(false)
  })

  it('emits only when that market changes at some bookmaker', () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
    let emissions = 0
    feed.market$({ fixtureId: 'F', marketId: '101' }).subscribe(() => emissions++)
    expect(emissions).toBe(1)
    feed.ingest(quote('a', { '101': 2.2 }))
    expect(emissions).toBe(2)
    feed.ingest({ fixtureId: 'F', statusId: 1 }) // not this market
    feed.ingest({
      fixtureId: 'F',
      bookmakerOdds: {
        a: { markets: { '104': { outcomes: { '104': { players: { '0': { price: 1.9 } } } } } } },
      },
    })
    feed.ingest(quote('a', { '101': 2.2 })) // same values
    expect(emissions).toBe(2)
    feed.ingest(quote('b', { '101': 2.0 }))
    expect(emissions).toBe(3)
    feed.close()
  })
})

function lastView(feed: ReturnType<typeof createOddsFeed>): MarketView {
  let view: MarketView | undefined
  feed
    .market$({ fixtureId: 'F', marketId: 101 })
    .subscribe((v) => {
      view = v
    })
    .unsubscribe()
  return view!
}

describe('bestPrices', () => {
  /** Frames of `frameArb`, some bookmakers suspended and some markets inactive. */
  const flagged = fc
    .tuple(frameArb, fc.boolean(), fc.option(fc.boolean(), { nil: undefined }))
    .map(([frame, suspended, marketActive]) => {
      const odds = frame.bookmakerOdds as Record<string, Record<string, unknown>> | undefined
      for (const book of Object.values(odds ?? {})) {
        if (suspended) book.suspended = true
        const markets = book.markets as Record<string, Record<string, unknown>> | undefined
        for (const market of Object.values(markets ?? {})) {
          if (marketActive !== undefined) market.marketActive = marketActive
        }
      }
      return frame
    })

  it("is compareMarket's outcomes and best prices, for every market and line", () => {
    fc.assert(
      fc.property(
        fc.array(flagged, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('101', '104', '1010', '999'),
        fc.constantFrom('0', '1', '2'),
        (frames, marketId, playerId) => {
          const fixture = mergeFrames(undefined, frames)
          const path = { fixtureId: 'f1', marketId, playerId }
          const expected = compareMarket(fixture, path).outcomes.map((o) => ({
            outcomeId: o.outcomeId,
            best: o.best,
          }))
          expect(bestPrices(fixture, path)).toEqual(expected)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('leaves out the prices that are not live, and ties keep slug order', () => {
    const frames = [
      quote('pinnacle', { '101': 2.0, '102': [9.0, false] }),
      quote('bet365', { '101': 2.0, '102': 3.0 }),
      quote('unibet', { '101': 5.0 }, { suspended: true }),
    ] as OddsFrame[]
    const fixture = mergeFrames(undefined, frames)
    expect(bestPrices(fixture, { fixtureId: 'F', marketId: 101 })).toEqual([
      { outcomeId: '101', best: { price: 2.0, bookmakers: ['bet365', 'pinnacle'] } },
      { outcomeId: '102', best: { price: 3.0, bookmakers: ['bet365'] } },
    ])
    expect(bestPrices(fixture, { fixtureId: 'F', marketId: 104 })).toEqual([])
  })
})
