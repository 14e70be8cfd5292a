import { describe, expect, it } from 'vitest'
import { createOddsFeed, type OddsFeed } from './feed.js'
import { createHistory, type PriceHistory } from './history.js'

const PATH = { fixtureId: 'f1', bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 }

function feedWithSelectCount(): { feed: OddsFeed; selects: () => number } {
  const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
  let selects = 0
  const counted = {
    ...feed,
    select: ((path: Parameters<OddsFeed['select']>[0]) => {
      selects++
      return feed.select(path)
    }) as OddsFeed['select'],
  }
  return { feed: counted, selects: () => selects }
}

let second = 0
function price(feed: OddsFeed, value: number, extra: Record<string, unknown> = {}) {
  second++
  const changedAt = `2026-06-01T12:00:${String(second % 60).padStart(2, '0')}.000123+00:00`
  feed.ingest({
    fixtureId: 'f1',
    bookmakerOdds: {
      pinnacle: {
        markets: {
          101: { outcomes: { 101: { players: { 0: { price: value, changedAt, ...extra } } } } },
        },
      },
    },
  })
}

describe('createHistory', () => {
  it('keeps the last `limit` changes of a watched entry, with its open and direction', () => {
    const { feed } = feedWithSelectCount()
    const history = createHistory(feed, { limit: 5 })
    const seen: PriceHistory[] = []
    const sub = history.history$(PATH).subscribe((h) => seen.push(h))
    expect(seen.at(-1)).toMatchObject({ points: [], open: undefined, direction: 0 })
    const prices = [2.0, 2.1, 2.05, 1.9, 1.95, 2.2, 2.3]
    for (const p of prices) price(feed, p)
    const last = seen.at(-1) as PriceHistory
    expect(last.points.map((p) => p.price)).toEqual([2.05, 1.9, 1.95, 2.2, 2.3])
    expect(last.open?.price).toBe(2.0)
    expect(last.last?.price).toBe(2.3)
    expect(last.direction).toBe(1)
    expect(last.changes).toBe(7)
    // the entry's changedAt, read as an instant (µs timestamps included)
    expect(last.points[0]?.at).toBe(Date.UTC(2026, 5, 1, 12, 0, 3))
    price(feed, 1.5)
    expect(seen.at(-1)?.direction).toBe(-1)
    sub.unsubscribe()
    feed.close()
  })

  it('records suspensions, and nothing when an entry is re-sent unchanged', () => {
    const { feed } = feedWithSelectCount()
    const history = createHistory(feed)
    const seen: PriceHistory[] = []
    history.history$(PATH).subscribe((h) => seen.push(h))
    price(feed, 2.0)
    const before = seen.length
    // another entry of the same fixture changes: this entry's history does not move
    feed.ingest({
      fixtureId: 'f1',
      bookmakerOdds: {
        pinnacle: { markets: { 101: { outcomes: { 102: { players: { 0: { price: 3.3 } } } } } } },
      },
    })
    expect(seen.length).toBe(before)
    price(feed, 2.0, { active: false })
    expect(seen.at(-1)?.points.map((p) => [p.price, p.active])).toEqual([
      [2.0, true],
      [2.0, false],
    ])
    feed.close()
  })

  it('costs nothing for unwatched entries: a buffer only while subscribed, shared by subscribers', () => {
    const { feed, selects } = feedWithSelectCount()
    const history = createHistory(feed, { limit: 3 })
    for (let i = 0; i < 20; i++) price(feed, 2 + i / 100)
    expect(history.watched).toBe(0)
    expect(selects()).toBe(0)
    const a: PriceHistory[] = []
    const b: PriceHistory[] = []
    const subA = history.history$(PATH).subscribe((h) => a.push(h))
    const subB = history.history$({ ...PATH }).subscribe((h) => b.push(h))
    expect(history.watched).toBe(1)
    expect(selects()).toBe(1)
    // watching starts with the current price
    expect(a.at(-1)?.points.map((p) => p.price)).toEqual([2.19])
    price(feed, 3)
    expect(b.at(-1)).toBe(a.at(-1))
    subA.unsubscribe()
    expect(history.watched).toBe(1)
    subB.unsubscribe()
    expect(history.watched).toBe(0)
    // a new watcher starts afresh
    const c: PriceHistory[] = []
    history.history$(PATH).subscribe((h) => c.push(h))
    expect(c.at(-1)?.points.map((p) => p.price)).toEqual([3])
    feed.close()
  })

  it('completes when the feed closes', () => {
    const { feed } = feedWithSelectCount()
    const history = createHistory(feed)
    let completed = false
    history.history$(PATH).subscribe({ complete: () => (completed = true) })
    feed.close()
    expect(completed).toBe(true)
  })
})
