import { filter, firstValueFrom } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import type { FeedError } from './errors.js'
import { createOddsFeed, type OddsFeed, type OddsFeedOptions } from './feed.js'
import { extra } from './schema.js'
import type { FixtureSync } from './snapshot.js'
import { type RestHandler, startTestRest, type TestRest } from './test-support/rest-server.js'
import { startTestServer, type TestServer } from './test-support/ws-server.js'

const KEY = 'rest-key-93ab1'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A REST-shaped fixture: socket tree plus REST-only fields and REST timestamps. */
function restFixture(fixtureId: string, price: number, changedAt: string, statusId = 1) {
  return {
    fixtureId,
    statusId,
    participant1Name: 'Home FC',
    bookmakerOdds: {
      pinnacle: {
        bookmakerIsActive: true,
        suspended: false,
        markets: {
          '101': {
            marketActive: true,
            outcomes: {
              '101': {
                players: {
                  '0': {
                    price,
                    active: true,
                    changedAt,
                    bookmakerChangedAt: changedAt,
                    priceAmerican: '+100',
                    exchangeMeta: null,
                  },
                },
              },
            },
          },
        },
      },
    },
  }
}
const frame = (fixtureId: string, price: number, changedAt: string, extra = {}) =>
  JSON.stringify({
    fixtureId,
    ...extra,
    bookmakerOdds: {
      pinnacle: {
        markets: {
          '101': { outcomes: { '101': { players: { '0': { price, active: true, changedAt } } } } },
        },
      },
    },
  })
const pricePath = (fixtureId: string) =>
  ({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 }) as const
const ok = (body: unknown): ReturnType<RestHandler> => Promise.resolve({ status: 200, body })

let rest: TestRest | undefined
let ws: TestServer | undefined
let feed: OddsFeed | undefined
afterEach(async () => {
  feed?.close()
  feed = undefined
  await rest?.close()
  await ws?.close()
  rest = ws = undefined
})

function ingestOnlyFeed(extra: Partial<OddsFeedOptions> = {}) {
  feed = createOddsFeed({
    apiKey: KEY,
    autoConnect: false,
    snapshot: { baseUrl: rest!.baseUrl, cooldownMs: 20, retryDelayMs: 10 },
    ...extra,
  })
  return feed
}
const syncState = (f: OddsFeed, id: string, state: FixtureSync['state']) =>
  firstValueFrom(f.sync$(id).pipe(filter((s) => s.state === state)))

