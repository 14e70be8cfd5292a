/**
 * Slow client: one client reading 10 messages/s beside 99 fast ones at 2,000 frames/s. The
 * relay's heap stays bounded, the slow one is coalesced and closed as too slow (4008 on the
 * relay's side), the fast ones keep every message and end at ground truth, and the slow one
 * recovers by reconnecting (fresh snapshots: nothing lost).
 */
import { type ChildProcess, fork } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { normalizeForCompare, type Simulator, startSimulator } from '@oddsfeed/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect, eventually, sleep, type TestClient } from './test-support/relay-client.js'
import { type RelayProcess, startRelayProcess } from './test-support/relay-process.js'
import { mint, SECRET } from './test-support/tokens.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(HERE, '../../..')
const KEY = 'slow-key-51ac'
let sim: Simulator
let relay: RelayProcess
const clients: TestClient[] = []
const children: ChildProcess[] = []

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    apiKey: KEY,
    seed: 41,
    fixtures: 20,
    rate: 0,
    keepaliveMs: 1_000,
    cooldowns: false,
    // no status changes: the same 20 fixtures stay in play the whole run
    weights: { status: 0 },
  })
  relay = await startRelayProcess({
    port: 0,
    upstream: { url: sim.url, apiKey: KEY, snapshotUrl: sim.restUrl },
    secret: SECRET,
    limits: { maxBufferedBytes: 256 * 1024, tooSlowMs: 2_000, closeGraceMs: 1_000 },
  })
})

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  for (const client of clients) client.ws.terminate()
  await relay?.stop()
  await sim?.stop()
})

async function metric(name: string): Promise<number> {
  const text = await relay.metrics()
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN)
}

describe('a slow client', () => {
  it('is coalesced, then closed as too slow; the fast ones and the heap do not suffer', async () => {
    const ids = sim.fixtureIds()
    for (let i = 0; i < 99; i++) {
      const c = await connect(relay.url, await mint(), 'relay', { keep: false })
      c.subscribe([ids[i % ids.length] as string, ids[(i * 7 + 3) % ids.length] as string])
      clients.push(c)
    }
    await eventually(() =>
      clients.every((c) => c.state.size === 2 && [...c.state.values()].every(Boolean)),
    )
    sim.setRate(2_000)
    await sleep(2_000)
    // the relay's heap with the fast clients at full rate, before the slow one comes
    const heapBefore = await relay.heap()
    const slow = fork(join(HERE, 'test-support/slow-client.ts'), [], {
      cwd: ROOT,
      execArgv: ['--conditions=@oddsfeed/source', '--import', 'tsx'],
      env: {
        ...process.env,
        SLOW_URL: `${relay.url}?token=${await mint()}`,
        SLOW_FIXTURES: JSON.stringify(ids),
        SLOW_RATE: '10',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    children.push(slow)
    await new Promise<void>((r) => slow.once('message', () => r()))
    const heaps: number[] = []
    await eventually(
      async () => {
        heaps.push(await relay.heap())
        return (await metric('oddsfeed_relay_closed_too_slow_total')) >= 1
      },
      60_000,
      1_000,
    )
    await sleep(1_000)
    heaps.push(await relay.heap())
    sim.setRate(0)
    // (the slow client itself would take minutes to read up to the close frame: it is killed)
    slow.kill('SIGKILL')
    expect(await metric('oddsfeed_relay_coalesced_total')).toBeGreaterThan(0)
    // bounded: the relay did not keep what the slow client could not read
    const growth = Math.max(...heaps) - heapBefore
    console.log(
      `slow client coalesced ${await metric('oddsfeed_relay_coalesced_total')} frames, then closed; heap growth ${(growth / 2 ** 20).toFixed(1)} MiB`,
    )
    expect(growth).toBeLessThan(64 * 2 ** 20)
    // the fast ones got everything, in order, and hold the truth
    const truth = new Map(ids.map((id) => [id, normalizeForCompare(sim.generator?.restOdds(id))]))
    await eventually(() => {
      for (const c of clients) {
        for (const [id, state] of c.state)
          expect(normalizeForCompare(state), id).toEqual(truth.get(id))
      }
    })
    for (const c of clients) expect(c.seqErrors).toEqual([])
    // the slow client's SDK reconnects and resubscribes: fresh snapshots, nothing lost
    const again = await connect(relay.url, await mint(), 'relay')
    clients.push(again)
    again.subscribe(ids)
    await eventually(() => {
      for (const id of ids)
        expect(normalizeForCompare(again.state.get(id)), id).toEqual(truth.get(id))
    })
  })
})
