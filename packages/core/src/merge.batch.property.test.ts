import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { deepEqual, mergeFrame, mergeFrames } from './merge.js'
import type { Fixture } from './schema.js'
import { frameArb, referenceMerge } from './test-support/arbitraries.js'

const isDeepFrozen = (value: unknown): boolean =>
  value === null ||
  typeof value !== 'object' ||
  (Object.isFrozen(value) && Object.values(value).every(isDeepFrozen))

describe('merge in batches', () => {
  it('one produce over several frames equals merging them one by one, and the reference', () => {
    fc.assert(
      fc.property(
        fc.array(frameArb, { maxLength: 8 }),
        fc.array(frameArb, { minLength: 1, maxLength: 8 }),
        (prefix, batch) => {
          let state: Fixture | undefined
          let ref: Record<string, unknown> | undefined
          for (const frame of prefix) {
            ref = referenceMerge(ref, frame) // first: the SDK shares values in place in frames
            state = mergeFrame(state, frame)
          }
          let oneByOne = state
          for (const frame of structuredClone(batch)) {
            ref = referenceMerge(ref, frame)
            oneByOne = mergeFrame(oneByOne, frame)
          }
          // fresh copies: the runs above froze the frames they stored
          const batched = mergeFrames(state, structuredClone(batch))
          expect(batched).toEqual(oneByOne)
          expect(batched).toEqual(ref)
          expect(isDeepFrozen(batched)).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('returns the fixture itself exactly when a frame changes no value', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 10 }), fc.nat(), (frames, pick) => {
        let state: Fixture | undefined
        for (const frame of frames) state = mergeFrame(state, frame)
        // a frame already merged, re-sent: a no-op unless a later frame replaced what it set
        const next = mergeFrame(state, frames[pick % frames.length]!)
        if (deepEqual(next, state)) expect(next).toBe(state)
        else expect(next).not.toBe(state)
        // a batch of frames that each change nothing changes nothing
        const last = frames[frames.length - 1]!
        if (mergeFrame(next, last) === next) expect(mergeFrames(next, [last, last])).toBe(next)
      }),
      { numRuns: 300 },
    )
  })
})