describe('snapshot hydration', () => {
  it('fetches a fixture on its first subscription and merges it, REST-only fields kept', async () => {
    rest = await startTestRest((call) =>
      ok(restFixture(call.fixtureId!, 1.8, '2026-10-01T13:02:57.506Z')),
    )
    const f = ingestOnlyFeed({
      snapshot: { baseUrl: rest.baseUrl, bookmakers: ['pinnacle', 'bet365'] },
    })
    const states: string[] = []
    f.sync$('F1').subscribe((s) => states.push(s.state))
    const entry = await firstValueFrom(f.select(pricePath('F1')).pipe(filter(Boolean)))
    expect(entry.price).toBe(1.8)
    expect(extra(entry).priceAmerican).toBe('+100')
    expect(f.get({ fixtureId: 'F1' })?.participant1Name).toBe('Home FC')
    expect(states).toEqual(['unhydrated', 'hydrating', 'live'])
    expect(rest.calls).toHaveLength(1)
    const url = rest.calls[0]!.url
    expect(url.pathname).toBe('/v4/odds')
    expect(url.searchParams.get('fixtureId')).toBe('F1')
    expect(url.searchParams.get('apiKey')).toBe(KEY)
    expect(url.searchParams.get('bookmakers')).toBe('pinnacle,bet365')
    const sync = await firstValueFrom(f.sync$('F1'))
    expect(sync.hydratedAt).toBeGreaterThan(0)
  })

  it('lets a socket frame that arrives during the call win over an older snapshot', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    rest = await startTestRest(async (call) => {
      await gate
      return { status: 200, body: restFixture(call.fixtureId!, 1.5, '2026-10-01T13:00:00.000Z', 1) }
    })
    const f = ingestOnlyFeed({ batch: 'sync' })
    f.select(pricePath('F')).subscribe()
    await syncState(f, 'F', 'hydrating')
    await sleep(30) // the call is out
    f.ingest(frame('F', 2.25, '2026-10-01T13:00:01.000000+00:00', { statusId: 2 }))
    release()
    await syncState(f, 'F', 'live')
    expect(f.get(pricePath('F'))?.price).toBe(2.25)
    expect(f.get({ fixtureId: 'F' })?.statusId).toBe(2)
    expect(f.get({ fixtureId: 'F' })?.participant1Name).toBe('Home FC')
  })

  it("keeps the snapshot's newer scores when a newer status frame arrives during the call", async () => {
    // The client missed a goal (5 → 6); while its re-fetch is out the final whistle comes
    // (newer than the snapshot) without the result period, which did not change then.
    const period = (p1: number, updatedAt: string) => ({
      participant1Score: p1,
      participant2Score: 0,
      updatedAt,
    })
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    rest = await startTestRest(async (call) => {
      await gate
      return {
        status: 200,
        body: {
          ...restFixture(call.fixtureId!, 1.5, '2026-10-01T13:00:00.000Z', 1),
          updatedAt: '2026-10-01T12:00:00.000Z',
          scores: { periods: { result: period(6, '2026-10-01T13:00:02.000Z') } },
        },
      }
    })
    const f = ingestOnlyFeed({ batch: 'sync' })
    f.ingest({
      fixtureId: 'F',
      statusId: 1,
      updatedAt: '2026-10-01T12:00:00.000000+00:00',
      scores: { periods: { result: period(5, '2026-10-01T13:00:01.000000+00:00') } },
    })
    f.select({ fixtureId: 'F' }).subscribe()
    await syncState(f, 'F', 'hydrating')
    await sleep(30) // the call is out
    f.ingest({ fixtureId: 'F', statusId: 2, updatedAt: '2026-10-01T13:00:03.000000+00:00' })
    release()
    await syncState(f, 'F', 'live')
    const fixture = f.get({ fixtureId: 'F' })
    expect(fixture?.statusId).toBe(2)
    expect(fixture?.updatedAt).toBe('2026-10-01T13:00:03.000000+00:00')
    expect(fixture?.scores?.periods?.result).toEqual(period(6, '2026-10-01T13:00:02.000Z'))
  })

  it('ignores snapshot entries older than what the socket already gave', async () => {
    rest = await startTestRest((call) =>
      ok(restFixture(call.fixtureId!, 1.5, '2026-10-01T13:00:00.000Z')),
    )
    const f = ingestOnlyFeed({ batch: 'sync' })
    f.ingest(frame('F', 3.0, '2026-10-01T13:00:00.000001+00:00'))
    f.select(pricePath('F')).subscribe()
    await syncState(f, 'F', 'live')
    expect(f.get(pricePath('F'))?.price).toBe(3.0)
  })

  it('lets a newer snapshot replace an older socket entry', async () => {
    rest = await startTestRest((call) =>
      ok(restFixture(call.fixtureId!, 1.5, '2026-10-01T13:00:05.000Z')),
    )
    const f = ingestOnlyFeed({ batch: 'sync' })
    f.ingest(frame('F', 3.0, '2026-10-01T13:00:00.000000+00:00'))
    f.select(pricePath('F')).subscribe()
    await syncState(f, 'F', 'live')
    expect(f.get(pricePath('F'))?.price).toBe(1.5)
  })

  it('keeps one call in flight, the cooldown between calls, watched first, nothing twice', async () => {
    rest = await startTestRest(async (call) => {
      await sleep(20)
      return { status: 200, body: restFixture(call.fixtureId!, 2, '2026-10-01T13:00:00.000Z') }
    })
    const f = ingestOnlyFeed({ snapshot: { baseUrl: rest.baseUrl, cooldownMs: 150 } })
    f.select({ fixtureId: 'A' }).subscribe()
    f.select({ fixtureId: 'A' }).subscribe() // same fixture: not queued twice
    f.sync$('B').subscribe()
    f.select({ fixtureId: 'C' }).subscribe()
    await syncState(f, 'C', 'live')
    expect(rest.calls.map((c) => c.fixtureId)).toEqual(['A', 'B', 'C'])
    expect(rest.maxConcurrent).toBe(1)
    for (let i = 1; i < rest.calls.length; i++) {
      expect(rest.calls[i]!.startedAt - rest.calls[i - 1]!.startedAt).toBeGreaterThanOrEqual(145)
    }
  })

  it('puts fixtures whose watchers left behind the watched ones', async () => {
    rest = await startTestRest(async (call) => {
      await sleep(20)
      return { status: 200, body: restFixture(call.fixtureId!, 2, '2026-10-01T13:00:00.000Z') }
    })
    const f = ingestOnlyFeed({ snapshot: { baseUrl: rest.baseUrl, cooldownMs: 50 } })
    f.select({ fixtureId: 'A' }).subscribe()
    const b = f.select({ fixtureId: 'B' }).subscribe()
    f.select({ fixtureId: 'C' }).subscribe()
    b.unsubscribe()
    await syncState(f, 'C', 'live')
    await sleep(150)
    expect(rest.calls.map((c) => c.fixtureId)).toEqual(['A', 'C', 'B'])
  })

  it('honours retryMs of a 429 and does not count it as a failure', async () => {
    rest = await startTestRest((call, n) =>
      n === 1
        ? Promise.resolve({ status: 429, body: { error: { code: 'RATE_LIMITED', retryMs: 300 } } })
        : ok(restFixture(call.fixtureId!, 2, '2026-10-01T13:00:00.000Z')),
    )
    const f = ingestOnlyFeed()
    const errors: FeedError[] = []
    f.errors$.subscribe((e) => errors.push(e))
    f.select({ fixtureId: 'A' }).subscribe()
    await syncState(f, 'A', 'live')
    expect(rest.calls).toHaveLength(2)
    expect(rest.calls[1]!.startedAt - rest.calls[0]!.startedAt).toBeGreaterThanOrEqual(295)
    expect(errors).toEqual([])
  })

  it('honours a Retry-After header', async () => {
    rest = await startTestRest((call, n) =>
      n === 1
        ? Promise.resolve({ status: 429, body: 'slow down', headers: { 'retry-after': '1' } })
        : ok(restFixture(call.fixtureId!, 2, '2026-10-01T13:00:00.000Z')),
    )
    const f = ingestOnlyFeed()
    f.select({ fixtureId: 'A' }).subscribe()
    await syncState(f, 'A', 'live')
    expect(rest.calls[1]!.startedAt - rest.calls[0]!.startedAt).toBeGreaterThanOrEqual(990)
  })

  it('marks a 404 fixture unknown and does not retry it', async () => {
    rest = await startTestRest(() =>
      Promise.resolve({ status: 404, body: { error: { code: 'FIXTURE_NOT_FOUND' } } }),
    )
    const f = ingestOnlyFeed()
    f.select({ fixtureId: 'nope' }).subscribe()
    await syncState(f, 'nope', 'unknown')
    await sleep(100)
    expect(rest.calls).toHaveLength(1)
  })

  it('retries other failures with backoff, reports them as snapshot errors, key masked', async () => {
    rest = await startTestRest((call, n) =>
      n <= 2
        ? Promise.resolve({ status: 500, body: { error: `boom apiKey=${KEY}` } })
        : ok(restFixture(call.fixtureId!, 2, '2026-10-01T13:00:00.000Z')),
    )
    const f = ingestOnlyFeed()
    const errors: FeedError[] = []
    f.errors$.subscribe((e) => errors.push(e))
    f.select({ fixtureId: 'A' }).subscribe()
    await syncState(f, 'A', 'live')
    expect(errors.map((e) => [e.kind, e.status, e.fixtureId])).toEqual([
      ['snapshot', 500, 'A'],
      ['snapshot', 500, 'A'],
    ])
    expect(JSON.stringify(errors.map((e) => [e.message, e.raw, e.stack]))).not.toContain(KEY)
  })

  it('gives up after maxAttempts and says so in sync$', async () => {
    rest = await startTestRest(() => Promise.resolve({ status: 503, body: 'down' }))
    const f = ingestOnlyFeed({
      snapshot: { baseUrl: rest.baseUrl, cooldownMs: 5, retryDelayMs: 5, maxAttempts: 3 },
    })
    f.select({ fixtureId: 'A' }).subscribe()
    const sync = await firstValueFrom(
      f.sync$('A').pipe(filter((s) => s.state === 'unhydrated' && s.error !== undefined)),
    )
    expect(sync.error?.kind).toBe('snapshot')
    expect(rest.calls).toHaveLength(3)
  })

  it('waits for the socket to open, and after every reconnect re-fetches the watched fixtures', async () => {
    rest = await startTestRest((call) =>
      ok(restFixture(call.fixtureId!, 2, '2026-10-01T13:00:00.000Z')),
    )
    ws = await startTestServer({ apiKey: KEY })
    feed = createOddsFeed({
      apiKey: KEY,
      url: ws.url,
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
      snapshot: { baseUrl: rest.baseUrl, cooldownMs: 10 },
    })
    const f = feed
    const states: string[] = []
    f.sync$('W').subscribe((s) => states.push(s.state))
    f.select({ fixtureId: 'W' }).subscribe()
    const first = await ws.nthConnection(1)
    await syncState(f, 'W', 'live')
    expect(rest.calls).toHaveLength(1)
    first.terminate()
    await syncState(f, 'W', 'stale')
    await ws.nthConnection(2)
    await firstValueFrom(f.sync$('W').pipe(filter((s) => s.state === 'live')))
    await sleep(50)
    expect(rest.calls).toHaveLength(2)
    expect(states).toEqual(['unhydrated', 'hydrating', 'live', 'stale', 'hydrating', 'live'])
  })
})

