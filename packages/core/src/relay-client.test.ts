import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { isFrameMessage } from './relay-client.js'
import { RelayMessageSchema } from './relay-protocol.js'

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
