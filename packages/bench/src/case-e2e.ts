/**
 * Case 5: end to end over a real socket on 127.0.0.1. A worker thread replays the corpus's
 * frames at increasing offered rates ({@link ./e2e-server.ts}); the client is the SDK itself
 * (`createOddsFeed` with its default `ws` transport and microtask batching), with the whole
 * board loaded first (untimed) and one `select` per fixture. Latency is frame-to-selector:
 * from the server's send stamp to the selector's emission of the fixture carrying that stamp.
 *
 * Beside it, labelled apart and judged by no target, a UI-shaped client (`5u`): what a board UI
 * subscribes to, `board$` for the list and a whole-fixture `select` on the {@link OPEN_FIXTURES}
 * fixtures a user has open, on the same loaded board (default lazy merging: the fixtures nobody
 * reads whole stay unmerged). Its latency is frame-to-published: from the send stamp to the end
 * of the flush that merged and published the frame's batch (board$ and the selects emitted).
 *
 * In the same run, against the same server process, a bare `ws` client that only
 * `JSON.parse`s each message (and reads its stamp) takes the same frames unthrottled: the
 * physical limit of this machine for any JavaScript client.
 * @module
 */
import { Worker } from 'node:worker_threads'
import { createOddsFeed, type OddsFeed } from '@oddsfeed/core'
import { WebSocket } from 'ws'
import type { Corpus } from './corpus.js'
import { SIDE_STAMPED, SIDE_STAMPS, type SideStamps } from './e2e-stamps.js'
import { nowMs, percentile, type Summary, summarize } from './stats.js'

/** Offered rates, frames/s; `0` is "as fast as the socket takes them". */
export const RATES = [10_000, 25_000, 50_000, 100_000, 150_000, 0] as const
/** Frames sent per repetition at the unlimited rate. */
const MAX_COUNT = 150_000
/** Frames per repetition at an offered rate: this many seconds of it (at least 10,000 frames). */
const RUN_SECONDS = 1.5
/** A run stops this long after it started even if frames are still due: the client fell behind. */
const RUN_LIMIT_MS = 5000
/** Frames the worker gets (the stream cycles past this). */
const SERVER_FRAMES = 200_000
/** Fixtures the UI-shaped client has open: a whole-fixture `select` each, besides `board$`. */
export const OPEN_FIXTURES = 3

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
  /**
   * The UI-shaped client (`board$` + {@link OPEN_FIXTURES} whole-fixture selects, board loaded)
   * at the same offered rates; frame-to-published latency. No target is judged on it.
   */
  readonly ui: readonly E2eRate[]
  /** The bare `ws` client (parse only), unthrottled, same server process and frames. */
  readonly bare: E2eRate
  readonly selects: number
  readonly boardLoaded: boolean
  readonly reps: number
}

interface Client {
  /** Resets the counters for a run of `count` frames and resolves when it is over. */
  run(count: number): Promise<{ delivered: number; p50: number; p99: number; complete: boolean }>
  /** Resolves once the client has received `total` frames since it connected (or after 60 s). */
  drained(total: number): Promise<void>
  close(): void
}

/** The server's `{ done, sent }` for `name`'s current run. */
function serverDone(worker: Worker, name: string): Promise<number> {
  return new Promise((resolve) => {
    const on = (m: { done?: string; sent?: number }) => {
      if (m.done !== name) return
      worker.off('message', on)
      resolve(m.sent ?? 0)
    }
    worker.on('message', on)
  })
}

/**
 * Runs every offered rate `reps` times with the SDK (after one warm-up run at the first
 * rate), then with the UI-shaped client (after its own warm-up), then the bare client
 * unthrottled `reps` times. `rates` defaults to {@link RATES}.
 */
