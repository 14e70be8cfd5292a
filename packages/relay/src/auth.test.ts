import { type Fixture, type OddsFrame, RELAY_PROTOCOL } from '@oddsfeed/core'
import { type Simulator, startSimulator } from '@oddsfeed/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { type Relay, startRelay } from './relay.js'
import { connect, eventually, sleep, type TestClient } from './test-support/relay-client.js'
import { mint, SECRET } from './test-support/tokens.js'

const KEY = 'auth-key-93c1'
let sim: Simulator
let relay: Relay
const clients: TestClient[] = []

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    apiKey: KEY,
    seed: 5,
    fixtures: 6,
    rate: 0,
    keepaliveMs: 300,
  })
  relay = await startRelay({
    port: 0,
    upstream: { url: sim.url, apiKey: KEY, snapshotUrl: sim.restUrl },
    secret: SECRET,
  })
})

afterAll(async () => {
  for (const client of clients) client.ws.terminate()
  await relay.stop()
  await sim.stop()
})

async function status(url: string, protocol?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = protocol ? new WebSocket(url, protocol) : new WebSocket(url)
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0)
      ws.terminate()
    })
    ws.once('open', () => {
      resolve(101)
      ws.close()
    })
    ws.once('error', reject)
  })
}

describe('handshake auth', () => {
  it('refuses a missing, badly signed, expired or exp-less token with 401', async () => {
    const withToken = async (token: string) => `${relay.url}?token=${encodeURIComponent(token)}`
    expect(await status(relay.url)).toBe(401)
    expect(await status(relay.url, RELAY_PROTOCOL)).toBe(401)
    expect(await status(await withToken('not-a-jwt'))).toBe(401)
    expect(await status(await withToken(await mint({}, { secret: 'another-secret' })))).toBe(401)
    expect(await status(await withToken(await mint({}, { expiresIn: -10 })))).toBe(401)
    expect(await status(await withToken(await mint({}, { exp: false })))).toBe(401)
    expect(await status(await withToken(await mint({ bookmakers: 'pinnacle' })))).toBe(401)
    expect(await status(await withToken(await mint()))).toBe(101)
    expect(await status(await withToken(await mint()), RELAY_PROTOCOL)).toBe(101)
  })

  it('answers 404 off /v4/ws, and serves /healthz and /metrics', async () => {
    const http = relay.url.replace('ws://', 'http://').replace('/v4/ws', '')
    expect(await status(`${http.replace('http', 'ws')}/other?token=${await mint()}`)).toBe(404)
    const health = (await (await fetch(`${http}/healthz`)).json()) as Record<string, unknown>
    expect(health).toMatchObject({ status: 'ok', role: 'single', upstream: 'open' })
    const metrics = await (await fetch(`${http}/metrics`)).text()
    expect(metrics).toMatch(/^oddsfeed_relay_clients \d+$/m)
    expect(metrics).toMatch(/^oddsfeed_relay_handshakes_refused_total [1-9]\d*$/m)
  })

  it('the authenticate hook replaces token verification', async () => {
    const hooked = await startRelay({
      port: 0,
      upstream: { url: sim.url, apiKey: KEY, snapshotUrl: sim.restUrl },
      authenticate: (request) =>
        request.headers['x-app-session'] === 'yes' ? { bookmakers: ['pinnacle'] } : null,
    })
    try {
      expect(await status(hooked.url)).toBe(401)
      const ok = await new Promise<number>((resolve) => {
        const ws = new WebSocket(hooked.url, { headers: { 'x-app-session': 'yes' } })
        ws.once('open', () => {
          resolve(101)
          ws.close()
        })
        ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0))
      })
      expect(ok).toBe(101)
    } finally {
      await hooked.stop()
    }
  })

  it('a hook that does not settle in authTimeoutMs is refused with 503, and the relay goes on', async () => {
    const lines: string[] = []
    const hooked = await startRelay({
      port: 0,
      upstream: { url: sim.url, apiKey: KEY, snapshotUrl: sim.restUrl },
      authenticate: (request) =>
        request.headers['x-app-session'] === 'hang'
          ? new Promise<null>(() => {})
          : { bookmakers: ['pinnacle'] },
      limits: { authTimeoutMs: 150 },
      logger: { info() {}, warn: (m) => lines.push(m), error: (m) => lines.push(m) },
    })
    try {
      const hung = await new Promise<number>((resolve) => {
        const ws = new WebSocket(hooked.url, { headers: { 'x-app-session': 'hang' } })
        ws.on('error', () => {})
        ws.once('unexpected-response', (_q, res) => {
          resolve(res.statusCode ?? 0)
          ws.terminate()
        })
        ws.once('open', () => {
          resolve(101)
          ws.close()
        })
      })
      expect(hung).toBe(503)
      expect(lines.some((line) => /authentication took over 150 ms/.test(line))).toBe(true)
      expect(await status(hooked.url)).toBe(101)
    } finally {
      await hooked.stop()
    }
  })
})

describe('scope claims', () => {
  it('bookmakers and fixtures narrow what plain and relay clients get', async () => {
    const [inScope, outOfScope] = sim.fixtureIds() as [string, string]
    const claims = { bookmakers: ['pinnacle', 'bet365'], fixtures: [inScope] }
    const plain = await connect(relay.url, await mint(claims), 'plain')
    const scoped = await connect(relay.url, await mint(claims), 'relay')
    const open = await connect(relay.url, await mint(), 'relay')
    clients.push(plain, scoped, open)
    scoped.subscribe([inScope, outOfScope])
    open.subscribe([inScope])
    await eventually(() => scoped.messages.some((m) => m.op === 'error'))
    const error = scoped.messages.find((m) => m.op === 'error')
    expect(error).toMatchObject({ op: 'error', code: 'forbidden' })
    expect(JSON.stringify(error)).toContain(outOfScope)
    await eventually(
      () => scoped.state.get(inScope) !== undefined && open.state.get(inScope) !== undefined,
    )
    sim.setRate(300)
    await sleep(1000)
    sim.setRate(0)
    await sleep(300)
    const bookmakersOf = (fixture: Fixture | undefined) => Object.keys(fixture?.bookmakerOdds ?? {})
    const allowed = new Set(claims.bookmakers)
    // the unscoped client sees more bookmakers than the scope allows...
    expect(bookmakersOf(open.state.get(inScope)).some((b) => !allowed.has(b))).toBe(true)
    // ...the scoped ones never see another
    for (const c of [scoped, plain]) {
      for (const text of c.texts) {
        if (!text.startsWith('{')) continue
        const message = JSON.parse(text) as { frame?: OddsFrame; fixture?: Fixture } & OddsFrame
        const payload =
          message.frame ?? message.fixture ?? (message.fixtureId ? message : undefined)
        if (!payload) continue
        expect(payload.fixtureId).toBe(inScope)
        for (const b of bookmakersOf(payload as Fixture)) expect(allowed.has(b), b).toBe(true)
      }
    }
    expect(plain.texts.filter((t) => t.startsWith('{')).length).toBeGreaterThan(0)
    expect(bookmakersOf(scoped.state.get(inScope)).length).toBeGreaterThan(0)
    // what the scoped client holds is the unscoped client's state, cut to its bookmakers
    await eventually(() => {
      const full = open.state.get(inScope)
      const cut = Object.fromEntries(
        Object.entries(full?.bookmakerOdds ?? {}).filter(([b]) => allowed.has(b)),
      )
      expect(scoped.state.get(inScope)).toEqual({ ...full, bookmakerOdds: cut })
    })
  })
})
