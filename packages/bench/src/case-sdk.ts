/**
 * Cases 3 and 4: `feed.ingest` of the frame texts with the default (microtask) batch.
 *
 * Frames are ingested in chunks of {@link CHUNK} per tick, then the tick ends (the store's
 * microtask flush merges and publishes): what a socket delivering one 64 KiB read of ~1.5 KB
 * frames per event-loop turn looks like. Case 3 has one subscriber, to the whole board
 * (`fixtures$`); case 4 adds 10,000 `select` subscriptions spread over every fixture.
 * @module
 */
import { createOddsFeed, type OddsFeed } from '@oddsfeed/core'
import type { SliceResult } from './slices.js'

/** Frames ingested per event-loop tick. */
export const CHUNK = 64

/** What cases 3 and 4 measured. */
export interface SdkResult extends SliceResult {
  /** Emissions of the `fixtures$` subscriber during the measured slices. */
  readonly boardEmissions: number
  /** Emissions of the `select` subscriptions during the measured slices (case 4). */
  readonly selectEmissions: number
  readonly selects: number
  /** Time to ingest the whole board, ms (untimed for the throughput figure). */
  readonly boardLoadMs: number
}

/** A feed fed by `ingest` only: it never connects. */
export function offlineFeed(storage?: 'objects' | 'compact'): OddsFeed {
  return createOddsFeed({
    url: 'ws://127.0.0.1:9/offline',
    autoConnect: false,
    reconnect: false,
    ...(storage !== undefined && { storage }),
  })
}

/** Ingests `texts[start..end)` in chunks, letting each tick's flush run. Throws on a bad frame. */
export async function ingestAll(
  feed: OddsFeed,
  texts: readonly string[],
  start: number,
  end: number,
  chunk = CHUNK,
): Promise<void> {
  for (let i = start; i < end; i++) {
    if (feed.ingest(texts[i]).type !== 'frame') throw new Error(`frame ${i} was not accepted`)
    if ((i - start + 1) % chunk === 0) await null
  }
  await null
}
