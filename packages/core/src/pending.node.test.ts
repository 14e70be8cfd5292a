/**
 * What a patch keeps of a queued price move besides the move's own entry: its key and its slot
 * in the table. Node only: the heap is measured with `gc` exposed.
 */
import { describe, expect, it } from 'vitest'
import { type DecodeSight, decodeSeeing } from './decode.js'
import { PendingOdds } from './pending.js'
import type { Fixture, OddsFrame } from './schema.js'
import { exposeGc, heap } from './test-support/heap.js'
import { DEFAULT_MAX_CLOCK_SKEW_MS } from './time.js'

const MOVES = 20_000

/** Single-entry price moves of one fixture, each of a price of its own, decoded from text. */
function decodedMoves(): { frame: OddsFrame; moves: readonly unknown[] }[] {
  return Array.from({ length: MOVES }, (_, i) => {
    const text = JSON.stringify({
      fixtureId: 'id1000000006383438',
      bookmakerOdds: {
        polymarket: {
          markets: {
            [String(100_000 + (i >> 2))]: {
              outcomes: {
                [String(100_000 + (i & 3))]: {
                  players: {
                    '0': {
                      active: true,
                      changedAt: '2026-06-01T12:00:00.252000+00:00',
                      playerId: 0,
                      price: 1.5,
                    },
                  },
                },
              },
            },
          },
        },
      },
    })
    const sight: DecodeSight = { moves: undefined }
    const result = decodeSeeing(text, undefined, sight)
    if (result.type !== 'frame' || !sight.moves) throw new Error('not a price move alone')
    return { frame: result.frame, moves: sight.moves }
  })
}

describe('PendingOdds on the heap', () => {
  it('keeps a queued move as its entry, one flat key and a table slot', () => {
    const gc = exposeGc()
    const fold = (decoded: readonly { frame: OddsFrame; moves: readonly unknown[] }[]) => {
      const patch = new PendingOdds(
        { fixtureId: 'id1000000006383438' } as Fixture,
        DEFAULT_MAX_CLOCK_SKEW_MS,
      )
      for (const { frame, moves } of decoded) expect(patch.fold(frame, moves)).toBe(true)
      return patch
    }
    fold(decodedMoves()) // code and shapes, once
    // the frames, their entries and the ids the decoder saw are on the heap before the fold
    const decoded = decodedMoves()
    const before = heap(gc)
    const patch = fold(decoded)
    const perMove = (heap(gc) - before) / MOVES
    expect(patch.entries).toBe(MOVES)
    expect(decoded).toHaveLength(MOVES)
    // measured ~82 B (a flat key of 28 characters and the table's slot); with the key built by
    // concatenation ~240 B (V8's cons strings, kept whole by the table)
    expect(perMove).toBeLessThan(130)
  }, 60_000)
})
