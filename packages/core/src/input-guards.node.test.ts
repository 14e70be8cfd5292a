/**
 * The input guards of issue 11 end to end: frames from a real `ws` server on 127.0.0.1 and
 * snapshots from a real HTTP server, through `createOddsFeed` only.
 */
import { filter, firstValueFrom } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import type { FeedError } from './errors.js'
import { createOddsFeed, type OddsFeed, type OddsFeedOptions } from './feed.js'
import { startTestRest, type TestRest } from './test-support/rest-server.js'
import { startTestServer, type TestServer } from './test-support/ws-server.js'

let server: TestServer | undefined
let rest: TestRest | undefined
let feed: OddsFeed | undefined
afterEach(async () => {
  feed?.close()
  feed = undefined
  await server?.close()
  await rest?.close()
  server = rest = undefined
})

const priceFrame = (fixtureId: string, price: number | string, changedAt: string) =>
  `{"fixtureId":"${fixtureId}","bookmakerOdds":{"b":{"markets":{"1":{"outcomes":{"1":{"players":{"0":{"price":${price},"changedAt":"${changedAt}"}}}}}}}}}`
const pricePath = (fixtureId: string) =>
  ({ fixtureId, bookmaker: 'b', marketId: 1, outcomeId: 1, playerId: 0 }) as const

/** A feed on the test server, with every error collected; resolves once the socket is open. */
async function openFeed(options: OddsFeedOptions = {}) {
  server = await startTestServer()
  const errors: FeedError[] = []
  const f = createOddsFeed({ url: server.url, batch: 'sync', reconnect: false, ...options })
  feed = f
  f.errors$.subscribe((e) => errors.push(e))
  const socket = await server.nthConnection(1)
  await firstValueFrom(f.status$.pipe(filter((s) => s.state === 'open')))
  /** Sends, then a marker frame: once the marker is stored, everything before it was handled. */
  let marks = 0
  const send = async (...data: Array<string | Buffer>) => {
    for (const d of data) socket.send(d, { binary: typeof d !== 'string' })
    const mark = `mark-${++marks}`
    socket.send(`{"fixtureId":"${mark}"}`)
    await firstValueFrom(f.fixtures$.pipe(filter((map) => map.has(mark))))
  }
  return { feed: f, errors, send }
}

describe('input guards, over a real socket', () => {
  it('decodes a text frame behind a BOM or a no-break space instead of taking it for a keepalive', async () => {
    const { feed: f, errors, send } = await openFeed()
    await send('\uFEFF{"fixtureId":"bom","statusId":1}', '\u00a0{"fixtureId":"nbsp","statusId":2}')
    expect(f.get({ fixtureId: 'bom' })?.statusId).toBe(1)
    expect(f.get({ fixtureId: 'nbsp' })?.statusId).toBe(2)
    expect(errors).toEqual([])
  })

  it('rejects frames over maxFrameBytes (text and binary) with a parse error, storing nothing', async () => {
    const { feed: f, errors, send } = await openFeed({ maxFrameBytes: 10_000 })
    const big = `{"fixtureId":"big","statusId":1,"padding":"${'x'.repeat(10_000)}"}`
    const wide = `{"fixtureId":"wide","statusId":1,"padding":"${'€'.repeat(4_000)}"}` // 3 bytes each
    await send(big, Buffer.from(big), wide)
    expect(f.get({ fixtureId: 'big' })).toBeUndefined()
    expect(f.get({ fixtureId: 'wide' })).toBeUndefined()
    expect(errors.map((e) => e.kind)).toEqual(['parse', 'parse', 'parse'])
    expect(errors[0]?.message).toContain('maxFrameBytes')
    await send('{"fixtureId":"big","statusId":2}')
    expect(f.get({ fixtureId: 'big' })?.statusId).toBe(2)
  })

  it('rejects a 20,000-deep frame with a schema error and leaves the fixture untouched', async () => {
    const { feed: f, errors, send } = await openFeed()
    await send('{"fixtureId":"d","statusId":1}')
    const before = f.get({ fixtureId: 'd' })
    await send(
      `{"fixtureId":"d","statusId":2,"deep":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`,
    )
    expect(f.get({ fixtureId: 'd' })).toBe(before)
    expect(errors).toHaveLength(1)
    expect(errors[0]?.kind).toBe('schema')
    expect(errors[0]?.path?.startsWith('deep.a.a.a')).toBe(true)
  })

  it('keeps prototypes clean from __proto__ below unknown fields', async () => {
    const { feed: f, send } = await openFeed()
    await send(
      '{"fixtureId":"f","extra":{"1":1,"__proto__":{"isAdmin":true}}}',
      '{"fixtureId":"f","extra":{"2":2}}',
    )
    const extra = (f.get({ fixtureId: 'f' }) as Record<string, unknown>).extra as object
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype)
    expect((extra as Record<string, unknown>).isAdmin).toBeUndefined()
    expect(extra).toEqual({ '1': 1, '2': 2 })
  })

  it('an Infinity price is a schema error; a poisoned changedAt loses to the next readable one', async () => {
    const { feed: f, errors, send } = await openFeed()
    await send(priceFrame('p', '1e400', '2025-06-11T16:55:30.000001+00:00'))
    expect(f.get(pricePath('p'))).toBeUndefined()
    expect(errors.map((e) => e.kind)).toEqual(['schema'])
    await send(priceFrame('p', 9.99, 'zzzz-zz-zzTzz:zz:zz.zzzzzz+00:00'))
    await send(priceFrame('p', 1.9, '2025-06-11T16:55:30.000001+00:00'))
    expect(f.get(pricePath('p'))?.price).toBe(1.9)
    await send(priceFrame('p', 9.99, '9999-12-31T23:59:59.999999+00:00'))
    await send(priceFrame('p', 1.8, '2025-06-11T16:55:31.000001+00:00'))
    expect(f.get(pricePath('p'))?.price).toBe(1.8)
  })

  it('maxClockSkewMs is the feed option the guard uses', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString()
    const now = new Date().toISOString()
    const { feed: f, send } = await openFeed({ maxClockSkewMs: 1_000 })
    await send(priceFrame('s', 9.99, soon), priceFrame('s', 1.9, now))
    expect(f.get(pricePath('s'))?.price).toBe(1.9)
  })
})

