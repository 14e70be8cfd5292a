/**
 * Ground truth: simulator → relay → 200 clients (relay protocol and plain v4 through the core),
 * subscriptions changing at random, the upstream and clients dropped; at the end every client's
 * state for what it watches equals the simulator's REST state.
 */
import { createOddsFeed, type FetchLike, type OddsFeed } from '@oddsfeed/core'
import {
  createPrng,
  normalizeForCompare,
  type Simulator,
  startSimulator,
} from '@oddsfeed/simulator'
import type { Subscription } from 'rxjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Relay, startRelay } from './relay.js'
import { type DurableClient, durable, eventually, sleep } from './test-support/relay-client.js'
import { mint, SECRET } from './test-support/tokens.js'

const KEY = 'truth-key-%41&x=1'
let sim: Simulator
let relay: Relay
const relayClients: DurableClient[] = []
const plainFeeds: Array<{ feed: OddsFeed; watched: string[]; subs: Subscription[] }> = []

beforeAll(async () => {
  // No REST cooldowns: the 20 plain clients' own snapshot calls would starve the relay's (the
  // simulator's cooldown is per key; in production each would spend the app's quota).
  sim = await startSimulator({
    port: 0,
    apiKey: KEY,
    seed: 31,
    fixtures: 12,
    rate: 0,
    keepaliveMs: 300,
    cooldowns: false,
  })
  relay = await startRelay({
    port: 0,
    upstream: { url: sim.url, apiKey: KEY, snapshotUrl: sim.restUrl },
    secret: SECRET,
    upstreamTuning: {
      reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
      idleTimeoutMs: 2_000,
      snapshot: { retryDelayMs: 100, maxRetryDelayMs: 1_000, maxAttempts: 50 },
    },
    limits: { releaseAfterMs: 500 },
  })
})

afterAll(async () => {
  for (const client of relayClients) client.stop()
  for (const { feed } of plainFeeds) feed.close()
  await relay?.stop()
  await sim?.stop()
})

/** Plain v4 clients hydrate from REST themselves (the app's own backend would hold that key). */
const restWithKey: FetchLike = (url, init) =>
  fetch(`${url}&apiKey=${encodeURIComponent(KEY)}`, init)

describe('ground truth through the relay', () => {
  it('200 clients, changing subscriptions, upstream and client drops', async () => {
    const ids = sim.fixtureIds()
    const random = createPrng(7)
    const pick = (n: number) => [...ids].sort(() => random.next() - 0.5).slice(0, n)
    for (let i = 0; i < 180; i++) {
      const client = durable(
        () => relay.url,
        () => mint(),
      )
      client.watch(pick(random.int(1, 4)))
      relayClients.push(client)
    }
    for (let i = 0; i < 20; i++) {
      const token = await mint()
      const feed = createOddsFeed({
        url: `${relay.url}?token=${token}`,
        reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
        snapshot: { baseUrl: sim.restUrl, fetch: restWithKey, cooldownMs: 0, retryDelayMs: 100 },
      })
      const watched = pick(3)
      const subs = watched.map((fixtureId) => feed.select({ fixtureId }).subscribe())
      plainFeeds.push({ feed, watched, subs })
    }
    await eventually(() =>
      relayClients.every((c) => [...c.watched].every((id) => c.state(id) !== undefined)),
    ).catch((e) => {
      const missing = relayClients.filter((c) =>
        [...c.watched].some((id) => c.state(id) === undefined),
      )
      console.log(
        missing.length,
        missing
          .slice(0, 3)
          .map((c) => [
            c.current?.ws.readyState,
            [...c.watched],
            c.current?.messages.slice(0, 5),
            c.closes,
          ]),
        relay.health(),
        sim.stats(),
      )
      throw e
    })
    sim.setRate(300)
    for (let round = 0; round < 6; round++) {
      await sleep(500)
      for (let i = 0; i < 20; i++) {
        const client = random.pick(relayClients)
        const drop = [...client.watched].filter(() => random.chance(0.5))
        client.unwatch(drop)
        client.watch(pick(random.int(0, 2)))
      }
      if (round === 1) sim.dropConnections({ abrupt: false })
      if (round === 3) sim.dropConnections({ abrupt: true })
      if (round === 2 || round === 4) {
        for (let i = 0; i < 20; i++) random.pick(relayClients).current?.ws.terminate()
      }
    }
    sim.setRate(0)
    const truth = new Map(ids.map((id) => [id, normalizeForCompare(sim.generator?.restOdds(id))]))
    await eventually(
      () => {
        for (const client of relayClients) {
          for (const id of client.watched) {
            expect(normalizeForCompare(client.state(id)), id).toEqual(truth.get(id))
          }
        }
        for (const { feed, watched } of plainFeeds) {
          for (const id of watched) {
            expect(normalizeForCompare(feed.get({ fixtureId: id })), id).toEqual(truth.get(id))
          }
        }
      },
      60_000,
      250,
    )
    for (const client of relayClients) expect(client.seqErrors).toEqual([])
    expect(relayClients.some((c) => c.closes.length > 0)).toBe(true)
  })
})
