/**
 * `pnpm bench`: every case in one process, on the same seeded frames, then a table and
 * `bench/results.json` (at the repository root). Never part of `pnpm test`.
 *
 * Environment: `BENCH_FRAMES` (default 120000), `BENCH_REPS` (5), `BENCH_CASES` (comma list of
 * parse,naive,sdk,fanout,e2e,memory,relay; default all), `BENCH_LABEL` (names this run in `history`),
 * `BENCH_RELAY_MS` (each relay rate's run, default 2000), `BENCH_RELAY_FLUSH` (comma list of the
 * relay's `limits.flushMs`, one relay each side by side, the first is the case's; default 0),
 * `BENCH_OUT` (results path; default `bench/results.json`).
 * @module
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type E2eResult, runE2e } from './case-e2e.js'
import { type MemoryResult, runMemory } from './case-memory.js'
import { runNaive } from './case-naive.js'
import { runPaired } from './case-paired.js'
import { type RelayResult, runRelay } from './case-relay.js'
import { CHUNK, type SdkResult } from './case-sdk.js'
import { buildCorpus } from './corpus.js'
import type { SliceResult } from './slices.js'
import type { Summary } from './stats.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const env = process.env
const ALL = ['parse', 'naive', 'sdk', 'fanout', 'e2e', 'memory', 'relay'] as const
type CaseName = (typeof ALL)[number]
const wanted = new Set<string>(env.BENCH_CASES ? env.BENCH_CASES.split(',') : ALL)
const want = (name: CaseName) => wanted.has(name)

const reps = Number(env.BENCH_REPS ?? 5)
const options = {
  seed: 7,
  fixtures: 1000,
  bookmakers: 10,
  markets: 20,
  frames: Number(env.BENCH_FRAMES ?? 120_000),
  // cases 1, 3 and 4 alternate slices in pairs: a warm-up slice, then two per repetition
  reps: 2 * reps,
  selects: 10_000,
}

const log = (line: string) => process.stderr.write(`${line}\n`)

const needsCorpus = ALL.some((name) => name !== 'relay' && want(name))
if (needsCorpus) {
  log(
    `bench: generating ${options.fixtures} fixtures and ${options.frames} frames (seed ${options.seed})…`,
  )
}
// the relay case brings its own upstream: a relay-only run skips the corpus
const corpus = buildCorpus(needsCorpus ? options : { ...options, fixtures: 1, frames: 1 })
if (needsCorpus) {
  log(
    `bench: board ${corpus.board.length} fixtures, ${corpus.boardPrices} prices, ` +
      `${mb(corpus.boardBytes)} MB; ${corpus.frames.length} frames, ` +
      `${Math.round(corpus.frameBytes / corpus.frames.length)} B avg; ${ms(corpus.generateMs)}`,
  )
}

const started = performance.now()
const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
  log(`bench: ${name}…`)
  // every case starts from a collected heap: what an earlier case left is not its garbage
  ;(globalThis as { gc?: () => void }).gc?.()
  const t0 = performance.now()
  const out = await run()
  log(`bench: ${name} done in ${ms(performance.now() - t0)}`)
  return out
}

const paired =
  want('parse') || want('sdk') || want('fanout')
    ? await timed('1, 3 and 4, paired slice by slice', () => runPaired(corpus))
    : undefined
const parse = paired?.parse
const naive = want('naive') ? await timed('2 naive', () => runNaive(corpus)) : undefined
const sdk = paired?.sdk
const fanout = paired?.fanout
const e2e = want('e2e') ? await timed('5 end to end', () => runE2e(corpus, reps)) : undefined
const memory = want('memory') ? await timed('6 memory', () => runMemory(corpus, reps)) : undefined
const relay = want('relay')
  ? await timed('7 relay', () =>
      runRelay({
        ms: Number(env.BENCH_RELAY_MS ?? 2_000),
        flushMs: (env.BENCH_RELAY_FLUSH ?? '0').split(',').map(Number),
      }),
    )
  : undefined

const ratio = (a: SliceResult | undefined, b: SliceResult | undefined) =>
  a && b ? round(a.framesPerSec.median / b.framesPerSec.median, 3) : null
const ratios = {
  // medians of the per-repetition ratios (figures taken side by side), not ratios of medians
  sdkVsParse: paired ? round(paired.sdkVsParse.median, 3) : null,
  sdkVsNaive: ratio(sdk, naive),
  fanout: paired ? round(paired.fanout43.median, 3) : null,
}
const at10k = e2e?.rates.find((r) => r.offered === 10_000)
const bestDelivered = e2e ? Math.max(...e2e.rates.map((r) => r.delivered.median)) : null
const relayBest = relay ? Math.max(...relay.rates.map((r) => r.deliveredPerSec)) : null
const relayAt1k = relay?.rates.find((r) => r.offered === 1_000)
const targets = [
  target('3/1 sdk vs JSON.parse', '>= 0.5', ratios.sdkVsParse, (x) => x >= 0.5),
  target('3/2 sdk vs naive', '>= 3', ratios.sdkVsNaive, (x) => x >= 3),
  target('4/3 fan-out', '>= 0.9', ratios.fanout, (x) => x >= 0.9),
  target('e2e delivered frames/s', '>= 100000', bestDelivered, (x) => x >= 100_000),
  target('e2e p99 at 10,000 frames/s (ms)', '< 5', at10k?.p99Ms.median ?? null, (x) => x < 5),
  target(
    'heap bytes per stored price',
    '<= 300',
    memory ? round(memory.bytesPerPrice.median, 1) : null,
    (x) => x <= 300,
  ),
  target('relay client messages/s (one instance)', '>= 1000000', relayBest, (x) => x >= 1_000_000),
  target(
    'relay p99 at 1,000 clients x 1,000 frames/s (ms)',
    '< 50',
    relayAt1k?.p99Ms ?? null,
    (x) => x < 50,
  ),
]

printTable()

const commit = git(['rev-parse', '--short', 'HEAD'])
const label = env.BENCH_LABEL ?? git(['log', '-1', '--format=%s']) ?? 'unlabelled'
const out = resolve(ROOT, env.BENCH_OUT ?? 'bench/results.json')
const previous = existsSync(out)
  ? (JSON.parse(readFileSync(out, 'utf8')) as { history?: unknown[] })
  : {}
const entry = {
  label,
  commit,
  date: new Date().toISOString(),
  framesPerSec: {
    parse: parse?.framesPerSec.median ?? null,
    naive: naive?.framesPerSec.median ?? null,
    sdk: sdk?.framesPerSec.median ?? null,
    fanout: fanout?.framesPerSec.median ?? null,
  },
  ratios,
  e2eBestDelivered: bestDelivered,
  e2eP99At10kMs: at10k?.p99Ms.median ?? null,
  bytesPerPrice: memory?.bytesPerPrice.median ?? null,
  relayBestDelivered: relayBest,
  relayP99At1kMs: relayAt1k?.p99Ms ?? null,
  relayBoundBestDelivered: relay ? Math.max(...relay.bound.map((r) => r.deliveredPerSec)) : null,
  relayBoundP99At1kMs: relay?.bound.find((r) => r.offered === 1_000)?.p99Ms ?? null,
  relayBatchedBoundBestDelivered: relay
    ? Math.max(...relay.boundBatched.map((r) => r.deliveredPerSec))
    : null,
  relayBatchedBoundP99At1kMs: relay?.boundBatched.find((r) => r.offered === 1_000)?.p99Ms ?? null,
}
const results = {
  generatedAt: entry.date,
  label,
  commit,
  machine: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
  config: { ...options, chunk: CHUNK, cases: [...wanted] },
  corpus: {
    boardFixtures: corpus.board.length,
    boardPrices: corpus.boardPrices,
    boardBytes: corpus.boardBytes,
    frames: corpus.frames.length,
    frameBytesAvg: Math.round(corpus.frameBytes / corpus.frames.length),
    kinds: corpus.kinds,
    slices: corpus.slices,
    generateMs: Math.round(corpus.generateMs),
  },
  cases: { parse, naive, sdk, fanout, e2e, memory, relay },
  paired: paired ? { sdkVsParse: paired.sdkVsParse, fanout: paired.fanout43 } : null,
  ratios,
  targets,
  totalMs: Math.round(performance.now() - started),
  history: [...(previous.history ?? []), entry],
}
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(results, roundReplacer, 2)}\n`)
log(`bench: wrote ${out}`)

function printTable(): void {
  const rows: string[][] = [['case', 'frames/s median', 'min–max', 'notes']]
  const slice = (name: string, r: SliceResult | undefined, note = '') => {
    if (r) rows.push([name, int(r.framesPerSec.median), range(r.framesPerSec, int), note])
  }
  slice('1 JSON.parse alone', parse)
  slice('2 naive parse+valibot+produce', naive)
  slice('3 sdk ingest, 1 subscriber', sdk, sdkNote(sdk))
  slice('4 sdk + 10,000 selects', fanout, sdkNote(fanout))
  for (const r of e2e?.rates ?? []) {
    rows.push([
      `5 e2e offered ${r.offered === 0 ? 'max' : int(r.offered)}`,
      int(r.delivered.median),
      range(r.delivered, int),
      `p50 ${r.p50Ms.median.toFixed(2)} ms, p99 ${r.p99Ms.median.toFixed(2)} ms (${range(r.p99Ms, (x) => x.toFixed(2))}); ${r.completeRuns}/${reps} runs complete`,
    ])
  }
  if (memory) {
    rows.push([
      '6 heap bytes / stored price',
      memory.bytesPerPrice.median.toFixed(1),
      range(memory.bytesPerPrice, (x) => x.toFixed(1)),
      `${memory.prices} prices, ${mb(memory.heapBytes.median)} MB heap`,
    ])
  }
  const relayRow = (name: string, r: RelayResult['rates'][number]) =>
    rows.push([
      `7 ${name} ${int(r.offered)} frames/s → ${relay?.clients ?? 0} clients`,
      int(r.deliveredPerSec),
      `${int(r.received)} of ${int(r.expected)}`,
      `client messages/s; p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms; server CPU ${(r.relayCpu * 100).toFixed(0)}%, peer CPU ${(r.peerCpu * 100).toFixed(0)}%`,
    ])
  relay?.rates.forEach((r, i) => {
    relayRow(`relay flush ${relay.flushMs} ms`, r)
    for (const f of relay.flushes) {
      const o = f.rates[i]
      if (o) relayRow(`relay flush ${f.flushMs} ms`, o)
    }
    const b = relay.bound[i]
    if (b) relayRow('bound ws.send', b)
    const bb = relay.boundBatched[i]
    if (bb) relayRow('bound batched', bb)
  })
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)))
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ')
  console.log(line(rows[0]!))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const r of rows.slice(1)) console.log(line(r))
  console.log('')
  const spread: Record<string, Summary | undefined> = {
    '3/1 sdk vs JSON.parse': paired?.sdkVsParse,
    '4/3 fan-out': paired?.fanout43,
  }
  for (const t of targets) {
    const s = spread[t.name]
    const per = s ? ` (per repetition ${range(s, (x) => x.toFixed(3))})` : ''
    console.log(
      `${t.met === null ? '·' : t.met ? '✓' : '✗'} ${t.name} ${t.target}: ${t.value === null ? 'n/a' : round(t.value, 3)}${per}`,
    )
  }
}

function sdkNote(r: SdkResult | undefined): string {
  if (!r) return ''
  const selects = r.selects ? `, ${r.selectEmissions} select emissions` : ''
  return `${r.boardEmissions} board emissions${selects}; board load ${ms(r.boardLoadMs)}`
}

function target(
  name: string,
  goal: string,
  value: number | null,
  ok: (x: number) => boolean,
): { name: string; target: string; value: number | null; met: boolean | null } {
  return { name, target: goal, value, met: value === null ? null : ok(value) }
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim()
  } catch {
    return null
  }
}

function range(s: Summary, fmt: (x: number) => string): string {
  return `${fmt(s.min)}–${fmt(s.max)}`
}
function int(x: number): string {
  return Math.round(x).toLocaleString('en-US')
}
function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}
function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1)
}
function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`
}
function roundReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? round(value, 3) : value
}

export type { E2eResult, MemoryResult, RelayResult, SdkResult }
