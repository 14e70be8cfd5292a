/**
 * The upstream key never leaves the relay: no byte a client receives (plain or relay protocol,
 * snapshots, frames, errors, keepalives), no log line, no health or metrics body contains it in
 * any spelling. Hostile keys: characters that URL, form and JSON encodings each change.
 */
import { type Simulator, startSimulator } from '@oddsfeed/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import { spellings } from './redact.js'
import { type Relay, startRelay } from './relay.js'
import { connect, eventually, sleep, type TestClient } from './test-support/relay-client.js'
import { mint, SECRET } from './test-support/tokens.js'

const HOSTILE = ['k+y~ "q\\%41&a=b/é', "<'key'>;\u2028+~~", 'AbC%7e+%2B~/ ?#']

let sim: Simulator | undefined
let relay: Relay | undefined
const clients: TestClient[] = []
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate()
  await relay?.stop()
  await sim?.stop()
  relay = sim = undefined
})

async function everythingVisible(key: string, relayKey: string) {
  sim = await startSimulator({
    port: 0,
    apiKey: key,
    seed: 9,
    fixtures: 4,
    rate: 0,
    keepaliveMs: 200,
  })
  const logs: string[] = []
  const log = (m: string) => logs.push(m)
  relay = await startRelay({
    port: 0,
    upstream: { url: sim.url, apiKey: relayKey, snapshotUrl: sim.restUrl },
    secret: SECRET,
    logger: { info: log, warn: log, error: log },
    limits: { keepaliveMs: 200, hydrationWaitMs: 500 },
    upstreamTuning: { reconnect: { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 3 } },
  })
  const plain = await connect(relay.url, await mint(), 'plain')
  const proto = await connect(relay.url, await mint(), 'relay')
  clients.push(plain, proto)
  const ids = sim.fixtureIds()
  proto.subscribe(ids)
  proto.send('{"op":"subscribe","fixtureIds":"x"}')
  const refused = key !== relayKey
  await eventually(() =>
    refused
      ? proto.messages.filter((m) => m.op === 'snapshot').length >= ids.length
      : ids.every((id) => proto.state.get(id) !== undefined),
  )
  sim.setRate(200)
  await sleep(600)
  sim.setRate(0)
  sim.dropConnections({ abrupt: true })
  await sleep(400)
  const http = relay.url.replace(/^ws/, 'http').replace(/\/v4\/ws$/, '')
  const bodies = await Promise.all(
    ['/healthz', '/metrics', '/nope'].map(async (p) => (await fetch(`${http}${p}`)).text()),
  )
  return { texts: [...plain.texts, ...proto.texts], logs, bodies }
}

describe('the upstream key', () => {
  for (const key of HOSTILE) {
    it(`never reaches a client, a log line or a metric: ${JSON.stringify(key)}`, async () => {
      const seen = await everythingVisible(key, key)
      expect(seen.texts.length).toBeGreaterThan(20)
      expect(seen.logs.some((l) => l.includes('upstream open'))).toBe(true)
      const all = [...seen.texts, ...seen.logs, ...seen.bodies].join('\n')
      for (const spelling of spellings(key)) expect(all).not.toContain(spelling)
    })
  }

  it('nor when the upstream refuses it (errors are logged, redacted)', async () => {
    const key = HOSTILE[0] as string
    const seen = await everythingVisible('the-right-key', key)
    expect(seen.logs.some((l) => /refused|401/.test(l))).toBe(true)
    const all = [...seen.texts, ...seen.logs, ...seen.bodies].join('\n')
    for (const spelling of spellings(key)) expect(all).not.toContain(spelling)
  })
})
