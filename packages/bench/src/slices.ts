/**
 * Timing a case over the corpus slices: slice 0 warms up, every other slice is one repetition.
 * @module
 */
import type { Corpus } from './corpus.js'
import { type Summary, summarize } from './stats.js'

/** Frames per second of every measured slice, summarised, and of the warm-up. */
export interface SliceResult {
  readonly framesPerSec: Summary
  readonly warmupFramesPerSec: number
}

/**
 * Runs `feed(start, end)` over each slice in order (state carries on from slice to slice, as a
 * live client's would; no frame is fed twice) and turns the times into frames per second.
 * With `cap`, only the first `cap` frames of each slice are fed (for a case too slow to feed
 * the whole stream within the run's time budget).
 */
export async function overSlices(
  corpus: Corpus,
  feed: (start: number, end: number) => void | Promise<void>,
  cap = Number.POSITIVE_INFINITY,
): Promise<SliceResult> {
  const rates: number[] = []
  for (const [start, sliceEnd] of corpus.slices) {
    const end = Math.min(sliceEnd, start + cap)
    const t0 = performance.now()
    await feed(start, end)
    const ms = performance.now() - t0
    rates.push(((end - start) / ms) * 1000)
  }
  const [warmup, ...measured] = rates
  return { framesPerSec: summarize(measured), warmupFramesPerSec: warmup as number }
}