export async function runE2e(
  corpus: Corpus,
  reps: number,
  rates: readonly number[] = RATES,
): Promise<E2eResult> {
  // Workers do not inherit tsx's loader hooks on Node 20: register them in the worker first.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
    .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./e2e-server.ts', import.meta.url).href)}) })`
  const sideStamps: SideStamps = new SharedArrayBuffer(SIDE_STAMPS * 8)
  const worker = new Worker(bootstrap, {
    eval: true,
    workerData: { texts: corpus.frames.slice(0, SERVER_FRAMES), sideStamps },
  })
  const clients: Client[] = []
  try {
    const port = await new Promise<number>((resolve, reject) => {
      worker.once('message', (m: { port: number }) => resolve(m.port))
      worker.once('error', reject)
    })
    const url = `ws://127.0.0.1:${port}/v4/ws`
    const start = (client: string, rate: number, count: number) =>
      worker.postMessage({ client, rate, count })

    const measure = async (name: string, client: Client, rate: number): Promise<E2eRate> => {
      const count = rate === 0 ? MAX_COUNT : Math.max(10_000, Math.round(rate * RUN_SECONDS))
      const delivered: number[] = []
      const p50: number[] = []
      const p99: number[] = []
      let completeRuns = 0
      for (let r = 0; r < reps; r++) {
        ;(globalThis as { gc?: () => void }).gc?.()
        const done = client.run(count)
        const sent = serverDone(worker, name)
        start(name, rate, count)
        const run = await done
        // a client that fell behind still has frames of this run coming: let them all arrive
        // before the next run starts, so no run measures another's backlog
        await client.drained(await sent)
        delivered.push(run.delivered)
        p50.push(run.p50)
        p99.push(run.p99)
        if (run.complete) completeRuns++
      }
      return {
        offered: rate,
        frames: count,
        delivered: summarize(delivered),
        p50Ms: summarize(p50),
        p99Ms: summarize(p99),
        completeRuns,
      }
    }
    const warmUp = async (name: string, client: Client) => {
      const warm = client.run(10_000)
      const warmSent = serverDone(worker, name)
      start(name, rates[0] ?? 10_000, 10_000)
      await warm
      await client.drained(await warmSent)
    }
    // One loaded board at a time: each client lives in its own call, so once it is closed
    // nothing holds its feed and the next client's heap is not this one's plus its own.
    const phase = async (name: string, open: () => Promise<Client>): Promise<E2eRate[]> => {
      const client = await open()
      clients.push(client)
      await warmUp(name, client)
      const rows: E2eRate[] = []
      for (const rate of rates) rows.push(await measure(name, client, rate))
      client.close()
      clients.splice(clients.indexOf(client), 1)
      return rows
    }
    const out = await phase('sdk', () => sdkClient(url, corpus, worker))
    const uiRates = await phase(SIDE_STAMPED, () =>
      uiClient(url, corpus, worker, new Float64Array(sideStamps)),
    )
    ;(globalThis as { gc?: () => void }).gc?.()
    const bare = await bareClient(url, worker)
    clients.push(bare)
    const bareRate = await measure('bare', bare, 0)
    return {
      rates: out,
      ui: uiRates,
      bare: bareRate,
      selects: corpus.fixtureIds.length,
      boardLoaded: true,
      reps,
    }
  } finally {
    for (const client of clients) client.close()
    worker.postMessage('stop')
    await new Promise((resolve) => worker.once('exit', resolve))
  }
}

function connected(worker: Worker, name: string): Promise<void> {
  return new Promise((resolve) => {
    const on = (m: { connected?: string }) => {
      if (m.connected !== name) return
      worker.off('message', on)
      resolve()
    }
    worker.on('message', on)
  })
}

/** Counts arrivals and latencies of one run; shared by both clients. */
class Run {
  latencies = new Float64Array(0)
  samples = 0
  received = 0
  /** Frames since the client connected, every run included. */
  total = 0
  first = 0
  last = 0
  count = 0
  private finish: (() => void) | undefined
  private timer: ReturnType<typeof setTimeout> | undefined

  begin(
    count: number,
  ): Promise<{ delivered: number; p50: number; p99: number; complete: boolean }> {
    this.latencies = new Float64Array(count)
    this.samples = 0
    this.received = 0
    this.count = count
    return new Promise((resolve, reject) => {
      this.finish = () => {
        clearTimeout(this.timer)
        this.finish = undefined
        if (this.received < 2) {
          reject(new Error(`e2e: only ${this.received} frames arrived`))
          return
        }
        const { latencies, samples } = this
        resolve({
          delivered: ((this.received - 1) / (this.last - this.first)) * 1000,
          p50: percentile(latencies, samples, 50),
          p99: percentile(latencies, samples, 99),
          complete: this.received >= count,
        })
      }
      this.timer = setTimeout(() => this.finish?.(), RUN_LIMIT_MS)
    })
  }

