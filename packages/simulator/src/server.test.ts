import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createOddsFeed, type OddsFeed, type OddsFrame } from '@oddsfeed/core'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { normalizeForCompare } from './normalize.js'
import { type Simulator, type SimulatorOptions, startSimulator } from './server.js'

const KEY = 'sim-test-key'
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function sim(options: SimulatorOptions = {}): Promise<Simulator> {
  const s = await startSimulator({ apiKey: KEY, seed: 1, fixtures: 6, rate: 0, ...options })
  cleanups.push(() => s.stop())
  return s
}

/** Resolves when `check` is true, polling; fails after `ms`. */
async function until(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

interface Client {
  ws: WebSocket
  messages: string[]
  closed: Promise<{ code: number }>
}

/** A raw client; resolves when open, rejects with the HTTP status when refused. */
function connect(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const messages: string[] = []
    const closed = new Promise<{ code: number }>((r) => ws.on('close', (code) => r({ code })))
    ws.on('message', (data) => messages.push(String(data)))
    ws.on('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`refused ${res.statusCode}`), { status: res.statusCode }))
      ws.terminate()
    })
    ws.on('error', (e) => reject(e))
    ws.on('open', () => resolve({ ws, messages, closed }))
    cleanups.push(() => ws.terminate())
  })
}

const withKey = (s: Simulator, key = KEY) => `${s.url}?apiKey=${encodeURIComponent(key)}`

describe('startSimulator: handshake and REST', () => {
  it('listens on 127.0.0.1 with socket and REST on one port', async () => {
    const s = await sim()
    expect(s.url).toBe(`ws://127.0.0.1:${s.port}/v4/ws`)
    expect(s.restUrl).toBe(`http://127.0.0.1:${s.port}`)
  })

  it('refuses a wrong or missing key with 401 and an unknown path with 404, at the handshake', async () => {
    const s = await sim()
    await expect(connect(withKey(s, 'wrong'))).rejects.toMatchObject({ status: 401 })
    await expect(connect(s.url)).rejects.toMatchObject({ status: 401 })
    await expect(connect(`ws://127.0.0.1:${s.port}/v3/ws?apiKey=${KEY}`)).rejects.toMatchObject({
      status: 404,
    })
    const ok = await connect(withKey(s))
    expect(ok.ws.readyState).toBe(WebSocket.OPEN)
    expect(s.stats()).toMatchObject({ connections: 1, handshakesRefused: 3 })
  })

  it('answers /v4/odds and /v4/fixtures with cooldowns (429 + retryMs), 404 and 401', async () => {
    const s = await sim()
    const get = async (path: string) => {
      const res = await fetch(`${s.restUrl}${path}`)
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    }
    const id = s.fixtureIds()[0] as string
    const first = await get(`/v4/odds?fixtureId=${id}&apiKey=${KEY}`)
    expect(first.status).toBe(200)
    expect(first.body.fixtureId).toBe(id)
    const limited = await get(`/v4/odds?fixtureId=${id}&apiKey=${KEY}`)
    expect(limited.status).toBe(429)
    const retryMs = (limited.body.error as { retryMs: number }).retryMs
    expect(retryMs).toBeGreaterThan(0)
    expect(retryMs).toBeLessThanOrEqual(500)
    expect(limited.body.error).toMatchObject({ code: 'RATE_LIMITED' })
    await new Promise((r) => setTimeout(r, retryMs + 20))
    expect((await get(`/v4/odds?fixtureId=nope&apiKey=${KEY}`)).status).toBe(404)
    expect((await get(`/v4/odds?fixtureId=${id}&apiKey=bad`)).status).toBe(401)

    const list = await fetch(`${s.restUrl}/v4/fixtures?apiKey=${KEY}`)
    expect(list.status).toBe(200)
    expect(((await list.json()) as { fixtureId: string }[]).map((f) => f.fixtureId)).toEqual(
      s.fixtureIds(),
    )
    expect((await fetch(`${s.restUrl}/v4/fixtures?apiKey=${KEY}`)).status).toBe(429)
    expect(s.stats().restRateLimited).toBe(2)
  })

  it('serves the market catalogue (GET /v4/markets, 1 s cooldown) and the tournaments', async () => {
    const s = await sim()
    const get = async (path: string) => {
      const res = await fetch(`${s.restUrl}${path}`)
      return { status: res.status, body: (await res.json()) as unknown }
    }
    const markets = await get(`/v4/markets?apiKey=${KEY}`)
    expect(markets.status).toBe(200)
    const rows = markets.body as { marketId: number; sportId: number; outcomes: unknown[] }[]
    expect(rows.find((r) => r.marketId === 101)).toMatchObject({
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
    })
    expect(rows.find((r) => r.marketId === 1010)).toMatchObject({ handicap: 2.5 })
    expect(new Set(rows.map((r) => r.sportId))).toEqual(new Set([10, 11, 12]))
    expect((await get(`/v4/markets?apiKey=${KEY}`)).status).toBe(429)
    expect((await get(`/v4/markets?apiKey=wrong`)).status).toBe(401)
    const tournaments = await get(`/v4/tournaments?apiKey=${KEY}&sportId=10`)
    expect(tournaments.body).toContainEqual({
      tournamentId: 17,
      tournamentName: 'Premier League',
      sportId: 10,
    })
  })
})

