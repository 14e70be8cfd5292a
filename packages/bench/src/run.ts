/**
 * `pnpm bench`: every case in one process, on the same seeded frames, then a table, every
 * target with met/missed, the profile's top entries, and `bench/results.json` (at the
 * repository root, with the history of every run). Never part of `pnpm test`.
 *
 * Environment: `BENCH_CORPUS` (comma list of `realistic,heavy`; default both: targets are
 * judged on `realistic`, `heavy` is a stress figure), `BENCH_FRAMES` (default 120000),
 * `BENCH_REPS` (5), `BENCH_CASES` (comma list of parse,naive,sdk,others,e2e,memory,profile,
 * relay; default all; `fanout` is an alias of `sdk`), `BENCH_RELAY_MS` (each relay rate's run,
 * default 2000), `BENCH_RELAY_FLUSH` (comma list of the relay's `limits.flushMs`, one relay
 * each side by side, the first is the case's; default 0), `BENCH_E2E_REPS` (3), `BENCH_E2E_RATES` (comma list of
 * offered frames/s, 0 = unthrottled; default 10000,25000,50000,100000,150000,0), `BENCH_LABEL`
 * (names this run in `history`), `BENCH_OUT` (results path; default `bench/results.json`).
 * @module
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type E2eRate, type E2eResult, OPEN_FIXTURES, RATES, runE2e } from './case-e2e.js'
import { type MemoryResult, runMemory } from './case-memory.js'
import { runNaive } from './case-naive.js'
import { type OthersResult, runOthers } from './case-others.js'
import { type PairedResult, runPaired, SLICES_PER_REP } from './case-paired.js'
import { type RelayResult, runRelay } from './case-relay.js'
import { CHUNK, ingestAll, offlineFeed, type SdkResult } from './case-sdk.js'
import { buildCorpus, type Corpus, type CorpusKind, formatStats } from './corpus.js'
import { formatProfile, type ProfileResult, profileIngest } from './profiler.js'
import type { SliceResult } from './slices.js'
import type { Summary } from './stats.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const env = process.env
const ALL = ['parse', 'naive', 'sdk', 'others', 'e2e', 'memory', 'profile', 'relay'] as const
type CaseName = (typeof ALL)[number]
const wanted = new Set<string>(
  (env.BENCH_CASES ? env.BENCH_CASES.split(',') : ALL).map((c) => (c === 'fanout' ? 'sdk' : c)),
)
const want = (name: CaseName) => wanted.has(name)
const kinds = (env.BENCH_CORPUS ?? 'realistic,heavy').split(',') as CorpusKind[]
for (const kind of kinds) {
  if (kind !== 'realistic' && kind !== 'heavy') throw new Error(`BENCH_CORPUS: unknown ${kind}`)
}

const reps = Number(env.BENCH_REPS ?? 5)
const e2eReps = Number(env.BENCH_E2E_REPS ?? 3)
const e2eRates = env.BENCH_E2E_RATES ? env.BENCH_E2E_RATES.split(',').map(Number) : [...RATES]
const baseOptions = {
  seed: 7,
  fixtures: 1000,
  bookmakers: 10,
  markets: 20,
  frames: Number(env.BENCH_FRAMES ?? 120_000),
  // a warm-up slice, then one slice per mode (cases 3, 3b, 3c and 4) per repetition
  reps: SLICES_PER_REP * reps,
  selects: 10_000,
}

const log = (line: string) => process.stderr.write(`${line}\n`)
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

/** Everything measured on one corpus. */
interface CorpusRun {
  readonly kind: CorpusKind
  readonly corpus: Corpus
  readonly paired: PairedResult | undefined
  readonly naive: SliceResult | undefined
  readonly others: OthersResult | undefined
  /** Case 3s: 4o's chunks with no subscriber. */
  readonly steady: OthersResult | undefined
  readonly e2e: E2eResult | undefined
  readonly memory: MemoryResult | undefined
  readonly profile: ProfileResult | undefined
}

