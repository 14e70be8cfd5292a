import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { type DecodeResult, type DecodeSight, decodeSeeing } from './decode.js'
import type { Hydration } from './hydration.js'
import { isFrameMessage, RelayClient } from './relay-client.js'
import { RelayMessageSchema } from './relay-protocol.js'
import type { FixtureStore } from './store.js'
import { frameArb } from './test-support/arbitraries.js'
import { nearMovesArb } from './test-support/moves.js'

describe('isFrameMessage', () => {
  it('accepts only frame messages the schema accepts, with the very same frame', () => {
    const value = fc.oneof(
      fc.constant('frame'),
      fc.constant('snapshot'),
      fc.integer({ min: -1, max: 3 }),
      fc.double(),
      fc.constant(null),
      fc.constant([]),
      fc.constant({ fixtureId: 'f' }),
      fc.jsonValue({ maxDepth: 1 }),
    )
    const message = fc.record(
      { op: fc.oneof(fc.constant('frame'), value), seq: value, frame: value, extra: value },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(fc.oneof(message, value), (json) => {
        if (!isFrameMessage(json)) return
        const result = v.safeParse(RelayMessageSchema, json)
        expect(result.success).toBe(true)
        if (result.success && result.output.op === 'frame') {
          expect(result.output.frame).toBe(json.frame)
        }
      }),
      { numRuns: 2_000 },
    )
  })

  it('accepts a well-formed frame message', () => {
    expect(isFrameMessage({ op: 'frame', seq: 7, frame: { fixtureId: 'f' } })).toBe(true)
    expect(isFrameMessage({ op: 'frame', seq: 0, frame: { fixtureId: 'f' } })).toBe(false)
    expect(isFrameMessage({ op: 'frame', seq: 1.5, frame: {} })).toBe(false)
    expect(isFrameMessage({ op: 'keepalive', seq: 1 })).toBe(false)
  })
})

describe('RelayClient frame messages', () => {
  /** Price moves alone (what the store folds fast), nearly so, and whole frames. */
  const frameFor = fc.oneof(nearMovesArb, frameArb)

  it("hand the feed what the decoder saw of a price move alone, as a socket frame's decode does", () => {
    const accepted: { result: DecodeResult; moves: readonly unknown[] | undefined }[] = []
    const client = new RelayClient({
      // a frame message reaches neither: it goes to accept
      store: undefined as unknown as FixtureStore,
      hydration: undefined as unknown as Hydration,
      accept: (result, moves) => accepted.push({ result, moves }),
      isWatched: () => false,
      onError: (error) => {
        throw error
      },
      unsubscribeGraceMs: 0,
    })
    let seq = 0
    let folded = 0
    fc.assert(
      fc.property(frameFor, (frame) => {
        const text = JSON.stringify(frame)
        const sight: DecodeSight = { moves: undefined }
        const socket = decodeSeeing(text, undefined, sight)
        accepted.length = 0
        client.message(`{"op":"frame","seq":${++seq},"frame":${text}}`)
        expect(accepted).toHaveLength(1)
        const [got] = accepted
        expect(got?.result).toEqual(socket)
        // the same list, entry for entry: the relay's frame holds its own entries
        expect(got?.moves).toEqual(sight.moves)
        if (got?.moves !== undefined && got.result.type === 'frame') {
          folded++
          const odds = got.result.frame.bookmakerOdds as Record<string, unknown>
          const [slug] = got.moves as [string]
          expect(Object.keys(odds)).toContain(slug)
        }
      }),
      { numRuns: 300 },
    )
    // the property saw price moves alone, not only frames the fold leaves to the walk
    expect(folded).toBeGreaterThan(30)
    client.close()
  })
})
