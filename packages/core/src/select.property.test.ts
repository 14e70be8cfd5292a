import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createOddsFeed } from './feed.js'
import type { OddsFrame } from './schema.js'
import { readPath, type SelectPath } from './select.js'
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

/** A batch: frames ingested in one tick. Now and then a frame replaces `bookmakerOdds` whole. */
const batchArb = fc.array(
  fc.oneof(
    { weight: 9, arbitrary: frameArb },
    {
      weight: 1,
      arbitrary: fc.constant({ fixtureId: 'f1', bookmakerOdds: null } as unknown as OddsFrame),
    },
  ),
  { minLength: 1, maxLength: 4 },
)

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
