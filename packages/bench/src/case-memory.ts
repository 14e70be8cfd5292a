/**
 * Case 6: heap bytes per stored price after loading the full board into a feed, after GC; and
 * again after streaming the corpus's frames into that board (state must not grow past the
 * loaded figure: a stream of price moves replaces entries, it adds none).
 * @module
 */
import type { Fixture } from '@oddsfeed/core'
import { ingestAll, offlineFeed } from './case-sdk.js'
import { type Corpus, countPrices } from './corpus.js'
import { type Summary, summarize } from './stats.js'

/** What case 6 measured. */
export interface MemoryResult {
  readonly bytesPerPrice: Summary
  readonly heapBytes: Summary
  readonly prices: number
  readonly fixtures: number
  /** Heap per stored price after the stream (every fixture read, so nothing is left queued). */
  readonly afterStreamBytesPerPrice: Summary | undefined
  readonly streamedFrames: number
}

/** Frames streamed after the load (the first this many of the corpus). */
const STREAM_FRAMES = 60_000

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('Run with --expose-gc (pnpm bench does)')
  for (let i = 0; i < 4; i++) gc()
  return process.memoryUsage().heapUsed
}

/**
 * Loads the board into a fresh feed `reps` times and measures the heap it keeps: heap after
 * loading minus heap before, both after full GCs; then streams frames into it and measures
 * again. One function call per repetition, so nothing of the previous repetition is still held
 * by a suspended frame.
 */
export async function runMemory(corpus: Corpus, reps: number): Promise<MemoryResult> {
  const perPrice: number[] = []
  const after: number[] = []
  const heap: number[] = []
  let last = { bytes: 0, prices: 0, fixtures: 0, afterBytes: 0, afterPrices: 0 }
  const streamed = Math.min(STREAM_FRAMES, corpus.frames.length)
  for (let r = 0; r < reps; r++) {
    last = await loadOnce(corpus, streamed)
    heap.push(last.bytes)
    perPrice.push(last.bytes / last.prices)
    if (streamed > 0) after.push(last.afterBytes / last.afterPrices)
  }
  return {
    bytesPerPrice: summarize(perPrice),
    heapBytes: summarize(heap),
    prices: last.prices,
    fixtures: last.fixtures,
    afterStreamBytesPerPrice: after.length > 0 ? summarize(after) : undefined,
    streamedFrames: streamed,
  }
}

async function loadOnce(
  corpus: Corpus,
  streamed: number,
): Promise<{
  bytes: number
  prices: number
  fixtures: number
  afterBytes: number
  afterPrices: number
}> {
  const before = collect()
  const feed = offlineFeed()
  await ingestAll(feed, corpus.board, 0, corpus.board.length, 1)
  const after = collect()
  const count = () => {
    let board: ReadonlyMap<string, Fixture> = new Map()
    feed.fixtures$.subscribe((all) => (board = all)).unsubscribe()
    let prices = 0
    for (const fixture of board.values()) prices += countPrices(fixture)
    return { prices, fixtures: board.size }
  }
  const loaded = count()
  await ingestAll(feed, corpus.frames, 0, streamed)
  // read every fixture (a deferred merge happens now), then measure
  for (const fixtureId of corpus.fixtureIds) feed.get({ fixtureId })
  const afterStream = collect()
  const streamedCount = count()
  feed.close()
  return {
    bytes: after - before,
    prices: loaded.prices,
    fixtures: loaded.fixtures,
    afterBytes: afterStream - before,
    afterPrices: streamedCount.prices,
  }
}
