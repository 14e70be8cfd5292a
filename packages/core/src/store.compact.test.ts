/**
 * What the compact store (`storage: 'compact'`) packs and when: a fixture nobody reads is packed
 * at the end of the tick (a `get` of the next tick gives new, equal objects), one a `select`, a
 * `fixtures$` or a `board$` subscriber reads stays unpacked (the same objects, tick after tick).
 */
import { describe, expect, it } from 'vitest'
import { createOddsFeed } from './feed.js'

const frame = (price: number, changedAt: string) =>
  JSON.stringify({
    fixtureId: 'f1',
    statusId: 1,
    bookmakerOdds: {
      pinnacle: {
        markets: { '101': { outcomes: { '101': { players: { '0': { price, changedAt } } } } } },
      },
      bet365: { markets: { '101': { outcomes: { '102': { players: { '0': { price: 3 } } } } } } },
    },
  })

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('compact store', () => {
  it('packs a fixture nobody reads at the end of the tick, and unpacks it on every read', async () => {
    const feed = createOddsFeed({ autoConnect: false, storage: 'compact' })
    feed.ingest(frame(1.9, '2026-06-01T12:00:00.001000+00:00'))
    await tick()
    const first = feed.get({ fixtureId: 'f1' })
    expect(feed.get({ fixtureId: 'f1' })).toBe(first)
    await tick()
    const later = feed.get({ fixtureId: 'f1' })
    expect(later).not.toBe(first)
    expect(later).toEqual(first)
    expect(Object.isFrozen(later)).toBe(true)
    feed.close()
  })

  it('keeps what a select, a fixtures$ or a board$ subscriber reads unpacked, packs it after', async () => {
    const feed = createOddsFeed({ autoConnect: false, storage: 'compact' })
    feed.ingest(frame(1.9, '2026-06-01T12:00:00.001000+00:00'))
    await tick()
    const seen: unknown[] = []
    const path = { fixtureId: 'f1', bookmaker: 'bet365' } as const
    const selected = feed.select(path).subscribe((book) => seen.push(book))
    const watched = feed.get({ fixtureId: 'f1' })
    await tick()
    expect(feed.get({ fixtureId: 'f1' })).toBe(watched)
    // a move at another bookmaker: the watched node keeps its identity, no emission
    feed.ingest(frame(2.1, '2026-06-01T12:00:01.001000+00:00'))
    await tick()
    expect(seen).toHaveLength(1)
    expect(feed.get(path)).toBe(seen[0])
    selected.unsubscribe()
    await tick()
    const unwatched = feed.get({ fixtureId: 'f1' })
    await tick()
    expect(feed.get({ fixtureId: 'f1' })).not.toBe(unwatched)

    const maps = feed.fixtures$.subscribe()
    const held = feed.get({ fixtureId: 'f1' })
    await tick()
    expect(feed.get({ fixtureId: 'f1' })).toBe(held)
    maps.unsubscribe()
    await tick()
    expect(feed.get({ fixtureId: 'f1' })).not.toBe(held)

    const rows = feed.board$().subscribe()
    const shown = feed.get({ fixtureId: 'f1' })
    await tick()
    expect(feed.get({ fixtureId: 'f1' })).toBe(shown)
    rows.unsubscribe()
    await tick()
    expect(feed.get({ fixtureId: 'f1' })).not.toBe(shown)
    feed.close()
  })

  it('by default keeps the objects: the same ones tick after tick', async () => {
    const feed = createOddsFeed({ autoConnect: false })
    feed.ingest(frame(1.9, '2026-06-01T12:00:00.001000+00:00'))
    await tick()
    const first = feed.get({ fixtureId: 'f1' })
    await tick()
    expect(feed.get({ fixtureId: 'f1' })).toBe(first)
    feed.close()
  })
})
