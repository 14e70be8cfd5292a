/**
 * Case 4o, what checks outside the project run: `createOddsFeed({ autoConnect: false }).ingest`
 * of a bursty single-entry stream with 10,000 `select`s on other fixtures. The board is loaded
 * (untimed); the selects go on the first half of the board's fixtures, the frames are those of
 * the stream for the other half. Chunks of 640 frames (64 per tick) alternate with
 * `JSON.parse` of the same chunk; the ratio is total parse time ÷ total ingest time. What the
 * lazy merge left unmerged at the end is read (every fixture's `get`) and timed on its own.
 *
 * With `selects` 0, case 3s: the same chunks into a feed of its own with no subscriber, the
 * steady figure beside the paired 3/1 (one ~30 ms slice against one parse pass).
 * @module
 */
import type { SelectPath } from '@oddsfeed/core'
import { ingestAll, offlineFeed } from './case-sdk.js'
import type { Corpus } from './corpus.js'

/** What case 4o measured. */
export interface OthersResult {
  readonly frames: number
  readonly selects: number
  readonly parseUsPerFrame: number
  readonly ingestUsPerFrame: number
  /** Parse time ÷ ingest time, over the same chunks. */
  readonly ingestVsParse: number
  /** Reading every fixture at the end (merging what was left), ms. */
  readonly catchUpMs: number
  /** The same ratio with the catch-up counted in the ingest time. */
  readonly ingestVsParseWithCatchUp: number
}

const CHUNK = 640
const SELECTS = 10_000

/** Case 4o (`selects` 10,000) or 3s (`selects` 0) over `corpus`. */
export async function runOthers(corpus: Corpus, selects = SELECTS): Promise<OthersResult> {
  const feed = offlineFeed()
  await ingestAll(feed, corpus.board, 0, corpus.board.length, 1)
  const watched = new Set(corpus.fixtureIds.slice(0, Math.floor(corpus.board.length / 2)))
  // case 4's paths on the watched half, each subscribed as often as needed for 10,000
  const half = corpus.selectPaths.filter((p) => watched.has(p.fixtureId))
  const paths = Array.from({ length: selects }, (_, i) => half[i % half.length] as SelectPath)
  const subscriptions = paths.map((path) => feed.select(path).subscribe(() => {}))
  const texts = corpus.frames.filter((_, i) => !watched.has(corpus.frameFixtureIds[i] as string))
  // what an earlier case left (its closed feed's board) is collected now, not in the timed loop
  ;(globalThis as { gc?: () => void }).gc?.()
  let parseMs = 0
  let ingestMs = 0
  for (let s = 0; s < texts.length; s += CHUNK) {
    const e = Math.min(texts.length, s + CHUNK)
    let t0 = performance.now()
    for (let i = s; i < e; i++) JSON.parse(texts[i] as string)
    parseMs += performance.now() - t0
    t0 = performance.now()
    await ingestAll(feed, texts, s, e)
    ingestMs += performance.now() - t0
  }
  const t0 = performance.now()
  for (const fixtureId of corpus.fixtureIds) feed.get({ fixtureId })
  const catchUpMs = performance.now() - t0
  for (const subscription of subscriptions) subscription.unsubscribe()
  feed.close()
  return {
    frames: texts.length,
    selects: paths.length,
    parseUsPerFrame: (parseMs * 1000) / texts.length,
    ingestUsPerFrame: (ingestMs * 1000) / texts.length,
    ingestVsParse: parseMs / ingestMs,
    catchUpMs,
    ingestVsParseWithCatchUp: parseMs / (ingestMs + catchUpMs),
  }
}
