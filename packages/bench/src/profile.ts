/**
 * `pnpm bench:profile`: case 3's stream under V8's CPU profiler, board loaded first and left
 * out of the profile. Prints the functions with the most self time and writes the profile to
 * `bench/case3.cpuprofile` (open it in Chrome DevTools → Performance, or VS Code).
 *
 * Environment: `PROFILE_FRAMES` (default 60000), `PROFILE_KIND` (only frames of one kind:
 * `price`, `create`, `suspend`, `score`, `status`, `info`; default all), `PROFILE_SELECTS=1`
 * (add case 4's 10,000 selects), `PROFILE_BATCH` (`microtask` default, or `sync`).
 * @module
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BatchMode, createOddsFeed } from '@oddsfeed/core'
import { createGenerator } from '@oddsfeed/simulator'
import { CHUNK } from './case-sdk.js'
import { buildCorpus } from './corpus.js'

const env = process.env
const frames = Number(env.PROFILE_FRAMES ?? 60_000)
const kind = env.PROFILE_KIND
const batch = (env.PROFILE_BATCH ?? 'microtask') as BatchMode
const out = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bench/case3.cpuprofile')

const options = { seed: 7, fixtures: 1000, bookmakers: 10, marketsPerBookmaker: 20 } as const
const gen = createGenerator({ ...options, playerProps: true })
const board = gen.fixtureIds().map((id) => JSON.stringify(gen.restOdds(id)))
const texts: string[] = []
for (let i = 0; i < frames; i++) {
  const next = gen.nextWithKind()
  if (kind === undefined || next.kind === kind) texts.push(JSON.stringify(next.frame))
}

const feed = createOddsFeed({ url: 'ws://127.0.0.1:9/profile', autoConnect: false, batch })
feed.fixtures$.subscribe(() => {})
for (const text of board) feed.ingest(text)
if (env.PROFILE_SELECTS === '1') {
  const { selectPaths } = buildCorpus({
    seed: 7,
    fixtures: options.fixtures,
    bookmakers: options.bookmakers,
    markets: options.marketsPerBookmaker,
    frames: 0,
    reps: 0,
    selects: 10_000,
  })
  for (const path of selectPaths) feed.select(path).subscribe(() => {})
}
await null

const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.setSamplingInterval', { interval: 200 })
await session.post('Profiler.start')
const t0 = performance.now()
for (let i = 0; i < texts.length; i++) {
  feed.ingest(texts[i])
  if (i % CHUNK === CHUNK - 1) await null
}
await null
const ms = performance.now() - t0
const { profile } = await session.post('Profiler.stop')
session.disconnect()
feed.close()
writeFileSync(out, JSON.stringify(profile))

const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const self = new Map<string, number>()
const samples = profile.samples ?? []
for (const id of samples) {
  const frame = byId.get(id)?.callFrame
  if (!frame) continue
  const file = frame.url.split('/').slice(-2).join('/')
  // file only: run from source through tsx, every line number would read 1
  const name = `${frame.functionName || '(anonymous)'}${file ? `  ${file}` : ''}`
  self.set(name, (self.get(name) ?? 0) + 1)
}
console.log(
  `${texts.length} frames${kind ? ` (${kind})` : ''}, ${batch} batch: ` +
    `${((ms * 1000) / texts.length).toFixed(1)} µs/frame, ` +
    `${Math.round((texts.length / ms) * 1000).toLocaleString('en-US')} frames/s under the profiler`,
)
console.log('self time')
for (const [name, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${((count / samples.length) * 100).toFixed(1).padStart(5)} %  ${name}`)
}
console.log(`profile written to ${out}`)
