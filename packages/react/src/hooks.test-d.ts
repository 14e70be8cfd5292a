import {
  createOddsFeed,
  type FeedStatus,
  type FixtureSync,
  type Market,
  type MarketView,
  type Player,
} from '@oddsfeed/core'
import { describe, expectTypeOf, it } from 'vitest'
import { useFeedStatus, useMarket, useSelect, useSync } from './hooks.js'

const feed = createOddsFeed({ autoConnect: false })
const fixtureId = 'f1'

describe('hook types', () => {
  it('types the slice by the path, as select does', () => {
    expectTypeOf(
      useSelect(feed, {
        fixtureId,
        bookmaker: 'pinnacle',
        marketId: 101,
        outcomeId: 101,
        playerId: 0,
      }),
    ).toEqualTypeOf<Player | undefined>()
    expectTypeOf(
      useSelect(feed, { fixtureId, bookmaker: 'pinnacle', marketId: 101 }),
    ).toEqualTypeOf<Market | undefined>()
    expectTypeOf(useMarket(feed, { fixtureId, marketId: 101 })).toEqualTypeOf<MarketView>()
    expectTypeOf(useSync(feed, fixtureId)).toEqualTypeOf<FixtureSync>()
    expectTypeOf(useFeedStatus(feed)).toEqualTypeOf<FeedStatus>()
  })

  it('rejects a misspelt path field', () => {
    // @ts-expect-error marketID
    useSelect(feed, { fixtureId, bookmaker: 'pinnacle', marketID: 101 })
    const entry = useSelect(feed, {
      fixtureId,
      bookmaker: 'pinnacle',
      marketId: 1,
      outcomeId: 1,
      playerId: 0,
    })
    // @ts-expect-error pricee
    void entry?.pricee
  })
})
