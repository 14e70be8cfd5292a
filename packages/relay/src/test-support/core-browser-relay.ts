/**
 * A simulator and a relay (memory mode) on 127.0.0.1 in a child process, started by the core's
 * browser project's global setup (`packages/core/src/test-support/browser-global-setup.ts`) for
 * `relay.browser.test.ts`, which runs the core's relay mode in Chromium. It lives in this package
 * and its own process: the core cannot depend on `@oddsfeed/relay` (which depends on the core;
 * pnpm refuses the cycle when it builds), and its global setups run without the workspace's
 * source condition.
 *
 * Tells its parent over IPC (`{ type: 'ready', relayUrl, relayToken, relayControl }`):
 * - `relayUrl`: the relay's `ws://127.0.0.1:PORT/v4/ws`;
 * - `relayToken`: a short-lived JWT (HS256, the relay's secret, `exp` in 5 minutes), minted
 *   here with `jose` as an app's backend would;
 * - `relayControl`: `http://127.0.0.1:PORT` of a small control server the page may call (CORS
 *   open), standing in for the simulator's own controls:
 *   - `GET /fixture`: `{ fixtureId, path }`, a fixture and one of its price entries;
 *   - `POST /move`: moves that entry's price at the simulator, answers `{ price }`;
 *   - `POST /compare` (body: the page's fixture, JSON as text): `{ state, truth }`, the page's
 *     fixture and the simulator's REST `/v4/odds` answer, both through `normalizeForCompare`.
 *
 * Stops (and exits) on a `stop` message, SIGTERM or when the parent goes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { normalizeForCompare, startSimulator } from '@oddsfeed/simulator'
import { startRelay } from '../relay.js'
import { mint, SECRET } from './tokens.js'

/** The simulator's key: the relay holds it, the page never sees it. */
const KEY = 'core-browser-key-%2B&x=1'

// rate 0: only the moves the page asks for change a price, so the end state is known
const sim = await startSimulator({
  port: 0,
  apiKey: KEY,
  seed: 12,
  fixtures: 6,
  rate: 0,
  keepaliveMs: 500,
  cooldowns: false,
})
const relay = await startRelay({
  port: 0,
  upstream: { url: sim.url, apiKey: KEY, snapshotUrl: sim.restUrl },
  secret: SECRET,
})
const fixtureId = sim.fixtureIds()[0] ?? ''
const path = firstEntry(sim.generator?.restOdds(fixtureId), fixtureId)

const handle = async (request: IncomingMessage, response: ServerResponse) => {
  const route = `${request.method} ${new URL(request.url ?? '/', 'http://control').pathname}`
  if (request.method === 'OPTIONS') return send(response, 204, undefined)
  if (route === 'GET /fixture') return send(response, 200, { fixtureId, path })
  if (route === 'POST /move') {
    const frame = sim.movePrice(path)
    const price =
      frame.bookmakerOdds?.[path.bookmaker]?.markets?.[path.marketId]?.outcomes?.[path.outcomeId]
        ?.players?.[path.playerId]?.price
    return send(response, 200, { price })
  }
  if (route === 'POST /compare') {
    const state: unknown = JSON.parse(await body(request))
    const query = `fixtureId=${encodeURIComponent(fixtureId)}&apiKey=${encodeURIComponent(KEY)}`
    const rest = await fetch(`${sim.restUrl}/v4/odds?${query}`)
    if (!rest.ok) throw new Error(`simulator REST /v4/odds answered ${rest.status}`)
    const truth: unknown = await rest.json()
    return send(response, 200, {
      state: normalizeForCompare(state),
      truth: normalizeForCompare(truth),
    })
  }
  send(response, 404, { error: `no route ${route}` })
}
const control = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    send(response, 500, { error: error instanceof Error ? error.message : String(error) })
  })
})
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve))
const { port } = control.address() as AddressInfo

let stopping: Promise<void> | undefined
const stop = () => {
  stopping ??= (async () => {
    control.closeAllConnections()
    await new Promise((resolve) => control.close(resolve))
    await relay.stop()
    await sim.stop()
    process.exit(0)
  })()
  return stopping
}
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stop') void stop()
})
process.once('disconnect', () => void stop())
process.once('SIGTERM', () => void stop())

process.send?.({
  type: 'ready',
  relayUrl: relay.url,
  relayToken: await mint({}, { expiresIn: 300 }),
  relayControl: `http://127.0.0.1:${port}`,
})

/** A price entry of a fixture (REST `/v4/odds` shape), to move at the simulator. */
interface EntryPath {
  fixtureId: string
  bookmaker: string
  marketId: string
  outcomeId: string
  playerId: string
}

type Tree = Record<string, { markets?: Record<string, { outcomes?: Record<string, object> }> }>

function firstEntry(odds: unknown, fixtureId: string): EntryPath {
  const bookmakers = (odds as { bookmakerOdds?: Tree } | undefined)?.bookmakerOdds ?? {}
  for (const [bookmaker, { markets = {} }] of Object.entries(bookmakers)) {
    for (const [marketId, { outcomes = {} }] of Object.entries(markets)) {
      for (const [outcomeId, outcome] of Object.entries(outcomes)) {
        const players = (outcome as { players?: Record<string, unknown> }).players ?? {}
        for (const playerId of Object.keys(players)) {
          return { fixtureId, bookmaker, marketId, outcomeId, playerId }
        }
      }
    }
  }
  throw new Error(`simulator fixture ${fixtureId} has no price entry`)
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    request.setEncoding('utf8')
    request.on('data', (chunk: string) => {
      text += chunk
    })
    request.on('end', () => resolve(text))
    request.on('error', reject)
  })
}

function send(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'content-type',
    ...(value !== undefined && { 'content-type': 'application/json' }),
  })
  response.end(value === undefined ? undefined : JSON.stringify(value))
}
