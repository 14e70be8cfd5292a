import { filter, firstValueFrom } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import type { FeedError } from './errors.js'
import { createOddsFeed, type OddsFeed, type OddsFeedOptions } from './feed.js'
import { mergeFrame } from './merge.js'
import { CLOSE_TOO_SLOW, type RelayClientMessage } from './relay-protocol.js'
import type { OddsFrame } from './schema.js'
import type { FixtureSync } from './snapshot.js'
import {
  type RelayConnection,
  startTestRelay,
  type TestRelay,
} from './test-support/relay-server.js'
import { startTestRest, type TestRest } from './test-support/rest-server.js'
import type { FeedStatus } from './transport.js'

const TOKEN = 'relay-token-5d1e'

const priceFrame = (fixtureId: string, price: number, changedAt = '2026-10-01T13:00:00.000Z') =>
  ({
    fixtureId,
    bookmakerOdds: {
      pinnacle: {
        markets: {
          '101': { outcomes: { '101': { players: { '0': { price, active: true, changedAt } } } } },
        },
      },
    },
  }) as OddsFrame
const pricePath = (fixtureId: string) =>
  ({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 }) as const

let relay: TestRelay | undefined
let rest: TestRest | undefined
let feed: OddsFeed | undefined
afterEach(async () => {
  feed?.close()
  feed = undefined
  await relay?.close()
  await rest?.close()
  relay = rest = undefined
})

function open(options: Partial<OddsFeedOptions> = {}): OddsFeed {
  feed = createOddsFeed({
    url: relay!.url,
    token: TOKEN,
    protocol: 'relay',
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    ...options,
  })
  return feed
}

const sync = (f: OddsFeed, id: string, state: FixtureSync['state']) =>
  firstValueFrom(f.sync$(id).pipe(filter((s) => s.state === state)))
const price = (f: OddsFeed, id: string, value: number) =>
  firstValueFrom(f.select(pricePath(id)).pipe(filter((e) => e?.price === value)))
const subscribes = (c: RelayConnection) => c.received.filter((m) => m.op === 'subscribe')
const isOp =
  (op: RelayClientMessage['op'], id: string) =>
  (m: RelayClientMessage): boolean =>
    m.op === op && m.fixtureIds.includes(id)