describe('startSimulator: the feed', () => {
  it('is the ground truth: core state (REST seed + socket frames) equals REST, fixture by fixture', async () => {
    const s = await sim({ fixtures: 8, cooldowns: false, seed: 3 })
    const feed: OddsFeed = createOddsFeed({ url: s.url, apiKey: KEY, batch: 'sync' })
    cleanups.push(() => feed.close())
    let received = 0
    feed.frames$.subscribe(() => received++)
    await new Promise<void>((resolve) =>
      feed.status$.subscribe((st) => st.state === 'open' && resolve()),
    )
    const restOf = async (id: string) =>
      (await (await fetch(`${s.restUrl}/v4/odds?fixtureId=${id}&apiKey=${KEY}`)).json()) as unknown
    for (const id of s.fixtureIds()) feed.ingest(await restOf(id))
    received = 0 // ingest publishes on frames$ too: count socket frames only
    const start = s.stats().framesSent
    s.setRate(2000)
    await until(() => s.stats().framesSent - start >= 3000, 20_000, '3000 frames sent')
    s.setRate(0)
    const total = s.stats().framesSent - start
    await until(() => received >= total, 20_000, 'every frame received')
    expect(received).toBe(total)
    const ids = s.fixtureIds()
    for (const id of ids) {
      expect(normalizeForCompare(feed.get({ fixtureId: id })), id).toEqual(
        normalizeForCompare(await restOf(id)),
      )
    }
  }, 40_000)

  it('sends text frames that carry one bookmaker each, and a non-JSON keepalive', async () => {
    const s = await sim({ rate: 200, keepaliveMs: 100 })
    const c = await connect(withKey(s))
    await until(() => c.messages.filter((m) => m === 'ping').length >= 2, 10_000, 'keepalives')
    await until(() => c.messages.length >= 30, 10_000, 'frames')
    for (const m of c.messages) {
      if (m === 'ping') continue
      const frame = JSON.parse(m) as OddsFrame
      expect(typeof frame.fixtureId).toBe('string')
      expect(Object.keys(frame.bookmakerOdds ?? { one: 1 })).toHaveLength(1)
    }
    expect(s.stats().keepalivesSent).toBeGreaterThanOrEqual(2)
  })

  it('movePrice sends one frame with the new price, even at rate 0; setRate starts the traffic', async () => {
    const s = await sim({ sports: [10] })
    const c = await connect(withKey(s))
    const fixtureId = s.fixtureIds()[0] as string
    const frame = s.movePrice({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101 })
    await until(() => c.messages.length === 1, 5000, 'the moved price')
    expect(JSON.parse(c.messages[0] as string)).toEqual(frame)
    const price = frame.bookmakerOdds?.pinnacle?.markets?.['101']?.outcomes?.['101']?.players?.['0']
      ?.price as number
    const rest = (await (
      await fetch(`${s.restUrl}/v4/odds?fixtureId=${fixtureId}&apiKey=${KEY}`)
    ).json()) as OddsFrame
    expect(
      rest.bookmakerOdds?.pinnacle?.markets?.['101']?.outcomes?.['101']?.players?.['0']?.price,
    ).toBe(price)
    await new Promise((r) => setTimeout(r, 100))
    expect(c.messages).toHaveLength(1)
    s.setRate(500)
    await until(() => c.messages.length > 10, 5000, 'traffic')
  })
})

