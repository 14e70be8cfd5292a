/**
 * `board$`: over random frame sequences (with snapshots, removals, folds, reads and other
 * subscriptions) the board equals the one computed from every fixture's state; untouched rows
 * keep their identity; frames that touch only other markets neither re-emit nor get merged.
 */
import fc from 'fast-check'
import type { Subscription } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { Board, type BoardOptions, type BoardRow, defaultMainMarket } from './board.js'
import { createOddsFeed } from './feed.js'
import { compareMarket } from './market.js'
import { createMarketCatalogue } from './market-catalogue.js'
import { mergeFrame } from './merge.js'
import type { Fixture, OddsFrame } from './schema.js'
import { type BatchMode, FixtureStore } from './store.js'
import { frameArb } from './test-support/arbitraries.js'

const FIXTURES = ['f1', 'f2', 'f3']
const fixtureArb = fc.constantFrom(...FIXTURES)

/** Soccer 1X2 (101) and a total (1010) for sport 10; sport 12's winner (121) is never sent. */
const CATALOGUE = createMarketCatalogue([
  {
    marketId: 101,
    marketName: '1X2',
    sportId: 10,
    handicap: 0,
    period: 'fulltime',
    marketType: '1x2',
    outcomes: [],
  },
  {
    marketId: 1010,
    marketName: 'Over/under 2.5',
    sportId: 10,
    handicap: 2.5,
    period: 'fulltime',
    marketType: 'totals',
    outcomes: [],
  },
  {
    marketId: 104,
    marketName: 'Both teams to score',
    marketType: 'btts',
    outcomes: [],
  },
  { marketId: 121, marketName: 'Winner', sportId: 12, marketType: 'winner', outcomes: [] },
])

/** One price of a few markets and bookmakers: mostly moves of prices the fixture has. */
const priceMove: fc.Arbitrary<OddsFrame> = fc
  .record({
    fixtureId: fixtureArb,
    bookmaker: fc.constantFrom('pinnacle', 'bet365'),
    marketId: fc.constantFrom('101', '1010'),
    outcomeId: fc.constantFrom('101', '102'),
    price: fc.constantFrom(1.5, 2, 2.5, 3),
    active: fc.boolean(),
    second: fc.integer({ min: 10, max: 59 }),
  })
  .map(({ fixtureId, bookmaker, marketId, outcomeId, price, active, second }) => ({
    fixtureId,
    bookmakerOdds: {
      [bookmaker]: {
        markets: {
          [marketId]: {
            outcomes: {
              [outcomeId]: {
                players: { '0': { price, active, changedAt: `2025-06-11T16:56:${second}Z` } },
              },
            },
          },
        },
      },
    },
  }))

/**
 * Price moves, else any frame: status, scores, sport and names, a bookmaker's `suspended`.
 */
const anyFrame: fc.Arbitrary<OddsFrame> = fc
  .tuple(
    frameArb,
    fixtureArb,
    fc.integer({ min: 0, max: 9 }),
    fc.constantFrom(10, 11, 12),
    fc.option(fc.boolean(), { nil: undefined }),
  )
  .map(([frame, fixtureId, kind, sportId, suspended]) => {
    const odds = frame.bookmakerOdds
    if (odds && suspended !== undefined) {
      for (const slug in odds) (odds[slug] as { suspended?: boolean }).suspended = suspended
    }
    if (kind < 6 && odds) return { fixtureId, bookmakerOdds: odds } as OddsFrame
    if (kind === 8 && frame.scores) {
      // a score frame: scores (and updatedAt) only, read without picking the main market again
      return { fixtureId, scores: frame.scores, updatedAt: frame.updatedAt } as OddsFrame
    }
    if (kind === 9) {
      return { ...frame, fixtureId, sportId, participant1Name: `home${sportId}` } as OddsFrame
    }
    return { ...frame, fixtureId } as OddsFrame
  })
const frameFor = fc.oneof({ weight: 1, arbitrary: anyFrame }, { weight: 1, arbitrary: priceMove })

/** The board computed from scratch from each fixture's state (`get`). */
function expectedBoard(
  read: (fixtureId: string) => Fixture | undefined,
  pick: (fixture: Fixture) => string | number | undefined,
): Map<string, BoardRow> {
  const board = new Map<string, BoardRow>()
  for (const fixtureId of FIXTURES) {
    const f = read(fixtureId)
    if (!f) continue
    const marketId = pick(f)
    const view = marketId === undefined ? undefined : compareMarket(f, { fixtureId, marketId })
    board.set(fixtureId, {
      fixtureId,
      statusId: f.statusId,
      startTime: f.startTime,
      participant1Name: f.participant1Name,
      participant2Name: f.participant2Name,
      sportId: f.sportId,
      scores: f.scores?.periods,
      main: view && {
        marketId: view.marketId,
        outcomes: view.outcomes.map((o) => ({
          outcomeId: o.outcomeId,
          best: o.best && { price: o.best.price, bookmakers: o.best.bookmakers },
        })),
      },
      updatedAt: f.updatedAt,
    })
  }
  return board
}

