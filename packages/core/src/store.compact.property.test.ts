/**
 * The compact store (`storage: 'compact'`) keeps the fixtures nobody reads packed and unpacks
 * them on every read. Over random frame sequences and random reads, watches and unwatches, a
 * compact feed and a default one must be indistinguishable: every `get`, `select` and
 * `market$` emission, `fixtures$` maps and eviction, deep-equal and with the same key order
 * (so the same emissions too: a `select` emits only when its node's identity changes); and at
 * the store, snapshots (`replace`), removal, `statusOf` and batch watchers' `before`.
 */
import fc from 'fast-check'
import type { Subscription } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { createOddsFeed, type OddsFeed } from './feed.js'
import { mergeFrame } from './merge.js'
import type { Fixture, OddsFrame } from './schema.js'
import type { SelectPath } from './select.js'
import { FixtureStore } from './store.js'
import { FIXTURES, fixtureArb, frameArb, pathArb } from './test-support/arbitraries.js'
import { ordered } from './test-support/ordered.js'

/** A price entry as the feed sends one, with the fields the packing treats specially. */
const entryArb = fc.record(
  {
    price: fc.oneof(fc.constantFrom(2.088, 1.5, 10.76, 2), fc.double({ min: 1.01, max: 50 })),
    active: fc.boolean(),
    betslip: fc.constantFrom(null, { slip: 'a' }),
    bookmakerChangedAt: fc.constantFrom('2026-06-01T11:58:13.394Z', '2026-06-01T11:58:13.395Z'),
    changedAt: fc.constantFrom(
      '2026-06-01T11:58:13.394Z',
      '2026-06-01T12:00:00.001000+00:00',
      '2026-06-01T12:00:00.000999+00:00',
    ),
    bookmakerOutcomeId: fc.oneof(fc.constantFrom('1858272', '0', '007', 'x-1'), fc.nat()),
    exchangeMeta: fc.oneof(
      fc.constant(null),
      fc.constant({}),
      fc.constant({ back: [{ price: 2.102, limit: 898.54, size: 898.54 }], lay: [] }),
    ),
    limit: fc.option(fc.oneof(fc.constantFrom(4500, 898.54), fc.integer()), { nil: null }),
    mainLine: fc.boolean(),
    oddsId: fc.constantFrom('214799768', '9007199254740993', ''),
    playerId: fc.constantFrom(0, 1101032),
    playerName: fc.constantFrom(null, 'Carter, Evan', 'Åström, Zoë'),
    priceAmerican: fc.constantFrom('109', '-101'),
    priceFractional: fc.constantFrom('99/91', '1/2'),
  },
  { requiredKeys: ['price'] },
)

/** A one-entry price move, in the feed's shape. */
const moveArb = fc
  .tuple(
    fixtureArb,
    fc.constantFrom('pinnacle', 'bet365', 'betfair-ex'),
    fc.constantFrom('101', '104', '1010'),
    fc.constantFrom('101', '102'),
    fc.constantFrom('0', '1'),
    entryArb,
  )
  .map(
    ([fixtureId, book, market, outcome, player, entry]) =>
      ({
        fixtureId,
        bookmakerOdds: {
          [book]: {
            markets: { [market]: { outcomes: { [outcome]: { players: { [player]: entry } } } } },
          },
        },
      }) as OddsFrame,
  )

/** Any frame (status, scores, unknown fields, odds), or a price move. */
const frameFor = fc.oneof(
  moveArb,
  fc
    .tuple(frameArb, fixtureArb)
    .map(([frame, fixtureId]) => ({ ...frame, fixtureId }) as OddsFrame),
)