describe('memory bounds', () => {
  const status = (fixtureId: string, statusId: number) => JSON.stringify({ fixtureId, statusId })

  it('evicts finished fixtures nobody watches after the grace period', async () => {
    const f = createOddsFeed({ autoConnect: false, batch: 'sync', evictAfterMs: 60 })
    f.select({ fixtureId: 'watched' }).subscribe()
    f.ingest(status('done', 2))
    f.ingest(status('cancelled', 3))
    f.ingest(status('watched', 2))
    f.ingest(status('live', 1))
    await sleep(400)
    expect(f.get({ fixtureId: 'done' })).toBeUndefined()
    expect(f.get({ fixtureId: 'cancelled' })).toBeUndefined()
    expect(f.get({ fixtureId: 'watched' })?.statusId).toBe(2)
    expect(f.get({ fixtureId: 'live' })?.statusId).toBe(1)
    const late = await firstValueFrom(f.select({ fixtureId: 'done' }))
    expect(late).toBeUndefined()
    f.close()
  })

  it('caps the store: least recently updated first, unwatched before watched', () => {
    const f = createOddsFeed({ autoConnect: false, batch: 'sync', maxFixtures: 3 })
    f.select({ fixtureId: 'a' }).subscribe()
    for (const id of ['a', 'b', 'c']) f.ingest(status(id, 1))
    f.ingest(status('b', 0)) // b is now the most recent
    f.ingest(status('d', 1)) // over the cap: c is the oldest unwatched (a is watched)
    const ids = () => [...'abcdefg'].filter((id) => f.get({ fixtureId: id }))
    expect(ids()).toEqual(['a', 'b', 'd'])
    f.ingest(status('e', 1)) // over again: b is now the oldest unwatched
    expect(ids()).toEqual(['a', 'd', 'e'])
    f.ingest(status('a', 2))
    f.ingest(status('f', 1))
    f.ingest(status('g', 1))
    expect(ids()).toEqual(['a', 'f', 'g']) // a is watched: kept while unwatched ones can go
    f.close()
  })

  it('re-hydrates an evicted fixture when someone asks for it again', async () => {
    rest = await startTestRest((call) =>
      ok(restFixture(call.fixtureId!, 2, '2026-10-01T13:00:00.000Z', 2)),
    )
    const f = ingestOnlyFeed({ evictAfterMs: 50, batch: 'sync' })
    const sub = f.select({ fixtureId: 'X' }).subscribe()
    await syncState(f, 'X', 'live')
    sub.unsubscribe()
    await sleep(400)
    expect(f.get({ fixtureId: 'X' })).toBeUndefined()
    expect((await firstValueFrom(f.sync$('X'))).state).not.toBe('live')
    const again = await firstValueFrom(f.select({ fixtureId: 'X' }).pipe(filter(Boolean)))
    expect(again.statusId).toBe(2)
    expect(rest.calls).toHaveLength(2)
  })
})

