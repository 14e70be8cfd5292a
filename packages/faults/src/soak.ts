/**
 * Soak: 1,000,000 frames over 1,000 fixtures in play, with churn (finished fixtures replaced by
 * new ones), through `feed.ingest` with the default batching and eviction on. Prints heap after
 * GC as it goes; exits 1 if it ever exceeds the bound.
 *
 *   pnpm soak                                  # SOAK_FRAMES=1000000 SOAK_MAX_HEAP_MIB=384
 */
import { setImmediate as tick } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import { createOddsFeed } from '@oddsfeed/core'
import { heapAfterGc } from './harness.js'

const TOTAL = Number(process.env.SOAK_FRAMES ?? 1_000_000)
const FIXTURES = Number(process.env.SOAK_FIXTURES ?? 1_000)
const MAX_HEAP_MIB = Number(process.env.SOAK_MAX_HEAP_MIB ?? 384)
const EVICT_AFTER_MS = Number(process.env.SOAK_EVICT_AFTER_MS ?? 5_000)
const BATCH = 2_000
const mib = (bytes: number) => Number((bytes / 2 ** 20).toFixed(1))

// Frames come from a worker thread (its heap is not the one measured here), one batch ahead.
// Workers do not inherit tsx's loader hooks on Node 20: register them in the worker first.
const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./soak-source.ts', import.meta.url).href)}) })`
const source = new Worker(bootstrap, {
  eval: true,
  workerData: { seed: 2026, fixtures: FIXTURES, batch: BATCH },
})
let fixturesCreated = 0
const nextBatch = () =>
  new Promise<string[]>((resolve) => {
    source.once('message', (m: { texts: string[]; fixturesCreated: number }) => {
      fixturesCreated = m.fixturesCreated
      resolve(m.texts)
    })
    source.postMessage(BATCH)
  })
const feed = createOddsFeed({ autoConnect: false, evictAfterMs: EVICT_AFTER_MS })
let errors = 0
let publications = 0
let held = 0
feed.errors$.subscribe(() => errors++)
feed.fixtures$.subscribe((all) => {
  publications++
  held = all.size
})

const baseline = heapAfterGc()
const samples: Array<Record<string, number>> = []
const started = performance.now()
let maxHeap = 0
console.log(
  `soak: ${TOTAL} frames, ${FIXTURES} fixtures in play, eviction after ${EVICT_AFTER_MS} ms`,
)
let pending = nextBatch()
for (let sent = 0; sent < TOTAL; ) {
  const texts = (await pending).slice(0, TOTAL - sent)
  if (sent + texts.length < TOTAL) pending = nextBatch()
  for (const text of texts) feed.ingest(text)
  sent += texts.length
  await tick() // the batch is merged and published; timers (eviction) run
  if (sent % 100_000 === 0 || sent === TOTAL) {
    const heap = heapAfterGc()
    maxHeap = Math.max(maxHeap, heap)
    const sample = {
      frames: sent,
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      fixturesCreated,
      fixturesHeld: held,
      heapAfterGcMiB: mib(heap),
    }
    samples.push(sample)
    console.log(JSON.stringify(sample))
  }
}
const seconds = (performance.now() - started) / 1000
feed.close()
await source.terminate()
const summary = {
  frames: TOTAL,
  seconds: Number(seconds.toFixed(1)),
  framesPerSecond: Math.round(TOTAL / seconds),
  fixturesCreated,
  fixturesHeldAtEnd: held,
  publications,
  errors,
  heapBaselineMiB: mib(baseline),
  heapMaxAfterGcMiB: mib(maxHeap),
  heapBoundMiB: MAX_HEAP_MIB,
}
console.log(`soak summary: ${JSON.stringify(summary)}`)
if (errors > 0 || maxHeap > MAX_HEAP_MIB * 2 ** 20) {
  console.error(`soak: FAILED (errors ${errors}, heap ${mib(maxHeap)} MiB > ${MAX_HEAP_MIB} MiB?)`)
  process.exit(1)
}
console.log('soak: ok')
