/**
 * Frames of fixtures nobody watches are left unmerged until read (`lazyMerge`, the default):
 * over random frame sequences and random reads, a lazy feed and an eager one
 * (`lazyMerge: false`) must be indistinguishable: `get`, `select` and `market$` emissions,
 * `fixtures$` maps, snapshots merged into the store, and eviction.
 */
import fc from 'fast-check'
import type { Subscription } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { createOddsFeed, type OddsFeed } from './feed.js'
import { mergeFrame } from './merge.js'
import type { OddsFrame } from './schema.js'
import type { SelectPath } from './select.js'
import { FixtureStore } from './store.js'
import { frameArb } from './test-support/arbitraries.js'

const FIXTURES = ['f1', 'f2', 'f3']
/** A frame sent this many times in a row (a long run of moves of one fixture). */
const REPEATS = 130
const fixtureArb = fc.constantFrom(...FIXTURES)
/** Mostly price moves (odds only: they stay unmerged), else any frame (status, scores, …). */
const frameFor = fc
  .tuple(frameArb, fixtureArb, fc.integer({ min: 0, max: 9 }))
  .map(([frame, fixtureId, kind]) =>
    kind < 6 && frame.bookmakerOdds
      ? ({ fixtureId, bookmakerOdds: frame.bookmakerOdds } as OddsFrame)
      : ({ ...frame, fixtureId } as OddsFrame),
  )
const pathArb: fc.Arbitrary<SelectPath> = fc.oneof(
  fixtureArb.map((fixtureId) => ({ fixtureId })),
  fc
    .tuple(fixtureArb, fc.constantFrom('pinnacle', 'bet365', 'betfair-ex'))
    .map(([fixtureId, bookmaker]) => ({ fixtureId, bookmaker })),
  fc
    .tuple(
      fixtureArb,
      fc.constantFrom('pinnacle', 'bet365'),
      fc.constantFrom('101', '1010'),
      fc.constantFrom('101', '102'),
      fc.constantFrom('0', '1'),
    )
    .map(([fixtureId, bookmaker, marketId, outcomeId, playerId]) => ({
      fixtureId,
      bookmaker,
      marketId,
      outcomeId,
      playerId,
    })),
)

type Op =
  | { readonly t: 'ingest'; readonly frame: OddsFrame; readonly count: number }
  | { readonly t: 'tick' }
  | { readonly t: 'get'; readonly path: SelectPath }
  | { readonly t: 'select'; readonly path: SelectPath }
  | { readonly t: 'market'; readonly fixtureId: string; readonly marketId: string }
  | { readonly t: 'unsubscribe'; readonly index: number }
  | { readonly t: 'board' }
  | { readonly t: 'boardHold' }
  | { readonly t: 'sweep' }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(frameFor, fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, fc.constant(REPEATS)))
      .map(([frame, count]) => ({ t: 'ingest' as const, frame, count })),
  },
  { weight: 4, arbitrary: fc.constant({ t: 'tick' as const }) },
  { weight: 3, arbitrary: pathArb.map((path) => ({ t: 'get' as const, path })) },
  { weight: 2, arbitrary: pathArb.map((path) => ({ t: 'select' as const, path })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fixtureArb, fc.constantFrom('101', '1010'))
      .map(([fixtureId, marketId]) => ({ t: 'market' as const, fixtureId, marketId })),
  },
  {
    weight: 2,
    arbitrary: fc.nat(20).map((index) => ({ t: 'unsubscribe' as const, index })),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'board' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'boardHold' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'sweep' as const }) },
)

/** One feed and what its subscriptions saw. */
interface Side {
  readonly feed: OddsFeed
  readonly seen: unknown[][]
  readonly subscriptions: Subscription[]
}

const side = (lazyMerge: boolean): Side => ({
  // evictAfterMs 0: a finished fixture nobody watches leaves at the next sweep
  feed: createOddsFeed({ autoConnect: false, lazyMerge, evictAfterMs: 0 }),
  seen: [],
  subscriptions: [],
})

const tick = () => new Promise((resolve) => setTimeout(resolve, 1))

