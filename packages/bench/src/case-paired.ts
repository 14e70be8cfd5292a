/**
 * Cases 1, 3 and 4 measured side by side, so their ratios survive a noisy machine.
 *
 * One feed takes the whole stream (board loaded first, untimed; one `fixtures$` subscriber).
 * The stream's slices alternate between case 3 (no `select`s) and case 4 (10,000 `select`s
 * subscribed before the slice, unsubscribed after, untimed), in pairs whose order flips from
 * one pair to the next; every slice's texts are also `JSON.parse`d alone (case 1), just before
 * the feed takes them, and a full GC runs before each slice (untimed). So each repetition yields three figures taken within about a second of
 * each other, on the same heap, and the ratios are the medians of the per-repetition ratios.
 * @module
 */
import type { Subscription } from 'rxjs'
import { ingestAll, offlineFeed, type SdkResult } from './case-sdk.js'
import type { Corpus } from './corpus.js'
import type { SliceResult } from './slices.js'
import { type Summary, summarize } from './stats.js'

/** What the paired run measured. */
export interface PairedResult {
  readonly parse: SliceResult
  readonly sdk: SdkResult
  readonly fanout: SdkResult
  /** Case 3 ÷ case 1 of each repetition (same slice of frames). */
  readonly sdkVsParse: Summary
  /** Case 4 ÷ case 3 of each repetition (neighbouring slices). */
  readonly fanout43: Summary
}

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

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('Run with --expose-gc (pnpm bench does)')
  gc()
}

/** Runs the paired measurement over `corpus.slices` (slice 0 warms up; then pairs). */
export async function runPaired(corpus: Corpus): Promise<PairedResult> {
  const [warmup, ...rest] = corpus.slices
  if (!warmup || rest.length < 2) throw new Error('the paired run needs a warm-up and two slices')
  const feed = offlineFeed()
  let boardEmissions = 0
  let selectEmissions = 0
  const board = feed.fixtures$.subscribe(() => boardEmissions++)
  const t0 = performance.now()
  await ingestAll(feed, corpus.board, 0, corpus.board.length, 1)
  const boardLoadMs = performance.now() - t0

  const subscribeSelects = (): Subscription[] =>
    corpus.selectPaths.map((path) => feed.select(path).subscribe(() => selectEmissions++))

  const rates = { parse: [] as number[], sdk: [] as number[], fanout: [] as number[] }
  const counts = {
    sdk: { board: 0, select: 0 },
    fanout: { board: 0, select: 0 },
  }
  const ratioParse: number[] = []
  const ratioFanout: number[] = []
  const run = async (slice: readonly [number, number], withSelects: boolean, timed: boolean) => {
    const [start, end] = slice
    const parsed = parseRate(corpus.frames, start, end)
    const selects = withSelects ? subscribeSelects() : []
    // Both modes start their slice from a collected heap: otherwise the 10,000 subscriptions
    // just made would be promoted (copied) by the collector during case 4's timed slice.
    collect()
    const b = boardEmissions
    const s = selectEmissions
    const t = performance.now()
    await ingestAll(feed, corpus.frames, start, end)
    const rate = ((end - start) / (performance.now() - t)) * 1000
    for (const subscription of selects) subscription.unsubscribe()
    if (timed) {
      const c = withSelects ? counts.fanout : counts.sdk
      c.board += boardEmissions - b
      c.select += selectEmissions - s
      rates.parse.push(parsed)
    }
    return { rate, parsed }
  }

  await run(warmup, true, false)
  for (let i = 0; i + 1 < rest.length; i += 2) {
    const flip = (i / 2) % 2 === 1
    const first = await run(rest[i] as readonly [number, number], flip, true)
    const second = await run(rest[i + 1] as readonly [number, number], !flip, true)
    const plain = flip ? second : first
    const selected = flip ? first : second
    rates.sdk.push(plain.rate)
    rates.fanout.push(selected.rate)
    ratioParse.push(plain.rate / plain.parsed)
    ratioFanout.push(selected.rate / plain.rate)
  }
  board.unsubscribe()
  feed.close()

  const warm = rates.parse[0] ?? 0
  const slice = (samples: number[]): SliceResult => ({
    framesPerSec: summarize(samples),
    warmupFramesPerSec: warm,
  })
  const sdk = (samples: number[], c: { board: number; select: number }, selects: number) => ({
    ...slice(samples),
    boardEmissions: c.board,
    selectEmissions: c.select,
    selects,
    boardLoadMs,
  })
  return {
    parse: slice(rates.parse),
    sdk: sdk(rates.sdk, counts.sdk, 0),
    fanout: sdk(rates.fanout, counts.fanout, corpus.selectPaths.length),
    sdkVsParse: summarize(ratioParse),
    fanout43: summarize(ratioFanout),
  }
}
