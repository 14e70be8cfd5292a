import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createOddsFeed } from './feed.js'
import { mergeFrames } from './merge.js'
import type { Fixture, OddsFrame } from './schema.js'
import { PathReader, readPath, type SelectPath } from './select.js'
import { FixtureStore } from './store.js'
import { frameArb } from './test-support/arbitraries.js'

const paths: SelectPath[] = [
  { fixtureId: 'f1' },
  { fixtureId: 'f1', bookmaker: 'pinnacle' },
  { fixtureId: 'f1', bookmaker: 'bet365', marketId: 101 },
  { fixtureId: 'f1', bookmaker: 'bet365', marketId: '104', outcomeId: 101 },
  { fixtureId: 'f1', bookmaker: 'betfair-ex', marketId: 1010, outcomeId: 102, playerId: 0 },
  { fixtureId: 'f1', bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: '1' },
  { fixtureId: 'f1', bookmaker: 'nobody' },
]

/** A batch: frames ingested in one tick. */
const batchArb = fc.array(frameArb, { minLength: 1, maxLength: 4 })

describe('select wakes', () => {
  it('emit exactly when the slice changes, whatever the batches touched', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(batchArb, { minLength: 1, maxLength: 12 }), async (batches) => {
        const feed = createOddsFeed({ url: 'ws://127.0.0.1:9/x', autoConnect: false })
        const last: unknown[] = paths.map(() => undefined)
        const counts = paths.map(() => 0)
        const subs = paths.map((path, i) =>
          feed.select(path).subscribe((value) => {
            last[i] = value
            counts[i] = (counts[i] ?? 0) + 1
          }),
        )
        let previous = paths.map((path) => readPath(feed.get({ fixtureId: 'f1' }), path))
        for (const batch of batches) {
          const before = [...counts]
          for (const frame of batch) feed.ingest(JSON.stringify(frame))
          await null
          await null
          const state = feed.get({ fixtureId: 'f1' })
          const now = paths.map((path) => readPath(state, path))
          paths.forEach((_, i) => {
            expect(last[i]).toBe(now[i])
            // one emission when the slice is another object, none when it is the same one
            expect(counts[i]).toBe((before[i] ?? 0) + (now[i] === previous[i] ? 0 : 1))
          })
          previous = now
        }
        for (const sub of subs) sub.unsubscribe()
        feed.close()
      }),
      { numRuns: 200 },
    )
  })
})

/**
 * The store's other way in: `replace` (a merged REST snapshot, an eviction) sets a fixture
 * whole, with no frames to tell which bookmakers changed, so every bookmaker's watchers must
 * be asked. A frame can never do that (the schema takes `bookmakerOdds` only as a record), so
 * this drives the store the way `feed.select` does: one {@link PathReader} per watcher.
 */
type Step = { readonly frames: OddsFrame[] } | { readonly replace: OddsFrame[] | undefined } // the new state, built from scratch; or removal

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: batchArb.map((frames): Step => ({ frames })) },
  {
    weight: 2,
    arbitrary: fc
      .option(fc.array(frameArb, { minLength: 1, maxLength: 6 }), { nil: undefined })
      .map((replace): Step => ({ replace })),
  },
)

describe('select wakes after a replace', () => {
  it('emit exactly when the slice changes, for frames and for whole-state replacements', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 12 }), (steps) => {
        const store = new FixtureStore('microtask', () => {})
        const last: unknown[] = paths.map(() => undefined)
        const counts = paths.map(() => 0)
        const stops = paths.map((path, i) => {
          const reader = new PathReader(path)
          last[i] = reader.next(store.get('f1'))
          return store.watch(
            'f1',
            {
              next: (_, fixture) => {
                const value = reader.next(fixture)
                if (value === PathReader.NO_CHANGE) return
                last[i] = value
                counts[i] = (counts[i] ?? 0) + 1
              },
              complete: () => {},
            },
            path,
          )
        })
        let previous = paths.map((path) => readPath(store.get('f1'), path))
        for (const step of steps) {
          const before = [...counts]
          if ('frames' in step) {
            for (const frame of step.frames) store.enqueue(frame)
            store.flush() // one batch, published now
          } else {
            const next: Fixture | undefined = step.replace && mergeFrames(undefined, step.replace)
            store.replace('f1', next)
          }
          const now = paths.map((path) => readPath(store.get('f1'), path))
          paths.forEach((_, i) => {
            expect(last[i]).toBe(now[i])
            expect(counts[i]).toBe((before[i] ?? 0) + (now[i] === previous[i] ? 0 : 1))
          })
          previous = now
        }
        for (const stop of stops) stop()
        store.dispose()
      }),
      { numRuns: 300 },
    )
  })
})