describe('lazy merge', () => {
  it('a lazy feed and an eager one are indistinguishable to every read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 50 }), async (ops) => {
        const sides = [side(true), side(false)] as const
        try {
          for (const op of ops) {
            for (const s of sides) {
              const { feed, seen, subscriptions } = s
              switch (op.t) {
                case 'ingest':
                  for (let i = 0; i < op.count; i++) feed.ingest(JSON.stringify(op.frame))
                  break
                case 'tick':
                  await null
                  break
                case 'get':
                  seen.push([feed.get(op.path)])
                  break
                case 'select': {
                  const list: unknown[] = []
                  seen.push(list)
                  subscriptions.push(feed.select(op.path).subscribe((v) => list.push(v)))
                  break
                }
                case 'market': {
                  const list: unknown[] = []
                  seen.push(list)
                  subscriptions.push(
                    feed
                      .market$({ fixtureId: op.fixtureId, marketId: op.marketId })
                      .subscribe((v) => list.push(v)),
                  )
                  break
                }
                case 'unsubscribe':
                  subscriptions[op.index % Math.max(1, subscriptions.length)]?.unsubscribe()
                  break
                case 'board': {
                  const list: unknown[] = []
                  seen.push(list)
                  feed.fixtures$.subscribe((map) => list.push(new Map(map))).unsubscribe()
                  break
                }
                case 'boardHold': {
                  const list: unknown[] = []
                  seen.push(list)
                  subscriptions.push(feed.fixtures$.subscribe((map) => list.push(new Map(map))))
                  break
                }
                case 'sweep':
                  break
              }
            }
            if (op.t === 'sweep') await tick()
            expect(sides[0].seen).toEqual(sides[1].seen)
          }
          await tick()
          for (const fixtureId of FIXTURES) {
            expect(sides[0].feed.get({ fixtureId })).toEqual(sides[1].feed.get({ fixtureId }))
          }
          expect(sides[0].seen).toEqual(sides[1].seen)
        } finally {
          for (const s of sides) s.feed.close()
        }
      }),
      { numRuns: 300 },
    )
  })

  it('the store: snapshots (replace), removal and statusOf see the eager state', () => {
    type StoreOp =
      | { readonly t: 'frame'; readonly frame: OddsFrame }
      | { readonly t: 'flush' }
      | { readonly t: 'snapshot'; readonly frame: OddsFrame }
      | { readonly t: 'remove'; readonly fixtureId: string }
      | { readonly t: 'status'; readonly fixtureId: string }
    const storeOp: fc.Arbitrary<StoreOp> = fc.oneof(
      { weight: 10, arbitrary: frameFor.map((frame) => ({ t: 'frame' as const, frame })) },
      { weight: 4, arbitrary: fc.constant({ t: 'flush' as const }) },
      { weight: 2, arbitrary: frameFor.map((frame) => ({ t: 'snapshot' as const, frame })) },
      {
        weight: 1,
        arbitrary: fixtureArb.map((fixtureId) => ({ t: 'remove' as const, fixtureId })),
      },
      {
        weight: 3,
        arbitrary: fixtureArb.map((fixtureId) => ({ t: 'status' as const, fixtureId })),
      },
    )
    fc.assert(
      fc.property(fc.array(storeOp, { maxLength: 80 }), (ops) => {
        const noError = () => {
          throw new Error('merge error')
        }
        const lazy = new FixtureStore('sync', noError, { deferMerge: true })
        const eager = new FixtureStore('sync', noError)
        const heard: unknown[][] = [[], []]
        lazy.watchAll({ next: (ids) => heard[0]?.push(ids), complete() {} }, true)
        eager.watchAll({ next: (ids) => heard[1]?.push(ids), complete() {} }, true)
        for (const op of ops) {
          for (const store of [lazy, eager]) {
            if (op.t === 'frame') store.enqueue(structuredClone(op.frame))
            else if (op.t === 'flush') store.flush()
            else if (op.t === 'snapshot') {
              const id = op.frame.fixtureId
              store.replace(id, mergeFrame(store.get(id), structuredClone(op.frame)))
            } else if (op.t === 'remove') store.remove([op.fixtureId])
          }
          if (op.t === 'status') {
            expect(lazy.statusOf(op.fixtureId)).toEqual(eager.statusOf(op.fixtureId))
            expect(lazy.has(op.fixtureId)).toBe(eager.has(op.fixtureId))
          }
        }
        for (const fixtureId of FIXTURES) {
          expect(lazy.statusOf(fixtureId)).toEqual(eager.statusOf(fixtureId))
          expect(lazy.get(fixtureId)).toEqual(eager.get(fixtureId))
        }
        expect([...lazy.all()]).toEqual([...eager.all()])
      }),
      { numRuns: 500 },
    )
  })
})
