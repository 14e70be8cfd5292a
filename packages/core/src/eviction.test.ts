import { describe, expect, it, vi } from 'vitest'
import { createOddsFeed } from './feed.js'
import type { Fixture } from './schema.js'

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0))
const status = (fixtureId: string, statusId: number) => JSON.stringify({ fixtureId, statusId })

describe('eviction at the maxFixtures cap', () => {
  it('evicts 95,000 new fixtures of a few batches without recursing, publishing once a batch', async () => {
    const cap = 5_000
    const feed = createOddsFeed({ autoConnect: false, maxFixtures: cap })
    let maps = 0
    let largest = 0
    feed.fixtures$.subscribe((map) => {
      maps++
      largest = Math.max(largest, map.size)
    })
    // More watched fixtures than the cap: once every unwatched one is gone, watched ones go too.
    const watched = 6_000
    const seen = new Map<string, Array<Fixture | undefined>>()
    for (let i = 0; i < watched; i++) {
      const values: Array<Fixture | undefined> = []
      seen.set(`f${i}`, values)
      feed.select({ fixtureId: `f${i}` }).subscribe((fixture) => values.push(fixture))
    }
    const batches = 4
    const perBatch = 25_000
    for (let b = 0; b < batches; b++) {
      for (let i = b * perBatch; i < (b + 1) * perBatch; i++) feed.ingest(status(`f${i}`, 1))
      await tick()
    }
    const kept = [...seen].filter(([id]) => feed.get({ fixtureId: id }) !== undefined)
    const evicted = [...seen].filter(([id]) => feed.get({ fixtureId: id }) === undefined)
    expect(feed.get({ fixtureId: 'f99999' })).toBeUndefined() // an unwatched one
    // The first batch holds every watched fixture: 1,000 of them (the oldest) had to go.
    expect(evicted.length).toBe(watched - cap)
    expect(kept.length).toBe(cap)
    for (const [, values] of evicted) {
      expect(values.map((v) => v?.statusId)).toEqual([undefined, 1, undefined])
    }
    for (const [, values] of kept) expect(values.map((v) => v?.statusId)).toEqual([undefined, 1])
    expect(evicted.map(([id]) => id)).toEqual(
      Array.from({ length: watched - cap }, (_, i) => `f${i}`),
    )
    // One map a batch (plus the first), never one per evicted fixture; none above the cap.
    expect(maps).toBeLessThanOrEqual(1 + batches)
    expect(largest).toBeLessThanOrEqual(cap)
    feed.close()
  }, 60_000)

  it('sweeps 20,000 finished fixtures in a few publications, not one each', async () => {
    const feed = createOddsFeed({ autoConnect: false, evictAfterMs: 30 })
    let maps = 0
    feed.fixtures$.subscribe(() => maps++)
    for (let i = 0; i < 20_000; i++) feed.ingest(status(`done${i}`, 2))
    feed.ingest(status('live', 1))
    await tick()
    expect(maps).toBe(2)
    const until = Date.now() + 20_000
    let remaining = 20_000
    while (remaining > 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      remaining = 0
      for (let i = 0; i < 20_000; i++) if (feed.get({ fixtureId: `done${i}` })) remaining++
    }
    expect(remaining).toBe(0)
    expect(feed.get({ fixtureId: 'live' })?.statusId).toBe(1)
    // Each sweep evicts every fixture due by then in one publication (they came due within a
    // few milliseconds of each other, so a sweep or two).
    expect(maps).toBeLessThanOrEqual(2 + 5)
    feed.close()
  }, 60_000)

  it('starts no timer after close() from a select woken by an eviction', () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync', maxFixtures: 2 })
    for (const id of ['x', 'y', 'z']) {
      feed.select({ fixtureId: id }).subscribe((fixture) => {
        if (id === 'x' && fixture === undefined && feed.get({ fixtureId: 'z' })) feed.close()
      })
    }
    feed.ingest(status('x', 2)) // finished: a sweep is scheduled
    feed.ingest(status('y', 2))
    const setTimeout = vi.spyOn(globalThis, 'setTimeout')
    try {
      feed.ingest(status('z', 1)) // over the cap: x goes, its select closes the feed
      expect(feed.get({ fixtureId: 'x' })).toBeUndefined()
      expect(setTimeout).not.toHaveBeenCalled()
    } finally {
      setTimeout.mockRestore()
    }
  })
})