const runs: CorpusRun[] = []
// the relay case brings its own upstream: a relay-only run makes no corpus
const needsCorpus = ALL.some((name) => name !== 'relay' && want(name))
for (const kind of needsCorpus ? kinds : []) {
  log(
    `bench: generating the ${kind} corpus (${baseOptions.fixtures} fixtures, ${baseOptions.frames} frames, seed ${baseOptions.seed})…`,
  )
  let corpus: Corpus | undefined = buildCorpus({ ...baseOptions, kind })
  log(
    `bench: board ${corpus.board.length} fixtures, ${corpus.boardPrices} prices, ` +
      `${mb(corpus.boardBytes)} MB; ${ms(corpus.generateMs)}`,
  )
  for (const line of formatStats(kind, corpus.stats)) log(`bench: ${line}`)
  const c = corpus
  const first = kind === kinds[0]
  const paired =
    want('parse') || want('sdk')
      ? await timed(`${kind}: 1, 1d, 3, 3b, 3c and 4, side by side`, () => runPaired(c))
      : undefined
  const naive = want('naive') ? await timed(`${kind}: 2 naive`, () => runNaive(c)) : undefined
  const others =
    want('others') && kind === 'realistic'
      ? await timed(`${kind}: 4o selects on other fixtures`, () => runOthers(c))
      : undefined
  const steady =
    want('others') && kind === 'realistic'
      ? await timed(`${kind}: 3s no subscriber, 4o's chunks`, () => runOthers(c, 0))
      : undefined
  // end to end and memory are judged on realistic (memory: the board is the same for both)
  const e2e =
    want('e2e') && kind === 'realistic'
      ? await timed(`${kind}: 5 end to end`, () => runE2e(c, e2eReps, e2eRates))
      : undefined
  const memory =
    want('memory') && first
      ? await timed(`${kind}: 6 memory`, () => runMemory(c, Math.min(reps, 3)))
      : undefined
  const profile =
    want('profile') && kind === 'realistic'
      ? await timed(`${kind}: profile`, () => profileOnce(c))
      : undefined
  runs.push({ kind, corpus: c, paired, naive, others, steady, e2e, memory, profile })
  corpus = undefined
}

const relay = want('relay')
  ? await timed('7 relay', () =>
      runRelay({
        ms: Number(env.BENCH_RELAY_MS ?? 2_000),
        flushMs: (env.BENCH_RELAY_FLUSH ?? '0').split(',').map(Number),
      }),
    )
  : undefined
const relayBest = relay ? Math.max(...relay.rates.map((r) => r.deliveredPerSec)) : null
const relayAt1k = relay?.rates.find((r) => r.offered === 1_000)

/** Case 3's first slices under the CPU profiler (board loaded, no subscriber). */
async function profileOnce(corpus: Corpus): Promise<ProfileResult> {
  const feed = offlineFeed()
  await ingestAll(feed, corpus.board, 0, corpus.board.length, 1)
  const texts = corpus.frames.slice(0, Math.min(corpus.frames.length, 40_000))
  const result = await profileIngest(feed, texts, 12)
  feed.close()
  return result
}

const judged = runs.find((r) => r.kind === 'realistic') ?? runs[0]
const memoryRun = runs.find((r) => r.memory)
const targets = [
  ...(judged ? targetsOf(judged, memoryRun?.memory) : []),
  ...(relay
    ? [
        target(
          'relay client messages/s (one instance)',
          '>= 1000000',
          relayBest,
          (x) => x >= 1_000_000,
          '',
        ),
        target(
          'relay p99 at 1,000 clients x 1,000 frames/s (ms)',
          '< 50',
          relayAt1k?.p99Ms ?? null,
          (x) => x < 50,
          '',
        ),
      ]
    : []),
]

for (const run of runs) printTable(run)
printRelay()
printTargets()

