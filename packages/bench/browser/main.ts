/**
 * The page of `pnpm bench:browser`: 10 `select`s per board fixture (prices, outcomes and
 * markets, as the Node bench's case 4), fed either by a feed on this page (`?mode=page`) or by
 * one in a dedicated worker (`?mode=worker`). Reports main-thread long tasks and the selects'
 * emissions for the run window through `window.bench`.
 */
import { createOddsFeed, type SelectPath } from '@oddsfeed/core'
import { connectOddsFeed } from '@oddsfeed/core/worker'

interface Bench {
  ready: Promise<void>
  start(): void
  stop(): { longTasks: number; longTaskMs: number; maxTaskMs: number; emissions: number }
}

const params = new URLSearchParams(location.search)
const mode = params.get('mode') ?? 'page'
const ws = params.get('ws') as string
const paths = (await (await fetch('/selects.json')).json()) as SelectPath[]

let measuring = false
let emissions = 0
const tasks: number[] = []
new PerformanceObserver((list) => {
  if (!measuring) return
  for (const entry of list.getEntries()) tasks.push(entry.duration)
}).observe({ type: 'longtask', buffered: false })

const onValue = () => {
  if (measuring) emissions++
}

let ready: Promise<void>
if (mode === 'worker') {
  const worker = new Worker(new URL('./feed.worker.ts', import.meta.url), {
    type: 'module',
    name: ws,
  })
  ready = new Promise((resolve) => {
    worker.addEventListener('message', (e: MessageEvent) => {
      if ((e.data as { boardLoaded?: number }).boardLoaded !== undefined) resolve()
    })
  })
  await ready
  const feed = connectOddsFeed(worker)
  for (const path of paths) feed.select(path).subscribe(onValue)
  await new Promise<void>((resolve) => {
    feed.status$.subscribe((s) => s.state === 'open' && resolve())
  })
} else {
  const feed = createOddsFeed({ url: ws, reconnect: false, idleTimeoutMs: false })
  const board = (await (await fetch('/board.json')).json()) as string[]
  for (const text of board) feed.ingest(text)
  for (const path of paths) feed.select(path).subscribe(onValue)
  ready = new Promise<void>((resolve) => {
    feed.status$.subscribe((s) => s.state === 'open' && resolve())
  })
  await ready
}

const bench: Bench = {
  ready: Promise.resolve(),
  start() {
    measuring = true
  },
  stop() {
    measuring = false
    return {
      longTasks: tasks.length,
      longTaskMs: tasks.reduce((a, b) => a + b, 0),
      maxTaskMs: Math.max(0, ...tasks),
      emissions,
    }
  },
}
;(window as unknown as { bench: Bench }).bench = bench
document.title = 'ready'