  /** Resolves once {@link total} reaches `total` (or after 60 s). */
  async drained(total: number): Promise<void> {
    const until = performance.now() + 60_000
    while (this.total < total && performance.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  arrived(): void {
    this.total++
    const now = performance.now()
    if (this.received === 0) this.first = now
    this.last = now
    if (++this.received === this.count && this.finish) {
      const finish = this.finish
      // let the last tick's flush publish
      setImmediate(finish)
    }
  }

  latency(sentAt: number): void {
    if (this.samples < this.count) this.latencies[this.samples++] = nowMs() - sentAt
  }
}

/**
 * An SDK client named `name` on the server: default transport and batching, no reconnect, the
 * board loaded (untimed), errors thrown; `ready` resolves once the server has its socket.
 */
async function loadedFeed(
  url: string,
  corpus: Corpus,
  worker: Worker,
  name: string,
): Promise<{ readonly feed: OddsFeed; readonly run: Run; readonly ready: Promise<void> }> {
  const feed: OddsFeed = createOddsFeed({
    url: `${url}?client=${name}`,
    reconnect: false,
    idleTimeoutMs: false,
  })
  for (const text of corpus.board) feed.ingest(text)
  await null
  const run = new Run()
  feed.errors$.subscribe((error) => {
    throw error
  })
  return { feed, run, ready: connected(worker, name) }
}

/** The SDK: board loaded (untimed), one `select` per fixture, default transport and batching. */
async function sdkClient(url: string, corpus: Corpus, worker: Worker): Promise<Client> {
  const { feed, run, ready } = await loadedFeed(url, corpus, worker, 'sdk')
  for (const fixtureId of corpus.fixtureIds) {
    feed.select({ fixtureId }).subscribe((fixture) => {
      const sentAt = (fixture as { sentAt?: unknown } | undefined)?.sentAt
      if (typeof sentAt === 'number') run.latency(sentAt)
    })
  }
  feed.frames$.subscribe(() => run.arrived())
  await ready
  return {
    run: (count) => run.begin(count),
    drained: (total) => run.drained(total),
    close: () => feed.close(),
  }
}

/**
 * A UI-shaped client: board loaded (untimed), `board$` subscribed, a whole-fixture `select` on
 * the first {@link OPEN_FIXTURES} fixtures; default transport, batching and lazy merging. Each
 * frame's latency is read once its batch is published: the first frame of a batch queues a
 * microtask that queues another, which runs after the store's flush (queued just after the
 * first one, when the frame is enqueued) has merged and published the batch.
 */
async function uiClient(
  url: string,
  corpus: Corpus,
  worker: Worker,
  stamps: Float64Array,
): Promise<Client> {
  const { feed, run, ready } = await loadedFeed(url, corpus, worker, SIDE_STAMPED)
  let rows = 0
  feed.board$().subscribe((board) => {
    rows = board.size
  })
  for (const fixtureId of corpus.fixtureIds.slice(0, OPEN_FIXTURES)) {
    feed.select({ fixtureId }).subscribe(() => {})
  }
  const batch: number[] = []
  const published = () => {
    for (const sentAt of batch) run.latency(sentAt)
    batch.length = 0
  }
  const afterFlush = () => queueMicrotask(published)
  // the frames come as the feed sends them; their send stamps are in the server's side ring,
  // by frame number on this connection (a socket keeps the order)
  feed.frames$.subscribe(() => {
    const sentAt = stamps[run.total % stamps.length] as number
    run.arrived()
    if (batch.length === 0) queueMicrotask(afterFlush)
    batch.push(sentAt)
  })
  await ready
  if (rows === 0) throw new Error('e2e: board$ has no rows')
  return {
    run: (count) => run.begin(count),
    drained: (total) => run.drained(total),
    close: () => feed.close(),
  }
}

/** A bare `ws` client: `JSON.parse` of every message and nothing else (reads the stamp). */
async function bareClient(url: string, worker: Worker): Promise<Client> {
  const run = new Run()
  const ready = connected(worker, 'bare')
  const socket = new WebSocket(`${url}?client=bare`, { perMessageDeflate: false })
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { sentAt?: number }
    run.arrived()
    if (typeof frame.sentAt === 'number') run.latency(frame.sentAt)
  })
  await ready
  return {
    run: (count) => run.begin(count),
    drained: (total) => run.drained(total),
    close: () => socket.terminate(),
  }
}
