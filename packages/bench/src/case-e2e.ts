/**
 * Case 5: end to end over a real socket on 127.0.0.1. A worker thread replays the simulator's
 * frames at increasing offered rates ({@link ./e2e-server.ts}); the client is the SDK itself
 * (`createOddsFeed` with its default `ws` transport and microtask batching), with one
 * `select` per fixture. Latency is frame-to-selector: from the server's send stamp to the
 * selector's emission of the fixture carrying that stamp.
 * @module
 */
import { Worker } from 'node:worker_threads'
import { createOddsFeed } from '@oddsfeed/core'
import type { Corpus } from './corpus.js'
import { nowMs, percentile, type Summary, summarize } from './stats.js'

/** Offered rates, frames/s; `0` is "as fast as the socket takes them". */
export const RATES = [10_000, 25_000, 50_000, 100_000, 150_000, 0] as const
/** Frames sent per repetition at the unlimited rate. */
const MAX_COUNT = 100_000
/** A run stops this long after it started even if frames are still due: the client fell behind. */
const RUN_LIMIT_MS = 4000
/** Frames the worker gets (the stream cycles past this). */
const SERVER_FRAMES = 150_000

/** One offered rate. */
export interface E2eRate {
  readonly offered: number
  readonly frames: number
  readonly delivered: Summary
  readonly p50Ms: Summary
  readonly p99Ms: Summary
  /** Runs in which every frame arrived within the run's time limit. */
  readonly completeRuns: number
}

/** What case 5 measured. */
export interface E2eResult {
  readonly rates: readonly E2eRate[]
  readonly selects: number
}

/** Runs every offered rate `reps` times (after one warm-up run at the first rate). */
export async function runE2e(corpus: Corpus, reps: number): Promise<E2eResult> {
  // Workers do not inherit tsx's loader hooks on Node 20: register them in the worker first.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./e2e-server.ts', import.meta.url).href)}) })`
  const worker = new Worker(bootstrap, {
    eval: true,
    workerData: { texts: corpus.frames.slice(0, SERVER_FRAMES) },
  })
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port: number }) => resolve(m.port))
      worker.once('error', reject)
    })
    const url = `ws://127.0.0.1:${port}/v4/ws`
    await once(url, corpus, RATES[0], RATES[0])
    const rates: E2eRate[] = []
    for (const rate of RATES) {
      const count = rate === 0 ? MAX_COUNT : rate
      const delivered: number[] = []
      const p50: number[] = []
      const p99: number[] = []
      let completeRuns = 0
      for (let r = 0; r < reps; r++) {
        const run = await once(url, corpus, rate, count)
        delivered.push(run.delivered)
        p50.push(run.p50)
        p99.push(run.p99)
        if (run.complete) completeRuns++
      }
      rates.push({
        offered: rate,
        frames: count,
        delivered: summarize(delivered),
        p50Ms: summarize(p50),
        p99Ms: summarize(p99),
        completeRuns,
      })
    }
    return { rates, selects: corpus.fixtureIds.length }
  } finally {
    worker.postMessage('stop')
    await new Promise((resolve) => worker.once('exit', resolve))
  }
}

/**
 * One connection: `count` frames offered at `rate`. Delivered frames/s is measured at the
 * client from the first frame to the last; a client that falls behind is cut off after
 * {@link RUN_LIMIT_MS} and measured over what it received by then.
 */
async function once(
  base: string,
  corpus: Corpus,
  rate: number,
  count: number,
): Promise<{ delivered: number; p50: number; p99: number; complete: boolean }> {
  const feed = createOddsFeed({
    url: `${base}?rate=${rate}&count=${count}`,
    reconnect: false,
    idleTimeoutMs: false,
  })
  const latencies = new Float64Array(count)
  let samples = 0
  let received = 0
  let first = 0
  let last = 0
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, RUN_LIMIT_MS)
      feed.errors$.subscribe((error) => {
        clearTimeout(timer)
        reject(error)
      })
      for (const fixtureId of corpus.fixtureIds) {
        feed.select({ fixtureId }).subscribe((fixture) => {
          const sentAt = (fixture as { sentAt?: unknown } | undefined)?.sentAt
          if (typeof sentAt === 'number' && samples < count) latencies[samples++] = nowMs() - sentAt
        })
      }
      feed.frames$.subscribe(() => {
        const now = performance.now()
        if (received === 0) first = now
        last = now
        if (++received === count) {
          clearTimeout(timer)
          // let the last tick's flush publish
          setImmediate(resolve)
        }
      })
    })
  } finally {
    feed.close()
  }
  if (received < 2) throw new Error(`e2e at ${rate}/s: only ${received} frames arrived`)
  return {
    delivered: ((received - 1) / (last - first)) * 1000,
    p50: percentile(latencies, samples, 50),
    p99: percentile(latencies, samples, 99),
    complete: received === count,
  }
}
