import { describe, expectTypeOf, it } from 'vitest'
import { createOddsFeed } from './feed.js'
import { extra, type Fixture, type Player } from './schema.js'

declare const entry: Player | undefined
declare const fixture: Fixture

describe('stored types', () => {
  it('types the listed fields of an entry', () => {
    expectTypeOf(entry?.price).toEqualTypeOf<number | undefined>()
    expectTypeOf(entry?.active).toEqualTypeOf<boolean | undefined>()
    expectTypeOf(fixture.statusId).toEqualTypeOf<number | null | undefined>()
  })

  it('makes a misspelt field an error, not unknown', () => {
    // @ts-expect-error pricee is not a field of a price entry
    void entry?.pricee
    // @ts-expect-error participant1name (lower-case n)
    void fixture.participant1name
  })

  it('reaches unlisted fields through extra() only, as unknown', () => {
    if (entry) expectTypeOf(extra(entry).providerRef).toEqualTypeOf<unknown>()
    expectTypeOf(extra(fixture).marketActive).toEqualTypeOf<unknown>()
  })

  it('keeps stored state read-only', () => {
    // @ts-expect-error state is deeply frozen
    if (entry) entry.price = 2
  })
})

describe('options under exactOptionalPropertyTypes', () => {
  it('accepts undefined explicitly (process.env values)', () => {
    // this file is compiled with strict and exactOptionalPropertyTypes (tsconfig.base.json)
    const env: Record<string, string | undefined> = {}
    createOddsFeed({
      apiKey: env.ODDSPAPI_API_KEY,
      url: env.FEED_URL,
      reconnect: { maxAttempts: undefined },
      snapshot: { baseUrl: env.REST_URL, bookmakers: undefined },
      idleTimeoutMs: undefined,
      maxFixtures: undefined,
    })
  })
})