describe('older snapshots never take a fixture back', () => {
  it('a REST snapshot older than the socket leaves statusId, updatedAt and scores alone', async () => {
    const socketAt = '2025-06-11T16:55:31.000001+00:00'
    const restAt = '2025-06-11T16:55:00.000Z'
    rest = await startTestRest(async (call) => ({
      status: 200,
      body: {
        fixtureId: call.fixtureId,
        statusId: 1,
        updatedAt: restAt,
        participant1Name: 'Home',
        scores: { periods: { result: { participant1Score: 0, updatedAt: restAt } } },
        bookmakerOdds: {
          b: {
            markets: {
              '1': { outcomes: { '1': { players: { '0': { price: 2.5, changedAt: restAt } } } } },
            },
          },
        },
      },
    }))
    const f = createOddsFeed({
      autoConnect: false,
      batch: 'sync',
      snapshot: { baseUrl: rest.baseUrl },
    })
    feed = f
    f.ingest(
      JSON.stringify({
        fixtureId: 'F',
        statusId: 2,
        updatedAt: socketAt,
        scores: { periods: { result: { participant1Score: 3, updatedAt: socketAt } } },
      }),
    )
    f.select({ fixtureId: 'F' }).subscribe()
    await firstValueFrom(f.sync$('F').pipe(filter((s) => s.state === 'live')))
    const fixture = f.get({ fixtureId: 'F' })
    expect(fixture?.statusId).toBe(2)
    expect(fixture?.updatedAt).toBe(socketAt)
    expect(fixture?.scores?.periods?.result?.participant1Score).toBe(3)
    // its prices have their own guard: the socket had none, so the snapshot's are taken
    expect(f.get(pricePath('F'))?.price).toBe(2.5)
  })

  it('a REST snapshot drops reserved keys at any depth', async () => {
    rest = await startTestRest(async (call) => ({
      status: 200,
      body: JSON.parse(
        `{"fixtureId":"${call.fixtureId}","extra":{"1":1,"__proto__":{"isAdmin":true},"x":{"constructor":{"prototype":1}}}}`,
      ),
    }))
    const f = createOddsFeed({
      autoConnect: false,
      batch: 'sync',
      snapshot: { baseUrl: rest.baseUrl },
    })
    feed = f
    f.select({ fixtureId: 'R' }).subscribe()
    await firstValueFrom(f.sync$('R').pipe(filter((s) => s.state === 'live')))
    f.ingest('{"fixtureId":"R","extra":{"2":2}}')
    const extra = (f.get({ fixtureId: 'R' }) as Record<string, unknown>).extra
    expect(Object.getPrototypeOf(extra)).toBe(Object.prototype)
    expect(extra).toEqual({ '1': 1, '2': 2, x: {} })
  })
})
