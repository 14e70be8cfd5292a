/**
 * `pnpm demo`: starts the simulator and the board's Vite dev server together on 127.0.0.1,
 * prints the URL, and stops both on Ctrl-C / SIGTERM.
 *
 * `DEMO_RELAY=1 pnpm demo`: simulator → relay → board. `@oddsfeed/relay` (memory mode, a secret
 * made up for the run) holds the one upstream connection and the key; this server plays the app's
 * backend: it mints short-lived tokens with that secret (`jose`) and hands them out at
 * `GET /token`, and serves the fixture list and the catalogue (`/v4/fixtures`, `/v4/markets`,
 * `/v4/tournaments`, the key added here). The board creates its feed with
 * `{ url: relayUrl, token: () => fetch('/token')…, protocol: 'relay' }`, the same app code
 * otherwise; it holds no key and makes no `/v4/odds` call (the relay's snapshots hydrate it). The
 * header says "via relay".
 *
 * Environment: `DEMO_PORT` (default 5173, or the next free port when it is taken; a port given
 * here is used or the start fails), `DEMO_FIXTURES` (default 40), `DEMO_RATE` (frames/s,
 * default 200), `DEMO_SEED` (default 1), `DEMO_SPEED` (match time per wall-clock time, default 60:
 * a soccer match lasts about two minutes), `DEMO_GENERATION` (REST payloads, 2025 or 2026).
 * @module
 */
import { startSimulator } from '@oddsfeed/simulator'
import { createServer } from 'vite'
import { demoConfig } from '../vite.config.js'
import { type DemoRelay, startDemoRelay } from './relay.js'

/** The simulator's key: a public demo key, fine to hand to the page. */
const DEMO_KEY = 'demo-key'

const intFromEnv = (name: string, fallback: number): number => {
  const value = Number(process.env[name])
  return Number.isInteger(value) && value >= 0 ? value : fallback
}

const sim = await startSimulator({
  port: 0,
  apiKey: DEMO_KEY,
  seed: intFromEnv('DEMO_SEED', 1),
  fixtures: intFromEnv('DEMO_FIXTURES', 40),
  rate: intFromEnv('DEMO_RATE', 200),
  speed: intFromEnv('DEMO_SPEED', 60) || 60,
  generation: process.env.DEMO_GENERATION === '2025' ? 2025 : 2026,
  sports: [10, 11, 12, 17],
  // the simulator is ours: a short /v4/odds cooldown lets the board hydrate its rows quickly
  cooldowns: { odds: 20 },
})

const viaRelay = process.env.DEMO_RELAY === '1'
let relay: DemoRelay | undefined
let server: Awaited<ReturnType<typeof createServer>> | undefined
let stopping = false
const stop = async (code: number) => {
  if (stopping) return
  stopping = true
  const timer = setTimeout(() => process.exit(code), 5000)
  timer.unref()
  await Promise.allSettled([server?.close(), relay?.stop()])
  await sim.stop()
  process.exit(code)
}
process.once('SIGINT', () => void stop(0))
process.once('SIGTERM', () => void stop(0))

// an explicit DEMO_PORT is kept to (or the start fails); the default moves on when taken
const askedPort = process.env.DEMO_PORT !== undefined && process.env.DEMO_PORT !== ''
const port = intFromEnv('DEMO_PORT', 5173)
try {
  const simulator = { url: sim.url, apiKey: DEMO_KEY, restUrl: sim.restUrl }
  if (viaRelay) relay = await startDemoRelay(simulator)
  server = await createServer(
    demoConfig({
      simulator,
      ...(relay && { relay: { url: relay.url, token: relay.token } }),
      port,
      strictPort: askedPort,
    }),
  )
  await server.listen()
} catch (error) {
  console.error(`Cannot start the dev server: ${error instanceof Error ? error.message : error}`)
  if (askedPort) console.error('Pick another port (DEMO_PORT=5180 pnpm demo) or unset DEMO_PORT.')
  await stop(1)
}

// the URL actually served: Vite took the next free port if the default one was taken
const url = server?.resolvedUrls?.local[0]
if (!url) {
  console.error('The dev server did not say where it listens.')
  await stop(1)
}
const served = server?.config.server.port
if (served !== undefined && served !== port) console.log(`port ${port} is in use; took ${served}`)
console.log(`oddsfeed demo: ${url}`)
console.log(`  simulator ${sim.url} (REST ${sim.restUrl}) · Ctrl-C stops all`)
if (relay) console.log(`  via relay ${relay.url} (tokens at /token)`)
