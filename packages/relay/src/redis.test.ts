/**
 * Scale-out: two relay processes share one upstream through a real redis-server. The leader
 * is SIGKILLed mid-run; the follower takes the upstream over; every client (those of the dead
 * instance after reconnecting to the other) ends at the simulator's ground truth.
 */
import {
  createPrng,
  normalizeForCompare,
  type Simulator,
  startSimulator,
} from '@oddsfeed/simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisProcess, startRedis } from './test-support/redis.js'
import { type DurableClient, durable, eventually, sleep } from './test-support/relay-client.js'
import { type RelayProcess, startRelayProcess } from './test-support/relay-process.js'
import { mint, SECRET } from './test-support/tokens.js'

const KEY = 'redis-key+~"9x'
let redis: RedisProcess
let sim: Simulator
const relays: RelayProcess[] = []
const clients: DurableClient[] = []

beforeAll(async () => {
  redis = await startRedis()
  sim = await startSimulator({
    port: 0,
    apiKey: KEY,
    seed: 23,
    fixtures: 10,
    rate: 0,
    keepaliveMs: 300,
  })
})

afterAll(async () => {
  for (const client of clients) client.stop()
  await Promise.all(relays.map((r) => r.stop()))
  await sim?.stop()
  await redis?.stop()
})

const relayOptions = () => ({
  port: 0,
  upstream: { url: sim.url, apiKey: KEY, snapshotUrl: sim.restUrl },
  secret: SECRET,
  redis: { url: redis.url, lockTtlMs: 1_500, renewMs: 400 },
  upstreamTuning: {
    reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
    idleTimeoutMs: 2_000,
    snapshot: { retryDelayMs: 100, maxRetryDelayMs: 1_000, maxAttempts: 50 },
  },
  limits: { releaseAfterMs: 1_000 },
})

describe('two relays + Redis', () => {
  it('followers serve from Redis (one joins mid-stream), one takes the upstream over when the leader is killed, clients end at ground truth', async () => {
    const a = await startRelayProcess(relayOptions())
    relays.push(a)
    await eventually(async () => (await a.health()).role === 'leader', 15_000)
    const b = await startRelayProcess(relayOptions())
    relays.push(b)
    expect((await a.health()).role).toBe('leader')
    expect((await b.health()).role).toBe('follower')

    const ids = sim.fixtureIds()
    const random = createPrng(99)
    const pick = (n: number) => [...ids].sort(() => random.next() - 0.5).slice(0, n)
    let aAlive = true
    for (let i = 0; i < 16; i++) {
      const onA = i % 2 === 0
      const client = durable(
        () => (onA && aAlive ? a.url : b.url),
        () => mint(),
      )
      client.watch(pick(3))
      clients.push(client)
    }
    // everyone has a first state: the follower's from Redis, without REST calls of its own
    await eventually(() =>
      clients.every((c) => [...c.watched].every((id) => c.state(id) !== undefined)),
    ).catch((error) => {
      console.log(a.logs, b.logs)
      throw error
    })
    sim.setRate(300)
    await sleep(300)
    // A third instance joins mid-stream: it loads the state with the stream position it includes.
    const c = await startRelayProcess(relayOptions())
    relays.push(c)
    expect((await c.health()).role).toBe('follower')
    for (let i = 0; i < 4; i++) {
      const client = durable(
        () => c.url,
        () => mint(),
      )
      client.watch(pick(3))
      clients.push(client)
    }
    for (let round = 0; round < 3; round++) {
      await sleep(400)
      for (const client of clients.slice(round * 4, round * 4 + 4)) {
        client.unwatch([...client.watched].slice(0, 1))
        client.watch(pick(1))
      }
    }
    // Before any failover: the followers' clients (one follower loaded mid-stream) hold the
    // truth from Redis alone (state saved with its stream position, then the stream).
    sim.setRate(0)
    const expectTruth = () => {
      for (const client of clients) {
        for (const id of client.watched) {
          expect(normalizeForCompare(client.state(id)), id).toEqual(
            normalizeForCompare(sim.generator?.restOdds(id)),
          )
        }
      }
    }
    await eventually(expectTruth, 30_000, 200)
    sim.setRate(300)
    await sleep(500)
    const restBefore = sim.stats().restRequests
    aAlive = false
    await a.kill()
    const killedAt = Date.now()
    await eventually(
      async () =>
        [(await b.health()).role, (await c.health()).role].sort().join() === 'follower,leader',
      15_000,
      100,
    )
    const takeoverMs = Date.now() - killedAt
    expect(takeoverMs).toBeLessThan(10_000)
    await sleep(1_000)
    sim.setRate(0)
    const stoppedAt = Date.now()
    await eventually(expectTruth, 60_000, 200)
    for (const client of clients) expect(client.seqErrors).toEqual([])
    // the new leader hydrated what its clients watch, once each
    expect(sim.stats().restRequests - restBefore).toBeLessThanOrEqual(ids.length * 2)
    console.log(
      `takeover in ${takeoverMs} ms, ground truth ${Date.now() - stoppedAt} ms after the traffic stopped`,
    )
  })
})
