/**
 * Cases 1, 1d, 3, 3b, 3c and 4 measured side by side, so their ratios survive a noisy machine.
 *
 * One feed takes the whole stream (board loaded first, untimed). Each repetition is three
 * neighbouring slices of the stream, one per mode, in an order that rotates from repetition to
 * repetition: case 3 (no subscriber at all: what a process that reads with `get` or watches
 * other fixtures pays), case 3b (one `fixtures$` subscriber, which watches every fixture),
 * case 3c (one `board$` subscriber: rows of every fixture, default main market) and case 4 (10,000 `select`s spread over every board fixture). Subscriptions are made before the
 * slice and ended after it (untimed). Every slice's texts are also `JSON.parse`d alone (case 1)
 * and decoded (`decodeFrame`: parse + validation, case 1d) just before the feed takes them. The
 * SDK's one pass over a slice is compared with one parse pass in the same position: each
 * follows an untimed parse pass of other texts (`settle`). One full GC runs after the board
 * loads, before the warm-up slice; none in the timed loop. The ratios are the medians of the
 * per-repetition ratios: figures taken within about a second of each other, on the same heap.
 * @module
 */
import { decodeFrame } from '@oddsfeed/core'
import type { Subscription } from 'rxjs'
import { ingestAll, offlineFeed, type SdkResult } from './case-sdk.js'
import type { Corpus } from './corpus.js'
import type { SliceResult } from './slices.js'
import { type Summary, summarize } from './stats.js'

/** What the paired run measured. */
export interface PairedResult {
  readonly parse: SliceResult
  readonly decode: SliceResult
  /** JSON.parse + a bare walk of every key: no check can do less. */
  readonly walk: SliceResult
  readonly sdk: SdkResult
  readonly board: SdkResult
  /** Case 3c: one `board$` subscriber (its emissions in `boardEmissions`). */
  readonly rows: SdkResult
  readonly fanout: SdkResult
  /** Case 1d ÷ case 1 of each repetition (same slice). */
  readonly decodeVsParse: Summary
  /** JSON.parse + a bare walk of every key ({@link walk}) ÷ JSON.parse: the check's bound. */
  readonly walkVsParse: Summary
  /** Case 3 ÷ case 1 of each repetition (same slice of frames), one pass against one. */
  readonly sdkVsParse: Summary
  /** Case 3 ÷ the best of case 1's passes over the same slice: the harsher figure. */
  readonly sdkVsBestParse: Summary
  /** Case 3b ÷ case 3 of each repetition (neighbouring slices). */
  readonly board3: Summary
  /** Case 3c ÷ case 3 of each repetition (neighbouring slices). */
  readonly rows3: Summary
  /** Case 4 ÷ case 3 of each repetition (neighbouring slices). */
  readonly fanout43: Summary
}

/** Slices a paired run needs per repetition. */
export const SLICES_PER_REP = 4

type Mode = 'plain' | 'board' | 'rows' | 'selects'
const MODES: readonly Mode[] = ['plain', 'board', 'rows', 'selects']

/** Parses `texts[start..end)` alone; returns frames/s. */
function parseRate(texts: readonly string[], start: number, end: number): number {
  let sink = 0
  const t0 = performance.now()
  for (let i = start; i < end; i++) {
    sink += (JSON.parse(texts[i] as string) as { fixtureId: string }).fixtureId.length
  }
  const ms = performance.now() - t0
  if (sink === 0) throw new Error('JSON.parse produced nothing')
  return ((end - start) / ms) * 1000
}

/** Decodes (parse + validation) `texts[start..end)` alone; returns frames/s. */
function decodeRate(texts: readonly string[], start: number, end: number): number {
  let sink = 0
  const t0 = performance.now()
  for (let i = start; i < end; i++) {
    if (decodeFrame(texts[i]).type === 'frame') sink++
  }
  const ms = performance.now() - t0
  if (sink !== end - start) throw new Error('decodeFrame refused a frame of the corpus')
  return ((end - start) / ms) * 1000
}

type Obj = Record<string, unknown>

/**
 * Visits every value of a parsed frame through its keys, checking nothing: what any check that
 * reads every field costs at least. `Object.keys` is the fastest way to list an object's keys
 * here (measured against `for…in`, `Object.values`, `Object.entries`,
 * `Object.getOwnPropertyNames` and `Reflect.ownKeys`): ids (`101`) are elements, which
 * `for…in` walks on V8's slow path.
 */
function walk(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1
  const keys = Object.keys(value)
  let n = 0
  for (let i = 0; i < keys.length; i++) n += walk((value as Obj)[keys[i] as string])
  return n
}

/** Parses `texts[start..end)` and walks every key ({@link walk}); returns frames/s. */
function walkRate(texts: readonly string[], start: number, end: number): number {
  let sink = 0
  const t0 = performance.now()
  for (let i = start; i < end; i++) sink += walk(JSON.parse(texts[i] as string))
  const ms = performance.now() - t0
  if (sink === 0) throw new Error('the walk visited nothing')
  return ((end - start) / ms) * 1000
}

/** Best of this many alternating passes for the parse, decode and walk rates of a slice. */
const PASSES = 3

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('Run with --expose-gc (pnpm bench does)')
  gc()
}

