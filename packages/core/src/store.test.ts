/** Runs in Node and in Chromium: `batch: 'animationFrame'` when animation frames stop (a hidden tab). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOddsFeed, type OddsFeed } from './feed.js'
import { mergeFrame } from './merge.js'
import type { OddsFrame } from './schema.js'
import { FixtureStore } from './store.js'

const STAMP = '2025-06-11T16:55:01.000001+00:00'
const price = (fixtureId: string, p: number, bookmaker = 'pinnacle') =>
  JSON.stringify({
    fixtureId,
    bookmakerOdds: {
      [bookmaker]: {
        markets: {
          '101': { outcomes: { '101': { players: { '0': { price: p, changedAt: STAMP } } } } },
        },
      },
    },
  })
const path = (fixtureId: string, bookmaker = 'pinnacle') =>
  ({ fixtureId, bookmaker, marketId: 101, outcomeId: 101, playerId: 0 }) as const
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

describe("batch: 'animationFrame' without animation frames (a hidden tab)", () => {
  const saved = {
    request: globalThis.requestAnimationFrame,
    cancel: globalThis.cancelAnimationFrame,
  }
  let requested = 0
  let feed: OddsFeed | undefined
  beforeEach(() => {
    requested = 0
    // What a browser does in a background tab: the callback never runs.
    globalThis.requestAnimationFrame = () => ++requested
    globalThis.cancelAnimationFrame = () => {}
  })
  afterEach(() => {
    feed?.close()
    feed = undefined
    globalThis.requestAnimationFrame = saved.request
    globalThis.cancelAnimationFrame = saved.cancel
  })

  it('folds queued frames into the fixture and publishes from a timer within about 1 s', async () => {
    feed = createOddsFeed({ autoConnect: false, batch: 'animationFrame' })
    const pinnacle: number[] = []
    const bet365: number[] = []
    const other: number[] = []
    feed.select(path('A')).subscribe((entry) => entry && pinnacle.push(entry.price))
    feed.select(path('A', 'bet365')).subscribe((entry) => entry && bet365.push(entry.price))
    feed.select(path('B')).subscribe((entry) => entry && other.push(entry.price))
    for (let i = 1; i <= 10_000; i++) feed.ingest(price('A', 1 + i / 100_000))
    feed.ingest(price('A', 2.5, 'bet365'))
    feed.ingest(price('B', 3))
    expect(requested).toBeGreaterThan(0)
    // Not kept as 10,000 queued frames: merged into the fixture already (get sees it)...
    expect(feed.get(path('A'))?.price).toBeGreaterThan(1)
    // ... but published only with the batch.
    expect(pinnacle).toEqual([])
    await waitFor(() => pinnacle.length > 0, 'the timer to publish')
    expect(pinnacle).toEqual([1.1])
    expect(bet365).toEqual([2.5])
    expect(other).toEqual([3])
    expect(feed.get(path('A'))?.price).toBe(1.1)
    // And it goes on: the next frames are published by the next timer.
    feed.ingest(price('A', 1.2))
    await waitFor(() => pinnacle.length > 1, 'the next publication')
    expect(pinnacle).toEqual([1.1, 1.2])
  }, 30_000)

  it('publishes each fixture once per batch however many frames were folded', async () => {
    feed = createOddsFeed({ autoConnect: false, batch: 'animationFrame' })
    let maps = 0
    feed.fixtures$.subscribe(() => maps++)
    const seen: number[] = []
    feed.select(path('A')).subscribe((entry) => entry && seen.push(entry.price))
    for (let i = 1; i <= 1_000; i++) feed.ingest(price('A', 1 + i / 1_000))
    await waitFor(() => seen.length > 0, 'the timer to publish')
    await sleep(50)
    expect(seen).toEqual([2])
    expect(maps).toBe(2)
  }, 30_000)
})

describe('lazy merge', () => {
  const market = (marketActive: boolean, second: number): OddsFrame =>
    ({
      fixtureId: 'A',
      bookmakerOdds: {
        pinnacle: {
          markets: {
            '101': {
              marketActive,
              outcomes: {
                '101': {
                  players: { '0': { price: 2, changedAt: `2026-01-01T00:00:0${second}Z` } },
                },
              },
            },
          },
        },
      },
    }) as OddsFrame

  it('price moves left unmerged go in before the frames a hidden tab folds', () => {
    const store = new FixtureStore(
      'animationFrame',
      (error) => {
        throw error
      },
      { deferMerge: true },
    )
    store.replace('A', mergeFrame(undefined, market(true, 1)))
    store.enqueue(market(false, 2))
    store.flush() // nobody watches A: left unmerged
    for (let i = 0; i < 64; i++) store.enqueue(market(true, 3)) // 64 queued: folded into A
    expect(store.get('A')?.bookmakerOdds?.pinnacle?.markets?.['101']?.marketActive).toBe(true)
    store.dispose()
  })

  // Found by the lazy property (seed 880152463): a folded patch merges before the frames
  // waiting, so on a fixture with no odds yet the first price move put `bookmakerOdds` ahead of
  // a waiting score frame's `scores`; merging in turn orders them the other way.
  it('a price move after a waiting score frame, on a fixture without odds, keeps the key order of merging in turn', () => {
    const noError = (error: unknown) => {
      throw error
    }
    const lazy = new FixtureStore('sync', noError, { deferMerge: true })
    const eager = new FixtureStore('sync', noError)
    const frames: OddsFrame[] = [
      { fixtureId: 'A', statusId: 1, updatedAt: '2026-01-01T00:00:00Z' } as OddsFrame,
      {
        fixtureId: 'A',
        scores: { periods: { result: { participant1Score: 1, participant2Score: 0 } } },
      } as OddsFrame,
      market(true, 1),
    ]
    for (const store of [lazy, eager]) {
      store.enqueue(structuredClone(frames[0] as OddsFrame))
      store.flush()
      store.enqueue(structuredClone(frames[1] as OddsFrame))
      store.flush() // nobody watches A: the score frame waits
      store.enqueue(structuredClone(frames[2] as OddsFrame))
      store.flush()
    }
    const keys = Object.keys(eager.get('A') ?? {})
    expect(keys).toEqual(['fixtureId', 'statusId', 'updatedAt', 'scores', 'bookmakerOdds'])
    expect(Object.keys(lazy.get('A') ?? {})).toEqual(keys)
    expect(lazy.get('A')).toEqual(eager.get('A'))
    lazy.dispose()
    eager.dispose()
  })
})