const commit = git(['rev-parse', '--short', 'HEAD'])
const label = env.BENCH_LABEL ?? git(['log', '-1', '--format=%s']) ?? 'unlabelled'
const out = resolve(ROOT, env.BENCH_OUT ?? 'bench/results.json')
const previous = existsSync(out)
  ? (JSON.parse(readFileSync(out, 'utf8')) as { history?: unknown[] })
  : {}
const date = new Date().toISOString()
const entry = {
  label,
  commit,
  date,
  corpus: judged?.kind ?? null,
  framesPerSec: {
    parse: judged?.paired?.parse.framesPerSec.median ?? null,
    decode: judged?.paired?.decode.framesPerSec.median ?? null,
    naive: judged?.naive?.framesPerSec.median ?? null,
    sdk: judged?.paired?.sdk.framesPerSec.median ?? null,
    board: judged?.paired?.board.framesPerSec.median ?? null,
    boardRows: judged?.paired?.rows.framesPerSec.median ?? null,
    fanout: judged?.paired?.fanout.framesPerSec.median ?? null,
  },
  ratios: judged ? ratiosOf(judged) : null,
  heavyRatios: runs.find((r) => r.kind === 'heavy')
    ? ratiosOf(runs.find((r) => r.kind === 'heavy') as CorpusRun)
    : null,
  others: judged?.others ?? null,
  steady: judged?.steady ?? null,
  e2e: judged?.e2e
    ? {
        bestDelivered: bestDelivered(judged.e2e),
        bareDelivered: judged.e2e.bare.delivered.median,
        p99At10kMs: rateAt(judged.e2e, 10_000)?.p99Ms.median ?? null,
        p99At25kMs: rateAt(judged.e2e, 25_000)?.p99Ms.median ?? null,
        uiBestDelivered: Math.max(...judged.e2e.ui.map((r) => r.delivered.median)),
        uiP99At10kMs: judged.e2e.ui.find((r) => r.offered === 10_000)?.p99Ms.median ?? null,
        uiP99At25kMs: judged.e2e.ui.find((r) => r.offered === 25_000)?.p99Ms.median ?? null,
      }
    : null,
  bytesPerPrice: memoryRun?.memory?.bytesPerPrice.median ?? null,
  bytesPerPriceAfterStream: memoryRun?.memory?.afterStreamBytesPerPrice?.median ?? null,
  compactBytesPerPrice: memoryRun?.memory?.compact.bytesPerPrice.median ?? null,
  compactBytesPerPriceAfterStream:
    memoryRun?.memory?.compact.afterStreamBytesPerPrice?.median ?? null,
  compactStreamVsDefault:
    memoryRun?.memory?.compact.streamFramesPerSec && memoryRun.memory.streamFramesPerSec
      ? memoryRun.memory.compact.streamFramesPerSec.median /
        memoryRun.memory.streamFramesPerSec.median
      : null,
  relayBestDelivered: relayBest,
  relayP99At1kMs: relayAt1k?.p99Ms ?? null,
  targets: targets.map((t) => ({ name: t.name, value: t.value, met: t.met })),
  profileTop: judged?.profile?.top.slice(0, 8) ?? null,
  relayBoundBestDelivered: relay ? Math.max(...relay.bound.map((r) => r.deliveredPerSec)) : null,
  relayBoundP99At1kMs: relay?.bound.find((r) => r.offered === 1_000)?.p99Ms ?? null,
  relayBatchedBoundBestDelivered: relay
    ? Math.max(...relay.boundBatched.map((r) => r.deliveredPerSec))
    : null,
  relayBatchedBoundP99At1kMs: relay?.boundBatched.find((r) => r.offered === 1_000)?.p99Ms ?? null,
}
const results = {
  generatedAt: date,
  label,
  commit,
  machine: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
  config: { ...baseOptions, corpora: kinds, chunk: CHUNK, cases: [...wanted], e2eReps, e2eRates },
  corpora: Object.fromEntries(
    runs.map((r) => [
      r.kind,
      {
        corpus: {
          boardFixtures: r.corpus.board.length,
          boardPrices: r.corpus.boardPrices,
          boardBytes: r.corpus.boardBytes,
          frames: r.corpus.frames.length,
          kinds: r.corpus.kinds,
          stats: r.corpus.stats,
          slices: r.corpus.slices,
          generateMs: Math.round(r.corpus.generateMs),
        },
        cases: {
          parse: r.paired?.parse,
          decode: r.paired?.decode,
          walk: r.paired?.walk,
          naive: r.naive,
          others: r.others,
          steady: r.steady,
          sdk: r.paired?.sdk,
          board: r.paired?.board,
          boardRows: r.paired?.rows,
          fanout: r.paired?.fanout,
          e2e: r.e2e,
          memory: r.memory,
        },
        paired: r.paired
          ? {
              decodeVsParse: r.paired.decodeVsParse,
              walkVsParse: r.paired.walkVsParse,
              sdkVsParse: r.paired.sdkVsParse,
              sdkVsBestParse: r.paired.sdkVsBestParse,
              board: r.paired.board3,
              boardRows: r.paired.rows3,
              fanout: r.paired.fanout43,
            }
          : null,
        ratios: ratiosOf(r),
        profile: r.profile ? { usPerFrame: r.profile.usPerFrame, top: r.profile.top } : null,
      },
    ]),
  ),
  relay,
  targets,
  totalMs: Math.round(performance.now() - started),
  history: [...(previous.history ?? []), entry],
}
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(results, roundReplacer, 2)}\n`)
log(`bench: wrote ${out}`)

function ratiosOf(r: CorpusRun) {
  const p = r.paired
  return {
    decodeVsParse: p ? round(p.decodeVsParse.median, 3) : null,
    walkVsParse: p ? round(p.walkVsParse.median, 3) : null,
    sdkVsParse: p ? round(p.sdkVsParse.median, 3) : null,
    sdkVsBestParse: p ? round(p.sdkVsBestParse.median, 3) : null,
    sdkVsNaive:
      p && r.naive ? round(p.sdk.framesPerSec.median / r.naive.framesPerSec.median, 3) : null,
    board: p ? round(p.board3.median, 3) : null,
    boardRows: p ? round(p.rows3.median, 3) : null,
    fanout: p ? round(p.fanout43.median, 3) : null,
  }
}

function rateAt(e2e: E2eResult, offered: number): E2eRate | undefined {
  return e2e.rates.find((r) => r.offered === offered)
}

function bestDelivered(e2e: E2eResult): number {
  return Math.max(...e2e.rates.map((r) => r.delivered.median))
}

interface Target {
  name: string
  target: string
  value: number | null
  met: boolean | null
  note: string
}

function targetsOf(r: CorpusRun, memory: MemoryResult | undefined): Target[] {
  const ratios = ratiosOf(r)
  const p = r.paired
  const per = (s: Summary | undefined) =>
    s ? `per repetition ${range(s, (x) => x.toFixed(3))}` : ''
  const e2e = r.e2e
  const at10k = e2e ? rateAt(e2e, 10_000) : undefined
  const at25k = e2e ? rateAt(e2e, 25_000) : undefined
  const best = e2e ? bestDelivered(e2e) : null
  const grown = memory?.afterStreamBytesPerPrice
  const compact = memory?.compact
  const compactGrown = compact?.afterStreamBytesPerPrice
  return [
    target(
      '1d/1 decode vs JSON.parse',
      '>= 0.8',
      ratios.decodeVsParse,
      (x) => x >= 0.8,
      `${per(p?.decodeVsParse)}; bound here: parse + a bare walk of every key 1w/1 ${ratios.walkVsParse}`,
    ),
    target(
      '3/1 ingest vs JSON.parse',
      '>= 0.5',
      ratios.sdkVsParse,
      (x) => x >= 0.5,
      `${per(p?.sdkVsParse)}; against the best of the parse passes 3/1best ${ratios.sdkVsBestParse}` +
        (r.steady ? `; 4o's chunks, no subscriber (3s) ${r.steady.ingestVsParse.toFixed(3)}` : ''),
    ),
    target(
      '4o ingest vs JSON.parse, 10,000 selects on other fixtures',
      '>= 0.5',
      r.others ? round(r.others.ingestVsParse, 3) : null,
      (x) => x >= 0.5,
      r.others
        ? `with the final catch-up of what was left unmerged: ${r.others.ingestVsParseWithCatchUp.toFixed(3)}`
        : '',
    ),
    target('3/2 ingest vs naive', '>= 3', ratios.sdkVsNaive, (x) => x >= 3, ''),
    target(
      '4/3 fan-out (10,000 selects)',
      '>= 0.9',
      ratios.fanout,
      (x) => x >= 0.9,
      `${per(p?.fanout43)}; the selects on the streamed fixtures themselves` +
        (r.others && r.steady
          ? `; on other fixtures (the check's form), 4o/3s ${(r.others.ingestVsParse / r.steady.ingestVsParse).toFixed(3)}`
          : ''),
    ),
    target(
      'e2e delivered frames/s',
      '>= 100000',
      best,
      (x) => x >= 100_000,
      e2e
        ? `bare ws client (parse only), same server: ${int(e2e.bare.delivered.median)} frames/s`
        : '',
    ),
    target(
      'e2e p99 at 10,000 frames/s, board loaded (ms)',
      '< 5',
      at10k?.p99Ms.median ?? null,
      (x) => x < 5,
      at10k ? `min–max ${range(at10k.p99Ms, (x) => x.toFixed(2))}` : '',
    ),
    target(
      'e2e p99 at 25,000 frames/s, board loaded (ms)',
      '< 10',
      at25k?.p99Ms.median ?? null,
      (x) => x < 10,
      at25k ? `min–max ${range(at25k.p99Ms, (x) => x.toFixed(2))}` : '',
    ),
    target(
      'heap bytes per stored price (board loaded)',
      '<= 300',
      memory ? round(memory.bytesPerPrice.median, 1) : null,
      (x) => x <= 300,
      '',
    ),
    target(
      'heap bytes per price after streaming (no growth past loaded)',
      `<= loaded`,
      grown ? round(grown.median, 1) : null,
      (x) => memory !== undefined && x <= memory.bytesPerPrice.median * 1.02,
      memory ? `loaded ${memory.bytesPerPrice.median.toFixed(1)}` : '',
    ),
    target(
      "heap bytes per stored price, storage: 'compact' (board loaded)",
      '<= 300',
      compact ? round(compact.bytesPerPrice.median, 1) : null,
      (x) => x <= 300,
      compact
        ? `default store ${memory?.bytesPerPrice.median.toFixed(1)}; ${ingestCost(memory)}`
        : '',
    ),
    target(
      "heap bytes per stored price, storage: 'compact' (after streaming)",
      '<= 300',
      compactGrown ? round(compactGrown.median, 1) : null,
      (x) => x <= 300,
      grown ? `default store ${grown.median.toFixed(1)}` : '',
    ),
  ]
}

