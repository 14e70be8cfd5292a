import type { Observable } from 'rxjs'
import { describe, expectTypeOf, it } from 'vitest'
import { createOddsFeed } from './feed.js'
import type { BookmakerOdds, Fixture, Market, Outcome, Player } from './schema.js'
import type { FixturePath, Selected, SelectPath } from './select.js'

const feed = createOddsFeed({ autoConnect: false })
const fixtureId = 'id1001509158796975'

describe('select paths', () => {
  it('types each level by the fields the path has', () => {
    expectTypeOf(feed.select({ fixtureId })).toEqualTypeOf<Observable<Fixture | undefined>>()
    expectTypeOf(feed.select({ fixtureId, bookmaker: 'pinnacle' })).toEqualTypeOf<
      Observable<BookmakerOdds | undefined>
    >()
    expectTypeOf(feed.get({ fixtureId, bookmaker: 'pinnacle', marketId: 101 })).toEqualTypeOf<
      Market | undefined
    >()
    expectTypeOf(
      feed.get({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: '101' }),
    ).toEqualTypeOf<Outcome | undefined>()
    expectTypeOf(
      feed.get({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 }),
    ).toEqualTypeOf<Player | undefined>()
  })

  it('rejects a misspelt field in an object literal', () => {
    // @ts-expect-error marketID is no path field (was: a silent bookmaker path)
    feed.select({ fixtureId, bookmaker: 'pinnacle', marketID: 101 })
    // @ts-expect-error outcomeID
    feed.get({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeID: 101 })
  })

  it('rejects a misspelt field in an inferred variable (no excess-property check there)', () => {
    const path = { fixtureId, bookmaker: 'pinnacle', marketID: 101 }
    // @ts-expect-error generic inference keeps marketID and ExactPath maps it to never
    feed.select(path)
  })

  it('rejects a level without the one above it', () => {
    // @ts-expect-error a market without its bookmaker
    feed.select({ fixtureId, marketId: 101 })
  })

  it('does not type a path whose bookmaker is optional as a whole fixture', () => {
    const maybe = { fixtureId, bookmaker: undefined as string | undefined }
    // @ts-expect-error neither a FixturePath nor a BookmakerPath: narrow first
    feed.select(maybe)
    const loose: { fixtureId: string; bookmaker?: string } = { fixtureId }
    // @ts-expect-error the same with an optional field
    feed.get(loose)
    if (maybe.bookmaker !== undefined) {
      expectTypeOf(feed.get({ fixtureId, bookmaker: maybe.bookmaker })).toEqualTypeOf<
        BookmakerOdds | undefined
      >()
    }
  })

  it('answers the union of every level for a path typed as any path', () => {
    const any = { fixtureId } as SelectPath
    expectTypeOf(feed.get(any)).toEqualTypeOf<
      Fixture | BookmakerOdds | Market | Outcome | Player | undefined
    >()
    expectTypeOf<Selected<FixturePath>>().toEqualTypeOf<Fixture>()
  })
})