/** Runs the paired measurement over `corpus.slices` (slice 0 warms up; then triples). */
export async function runPaired(corpus: Corpus): Promise<PairedResult> {
  const [warmup, ...rest] = corpus.slices
  if (!warmup || rest.length < SLICES_PER_REP) {
    throw new Error(`the paired run needs a warm-up and ${SLICES_PER_REP} slices`)
  }
  const feed = offlineFeed()
  let boardEmissions = 0
  let selectEmissions = 0
  const t0 = performance.now()
  await ingestAll(feed, corpus.board, 0, corpus.board.length, 1)
  const boardLoadMs = performance.now() - t0

  const subscribe = (mode: Mode): Subscription[] => {
    if (mode === 'board') return [feed.fixtures$.subscribe(() => boardEmissions++)]
    if (mode === 'rows') return [feed.board$().subscribe(() => boardEmissions++)]
    if (mode === 'plain') return []
    return corpus.selectPaths.map((path) => feed.select(path).subscribe(() => selectEmissions++))
  }

  const rates: Record<Mode | 'parse' | 'decode' | 'walk', number[]> = {
    parse: [],
    decode: [],
    walk: [],
    plain: [],
    board: [],
    rows: [],
    selects: [],
  }
  const counts: Record<Mode, { board: number; select: number }> = {
    plain: { board: 0, select: 0 },
    board: { board: 0, select: 0 },
    rows: { board: 0, select: 0 },
    selects: { board: 0, select: 0 },
  }
  const ratio = {
    decode: [] as number[],
    walk: [] as number[],
    parse: [] as number[],
    bestParse: [] as number[],
    board: [] as number[],
    rows: [] as number[],
    fanout: [] as number[],
  }
  /**
   * An untimed parse pass of the warm-up slice's texts: what runs just before each timed
   * one-pass figure (the slice's first parse pass, and the SDK's slice). It runs the young
   * collector a few times, so that what came before (the last slice's aftermath, the
   * subscriptions just made) is promoted or collected before the timing starts, not during it;
   * and it reads other texts, so the timed pass reads its own as cold as the other one does.
   * Not a full GC: what runs just after one is slowed by its aftermath (sweeping, a young
   * generation regrowing): the first parse pass after a full GC ran at 0.35–0.9 of the next
   * ones on this VM, still 0.6–0.99 after an 800 ms pause, and a short parse pass pays that far
   * more, in proportion, than the SDK's longer slice.
   */
  const settle = () => parseRate(corpus.frames, warmup[0], warmup[1])
  const run = async (slice: readonly [number, number], mode: Mode, timed: boolean) => {
    const [start, end] = slice
    settle()
    /** One pass in the SDK's position: what the SDK's one pass over the slice is compared with (3/1). */
    const parsedOnce = parseRate(corpus.frames, start, end)
    // best of alternating passes: one pass of a slice is ~30 ms, shorter than this VM's drifts
    let parsed = parsedOnce
    let decoded = 0
    let walked = 0
    for (let pass = 0; pass < PASSES; pass++) {
      if (pass > 0) parsed = Math.max(parsed, parseRate(corpus.frames, start, end))
      decoded = Math.max(decoded, decodeRate(corpus.frames, start, end))
      walked = Math.max(walked, walkRate(corpus.frames, start, end))
    }
    const subscriptions = subscribe(mode)
    settle()
    const b = boardEmissions
    const s = selectEmissions
    const t = performance.now()
    await ingestAll(feed, corpus.frames, start, end)
    const rate = ((end - start) / (performance.now() - t)) * 1000
    for (const subscription of subscriptions) subscription.unsubscribe()
    if (timed) {
      counts[mode].board += boardEmissions - b
      counts[mode].select += selectEmissions - s
    }
    return { rate, parsed, decoded, walked, parsedOnce }
  }

  collect()
  await run(warmup, 'selects', false)
  for (let i = 0, rep = 0; i + SLICES_PER_REP <= rest.length; i += SLICES_PER_REP, rep++) {
    const got = {} as Record<
      Mode,
      { rate: number; parsed: number; decoded: number; walked: number; parsedOnce: number }
    >
    for (let k = 0; k < SLICES_PER_REP; k++) {
      const mode = MODES[(k + rep) % MODES.length] as Mode
      got[mode] = await run(rest[i + k] as readonly [number, number], mode, true)
    }
    const plain = got.plain
    rates.parse.push(plain.parsed)
    rates.decode.push(plain.decoded)
    rates.walk.push(plain.walked)
    rates.plain.push(plain.rate)
    rates.board.push(got.board.rate)
    rates.rows.push(got.rows.rate)
    rates.selects.push(got.selects.rate)
    ratio.decode.push(plain.decoded / plain.parsed)
    ratio.walk.push(plain.walked / plain.parsed)
    ratio.parse.push(plain.rate / plain.parsedOnce)
    ratio.bestParse.push(plain.rate / plain.parsed)
    ratio.board.push(got.board.rate / plain.rate)
    ratio.rows.push(got.rows.rate / plain.rate)
    ratio.fanout.push(got.selects.rate / plain.rate)
  }
  feed.close()

  const warm = rates.parse[0] ?? 0
  const slice = (samples: number[]): SliceResult => ({
    framesPerSec: summarize(samples),
    warmupFramesPerSec: warm,
  })
  const sdk = (mode: Mode, selects: number): SdkResult => ({
    ...slice(rates[mode]),
    boardEmissions: counts[mode].board,
    selectEmissions: counts[mode].select,
    selects,
    boardLoadMs,
  })
  return {
    parse: slice(rates.parse),
    decode: slice(rates.decode),
    walk: slice(rates.walk),
    sdk: sdk('plain', 0),
    board: sdk('board', 0),
    rows: sdk('rows', 0),
    fanout: sdk('selects', corpus.selectPaths.length),
    decodeVsParse: summarize(ratio.decode),
    walkVsParse: summarize(ratio.walk),
    sdkVsParse: summarize(ratio.parse),
    sdkVsBestParse: summarize(ratio.bestParse),
    board3: summarize(ratio.board),
    rows3: summarize(ratio.rows),
    fanout43: summarize(ratio.fanout),
  }
}
