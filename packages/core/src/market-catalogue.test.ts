import { describe, expect, it } from 'vitest'
import { CatalogueError, createMarketCatalogue, loadMarketCatalogue } from './market-catalogue.js'
import type { FetchLike } from './snapshot.js'

/** Rows in the provider's shape (`oddspapi-facts.md`). */
const ROWS = [
  {
    marketId: 101,
    marketName: 'Full time result (1X2)',
    marketLength: 3,
    playerProp: false,
    sportId: 10,
    handicap: 0,
    period: 'fulltime',
    marketType: '1x2',
    outcomes: [
      { outcomeId: 101, outcomeName: '1' },
      { outcomeId: 102, outcomeName: 'X' },
      { outcomeId: 103, outcomeName: '2' },
    ],
  },
  {
    marketId: 1010,
    marketName: 'Total goals over/under 2.5',
    marketLength: 2,
    playerProp: false,
    sportId: 10,
    handicap: 2.5,
    period: 'fulltime',
    marketType: 'totals',
    outcomes: [
      { outcomeId: 1010, outcomeName: 'Over 2.5' },
      { outcomeId: 1011, outcomeName: 'Under 2.5' },
    ],
  },
  {
    marketId: 121,
    marketName: 'Match winner',
    marketLength: 2,
    playerProp: false,
    sportId: 12,
    handicap: 0,
    period: 'fulltime',
    marketType: 'winner',
    outcomes: [
      { outcomeId: 121, outcomeName: '1' },
      { outcomeId: 122, outcomeName: '2' },
    ],
  },
  {
    marketId: 125,
    marketName: 'First set winner',
    sportId: 12,
    period: 'p1',
    marketType: 'set-winner',
    outcomes: [
      { outcomeId: 125, outcomeName: '1' },
      { outcomeId: 126, outcomeName: '2' },
    ],
  },
]

describe('market catalogue', () => {
  it('names markets and outcomes by id; unknown ids are shown as themselves', () => {
    const catalogue = createMarketCatalogue(ROWS)
    expect(catalogue.size).toBe(4)
    expect(catalogue.rows(12).map((r) => r.marketId)).toEqual([121, 125])
    expect(catalogue.marketName(121)).toBe('Match winner')
    expect(catalogue.marketName('1010')).toBe('Total goals over/under 2.5')
    expect(catalogue.outcomeName('101', 102)).toBe('X')
    expect(catalogue.outcomeName(1010, '1011')).toBe('Under 2.5')
    expect(catalogue.market(1010)?.handicap).toBe(2.5)
    expect(catalogue.marketName(999)).toBe('Market 999')
    expect(catalogue.outcomeName(999, 1000)).toBe('#1000')
  })

  it('picks the main market from the data: winner or 1X2 with no line, no player, full time', () => {
    const catalogue = createMarketCatalogue(ROWS)
    expect(catalogue.mainMarket(['1010', '101'])).toBe('101')
    expect(catalogue.mainMarket([125, 121])).toBe('121')
    expect(catalogue.mainMarket(['1010'])).toBe('1010')
    expect(catalogue.mainMarket(['5', '3'])).toBe('3')
    expect(catalogue.mainMarket([])).toBeUndefined()
  })

  it('keeps the good rows of a body with bad ones, and refuses a body that is no list', () => {
    const catalogue = createMarketCatalogue({
      markets: [...ROWS, { marketId: 7 }, 'nonsense', { marketName: 'no id', outcomes: [] }],
    })
    expect(catalogue.size).toBe(4)
    expect(catalogue.rejected).toBe(3)
    expect(() => createMarketCatalogue({ error: 'x' })).toThrow(CatalogueError)
  })

  it('loads GET /v4/markets with the key, and never shows the key in an error', async () => {
    const asked: string[] = []
    const answer =
      (status: number, body: unknown): FetchLike =>
      async (url) => {
        asked.push(url)
        return { status, headers: { get: () => null }, text: async () => JSON.stringify(body) }
      }
    const catalogue = await loadMarketCatalogue({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 's3cret key',
      sportId: 10,
      fetch: answer(200, ROWS),
    })
    expect(catalogue.marketName(101)).toBe('Full time result (1X2)')
    expect(asked[0]).toBe('http://127.0.0.1:9/v4/markets?apiKey=s3cret+key&sportId=10')
    const refused = loadMarketCatalogue({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 's3cret key',
      fetch: answer(401, { error: { code: 'UNAUTHORIZED' } }),
    })
    await expect(refused).rejects.toMatchObject({ name: 'CatalogueError', status: 401 })
    const failing: FetchLike = async (url) => {
      throw new Error(`connect ECONNREFUSED ${url}`)
    }
    const error = await loadMarketCatalogue({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 's3cret key',
      fetch: failing,
    }).catch((e: Error) => e)
    expect(error).toBeInstanceOf(CatalogueError)
    expect((error as Error).message).not.toMatch(/s3cret/)
    expect((error as Error).message).toContain('apiKey=***')
  })
})