/** What the compact store costs beside the default one (load, stream ingest, a read of all). */
function ingestCost(m: MemoryResult | undefined): string {
  if (!m) return ''
  const c = m.compact
  const parts = [`board load ×${(c.loadMs.median / m.loadMs.median).toFixed(2)} the time`]
  if (m.streamFramesPerSec && c.streamFramesPerSec) {
    parts.push(
      `stream ingest ${int(c.streamFramesPerSec.median)} vs ${int(m.streamFramesPerSec.median)} frames/s (${(c.streamFramesPerSec.median / m.streamFramesPerSec.median).toFixed(2)})`,
    )
  }
  if (m.readAllMs && c.readAllMs) {
    parts.push(`get of every fixture ${ms(c.readAllMs.median)} vs ${ms(m.readAllMs.median)}`)
  }
  return parts.join(', ')
}

/** A table row of a chunked case (4o, 3s): its ingest rate, and the parse rate of its chunks. */
function chunkedRow(label: string, o: OthersResult, frames: string): string[] {
  return [
    label,
    int(1e6 / o.ingestUsPerFrame),
    '',
    `${o.frames} frames${frames ? ` ${frames}` : ''}; JSON.parse ${int(1e6 / o.parseUsPerFrame)}/s; ratio ${o.ingestVsParse.toFixed(3)}; catch-up ${ms(o.catchUpMs)}`,
  ]
}