describe('startSimulator: faults and controls', () => {
  it('drops connections cleanly (1001) or abruptly (1006)', async () => {
    const s = await sim()
    const a = await connect(withKey(s))
    expect(s.dropConnections()).toBe(1)
    expect((await a.closed).code).toBe(1001)
    const b = await connect(withKey(s))
    s.dropConnections({ abrupt: true })
    expect((await b.closed).code).toBe(1006)
    expect(s.stats().connectionsDropped).toBe(2)
  })

  it('drops every N ms with the dropEveryMs fault', async () => {
    const s = await sim({ dropEveryMs: 100, dropMode: 'abrupt' })
    const a = await connect(withKey(s))
    expect((await a.closed).code).toBe(1006)
  })

  it('stalls: sends nothing, keeps the connection open, then goes on', async () => {
    const s = await sim({ rate: 300, keepaliveMs: 50 })
    const c = await connect(withKey(s))
    await until(() => c.messages.length > 5, 5000, 'traffic')
    s.stall(600)
    const sentAt = s.stats().messagesSent
    // what was written before the stall may still be in flight on a loaded machine: let it land
    await new Promise((r) => setTimeout(r, 150))
    const at = c.messages.length
    await new Promise((r) => setTimeout(r, 250))
    expect(s.stats().messagesSent).toBe(sentAt) // the server wrote nothing while stalled
    expect(c.messages.length - at).toBeLessThanOrEqual(1)
    expect(c.ws.readyState).toBe(WebSocket.OPEN)
    expect(s.stats().stalled).toBe(true)
    await until(() => c.messages.length > at + 10, 5000, 'traffic after the stall')
  })

  it('injects malformed and oversized frames', async () => {
    const s = await sim({
      rate: 400,
      malformedEvery: 5,
      oversizedEvery: 7,
      oversizedBytes: 300_000,
    })
    const c = await connect(withKey(s))
    await until(
      () => s.stats().oversizedSent >= 1 && s.stats().malformedSent >= 1,
      10_000,
      'faults',
    )
    await until(() => c.messages.some((m) => m.length >= 300_000), 10_000, 'oversized frame')
    const malformed = c.messages.filter((m) => {
      try {
        JSON.parse(m)
        return false
      } catch {
        return m.startsWith('{')
      }
    })
    expect(malformed.length).toBeGreaterThan(0)
  })

  it('refuses handshakes with 429 or 500, the first N of them', async () => {
    const s = await sim({ refuseHandshake: 429, refuseCount: 1 })
    await expect(connect(withKey(s))).rejects.toMatchObject({ status: 429 })
    expect((await connect(withKey(s))).ws.readyState).toBe(WebSocket.OPEN)
    const t = await sim({ refuseHandshake: 500 })
    await expect(connect(withKey(t))).rejects.toMatchObject({ status: 500 })
    await expect(connect(withKey(t))).rejects.toMatchObject({ status: 500 })
  })
})

describe('startSimulator: replay', () => {
  it('serves a capture exactly, from the first connection, N× faster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oddsfeed-replay-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'cap.ndjson')
    const texts = [
      '{"fixtureId":"id1","statusId":1}',
      'ping',
      '{"fixtureId":"id2","bookmakerOdds":{"stake":{"bookmakerFixtureId":"7","fixturePath":"/p"}}}',
      '{"fixtureId":"id1","statusId":2}',
    ]
    writeFileSync(
      file,
      texts
        .map((t, i) => {
          let frame: unknown = t
          try {
            frame = JSON.parse(t)
          } catch {}
          return `${JSON.stringify({ t: 1_000_000 + i * 200, frame })}\n`
        })
        .join(''),
    )
    const s = await sim({ replay: { source: file, speed: 10 } })
    await new Promise((r) => setTimeout(r, 100))
    expect(s.stats().framesSent).toBe(0) // waits for a client
    const c = await connect(withKey(s))
    await s.replayDone
    await until(() => c.messages.length === texts.length, 5000, 'the replay')
    expect(c.messages).toEqual(texts)
  })
})
