/**
 * Case 6: heap bytes per stored price after loading the full board into a feed, after GC; and
 * again after streaming the corpus's frames into that board (state must not grow past the
 * loaded figure: a stream of price moves replaces entries, it adds none). Measured for the
 * default store and for the compact one (`storage: 'compact'`), alternately (A, B, A, B), with
 * what each costs: the board's load, the stream's ingest (frames/s) and a read of every fixture.
 * @module
 */
import type { Fixture } from '@oddsfeed/core'
import { ingestAll, offlineFeed } from './case-sdk.js'
import { type Corpus, countPrices } from './corpus.js'
import { type Summary, summarize } from './stats.js'

/** What case 6 measured of one store. */
export interface StoreMemory {
  readonly bytesPerPrice: Summary
  readonly heapBytes: Summary
  /** Heap per stored price after the stream (every fixture read, so nothing is left queued). */
  readonly afterStreamBytesPerPrice: Summary | undefined
  /** The board's load, ms. */
  readonly loadMs: Summary
  /** The stream's ingest into the loaded board, frames/s. */
  readonly streamFramesPerSec: Summary | undefined
  /** A `get` of every fixture after the stream (what was left unmerged is merged), ms. */
  readonly readAllMs: Summary | undefined
}

/** What case 6 measured. */
export interface MemoryResult extends StoreMemory {
  readonly prices: number
  readonly fixtures: number
  readonly streamedFrames: number
  /** The same with `storage: 'compact'`. */
  readonly compact: StoreMemory
}

/** Frames streamed after the load (the first this many of the corpus). */
const STREAM_FRAMES = 60_000

/**
 * The heap in use after full GCs, with the memory of `ArrayBuffer`s (outside the JS heap; the
 * compact store keeps its bytes there).
 */
function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('Run with --expose-gc (pnpm bench does)')
  for (let i = 0; i < 4; i++) gc()
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.arrayBuffers
}

/** Lets what a tick leaves (a flush, the compact store's packing) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

/** One load of one store. */
interface Once {
  bytes: number
  prices: number
  fixtures: number
  afterBytes: number
  afterPrices: number
  loadMs: number
  streamMs: number
  readMs: number
}

/**
 * Loads the board into a fresh feed `reps` times per store, the two stores in turn, and
 * measures the heap it keeps: heap after loading minus heap before, both after full GCs; then
 * streams frames into it and measures again. One function call per repetition, so nothing of
 * the previous repetition is still held by a suspended frame.
 */
export async function runMemory(corpus: Corpus, reps: number): Promise<MemoryResult> {
  const streamed = Math.min(STREAM_FRAMES, corpus.frames.length)
  const runs: Record<'objects' | 'compact', Once[]> = { objects: [], compact: [] }
  let last: Once | undefined
  for (let r = 0; r < reps; r++) {
    for (const storage of ['objects', 'compact'] as const) {
      const once = await loadOnce(corpus, streamed, storage)
      runs[storage].push(once)
      if (storage === 'objects') last = once
    }
  }
  const of = (list: Once[]): StoreMemory => ({
    bytesPerPrice: summarize(list.map((o) => o.bytes / o.prices)),
    heapBytes: summarize(list.map((o) => o.bytes)),
    afterStreamBytesPerPrice:
      streamed > 0 ? summarize(list.map((o) => o.afterBytes / o.afterPrices)) : undefined,
    loadMs: summarize(list.map((o) => o.loadMs)),
    streamFramesPerSec:
      streamed > 0 ? summarize(list.map((o) => (streamed * 1000) / o.streamMs)) : undefined,
    readAllMs: streamed > 0 ? summarize(list.map((o) => o.readMs)) : undefined,
  })
  return {
    ...of(runs.objects),
    prices: last?.prices ?? 0,
    fixtures: last?.fixtures ?? 0,
    streamedFrames: streamed,
    compact: of(runs.compact),
  }
}

async function loadOnce(
  corpus: Corpus,
  streamed: number,
  storage: 'objects' | 'compact',
): Promise<Once> {
  const before = collect()
  const feed = offlineFeed(storage)
  let t0 = performance.now()
  await ingestAll(feed, corpus.board, 0, corpus.board.length, 1)
  await settle()
  const loadMs = performance.now() - t0
  const after = collect()
  const count = () => {
    let board: ReadonlyMap<string, Fixture> = new Map()
    feed.fixtures$.subscribe((all) => (board = all)).unsubscribe()
    let prices = 0
    for (const fixture of board.values()) prices += countPrices(fixture)
    return { prices, fixtures: board.size }
  }
  const loaded = count()
  // (the compact store packs again what the count unpacked)
  await settle()
  t0 = performance.now()
  await ingestAll(feed, corpus.frames, 0, streamed)
  await settle()
  const streamMs = performance.now() - t0
  // read every fixture (a deferred merge happens now), then measure
  t0 = performance.now()
  for (const fixtureId of corpus.fixtureIds) feed.get({ fixtureId })
  const readMs = performance.now() - t0
  await settle()
  const afterStream = collect()
  const streamedCount = count()
  feed.close()
  return {
    bytes: after - before,
    prices: loaded.prices,
    fixtures: loaded.fixtures,
    afterBytes: afterStream - before,
    afterPrices: streamedCount.prices,
    loadMs,
    streamMs,
    readMs,
  }
}