function printTable(r: CorpusRun): void {
  console.log(
    `\n== corpus ${r.kind}${r === judged ? ' (targets judged here)' : ' (stress figure)'}`,
  )
  for (const line of formatStats(r.kind, r.corpus.stats)) console.log(line)
  console.log('')
  const rows: string[][] = [['case', 'frames/s median', 'min–max', 'notes']]
  const slice = (name: string, s: SliceResult | undefined, note = '') => {
    if (s) rows.push([name, int(s.framesPerSec.median), range(s.framesPerSec, int), note])
  }
  const p = r.paired
  slice('1 JSON.parse alone', p?.parse)
  slice('1d decodeFrame (parse + validation)', p?.decode)
  slice('1w JSON.parse + bare key walk (bound)', p?.walk)
  slice('2 naive parse+valibot+produce', r.naive)
  slice('3 sdk ingest, no subscriber', p?.sdk, sdkNote(p?.sdk))
  slice('3b sdk ingest + fixtures$ subscriber', p?.board, sdkNote(p?.board))
  slice('3c sdk ingest + board$ subscriber', p?.rows, sdkNote(p?.rows))
  slice('4 sdk + 10,000 selects', p?.fanout, sdkNote(p?.fanout))
  for (const e of r.e2e?.rates ?? []) {
    rows.push([
      `5 e2e offered ${e.offered === 0 ? 'max' : int(e.offered)}`,
      int(e.delivered.median),
      range(e.delivered, int),
      `p50 ${e.p50Ms.median.toFixed(2)} ms, p99 ${e.p99Ms.median.toFixed(2)} ms (${range(e.p99Ms, (x) => x.toFixed(2))}); ${e.completeRuns}/${r.e2e?.reps} runs complete`,
    ])
  }
  for (const e of r.e2e?.ui ?? []) {
    rows.push([
      `5u UI-shaped (board$ + ${OPEN_FIXTURES} open) offered ${e.offered === 0 ? 'max' : int(e.offered)}`,
      int(e.delivered.median),
      range(e.delivered, int),
      `frame→published p50 ${e.p50Ms.median.toFixed(2)} ms, p99 ${e.p99Ms.median.toFixed(2)} ms (${range(e.p99Ms, (x) => x.toFixed(2))}); ${e.completeRuns}/${r.e2e?.reps} runs complete; no target`,
    ])
  }
  if (r.e2e) {
    const b = r.e2e.bare
    rows.push([
      '5 bare ws client, parse only, max',
      int(b.delivered.median),
      range(b.delivered, int),
      `p50 ${b.p50Ms.median.toFixed(2)} ms, p99 ${b.p99Ms.median.toFixed(2)} ms; same server process`,
    ])
  }
  if (r.others)
    rows.push(chunkedRow('4o ingest, 10,000 selects elsewhere', r.others, 'of unwatched fixtures'))
  if (r.steady) rows.push(chunkedRow("3s ingest, no subscriber, 4o's chunks", r.steady, ''))
  const m = r.memory
  if (m) {
    rows.push([
      '6 heap bytes / stored price',
      m.bytesPerPrice.median.toFixed(1),
      range(m.bytesPerPrice, (x) => x.toFixed(1)),
      `${m.prices} prices, ${mb(m.heapBytes.median)} MB heap`,
    ])
    if (m.afterStreamBytesPerPrice) {
      rows.push([
        '6s … after streaming the corpus',
        m.afterStreamBytesPerPrice.median.toFixed(1),
        range(m.afterStreamBytesPerPrice, (x) => x.toFixed(1)),
        `${m.streamedFrames} frames streamed into the loaded board`,
      ])
    }
    const c = m.compact
    rows.push([
      "6c … storage: 'compact'",
      c.bytesPerPrice.median.toFixed(1),
      range(c.bytesPerPrice, (x) => x.toFixed(1)),
      `${mb(c.heapBytes.median)} MB heap; ${ingestCost(m)}`,
    ])
    if (c.afterStreamBytesPerPrice) {
      rows.push([
        "6cs … 'compact' after streaming",
        c.afterStreamBytesPerPrice.median.toFixed(1),
        range(c.afterStreamBytesPerPrice, (x) => x.toFixed(1)),
        `stream ingest ${c.streamFramesPerSec ? int(c.streamFramesPerSec.median) : 'n/a'} frames/s (default ${m.streamFramesPerSec ? int(m.streamFramesPerSec.median) : 'n/a'})`,
      ])
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)))
  const line = (row: string[]) => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ')
  console.log(line(rows[0]!))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const row of rows.slice(1)) console.log(line(row))
  if (p) {
    const ratios = ratiosOf(r)
    console.log(
      `ratios: 1d/1 ${ratios.decodeVsParse}, 3/1 ${ratios.sdkVsParse} (3/1best ${ratios.sdkVsBestParse}), 3/2 ${ratios.sdkVsNaive ?? 'n/a'}, ` +
        `3b/3 ${ratios.board} (what a fixtures$ subscriber costs), 3c/3 ${ratios.boardRows} (a board$ subscriber), 4/3 ${ratios.fanout}`,
    )
  }
  if (r.profile) {
    console.log(
      `\nprofile (${r.profile.frames} frames, case 3, no subscriber): ${r.profile.usPerFrame.toFixed(1)} µs/frame under the profiler; top self time:`,
    )
    for (const l of formatProfile(r.profile)) console.log(l)
  }
}