describe('snapshots after a silent server', () => {
  it('wait until the new socket carries traffic before fetching again', async () => {
    rest = await startTestRest((call) =>
      ok(restFixture(call.fixtureId!, 2, '2026-10-01T13:00:00.000Z')),
    )
    ws = await startTestServer({ apiKey: KEY })
    feed = createOddsFeed({
      apiKey: KEY,
      url: ws.url,
      idleTimeoutMs: 200,
      reconnect: { initialDelayMs: 10, maxDelayMs: 20 },
      snapshot: { baseUrl: rest.baseUrl, cooldownMs: 10 },
    })
    const f = feed
    f.select({ fixtureId: 'S' }).subscribe()
    const first = await ws.nthConnection(1)
    const keepalive = setInterval(() => first.send('ping'), 50)
    await syncState(f, 'S', 'live')
    expect(rest.calls).toHaveLength(1)
    clearInterval(keepalive) // the server goes silent: stale, then a new socket, silent too
    await firstValueFrom(f.errors$.pipe(filter((e) => e.kind === 'stale')))
    const second = await ws.nthConnection(2)
    await sleep(120)
    expect(rest.calls).toHaveLength(1) // no snapshot while nothing flows
    expect((await firstValueFrom(f.sync$('S'))).state).not.toBe('live')
    second.send('ping')
    await syncState(f, 'S', 'live')
    expect(rest.calls).toHaveLength(2)
  })
})
