import { firstValueFrom, toArray } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { FeedError } from './errors.js'
import { createOddsFeed } from './feed.js'
import type { FeedStatus } from './transport.js'

const T = (s: number) => `2025-06-11T16:55:${String(s).padStart(2, '0')}.000001+00:00`
const price = (fixtureId: string, p: number, s = 1, outcome = '101', bookmaker = 'pinnacle') =>
  JSON.stringify({
    fixtureId,
    bookmakerOdds: {
      [bookmaker]: {
        markets: {
          '101': { outcomes: { [outcome]: { players: { '0': { price: p, changedAt: T(s) } } } } },
        },
      },
    },
  })
const path = (fixtureId: string, outcomeId = '101') =>
  ({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId, playerId: 0 }) as const

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

describe('createOddsFeed (ingest)', () => {
  it('select emits the current value at once, then each change of that slice only', async () => {
    const feed = createOddsFeed({ autoConnect: false })
    const seen: Array<number | undefined> = []
    feed.select(path('A')).subscribe((p) => seen.push(p?.price))
    expect(seen).toEqual([undefined])
    feed.ingest(price('A', 1.5))
    await tick()
    feed.ingest(price('A', 3.3, 2, '103')) // another outcome: this slice unchanged
    await tick()
    feed.ingest(price('A', 1.6, 3))
    await tick()
    expect(seen).toEqual([undefined, 1.5, 1.6])
    feed.close()
  })

  it('batches a tick into one publication per fixture (microtask)', async () => {
    const feed = createOddsFeed({ autoConnect: false })
    const a: number[] = []
    let maps = 0
    feed.select(path('A')).subscribe((p) => p && a.push(p.price))
    feed.fixtures$.subscribe(() => maps++)
    for (let i = 1; i <= 5; i++) feed.ingest(price('A', 1 + i / 10, i))
    feed.ingest(price('B', 2))
    expect(a).toEqual([]) // nothing published before the tick ends
    await tick()
    expect(a).toEqual([1.5])
    expect(maps).toBe(2) // initial + one batch
    feed.close()
  })

  it('publishes every frame at once with batch: sync', () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
    const a: number[] = []
    feed.select(path('A')).subscribe((p) => p && a.push(p.price))
    for (let i = 1; i <= 3; i++) feed.ingest(price('A', 1 + i / 10, i))
    expect(a).toEqual([1.1, 1.2, 1.3])
    feed.close()
  })

  it('publishes once per animation frame (a 16 ms timer where there is none)', async () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'animationFrame' })
    const a: number[] = []
    feed.select(path('A')).subscribe((p) => p && a.push(p.price))
    feed.ingest(price('A', 1.1, 1))
    await Promise.resolve()
    feed.ingest(price('A', 1.2, 2))
    await Promise.resolve()
    expect(a).toEqual([]) // not at the end of the tick
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(a).toEqual([1.2]) // both frames, one publication
    feed.close()
  })

  it('shows every subscriber the same state: no tearing across fixtures', async () => {
    const feed = createOddsFeed({ autoConnect: false })
    const observed: Array<[number | undefined, number | undefined]> = []
    feed.select(path('A')).subscribe((p) => {
      observed.push([p?.price, feed.get(path('B'))?.price])
    })
    feed.ingest(price('A', 1.1, 1))
    feed.ingest(price('B', 2.2, 1))
    await tick()
    expect(observed).toEqual([
      [undefined, undefined],
      [1.1, 2.2],
    ])
    feed.close()
  })

  it('wakes only the subscribers of the fixture that changed', async () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
    let bEmissions = 0
    feed.select({ fixtureId: 'B' }).subscribe(() => bEmissions++)
    for (let i = 0; i < 10; i++) feed.ingest(price('A', 1 + i / 10, i))
    expect(bEmissions).toBe(1) // the initial value only
    feed.ingest(price('B', 2))
    expect(bEmissions).toBe(2)
    feed.close()
  })

  it('frames$ emits every valid frame in order; errors$ reports bad ones and the stream goes on', async () => {
    const feed = createOddsFeed({ autoConnect: false })
    const frames: string[] = []
    const errors: FeedError[] = []
    feed.frames$.subscribe((f) => frames.push(`${f.fixtureId}`))
    feed.errors$.subscribe((e) => errors.push(e))
    feed.ingest(price('A', 1.1))
    feed.ingest('{"fixtureId":')
    feed.ingest('keepalive')
    feed.ingest('{"statusId":1}')
    feed.ingest(price('B', 2.2))
    await tick()
    expect(frames).toEqual(['A', 'B'])
    expect(errors.map((e) => e.kind)).toEqual(['parse', 'schema'])
    expect(errors.every((e) => e instanceof FeedError)).toBe(true)
    expect(feed.get(path('B'))?.price).toBe(2.2)
    feed.close()
  })

  it('a rejected frame is not applied at all', async () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
    feed.ingest(JSON.stringify({ fixtureId: 'A', statusId: 1 }))
    const before = feed.get({ fixtureId: 'A' })
    // valid statusId with a broken price in the same frame: nothing of it may land
    feed.ingest(
      JSON.stringify({
        fixtureId: 'A',
        statusId: 2,
        bookmakerOdds: { x: { markets: { '1': { outcomes: { '1': { players: { '0': {} } } } } } } },
      }),
    )
    expect(feed.get({ fixtureId: 'A' })).toBe(before)
    feed.close()
  })

  it('fixtures$ gives a new map only when something changed', async () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
    const maps: ReadonlyMap<string, unknown>[] = []
    feed.fixtures$.subscribe((m) => maps.push(m))
    feed.ingest(price('A', 1.1))
    feed.ingest(price('A', 1.1)) // no change
    feed.ingest(price('B', 1.1))
    expect(maps.map((m) => [...m.keys()])).toEqual([[], ['A'], ['A', 'B']])
    feed.close()
  })

  it('close() publishes what is pending and completes every stream', async () => {
    const feed = createOddsFeed({ autoConnect: false })
    const selected = firstValueFrom(feed.select(path('A')).pipe(toArray()))
    const frames = firstValueFrom(feed.frames$.pipe(toArray()))
    const fixtures = firstValueFrom(feed.fixtures$.pipe(toArray()))
    feed.ingest(price('A', 1.7))
    feed.close()
    expect((await selected).map((p) => p?.price)).toEqual([undefined, 1.7])
    expect(await frames).toHaveLength(1)
    expect((await fixtures).length).toBe(2)
    const statuses: FeedStatus[] = await firstValueFrom(feed.status$.pipe(toArray()))
    expect(statuses.map((s) => s.state)).toEqual(['closed'])
    // late subscribers get the last value and complete
    const late = await firstValueFrom(feed.select(path('A')).pipe(toArray()))
    expect(late.map((p) => p?.price)).toEqual([1.7])
    expect(feed.ingest(price('A', 9)).type).toBe('frame') // decoded, but not applied
    expect(feed.get(path('A'))?.price).toBe(1.7)
  })

  it('never shows the API key: errors, raw text and status are redacted', async () => {
    const apiKey = 'sk_live_SECRET123'
    const feed = createOddsFeed({ apiKey, autoConnect: false, url: 'ws://127.0.0.1:9/v4/ws' })
    const errors: FeedError[] = []
    const statuses: FeedStatus[] = []
    feed.errors$.subscribe((e) => errors.push(e))
    feed.status$.subscribe((s) => statuses.push(s))
    feed.ingest(`{"fixtureId":"A","leak":"wss://x/v4/ws?apiKey=${apiKey}"`)
    feed.ingest(`{"fixtureId":1,"note":"${apiKey}"}`)
    expect(errors).toHaveLength(2)
    const text = JSON.stringify([errors.map((e) => [e.message, e.raw, e.stack]), statuses])
    expect(text).not.toContain(apiKey)
    expect(statuses[0]?.url).toBe('ws://127.0.0.1:9/v4/ws?apiKey=***')
    feed.close()
  })

  it('rejects a URL that is not ws:// or wss://, without showing the key', () => {
    expect(() => createOddsFeed({ url: 'https://x/?apiKey=abc', apiKey: 'abc' })).toThrow(
      /ws:\/\/ or wss:\/\/, got https:\/\/x\/\?apiKey=\*\*\*/,
    )
  })
})

describe('fixtureCount', () => {
  it.each(['objects', 'compact'] as const)(
    'counts the fixtures held (%s), as fixtures$ does, and what eviction removed',
    async (storage) => {
      const feed = createOddsFeed({ autoConnect: false, storage, maxFixtures: 2 })
      expect(feed.fixtureCount()).toBe(0)
      const price = (fixtureId: string) =>
        JSON.stringify({
          fixtureId,
          bookmakerOdds: {
            pinnacle: {
              markets: { '101': { outcomes: { '101': { players: { '0': { price: 2 } } } } } },
            },
          },
        })
      feed.ingest(price('f1'))
      feed.ingest(price('f2'))
      await new Promise((resolve) => setTimeout(resolve, 0))
      expect(feed.fixtureCount()).toBe(2)
      feed.ingest(price('f3'))
      await new Promise((resolve) => setTimeout(resolve, 0))
      let size = -1
      feed.fixtures$.subscribe((map) => (size = map.size)).unsubscribe()
      expect(feed.fixtureCount()).toBe(size)
      expect(feed.fixtureCount()).toBe(2)
      feed.close()
    },
  )
})