function printRelay(): void {
  if (!relay) return
  console.log('\n== relay (its own upstream), beside bare fan-out servers (the bound here)')
  const line = (name: string, r: RelayResult['rates'][number]) =>
    console.log(
      `7 ${name} ${int(r.offered)} frames/s → ${relay.clients} clients: ${int(r.deliveredPerSec)} client messages/s ` +
        `(${int(r.received)} of ${int(r.expected)}); p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms; ` +
        `server CPU ${(r.relayCpu * 100).toFixed(0)}%, peer CPU ${(r.peerCpu * 100).toFixed(0)}%`,
    )
  relay.rates.forEach((r, i) => {
    line(`relay flush ${relay.flushMs} ms`, r)
    for (const f of relay.flushes) {
      const o = f.rates[i]
      if (o) line(`relay flush ${f.flushMs} ms`, o)
    }
    const b = relay.bound[i]
    if (b) line('bound ws.send', b)
    const bb = relay.boundBatched[i]
    if (bb) line('bound batched', bb)
  })
}

function printTargets(): void {
  if (targets.length === 0) return
  console.log(`\n== targets${judged ? ` (judged on ${judged.kind})` : ''}`)
  for (const t of targets) {
    const mark = t.met === null ? '·' : t.met ? '✓ met   ' : '✗ missed'
    const value = t.value === null ? 'n/a (not measured in this run)' : String(round(t.value, 3))
    console.log(`${mark} ${t.name} ${t.target}: ${value}${t.note ? ` (${t.note})` : ''}`)
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
  note: string,
): Target {
  return { name, target: goal, value, met: value === null ? null : ok(value), note }
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
