/**
 * Case 1: `JSON.parse` alone over the frame texts. The bound no JavaScript client can beat.
 * @module
 */
import type { Corpus } from './corpus.js'
import { overSlices, type SliceResult } from './slices.js'

/** Parses every frame text of each slice and keeps nothing but a checksum. */
export async function runParse(corpus: Corpus): Promise<SliceResult> {
  const frames = corpus.frames
  let sink = 0
  const result = await overSlices(corpus, (start, end) => {
    for (let i = start; i < end; i++) {
      const frame = JSON.parse(frames[i] as string) as { fixtureId: string }
      sink += frame.fixtureId.length
    }
  })
  if (sink === 0) throw new Error('JSON.parse produced nothing')
  return result
}
