/**
 * Case 6: heap bytes per stored price after loading the full board into a feed, after GC.
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
}

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('Run with --expose-gc (pnpm bench does)')
  for (let i = 0; i < 4; i++) gc()
  return process.memoryUsage().heapUsed
}

/**
 * Loads the board into a fresh feed `reps` times and measures the heap it keeps: heap after
 * loading minus heap before, both after full GCs. One function call per repetition, so nothing
 * of the previous repetition is still held by a suspended frame.
 */
export async function runMemory(corpus: Corpus, reps: number): Promise<MemoryResult> {
  const perPrice: number[] = []
  const heap: number[] = []
  let last = { bytes: 0, prices: 0, fixtures: 0 }
  for (let r = 0; r < reps; r++) {
    last = await loadOnce(corpus)
    heap.push(last.bytes)
    perPrice.push(last.bytes / last.prices)
  }
  return {
    bytesPerPrice: summarize(perPrice),
    heapBytes: summarize(heap),
    prices: last.prices,
    fixtures: last.fixtures,
  }
}

async function loadOnce(
  corpus: Corpus,
): Promise<{ bytes: number; prices: number; fixtures: number }> {
  const before = collect()
  const feed = offlineFeed()
  await ingestAll(feed, corpus.board, 0, corpus.board.length, 1)
  const after = collect()
  let board: ReadonlyMap<string, Fixture> = new Map()
  feed.fixtures$.subscribe((all) => (board = all)).unsubscribe()
  let prices = 0
  for (const fixture of board.values()) prices += countPrices(fixture)
  const fixtures = board.size
  feed.close()
  return { bytes: after - before, prices, fixtures }
}
