/**
 * `pnpm bench:profile`: case 3's stream under V8's CPU profiler, board loaded first and left
 * out of the profile. Prints the functions with the most self time and writes the profile to
 * `bench/case3.cpuprofile` (open it in Chrome DevTools → Performance, or VS Code).
 *
 * Environment: `PROFILE_CORPUS` (`realistic` default, or `heavy`), `PROFILE_FRAMES` (default
 * 60000), `PROFILE_KIND` (only frames of one kind: `price`, `create`, `suspend`, `score`,
 * `status`, `info`; default all), `PROFILE_SELECTS=1` (add case 4's 10,000 selects),
 * `PROFILE_BOARD=1` (add a `fixtures$` subscriber), `PROFILE_LAZY=0` (`lazyMerge: false`), `PROFILE_BATCH` (`microtask` default, or
 * `sync`).
 * @module
 */
import { writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type BatchMode, createOddsFeed } from '@oddsfeed/core'
import { buildCorpus, type CorpusKind } from './corpus.js'
import { formatProfile, profileIngest } from './profiler.js'

const env = process.env
const frames = Number(env.PROFILE_FRAMES ?? 60_000)
const kind = env.PROFILE_KIND
const corpusKind = (env.PROFILE_CORPUS ?? 'realistic') as CorpusKind
const batch = (env.PROFILE_BATCH ?? 'microtask') as BatchMode
const out = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bench/case3.cpuprofile')

const corpus = buildCorpus({
  kind: corpusKind,
  seed: 7,
  fixtures: 1000,
  bookmakers: 10,
  markets: 20,
  frames,
  reps: 0,
  selects: env.PROFILE_SELECTS === '1' ? 10_000 : 0,
})
const texts =
  kind === undefined ? corpus.frames : corpus.frames.filter((_, i) => corpus.frameKinds[i] === kind)

const feed = createOddsFeed({
  url: 'ws://127.0.0.1:9/profile',
  autoConnect: false,
  batch,
  lazyMerge: env.PROFILE_LAZY !== '0',
})
if (env.PROFILE_BOARD === '1') feed.fixtures$.subscribe(() => {})
for (const text of corpus.board) feed.ingest(text)
for (const path of corpus.selectPaths) feed.select(path).subscribe(() => {})
await null

const result = await profileIngest(feed, texts)
feed.close()
writeFileSync(out, JSON.stringify(result.profile))
console.log(
  `${texts.length} ${corpusKind} frames${kind ? ` (${kind})` : ''}, ${batch} batch` +
    `${env.PROFILE_BOARD === '1' ? ', fixtures$ subscriber' : ''}` +
    `${env.PROFILE_SELECTS === '1' ? ', 10,000 selects' : ''}: ` +
    `${result.usPerFrame.toFixed(1)} µs/frame, ` +
    `${Math.round(1e6 / result.usPerFrame).toLocaleString('en-US')} frames/s under the profiler`,
)
console.log('self time')
for (const line of formatProfile(result)) console.log(line)
console.log(`profile written to ${out}`)