type Op =
  | { readonly t: 'ingest'; readonly frame: OddsFrame }
  | { readonly t: 'tick' }
  | { readonly t: 'get'; readonly path: SelectPath }
  | { readonly t: 'select'; readonly path: SelectPath }
  | { readonly t: 'market'; readonly fixtureId: string; readonly marketId: string }
  | { readonly t: 'sync'; readonly fixtureId: string }
  | { readonly t: 'unsubscribe'; readonly index: number }
  | { readonly t: 'board' }
  | { readonly t: 'boardHold' }
  | { readonly t: 'rows' }
  | { readonly t: 'sweep' }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: frameFor.map((frame) => ({ t: 'ingest' as const, frame })) },
  { weight: 4, arbitrary: fc.constant({ t: 'tick' as const }) },
  { weight: 4, arbitrary: pathArb.map((path) => ({ t: 'get' as const, path })) },
  { weight: 3, arbitrary: pathArb.map((path) => ({ t: 'select' as const, path })) },
  { weight: 1, arbitrary: fixtureArb.map((fixtureId) => ({ t: 'sync' as const, fixtureId })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fixtureArb, fc.constantFrom('101', '1010'))
      .map(([fixtureId, marketId]) => ({ t: 'market' as const, fixtureId, marketId })),
  },
  { weight: 3, arbitrary: fc.nat(20).map((index) => ({ t: 'unsubscribe' as const, index })) },
  { weight: 1, arbitrary: fc.constant({ t: 'board' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'boardHold' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'rows' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'sweep' as const }) },
)

/** One feed and what its subscriptions saw. */
interface Side {
  readonly feed: OddsFeed
  readonly seen: unknown[][]
  readonly subscriptions: Subscription[]
}

const side = (storage: 'objects' | 'compact', lazyMerge: boolean): Side => ({
  // evictAfterMs 0: a finished fixture nobody watches leaves at the next sweep
  feed: createOddsFeed({ autoConnect: false, storage, lazyMerge, evictAfterMs: 0 }),
  seen: [],
  subscriptions: [],
})

const tick = () => new Promise((resolve) => setTimeout(resolve, 1))