const optionsArb: fc.Arbitrary<BoardOptions> = fc.constantFrom<BoardOptions>(
  {},
  { catalogue: CATALOGUE },
  { mainMarket: (fixture) => (fixture.sportId === 11 ? 1010 : 101) },
)
const pickOf = (options: BoardOptions) => options.mainMarket ?? defaultMainMarket(options.catalogue)

const tick = () => new Promise((resolve) => setTimeout(resolve, 1))

describe('board$', () => {
  it('equals the board computed from every fixture, after every batch (through the feed)', async () => {
    type Op =
      | { readonly t: 'ingest'; readonly frame: OddsFrame }
      | { readonly t: 'tick' }
      | { readonly t: 'get'; readonly fixtureId: string }
      | { readonly t: 'select'; readonly fixtureId: string }
      | { readonly t: 'fixtures' }
      | { readonly t: 'unsubscribe'; readonly index: number }
      | { readonly t: 'sweep' }
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 14, arbitrary: frameFor.map((frame) => ({ t: 'ingest' as const, frame })) },
      { weight: 5, arbitrary: fc.constant({ t: 'tick' as const }) },
      { weight: 2, arbitrary: fixtureArb.map((fixtureId) => ({ t: 'get' as const, fixtureId })) },
      {
        weight: 2,
        arbitrary: fixtureArb.map((fixtureId) => ({ t: 'select' as const, fixtureId })),
      },
      { weight: 1, arbitrary: fc.constant({ t: 'fixtures' as const }) },
      { weight: 2, arbitrary: fc.nat(20).map((index) => ({ t: 'unsubscribe' as const, index })) },
      { weight: 1, arbitrary: fc.constant({ t: 'sweep' as const }) },
    )
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 60 }),
        fc.nat(60),
        optionsArb,
        async (ops, subscribeAt, options) => {
          // evictAfterMs 0: a finished fixture nobody watches leaves at the next sweep
          const feed = createOddsFeed({ autoConnect: false, evictAfterMs: 0 })
          const subscriptions: Subscription[] = []
          let board: ReadonlyMap<string, BoardRow> | undefined
          let boardSub: Subscription | undefined
          const check = () => {
            if (!board) return
            const expected = expectedBoard((fixtureId) => feed.get({ fixtureId }), pickOf(options))
            expect(new Map(board)).toEqual(expected)
          }
          try {
            for (let i = 0; i < ops.length; i++) {
              if (i === subscribeAt % ops.length) {
                boardSub = feed.board$(options).subscribe((map) => {
                  board = map
                })
                check()
              }
              const op = ops[i] as Op
              switch (op.t) {
                case 'ingest':
                  feed.ingest(JSON.stringify(op.frame))
                  break
                case 'tick':
                  await null
                  check()
                  break
                case 'get':
                  feed.get({ fixtureId: op.fixtureId })
                  break
                case 'select':
                  subscriptions.push(feed.select({ fixtureId: op.fixtureId }).subscribe())
                  break
                case 'fixtures':
                  subscriptions.push(feed.fixtures$.subscribe())
                  break
                case 'unsubscribe':
                  subscriptions[op.index % Math.max(1, subscriptions.length)]?.unsubscribe()
                  break
                case 'sweep':
                  await tick()
                  check()
                  break
              }
            }
            await tick()
            check()
          } finally {
            boardSub?.unsubscribe()
            feed.close()
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  it('equals the board computed from the store through snapshots, removals and folds', () => {
    type Op =
      | { readonly t: 'frame'; readonly frame: OddsFrame; readonly count: number }
      | { readonly t: 'flush' }
      | { readonly t: 'snapshot'; readonly frame: OddsFrame }
      | { readonly t: 'remove'; readonly fixtureId: string }
      | { readonly t: 'get'; readonly fixtureId: string }
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 10,
        arbitrary: fc
          .tuple(frameFor, fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, fc.constant(70)))
          .map(([frame, count]) => ({ t: 'frame' as const, frame, count })),
      },
      { weight: 4, arbitrary: fc.constant({ t: 'flush' as const }) },
      { weight: 2, arbitrary: frameFor.map((frame) => ({ t: 'snapshot' as const, frame })) },
      {
        weight: 1,
        arbitrary: fixtureArb.map((fixtureId) => ({ t: 'remove' as const, fixtureId })),
      },
      { weight: 2, arbitrary: fixtureArb.map((fixtureId) => ({ t: 'get' as const, fixtureId })) },
    )
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 60 }),
        fc.constantFrom<BatchMode>('microtask', 'animationFrame'),
        optionsArb,
        (ops, mode, options) => {
          const store = new FixtureStore(
            mode,
            () => {
              throw new Error('merge error')
            },
            { deferMerge: true },
          )
          const board = new Board(store, options)
          let emitted = board.map()
          store.watchBatches({
            batch: (frames, before, whole) => {
              if (board.batch(frames, before, whole)) emitted = board.map()
            },
            complete() {},
          })
          const check = () =>
            expect(new Map(emitted)).toEqual(expectedBoard((id) => store.get(id), pickOf(options)))
          // in animationFrame mode `get` sees frames folded in before they are published
          const checkPublished = () => {
            if (mode === 'microtask') check()
          }
          try {
            for (const op of ops) {
              if (op.t === 'frame') {
                for (let i = 0; i < op.count; i++) store.enqueue(structuredClone(op.frame))
              } else if (op.t === 'flush') {
                store.flush()
                check()
              } else if (op.t === 'snapshot') {
                const id = op.frame.fixtureId
                store.replace(id, mergeFrame(store.get(id), structuredClone(op.frame)))
                checkPublished()
              } else if (op.t === 'remove') {
                store.remove([op.fixtureId])
                checkPublished()
              } else store.get(op.fixtureId)
            }
            store.flush()
            check()
          } finally {
            store.dispose()
          }
        },
      ),
      { numRuns: 400 },
    )
  })

  const price = (
    fixtureId: string,
    bookmaker: string,
    marketId: string,
    outcomeId: string,
    value: number,
    changedAt = '2026-01-01T00:00:01Z',
  ): OddsFrame => ({
    fixtureId,
    bookmakerOdds: {
      [bookmaker]: {
        markets: {
          [marketId]: {
            outcomes: { [outcomeId]: { players: { '0': { price: value, changedAt } } } },
          },
        },
      },
    },
  })

  /** Three soccer fixtures with a 1X2 (101, the main market) and a total (1010). */
  const loaded = () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
    for (const fixtureId of FIXTURES) {
      feed.ingest({ fixtureId, sportId: 10, statusId: 1, participant1Name: 'A' })
      feed.ingest({ fixtureId, scores: { periods: { result: { participant1Score: 0 } } } })
      for (const book of ['pinnacle', 'bet365']) {
        for (const outcomeId of ['101', '102', '103']) {
          feed.ingest(price(fixtureId, book, '101', outcomeId, book === 'pinnacle' ? 2 : 1.9))
        }
        feed.ingest(price(fixtureId, book, '1010', '1010', 1.8))
      }
    }
    return feed
  }

  it('keeps the identity of every row, score and market a batch did not change', () => {
    const feed = loaded()
    const maps: ReadonlyMap<string, BoardRow>[] = []
    const sub = feed.board$({ catalogue: CATALOGUE }).subscribe((map) => maps.push(map))
    const first = maps[0] as ReadonlyMap<string, BoardRow>
    expect(first.get('f1')?.main?.marketId).toBe('101')
    expect(first.get('f1')?.main?.outcomes[0]?.best).toEqual({ price: 2, bookmakers: ['pinnacle'] })

    feed.ingest(price('f1', 'bet365', '101', '101', 2.5, '2026-01-01T00:00:02Z'))
    expect(maps).toHaveLength(2)
    const second = maps[1] as ReadonlyMap<string, BoardRow>
    expect(second).not.toBe(first)
    expect(second.get('f2')).toBe(first.get('f2'))
    expect(second.get('f3')).toBe(first.get('f3'))
    const [before, after] = [first.get('f1'), second.get('f1')]
    expect(after).not.toBe(before)
    expect(after?.main?.outcomes[0]?.best).toEqual({ price: 2.5, bookmakers: ['bet365'] })
    expect(after?.scores).toBe(before?.scores)
    // the outcomes whose best price did not move are the same objects
    expect(after?.main?.outcomes[1]).toBe(before?.main?.outcomes[1])

    feed.ingest({ fixtureId: 'f2', scores: { periods: { result: { participant1Score: 1 } } } })
    const third = maps[2] as ReadonlyMap<string, BoardRow>
    expect(third.get('f2')?.scores?.result?.participant1Score).toBe(1)
    expect(third.get('f2')?.main).toBe(first.get('f2')?.main)
    expect(third.get('f1')).toBe(after)
    sub.unsubscribe()
    feed.close()
  })

  it('does not re-emit for frames that touch only other markets, and merges nothing in the store', async () => {
    const feed = loaded()
    const maps: ReadonlyMap<string, BoardRow>[] = []
    const sub = feed.board$({ catalogue: CATALOGUE }).subscribe((map) => maps.push(map))
    for (let i = 0; i < 50; i++) {
      // the total (1010), another bookmaker's new market (104), a main-market price that is not
      // the best and stays so: nothing the board shows
      feed.ingest(price(FIXTURES[i % 3] as string, 'pinnacle', '1010', '1010', 1.5 + i / 100))
      feed.ingest(
        price('f1', 'bet365', '101', '102', 1.5 + i / 1000, `2026-01-01T00:01:${10 + i}Z`),
      )
    }
    feed.ingest(price('f2', 'betfair-ex', '104', '104', 1.7))
    expect(maps).toHaveLength(1)
    feed.ingest(price('f3', 'pinnacle', '101', '103', 3, '2026-01-01T00:00:05Z'))
    expect(maps).toHaveLength(2)
    expect(maps[1]?.get('f3')?.main?.outcomes[2]?.best?.price).toBe(3)
    sub.unsubscribe()
    feed.close()

    // the same at the store: a price move on another market stays unmerged (peek: as stored)
    const store = new FixtureStore('microtask', () => {}, { deferMerge: true })
    store.enqueue({ fixtureId: 'f1', sportId: 10 })
    store.enqueue(price('f1', 'pinnacle', '101', '101', 2))
    store.enqueue(price('f1', 'pinnacle', '1010', '1010', 1.8))
    store.flush()
    const board = new Board(store, { catalogue: CATALOGUE })
    let emits = 0
    store.watchBatches({
      batch: (frames, before, whole) => {
        if (board.batch(frames, before, whole)) emits++
      },
      complete() {},
    })
    const stored = store.peek('f1')
    store.enqueue(price('f1', 'pinnacle', '1010', '1010', 1.9, '2026-01-01T00:00:09Z'))
    await null
    expect(emits).toBe(0)
    expect(store.peek('f1')).toBe(stored)
    store.enqueue(price('f1', 'pinnacle', '101', '101', 2.2, '2026-01-01T00:00:09Z'))
    await null
    expect(emits).toBe(1)
    expect(board.map().get('f1')?.main?.outcomes[0]?.best?.price).toBe(2.2)
    // even a main-market move leaves the store's frames unmerged: the board merged its view
    expect(store.peek('f1')).toBe(stored)
    expect(store.get('f1')).not.toBe(stored)
    store.dispose()
  })

  it('emits at most once per batch, however many rows the batch changed', async () => {
    const feed = createOddsFeed({ autoConnect: false })
    for (const fixtureId of FIXTURES) {
      feed.ingest({ fixtureId, sportId: 10 })
      feed.ingest(price(fixtureId, 'pinnacle', '101', '101', 2))
    }
    await null
    const maps: ReadonlyMap<string, BoardRow>[] = []
    const sub = feed.board$({ catalogue: CATALOGUE }).subscribe((map) => maps.push(map))
    for (const fixtureId of FIXTURES) {
      feed.ingest(price(fixtureId, 'pinnacle', '101', '101', 2.4, '2026-01-01T00:00:03Z'))
      feed.ingest({ fixtureId, statusId: 1, updatedAt: '2026-01-01T00:00:03Z' })
      feed.ingest({ fixtureId, scores: { periods: { result: { participant2Score: 2 } } } })
    }
    await null
    expect(maps).toHaveLength(2)
    for (const fixtureId of FIXTURES) {
      const row = maps[1]?.get(fixtureId)
      expect(row?.statusId).toBe(1)
      expect(row?.scores?.result?.participant2Score).toBe(2)
      expect(row?.main?.outcomes[0]?.best?.price).toBe(2.4)
    }
    sub.unsubscribe()
    feed.close()
  })

  it('picks the main market from the catalogue, else the one most bookmakers quote', () => {
    const f = (sportId: number | undefined, books: Record<string, string[]>): Fixture =>
      mergeFrame(undefined, {
        fixtureId: 'x',
        ...(sportId !== undefined && { sportId }),
        bookmakerOdds: Object.fromEntries(
          Object.entries(books).map(([slug, ids]) => [
            slug,
            { markets: Object.fromEntries(ids.map((id) => [id, {}])) },
          ]),
        ),
      })
    const withCatalogue = defaultMainMarket(CATALOGUE)
    const without = defaultMainMarket()
    expect(withCatalogue(f(10, { a: ['1010'] }))).toBe('101')
    expect(withCatalogue(f(12, { a: ['5'] }))).toBe('121')
    expect(withCatalogue(f(99, { a: ['1010', '104'], b: ['1010'] }))).toBe('104')
    expect(without(f(10, { a: ['101', '1010'], b: ['1010'], c: ['1010', '104'] }))).toBe('1010')
    expect(without(f(10, { a: ['1010', '101'], b: ['101', '1010'] }))).toBe('101')
    expect(without(f(10, {}))).toBeUndefined()
  })
})