describe('createOddsFeed against a relay (oddsfeed.relay.v1)', () => {
  it('subscribes on the first select, market$ or sync$, one message per tick', async () => {
    relay = await startTestRelay({ accept: (t) => t === TOKEN })
    relay.publish(priceFrame('A', 1.5))
    relay.publish(priceFrame('B', 2.5))
    const f = open()
    f.select(pricePath('A')).subscribe()
    f.select(pricePath('A')).subscribe()
    f.market$({ fixtureId: 'B', marketId: 101 }).subscribe()
    f.sync$('C').subscribe()
    const c1 = await relay.nthConnection(1)
    await price(f, 'A', 1.5)
    await price(f, 'B', 2.5)
    await sync(f, 'C', 'live') // the relay holds nothing for C: a `null` snapshot
    expect(f.get({ fixtureId: 'C' })).toBeUndefined()
    expect(subscribes(c1)).toEqual([{ op: 'subscribe', fixtureIds: ['A', 'B', 'C'] }])

    // On an open socket: everything new in one tick goes in one message; A is not asked again.
    f.select(pricePath('D')).subscribe()
    f.select(pricePath('E')).subscribe()
    f.select(pricePath('A')).subscribe()
    await c1.waitFor(isOp('subscribe', 'D'))
    await sync(f, 'E', 'live')
    expect(subscribes(c1)).toEqual([
      { op: 'subscribe', fixtureIds: ['A', 'B', 'C'] },
      { op: 'subscribe', fixtureIds: ['D', 'E'] },
    ])

    // Frames of subscribed fixtures go through the pipeline (frames$ too).
    const frame = firstValueFrom(f.frames$)
    relay.publish(priceFrame('A', 1.6, '2026-10-01T13:00:01.000Z'))
    expect((await frame).fixtureId).toBe('A')
    await price(f, 'A', 1.6)
    expect(relay.connections).toHaveLength(1)
  })

  it('unsubscribes after the grace period once the last watcher left, not before', async () => {
    relay = await startTestRelay()
    const grace = 300
    const f = open({ unsubscribeGraceMs: grace })
    const a1 = f.select(pricePath('A')).subscribe()
    const a2 = f.sync$('A').subscribe()
    const b = f.select(pricePath('B')).subscribe()
    const c1 = await relay.nthConnection(1)
    await sync(f, 'A', 'live')
    await sync(f, 'B', 'live')

    // B comes back within its grace: it stays subscribed.
    b.unsubscribe()
    const b2 = f.select(pricePath('B')).subscribe()
    a1.unsubscribe() // A is still watched by sync$
    const left = Date.now()
    a2.unsubscribe()
    const message = await c1.waitFor((m) => m.op === 'unsubscribe')
    expect(Date.now() - left).toBeGreaterThanOrEqual(grace - 5)
    expect(message).toEqual({ op: 'unsubscribe', fixtureIds: ['A'] })
    // B's grace ended before A's did: had it been unsubscribed, it would have been by now.
    expect(c1.received.filter((m) => m.op === 'unsubscribe')).toHaveLength(1)
    expect(c1.subscribed).toEqual(new Set(['B']))
    expect((await firstValueFrom(f.sync$('A'))).state).toBe('stale') // no frames come for it

    // Watching A again subscribes it again, with a fresh snapshot.
    relay.publish(priceFrame('A', 3.1))
    await price(f, 'A', 3.1)
    expect(subscribes(c1).at(-1)).toEqual({ op: 'subscribe', fixtureIds: ['A'] })
    b2.unsubscribe()
  })

  it('makes sync$ unhydrated → hydrating → live from the snapshot, with no REST call', async () => {
    relay = await startTestRelay()
    rest = await startTestRest(() => Promise.resolve({ status: 200, body: priceFrame('A', 9) }))
    relay.publish(priceFrame('A', 1.9))
    // Counted where a call would start (the server only sees it a round trip later).
    let fetches = 0
    const fetch: typeof globalThis.fetch = (input, init) => {
      fetches++
      return globalThis.fetch(input, init)
    }
    const f = open({ snapshot: { baseUrl: rest.baseUrl, cooldownMs: 0, fetch } })
    const states: string[] = []
    f.sync$('A').subscribe((s) => states.push(s.state))
    await sync(f, 'A', 'live')
    expect(states).toEqual(['unhydrated', 'hydrating', 'live'])
    expect((await firstValueFrom(f.sync$('A'))).hydratedAt).toBeGreaterThan(0)
    expect(f.get(pricePath('A'))?.price).toBe(1.9)
    relay.publish(priceFrame('A', 2.1, '2026-10-01T13:00:01.000Z'))
    await price(f, 'A', 2.1)
    expect(fetches).toBe(0)
    expect(rest.calls).toHaveLength(0)
  })

  for (const drop of ['abrupt', 'too slow (4008)'] as const) {
    it(`resubscribes what is watched after a ${drop} close, stale until the new snapshot`, async () => {
      relay = await startTestRelay()
      relay.publish(priceFrame('A', 1.5))
      relay.publish(priceFrame('B', 2.5))
      const f = open()
      const statesA: string[] = []
      f.sync$('A').subscribe((s) => statesA.push(s.state))
      const bValues: unknown[] = []
      f.select(pricePath('B')).subscribe((e) => bValues.push(e))
      const errors: FeedError[] = []
      f.errors$.subscribe((e) => errors.push(e))
      const c1 = await relay.nthConnection(1)
      await sync(f, 'A', 'live')
      await sync(f, 'B', 'live')

      const stale = sync(f, 'A', 'stale')
      if (drop === 'abrupt') c1.ws.terminate()
      else c1.ws.close(CLOSE_TOO_SLOW, 'too slow')
      await stale
      // What changed while the client was away is in the new connection's snapshot.
      relay.publish(priceFrame('A', 1.7, '2026-10-01T13:00:01.000Z'))
      const c2 = await relay.nthConnection(2)
      await c2.waitFor(isOp('subscribe', 'B'))
      await price(f, 'A', 1.7)
      await sync(f, 'A', 'live')
      await sync(f, 'B', 'live')
      expect(subscribes(c2)).toEqual([{ op: 'subscribe', fixtureIds: ['A', 'B'] }])
      expect(statesA).toEqual(['unhydrated', 'hydrating', 'live', 'stale', 'hydrating', 'live'])
      // B's snapshot is unchanged: the slice keeps its identity and its select stays quiet.
      expect(bValues.filter(Boolean)).toHaveLength(1)
      if (drop !== 'abrupt') expect(errors.map((e) => e.message).join()).toContain('4008')
    })
  }

  it('replaces what it held with the snapshot after a reconnect (the relay restarted)', async () => {
    relay = await startTestRelay()
    relay.publish({ ...priceFrame('A', 1.5), statusId: 1 })
    const f = open()
    f.select(pricePath('A')).subscribe()
    const c1 = await relay.nthConnection(1)
    await price(f, 'A', 1.5)
    // A fresh relay holds less and older than what the client merged: its word is final.
    relay.state.set('A', mergeFrame(undefined, { fixtureId: 'A', statusId: 0 }))
    c1.ws.terminate()
    await relay.nthConnection(2)
    await firstValueFrom(f.select({ fixtureId: 'A' }).pipe(filter((a) => a?.statusId === 0)))
    expect(f.get({ fixtureId: 'A' })).toEqual({ fixtureId: 'A', statusId: 0 })
  })

  it('keeps its seq count when the status says open again for the same socket', async () => {
    relay = await startTestRelay()
    const f = open()
    const errors: FeedError[] = []
    f.errors$.subscribe((e) => errors.push(e))
    f.select(pricePath('A')).subscribe()
    ;(await relay.nthConnection(1)).ws.terminate()
    const c2 = await relay.nthConnection(2)
    await sync(f, 'A', 'live')
    // After a reconnect the attempt count resets once the socket stayed open 10 s: `open` again.
    await firstValueFrom(f.status$.pipe(filter((s) => s.state === 'open' && s.attempt === 0)))
    relay.publish(priceFrame('A', 1.2))
    await price(f, 'A', 1.2)
    expect(subscribes(c2)).toHaveLength(1)
    expect(errors.map((e) => e.kind)).toEqual(['transport'])
  }, 30_000)

  it('marks the fixtures stale on a gap in seq and resubscribes them for fresh snapshots', async () => {
    relay = await startTestRelay()
    relay.publish(priceFrame('A', 1.5))
    const f = open()
    const states: string[] = []
    f.sync$('A').subscribe((s) => states.push(s.state))
    f.select(pricePath('B')).subscribe()
    const errors: FeedError[] = []
    f.errors$.subscribe((e) => errors.push(e))
    const c1 = await relay.nthConnection(1)
    await sync(f, 'A', 'live')
    await sync(f, 'B', 'live')

    c1.skip(1) // a message lost on the way
    relay.publish(priceFrame('A', 1.6, '2026-10-01T13:00:01.000Z'))
    await c1.waitFor((m) => subscribes(c1).length === 2 && m.op === 'subscribe')
    await sync(f, 'A', 'live')
    await price(f, 'A', 1.6)
    expect(subscribes(c1)[1]).toEqual({ op: 'subscribe', fixtureIds: ['A', 'B'] })
    expect(states).toEqual(['unhydrated', 'hydrating', 'live', 'stale', 'hydrating', 'live'])
    expect(errors.map((e) => [e.kind, e.code])).toEqual([['relay', 'seq_gap']])
    expect(relay.connections).toHaveLength(1)
  })

  it('reports bad relay messages and goes on', async () => {
    relay = await startTestRelay()
    const f = open()
    const errors: FeedError[] = []
    f.errors$.subscribe((e) => errors.push(e))
    f.select(pricePath('A')).subscribe()
    const c1 = await relay.nthConnection(1)
    await sync(f, 'A', 'live')

    c1.send({ op: 'bogus' })
    c1.send({ op: 'frame', frame: { fixtureId: 42 } })
    c1.send({ op: 'snapshot', fixtureId: 'A', fixture: { fixtureId: 'Z' } })
    c1.send({ op: 'snapshot', fixtureId: 'A', fixture: { fixtureId: 'A', statusId: 'x' } })
    c1.send({ op: 'error', code: 'forbidden', message: 'fixture X is out of scope' })
    c1.send({ op: 'keepalive' })
    relay.publish(priceFrame('A', 1.4))
    await price(f, 'A', 1.4)
    expect(errors.map((e) => [e.kind, e.code ?? e.path])).toEqual([
      ['schema', 'op'],
      ['schema', 'fixtureId'],
      ['schema', 'fixture.fixtureId'],
      ['schema', 'statusId'],
      ['relay', 'forbidden'],
    ])
    expect(errors[4]?.message).toContain('fixture X is out of scope')
    expect((await firstValueFrom(f.sync$('A'))).state).toBe('live')

    // Text that is not JSON carries no seq: the next message shows a gap, and A is fetched again.
    c1.sendRaw('{"op":"frame",')
    c1.skip(1)
    relay.publish(priceFrame('A', 1.3, '2026-10-01T13:00:01.000Z'))
    await price(f, 'A', 1.3)
    await c1.waitFor(() => subscribes(c1).length === 2)
    await sync(f, 'A', 'live')
    expect(errors.slice(5).map((e) => [e.kind, e.code])).toEqual([
      ['parse', undefined],
      ['relay', 'seq_gap'],
    ])
    expect(relay.connections).toHaveLength(1)
  })

  it('asks a token function before every connect and uses the new token', async () => {
    relay = await startTestRelay({ accept: (t) => t?.startsWith('tok-') ?? false })
    let calls = 0
    const token = async () => {
      await new Promise((resolve) => setTimeout(resolve, 5))
      return `tok-${++calls}`
    }
    const f = open({ token })
    f.select(pricePath('A')).subscribe()
    const c1 = await relay.nthConnection(1)
    expect(c1.token).toBe('tok-1')
    await sync(f, 'A', 'live')
    c1.ws.terminate()
    const c2 = await relay.nthConnection(2)
    expect(c2.token).toBe('tok-2')
    await c2.waitFor(isOp('subscribe', 'A'))
    await sync(f, 'A', 'live')
    expect(calls).toBe(2)
    expect(relay.tokens).toEqual(['tok-1', 'tok-2'])
  })

  it('retries when the token function fails, and says so without the token', async () => {
    relay = await startTestRelay()
    let calls = 0
    const f = open({
      token: () => {
        calls++
        if (calls === 1) throw new Error('backend down')
        return 'tok-ok'
      },
    })
    const errors: FeedError[] = []
    f.errors$.subscribe((e) => errors.push(e))
    f.select(pricePath('A')).subscribe()
    const c1 = await relay.nthConnection(1)
    expect(c1.token).toBe('tok-ok')
    await sync(f, 'A', 'live')
    expect(errors[0]?.kind).toBe('transport')
    expect(errors[0]?.message).toContain('Cannot get a token: backend down')
    expect(relay.tokens).toEqual(['tok-ok'])
  })

  it('never shows a hostile token, in any spelling, in errors or status', async () => {
    const hostile = `t ok+&%25"'<>\\ü~=?#/${'x'.repeat(8)}`
    const spellings = [
      hostile,
      encodeURIComponent(hostile),
      new URLSearchParams({ t: hostile }).toString().slice(2),
      JSON.stringify(hostile).slice(1, -1),
    ]
    relay = await startTestRelay({ accept: (t) => t === hostile })
    const f = open({ token: () => hostile, idleTimeoutMs: false })
    const errors: FeedError[] = []
    const statuses: FeedStatus[] = []
    f.errors$.subscribe((e) => errors.push(e))
    f.status$.subscribe((s) => statuses.push(s))
    f.select(pricePath('A')).subscribe()
    const c1 = await relay.nthConnection(1)
    expect(c1.token).toBe(hostile)
    await sync(f, 'A', 'live')
    // The server echoes the token back in every way it can.
    c1.send({ op: 'error', code: hostile, message: `bad token ${hostile} ${c1.requestUrl}` })
    c1.send({ op: 'frame', frame: { fixtureId: 'A', statusId: hostile } })
    c1.send({ op: 'frame', frame: { fixtureId: hostile, statusId: 'x' } })
    c1.sendRaw(`{"token": "${JSON.stringify(hostile).slice(1, -1)}"`)
    c1.send({ op: 'keepalive' })
    await firstValueFrom(f.errors$.pipe(filter((e) => e.kind === 'parse')))
    c1.ws.close(4001, `token ${hostile}`.slice(0, 120))
    await relay.nthConnection(2)
    await sync(f, 'A', 'live')
    expect(errors.map((e) => e.kind)).toEqual(['relay', 'schema', 'schema', 'parse', 'transport'])

    const texts = [
      ...errors.flatMap((e) => [e.message, e.raw, e.stack, e.path, e.fixtureId, e.code]),
      ...statuses.flatMap((s) => [
        JSON.stringify(s),
        s.url,
        s.error?.message,
        s.error?.raw,
        s.error?.stack,
      ]),
    ].filter((t): t is string => typeof t === 'string')
    expect(texts.join('\n')).toContain('***')
    for (const text of texts) for (const s of spellings) expect(text).not.toContain(s)
  })

  it('counts relay keepalives as liveness for the idle watchdog', async () => {
    relay = await startTestRelay()
    const f = open({ idleTimeoutMs: 1_000 })
    const errors: FeedError[] = []
    f.errors$.subscribe((e) => errors.push(e))
    f.select(pricePath('A')).subscribe()
    const c1 = await relay.nthConnection(1)
    await sync(f, 'A', 'live')
    let sent = 0
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        c1.send({ op: 'keepalive' })
        if (++sent === 20) {
          clearInterval(timer)
          resolve()
        }
      }, 100)
    })
    expect(errors).toEqual([])
    expect(relay.connections).toHaveLength(1)
    // Silence, on the other hand, is noticed: the watchdog is on.
    const stale = await firstValueFrom(f.errors$.pipe(filter((e) => e.kind === 'stale')))
    expect(stale.message).toContain('No frame')
    await relay.nthConnection(2)
  })
})