describe('compact store', () => {
  it('a compact feed and a default one give the same reads, key order included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 60, size: 'medium' }),
        fc.boolean(),
        async (ops, lazyMerge) => {
          const sides = [side('compact', lazyMerge), side('objects', lazyMerge)] as const
          try {
            for (const op of ops) {
              for (const s of sides) {
                const { feed, seen, subscriptions } = s
                switch (op.t) {
                  case 'ingest':
                    feed.ingest(JSON.stringify(op.frame))
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
                    const path = { fixtureId: op.fixtureId, marketId: op.marketId }
                    subscriptions.push(feed.market$(path).subscribe((v) => list.push(v)))
                    break
                  }
                  case 'sync':
                    subscriptions.push(feed.sync$(op.fixtureId).subscribe())
                    break
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
                  case 'rows': {
                    const list: unknown[] = []
                    seen.push(list)
                    subscriptions.push(feed.board$().subscribe((map) => list.push(new Map(map))))
                    break
                  }
                  case 'sweep':
                    break
                }
              }
              if (op.t === 'sweep') await tick()
              expect(ordered(sides[0].seen)).toBe(ordered(sides[1].seen))
            }
            await tick()
            for (const fixtureId of FIXTURES) {
              expect(ordered(sides[0].feed.get({ fixtureId }))).toBe(
                ordered(sides[1].feed.get({ fixtureId })),
              )
            }
            expect(ordered(sides[0].seen)).toBe(ordered(sides[1].seen))
          } finally {
            for (const s of sides) s.feed.close()
          }
        },
      ),
      { numRuns: 300 },
    )
  }, 180_000)

  it('the store: snapshots, removal, statusOf and batch watchers see the default state', async () => {
    type StoreOp =
      | { readonly t: 'frame'; readonly frame: OddsFrame }
      | { readonly t: 'flush' }
      | { readonly t: 'tick' }
      | { readonly t: 'snapshot'; readonly frame: OddsFrame }
      | { readonly t: 'remove'; readonly fixtureId: string }
      | { readonly t: 'status'; readonly fixtureId: string }
      | { readonly t: 'peek'; readonly fixtureId: string }
      | { readonly t: 'watch'; readonly fixtureId: string }
      | { readonly t: 'hold'; readonly fixtureId: string }
      | { readonly t: 'unwatch'; readonly index: number }
    const storeOp: fc.Arbitrary<StoreOp> = fc.oneof(
      { weight: 10, arbitrary: frameFor.map((frame) => ({ t: 'frame' as const, frame })) },
      { weight: 4, arbitrary: fc.constant({ t: 'flush' as const }) },
      { weight: 2, arbitrary: fc.constant({ t: 'tick' as const }) },
      { weight: 2, arbitrary: frameFor.map((frame) => ({ t: 'snapshot' as const, frame })) },
      {
        weight: 1,
        arbitrary: fixtureArb.map((fixtureId) => ({ t: 'remove' as const, fixtureId })),
      },
      {
        weight: 3,
        arbitrary: fixtureArb.map((fixtureId) => ({ t: 'status' as const, fixtureId })),
      },
      { weight: 2, arbitrary: fixtureArb.map((fixtureId) => ({ t: 'peek' as const, fixtureId })) },
      { weight: 2, arbitrary: fixtureArb.map((fixtureId) => ({ t: 'watch' as const, fixtureId })) },
      { weight: 1, arbitrary: fixtureArb.map((fixtureId) => ({ t: 'hold' as const, fixtureId })) },
      { weight: 2, arbitrary: fc.nat(20).map((index) => ({ t: 'unwatch' as const, index })) },
    )
    await fc.assert(
      fc.asyncProperty(
        fc.array(storeOp, { maxLength: 80 }),
        fc.constantFrom('sync', 'microtask', 'animationFrame') as fc.Arbitrary<
          'sync' | 'microtask' | 'animationFrame'
        >,
        async (ops, batch) => {
          const noError = () => {
            throw new Error('merge error')
          }
          const stores = [
            new FixtureStore(batch, noError, { deferMerge: true, compact: true }),
            new FixtureStore(batch, noError, { deferMerge: true }),
          ] as const
          const heard: unknown[][] = [[], []]
          const stops: (() => void)[][] = [[], []]
          stores.forEach((store, i) => {
            const log = heard[i] as unknown[]
            store.watchAll({ next: (ids) => log.push(ids), complete() {} }, true)
            store.watchBatches({
              batch: (frames, before, whole) => {
                for (const fixtureId of frames.keys()) log.push(['before', before(fixtureId)])
                log.push(['whole', [...whole]])
              },
              complete() {},
            })
          })
          try {
            for (const op of ops) {
              const read: unknown[] = []
              for (const [i, store] of stores.entries()) {
                const log = heard[i] as unknown[]
                if (op.t === 'frame') store.enqueue(structuredClone(op.frame))
                else if (op.t === 'flush') store.flush()
                else if (op.t === 'tick') await null
                else if (op.t === 'snapshot') {
                  const id = op.frame.fixtureId
                  store.replace(id, mergeFrame(store.get(id), structuredClone(op.frame)))
                } else if (op.t === 'remove') store.remove([op.fixtureId])
                else if (op.t === 'status')
                  read.push(store.statusOf(op.fixtureId), store.has(op.fixtureId))
                else if (op.t === 'peek') read.push(store.peek(op.fixtureId))
                else if (op.t === 'watch') {
                  const id = op.fixtureId
                  const watcher = {
                    next: (_: unknown, f?: Fixture) => log.push([id, f]),
                    complete() {},
                  }
                  stops[i]?.push(store.watch(id, watcher))
                } else if (op.t === 'hold')
                  stops[i]?.push(store.hold(op.fixtureId, { complete() {} }))
                else if (op.t === 'unwatch') {
                  const list = stops[i] as (() => void)[]
                  list[op.index % Math.max(1, list.length)]?.()
                }
              }
              if (read.length > 0) {
                const half = read.length / 2
                expect(ordered(read.slice(0, half))).toBe(ordered(read.slice(half)))
              }
              expect(ordered(heard[0])).toBe(ordered(heard[1]))
            }
            for (const store of stores) store.flush()
            await null
            for (const fixtureId of FIXTURES) {
              expect(stores[0].statusOf(fixtureId)).toEqual(stores[1].statusOf(fixtureId))
              expect(ordered(stores[0].get(fixtureId))).toBe(ordered(stores[1].get(fixtureId)))
            }
            expect(ordered(new Map(stores[0].all()))).toBe(ordered(new Map(stores[1].all())))
            expect(ordered(heard[0])).toBe(ordered(heard[1]))
          } finally {
            for (const store of stores) store.dispose()
          }
        },
      ),
      { numRuns: 400 },
    )
  }, 180_000)
})
