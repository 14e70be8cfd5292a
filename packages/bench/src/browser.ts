/**
 * `pnpm bench:browser`: worker mode measured in Chromium. The same realistic stream at
 * 10,000 frames/s from a `ws` server (a worker thread of this process) reaches a page that
 * watches every fixture, either through a feed on the page's main thread or through
 * `@oddsfeed/core/worker` (feed in a dedicated Worker). Reported per mode: the main thread's
 * long tasks (≥ 50 ms, `PerformanceObserver`), its garbage-collection time and that of the
 * worker thread (from a Chromium trace: `MinorGC`/`MajorGC` events by thread), and the
 * emissions the page's 10 `select`s per fixture received.
 *
 * Environment: `BROWSER_FIXTURES` (board size, default 200), `BROWSER_SECONDS` (6),
 * `BROWSER_RATE` (10000), `BROWSER_REPS` (2).
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { chromium } from 'playwright-core'
import { createServer, defaultClientConditions } from 'vite'
import { CHROMIUM_LAUNCH } from '../../../vitest.workspace.js'
import { buildCorpus } from './corpus.js'

const env = process.env
const fixtures = Number(env.BROWSER_FIXTURES ?? 200)
const seconds = Number(env.BROWSER_SECONDS ?? 6)
const rate = Number(env.BROWSER_RATE ?? 10_000)
const reps = Number(env.BROWSER_REPS ?? 2)
const here = dirname(fileURLToPath(import.meta.url))

const corpus = buildCorpus({
  kind: 'realistic',
  seed: 7,
  fixtures,
  bookmakers: 10,
  markets: 20,
  frames: Math.max(20_000, Math.min(200_000, rate * seconds * (reps * 2 + 1))),
  reps: 0,
  selects: fixtures * 10,
})
const publicDir = mkdtempSync(join(tmpdir(), 'oddsfeed-browser-bench-'))
writeFileSync(join(publicDir, 'board.json'), JSON.stringify(corpus.board))
writeFileSync(join(publicDir, 'selects.json'), JSON.stringify(corpus.selectPaths))

const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./e2e-server.ts', import.meta.url).href)}) })`
const server = new Worker(bootstrap, { eval: true, workerData: { texts: corpus.frames } })
const port = await new Promise<number>((res) =>
  server.once('message', (m: { port: number }) => res(m.port)),
)

const vite = await createServer({
  root: resolve(here, '../browser'),
  publicDir,
  logLevel: 'warn',
  resolve: { conditions: ['@oddsfeed/source', ...defaultClientConditions] },
  server: { host: '127.0.0.1', port: 0 },
  worker: { format: 'es' },
})
await vite.listen()
const address = vite.httpServer?.address()
const httpPort = address !== null && typeof address === 'object' ? address?.port : 0
const browser = await chromium.launch(CHROMIUM_LAUNCH)

interface Result {
  mode: string
  longTasks: number
  longTaskMs: number
  maxTaskMs: number
  mainGcMs: number
  workerGcMs: number
  emissions: number
}

const results: Result[] = []
try {
  for (let r = 0; r < reps; r++) {
    for (const mode of r % 2 === 0 ? ['page', 'worker'] : ['worker', 'page']) {
      results.push(await once(mode))
    }
  }
} finally {
  await browser.close()
  await vite.close()
  server.postMessage('stop')
  rmSync(publicDir, { recursive: true, force: true })
}
console.log(
  `worker mode in Chromium: ${fixtures} fixtures (${corpus.boardPrices} prices) loaded, ${corpus.selectPaths.length} selects, ${rate} frames/s for ${seconds} s (realistic corpus)`,
)
console.log(
  'mode    long tasks  long-task ms  max task ms  main-thread GC ms  worker GC ms  emissions',
)
for (const x of results) {
  console.log(
    `${x.mode.padEnd(6)}  ${String(x.longTasks).padStart(10)}  ${x.longTaskMs.toFixed(0).padStart(12)}  ${x.maxTaskMs.toFixed(0).padStart(11)}  ${x.mainGcMs.toFixed(1).padStart(17)}  ${x.workerGcMs.toFixed(1).padStart(12)}  ${String(x.emissions).padStart(9)}`,
  )
}
writeFileSync(
  resolve(here, '../../../bench/browser-results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), fixtures, prices: corpus.boardPrices, rate, seconds, results }, null, 2)}\n`,
)

async function once(mode: string): Promise<Result> {
  const page = await browser.newPage()
  const client = `${mode}-${results.length}`
  const ws = `ws://127.0.0.1:${port}/v4/ws?client=${client}`
  await page.goto(
    `http://127.0.0.1:${httpPort}/index.html?mode=${mode}&ws=${encodeURIComponent(ws)}`,
  )
  await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 180_000 })
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline'],
  })
  await page.evaluate(() => (window as unknown as { bench: { start(): void } }).bench.start())
  const count = rate * seconds
  const done = new Promise<void>((res) => {
    const on = (m: { done?: string }) => {
      if (m.done !== client) return
      server.off('message', on)
      res()
    }
    server.on('message', on)
  })
  // every run gets the same frames
  server.postMessage({ client, rate, count, from: 0 })
  await done
  await new Promise((res) => setTimeout(res, 500))
  const measured = (await page.evaluate(() =>
    (window as unknown as { bench: { stop(): unknown } }).bench.stop(),
  )) as Omit<Result, 'mode' | 'mainGcMs' | 'workerGcMs'>
  const trace = JSON.parse(String(await browser.stopTracing())) as { traceEvents: TraceEvent[] }
  await page.close()
  return { mode, ...measured, ...gcByThread(trace.traceEvents) }
}

interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  args?: { name?: string }
}

/** GC time on the renderer's main thread and on dedicated worker threads. */
function gcByThread(events: readonly TraceEvent[]): { mainGcMs: number; workerGcMs: number } {
  const names = new Map<string, string>()
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name ?? '')
  }
  let main = 0
  let worker = 0
  const open = new Map<string, number>()
  for (const e of events) {
    if (e.name !== 'MinorGC' && e.name !== 'MajorGC') continue
    const key = `${e.pid}:${e.tid}`
    let dur = 0
    if (e.ph === 'X') dur = e.dur ?? 0
    else if (e.ph === 'B') {
      open.set(`${key}:${e.name}`, e.ts)
      continue
    } else if (e.ph === 'E') {
      const start = open.get(`${key}:${e.name}`)
      if (start === undefined) continue
      dur = e.ts - start
    } else continue
    const thread = names.get(key) ?? ''
    if (thread === 'CrRendererMain') main += dur
    else if (/Worker/i.test(thread)) worker += dur
  }
  return { mainGcMs: main / 1000, workerGcMs: worker / 1000 }
}
