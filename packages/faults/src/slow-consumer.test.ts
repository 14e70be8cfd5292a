import { createOddsFeed, type FeedError, type FeedStatus, type OddsFeed } from '@oddsfeed/core'
import { normalizeForCompare } from '@oddsfeed/simulator'
import { combineLatest, filter, firstValueFrom, timeout } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import { heapAfterGc, KEY, leaks, quiet, sleep } from './harness.js'
import { forkSimulator, type SimChild } from './sim-child.js'

const SECONDS = Number(process.env.SLOW_CONSUMER_SECONDS ?? 30)
const RATE = 5000

let sim: SimChild | undefined
let feed: OddsFeed | undefined
afterEach(async () => {
  feed?.close()
  await sim?.stop()
  sim = feed = undefined
})

function busy(ms: number) {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // a subscriber doing 10 ms of synchronous work per emission
  }
}

describe('slow consumer', () => {
  it(`coalesces instead of buffering: 10 ms per emission against ${RATE} frames/s for ${SECONDS} s`, async () => {
    sim = await forkSimulator({ apiKey: KEY, seed: 9, fixtures: 200, rate: 0, keepaliveMs: 500 })
    feed = createOddsFeed({
      url: sim.url,
      apiKey: KEY,
      idleTimeoutMs: 15_000,
      reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
      snapshot: { baseUrl: sim.restUrl, retryDelayMs: 200, maxAttempts: 50 },
      // the generator finishes and replaces fixtures all the time: evict the finished ones soon
      evictAfterMs: 2_000,
    })
    const errors: FeedError[] = []
    const statuses: FeedStatus[] = []
    feed.errors$.subscribe((e) => errors.push(e))
    feed.status$.subscribe((s) => statuses.push(s))
    const watched = sim.fixtureIds.slice(0, 5)
    for (const fixtureId of watched) feed.select({ fixtureId }).subscribe()
    let frames = 0
    feed.frames$.subscribe(() => frames++)
    let emissions = 0
    feed.fixtures$.subscribe(() => {
      emissions++
      busy(10)
    })
    const hydrated = () =>
      firstValueFrom(
        combineLatest([feed!.status$, ...watched.map((id) => feed!.sync$(id))]).pipe(
          filter(([s, ...syncs]) => s.state === 'open' && syncs.every((x) => x.state === 'live')),
          timeout(60_000),
        ),
      )
    await hydrated()
    const baseline = heapAfterGc()
    // Live heap (after a full GC) sampled through the run: what the client holds, garbage aside.
    const live: number[] = []
    const sampler = setInterval(() => live.push(heapAfterGc()), 2000)
    await sim.setRate(RATE)
    const started = performance.now()
    await sleep(SECONDS * 1000)
    await sim.setRate(0)
    const elapsed = (performance.now() - started) / 1000
    clearInterval(sampler)
    await quiet(feed, 1000) // the backlog in the socket buffer is drained
    await hydrated()
    const sent = (await sim.stats()).framesSent
    const after = heapAfterGc()

    for (const fixtureId of watched) {
      const truth = normalizeForCompare(await sim.restOdds(fixtureId))
      expect(normalizeForCompare(feed.get({ fixtureId })), fixtureId).toEqual(truth)
    }
    const figures = {
      seconds: Number(elapsed.toFixed(1)),
      framesSent: sent,
      framesReceived: frames,
      receivedPerSecond: Math.round(frames / elapsed),
      slowEmissions: emissions,
      framesPerEmission: Number((frames / Math.max(1, emissions)).toFixed(1)),
      heapBaselineMiB: Number((baseline / 2 ** 20).toFixed(1)),
      liveHeapSamplesMiB: live.map((b) => Number((b / 2 ** 20).toFixed(1))),
      heapAfterGcMiB: Number((after / 2 ** 20).toFixed(1)),
      reconnects: statuses.filter((s) => s.state === 'reconnecting').length,
      fixturesHeld: (await firstValueFrom(feed.fixtures$)).size,
    }
    console.log('slow consumer:', JSON.stringify(figures))
    // coalescing: far fewer (10 ms) emissions than frames, and the heap does not grow with them
    expect(emissions).toBeLessThan(frames / 5)
    // bounded: at no point during the run did the client hold much more than its final state
    expect(live.length).toBeGreaterThanOrEqual(Math.floor(SECONDS / 4))
    expect(Math.max(...live)).toBeLessThan(after + 64 * 2 ** 20)
    expect(leaks({ errors, statuses, logs: sim.output }, KEY)).toEqual([])
  }, 180_000)
})
