import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createOddsFeed } from './feed.js'
import { mergeFrame } from './merge.js'
import type { Fixture } from './schema.js'
import { frameArb, referenceMerge, withoutReserved } from './test-support/arbitraries.js'

describe('merge properties', () => {
  it('equals a plain reference merge for any frame sequence', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 25 }), (frames) => {
        let sdk: Fixture | undefined
        let ref: Record<string, unknown> | undefined
        for (const frame of frames) {
          // the reference first: the SDK shares equal values in place in the frame it merges
          ref = referenceMerge(ref, frame)
          sdk = mergeFrame(sdk, frame)
        }
        expect(sdk).toEqual(ref)
      }),
      { numRuns: 300 },
    )
  })

  it('keeps the identity of bookmakers and markets a frame does not touch', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 2, maxLength: 20 }), (frames) => {
        let state: Fixture | undefined
        for (const frame of frames) {
          const before = state
          state = mergeFrame(state, frame)
          if (!before) continue
          for (const [slug, odds] of Object.entries(before.bookmakerOdds ?? {})) {
            const touched = frame.bookmakerOdds?.[slug]
            if (!touched) {
              expect(state.bookmakerOdds?.[slug]).toBe(odds)
              continue
            }
            for (const [marketId, m] of Object.entries(odds.markets ?? {})) {
              if (!touched.markets?.[marketId]) {
                expect(state.bookmakerOdds?.[slug]?.markets?.[marketId]).toBe(m)
              }
            }
          }
          if (frame.scores === undefined) expect(state.scores).toBe(before.scores)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('is idempotent: merging the same frame twice returns the same object', () => {
    fc.assert(
      fc.property(fc.array(frameArb, { maxLength: 10 }), frameArb, (prefix, frame) => {
        let state: Fixture | undefined
        for (const f of prefix) state = mergeFrame(state, f)
        const once = mergeFrame(state, frame)
        expect(mergeFrame(once, frame)).toBe(once)
      }),
      { numRuns: 200 },
    )
  })
})

describe('pipeline robustness', () => {
  const junk = fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc.string({ maxLength: 64 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.jsonValue({ maxDepth: 3 }).map((v) =>
      JSON.stringify({
        fixtureId: 'f1',
        ...(typeof v === 'object' && v !== null && !Array.isArray(v) ? v : { v }),
      }),
    ),
    fc.constant(
      '{"fixtureId":"f1","bookmakerOdds":{"x":{"markets":{"1":{"outcomes":{"1":{"players":{"0":{"price":"bad"}}}}}}}}}',
    ),
  )

  it('never throws on any input, and bad input never corrupts state', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            frameArb.map((f) => ({ good: f })),
            junk.map((j) => ({ junk: j })),
          ),
          {
            maxLength: 30,
          },
        ),
        (inputs) => {
          const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
          let ref: Record<string, unknown> | undefined
          let errors = 0
          feed.errors$.subscribe(() => errors++)
          let expectedErrors = 0
          for (const input of inputs) {
            if ('good' in input) {
              expect(() => feed.ingest(JSON.stringify(input.good))).not.toThrow()
              ref = referenceMerge(ref, withoutReserved(input.good) as Record<string, unknown>)
            } else {
              let result: ReturnType<typeof feed.ingest> | undefined
              expect(() => {
                result = feed.ingest(input.junk)
              }).not.toThrow()
              if (result?.type === 'error') expectedErrors++
              if (result?.type === 'frame' && result.frame.fixtureId === 'f1') {
                ref = referenceMerge(ref, result.frame)
              }
            }
          }
          expect(errors).toBe(expectedErrors)
          const state = feed.get({ fixtureId: 'f1' })
          if (ref === undefined) expect(state).toBeUndefined()
          else expect(state).toEqual(ref)
          feed.close()
        },
      ),
      { numRuns: 200 },
    )
  })
})
