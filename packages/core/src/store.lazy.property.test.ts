/**
 * Frames no watcher can see are left unmerged until read (`lazyMerge`, the default): those of
 * fixtures nobody watches, and those of fixtures whose watchers all watch a path below
 * `bookmakerOdds` (or a market of every bookmaker, `market$`) that no frame of the batch can
 * change. Over random frame sequences and random reads, a lazy feed and an eager one
 * (`lazyMerge: false`) must be indistinguishable: `get`, `select` and `market$` emissions,
 * `fixtures$` maps, snapshots merged into the store, and eviction; and every subscriber's last
 * value must be the eager state's (so a wake both sides missed is caught too).
 */
import fc from 'fast-check'
import type { Subscription } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { type DecodeSight, isPlainFrameSeeing } from './decode.js'
import { createOddsFeed, type OddsFeed } from './feed.js'
import { compareMarket, marketDependencies } from './market.js'
import { mergeFrame, mergeFrames } from './merge.js'
import type { Fixture, OddsFrame } from './schema.js'
import { PathReader, readPath, type SelectPath } from './select.js'
import { FixtureStore, type Watcher } from './store.js'
import { FIXTURES, fixtureArb, frameArb, pathArb } from './test-support/arbitraries.js'

/** A frame sent this many times in a row (a long run of moves of one fixture). */
const REPEATS = 130
/** Mostly price moves (odds only: they stay unmerged), else any frame (status, scores, …). */
const frameFor = fc
  .tuple(frameArb, fixtureArb, fc.integer({ min: 0, max: 9 }))
  .map(([frame, fixtureId, kind]) =>
    kind < 6 && frame.bookmakerOdds
      ? ({ fixtureId, bookmakerOdds: frame.bookmakerOdds } as OddsFrame)
      : ({ ...frame, fixtureId } as OddsFrame),
  )
/**
 * A price move alone, as the socket sends most (one or two entries below nodes that hold their
 * containers only): what the decoder notes for the store to fold without walking the frame.
 */
const moveFor: fc.Arbitrary<OddsFrame> = fc
  .tuple(
    fixtureArb,
    fc.constantFrom('pinnacle', 'bet365', 'betfair-ex'),
    fc.constantFrom('101', '104', '1010'),
    fc.uniqueArray(fc.constantFrom('101', '102', 'x1'), { minLength: 1, maxLength: 2 }),
    fc.constantFrom('0', '1'),
    fc.double({ min: 1.01, max: 50, noNaN: true }),
    fc.constantFrom(
      '2025-06-11T16:55:30.284055+00:00',
      '2025-06-11T16:55:31.000001+00:00',
      '2025-06-11T16:55:29Z',
      '2025-06-11T18:55:30.285+02:00',
      '9999-12-31T23:59:59.999999+00:00',
    ),
  )
  .map(([fixtureId, slug, marketId, outcomeIds, playerId, price, changedAt]) => {
    const outcomes: Record<string, unknown> = {}
    for (const id of outcomeIds) outcomes[id] = { players: { [playerId]: { price, changedAt } } }
    return JSON.parse(
      JSON.stringify({
        fixtureId,
        bookmakerOdds: { [slug]: { markets: { [marketId]: { outcomes } } } },
      }),
    ) as OddsFrame
  })

type Op =
  | { readonly t: 'ingest'; readonly frame: OddsFrame; readonly count: number }
  | { readonly t: 'tick' }
  | { readonly t: 'get'; readonly path: SelectPath }
  | { readonly t: 'select'; readonly path: SelectPath }
  | { readonly t: 'market'; readonly fixtureId: string; readonly marketId: string }
  | { readonly t: 'sync'; readonly fixtureId: string }
  | { readonly t: 'unsubscribe'; readonly index: number }
  | { readonly t: 'board' }
  | { readonly t: 'boardHold' }
  | { readonly t: 'sweep' }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(
        fc.oneof(frameFor, moveFor),
        fc.oneof({ weight: 9, arbitrary: fc.constant(1) }, fc.constant(REPEATS)),
      )
      .map(([frame, count]) => ({ t: 'ingest' as const, frame, count })),
  },
  { weight: 4, arbitrary: fc.constant({ t: 'tick' as const }) },
  { weight: 3, arbitrary: pathArb.map((path) => ({ t: 'get' as const, path })) },
  { weight: 3, arbitrary: pathArb.map((path) => ({ t: 'select' as const, path })) },
  { weight: 1, arbitrary: fixtureArb.map((fixtureId) => ({ t: 'sync' as const, fixtureId })) },
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

/** What a live subscription must have last seen: the value of the eager state. */
type Expect = (state: (fixtureId: string) => Fixture | undefined) => unknown

/** One feed and what its subscriptions saw. */
interface Side {
  readonly feed: OddsFeed
  readonly seen: unknown[][]
  readonly subscriptions: Subscription[]
  /** Per live `select` / `market$`: what it saw, and what it must have seen last. */
  readonly live: Map<Subscription, { readonly list: unknown[]; readonly expect: Expect }>
}

const side = (lazyMerge: boolean): Side => ({
  // evictAfterMs 0: a finished fixture nobody watches leaves at the next sweep
  feed: createOddsFeed({ autoConnect: false, lazyMerge, evictAfterMs: 0 }),
  seen: [],
  subscriptions: [],
  live: new Map(),
})

const tick = () => new Promise((resolve) => setTimeout(resolve, 1))

const noError = () => {
  throw new Error('merge error')
}

describe('lazy merge', () => {
  it('a lazy feed and an eager one are indistinguishable to every read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 60, size: 'medium' }),
        async (ops) => {
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
                    const subscription = feed.select(op.path).subscribe((v) => list.push(v))
                    subscriptions.push(subscription)
                    const path = op.path
                    s.live.set(subscription, {
                      list,
                      expect: (state) => readPath(state(path.fixtureId), path),
                    })
                    break
                  }
                  case 'market': {
                    const list: unknown[] = []
                    seen.push(list)
                    const path = { fixtureId: op.fixtureId, marketId: op.marketId }
                    const subscription = feed.market$(path).subscribe((v) => list.push(v))
                    subscriptions.push(subscription)
                    s.live.set(subscription, {
                      list,
                      expect: (state) => compareMarket(state(path.fixtureId), path),
                    })
                    break
                  }
                  case 'sync':
                    // watched without reading: must not change what anybody sees
                    subscriptions.push(feed.sync$(op.fixtureId).subscribe())
                    break
                  case 'unsubscribe': {
                    const subscription = subscriptions[op.index % Math.max(1, subscriptions.length)]
                    subscription?.unsubscribe()
                    if (subscription) s.live.delete(subscription)
                    break
                  }
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
              // every live subscriber's last value is the eager state's, on both sides
              const eager = (fixtureId: string) => sides[1].feed.get({ fixtureId })
              for (const s of sides) {
                for (const { list, expect: value } of s.live.values()) {
                  expect(list.at(-1)).toEqual(value(eager))
                }
              }
            }
            await tick()
            for (const fixtureId of FIXTURES) {
              expect(sides[0].feed.get({ fixtureId })).toEqual(sides[1].feed.get({ fixtureId }))
            }
            expect(sides[0].seen).toEqual(sides[1].seen)
          } finally {
            for (const s of sides) s.feed.close()
          }
        },
      ),
      { numRuns: 300 },
    )
  }, 120_000)

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
            if (op.t === 'frame') {
              // with what the decoder would note of it (a price move alone: the lazy store may
              // then merge only the entries a watcher can see)
              const frame = structuredClone(op.frame)
              const sight: DecodeSight = { moves: undefined }
              store.enqueue(frame, isPlainFrameSeeing(frame, sight) ? sight.moves : undefined)
            } else if (op.t === 'flush') store.flush()
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

  it('the store: scoped watchers see what eager merging shows them, through any frame', () => {
    /** Two fixtures: watchers and frames meet often. */
    const twoFixtures = fc.constantFrom('f1', 'f2')
    /** A frame of one of them, its bookmaker sometimes (un)suspended (`market$` reads it). */
    const frameOf = fc
      .tuple(frameFor, twoFixtures, fc.option(fc.boolean(), { nil: undefined }))
      .map(([frame, fixtureId, suspended]) => {
        const copy = { ...structuredClone(frame), fixtureId }
        const books = copy.bookmakerOdds as Record<string, Record<string, unknown>> | undefined
        const book = books ? Object.values(books)[0] : undefined
        if (book && suspended !== undefined) book.suspended = suspended
        return copy as OddsFrame
      })
    /** What the schema rejects at a level (the store takes it anyway); an array's entries read as `'0'`. */
    const odd = fc.constantFrom<unknown>(null, 7, [], [{ outcomes: { '0': { players: {} } } }])
    /**
     * A frame with one price along keys the scopes below use, often with a level on the way
     * (`bookmakerOdds`, the bookmaker, `markets`, the market, `outcomes`, the outcome,
     * `players`) replaced by an odd value.
     */
    const denseFrame = fc
      .record({
        fixtureId: twoFixtures,
        keys: fc.tuple(
          fc.constantFrom('pinnacle', 'bet365', '0'),
          fc.constantFrom('101', '104', '0'),
          fc.constantFrom('101', '102', '0'),
          fc.constantFrom('0', '1'),
        ),
        price: fc.constantFrom(1.5, 2, 3),
        oddAt: fc.option(fc.tuple(fc.integer({ min: 0, max: 6 }), odd), { nil: undefined }),
        suspended: fc.option(fc.boolean(), { nil: undefined }),
      })
      .map(
        ({
          fixtureId,
          keys: [bookmaker, marketId, outcomeId, playerId],
          price,
          oddAt,
          suspended,
        }) => {
          const levels: unknown[] = [{ [playerId]: { price } }]
          levels.unshift({ players: levels[0] })
          levels.unshift({ [outcomeId]: levels[0] })
          levels.unshift({ outcomes: levels[0] })
          levels.unshift({ [marketId]: levels[0] })
          levels.unshift({ markets: levels[0], ...(suspended !== undefined && { suspended }) })
          levels.unshift({ [bookmaker]: levels[0] })
          // levels: bookmakerOdds, bookmaker, markets, market, outcomes, outcome, players
          if (oddAt) {
            const [at, value] = oddAt
            if (at === 0) levels[0] = value
            else {
              const parent = levels[at - 1] as Record<string, unknown>
              parent[Object.keys(parent)[0] as string] = value
            }
          }
          return { fixtureId, bookmakerOdds: levels[0] } as OddsFrame
        },
      )
    /** A price move alone along those keys: what the lazy store may merge in part. */
    const denseMove = fc
      .record({
        fixtureId: twoFixtures,
        bookmaker: fc.constantFrom('pinnacle', 'bet365', '0'),
        marketId: fc.constantFrom('101', '104', '0'),
        outcomeId: fc.constantFrom('101', '102', '0'),
        playerId: fc.constantFrom('0', '1'),
        price: fc.constantFrom(1.5, 2, 3),
      })
      .map(
        ({ fixtureId, bookmaker, marketId, outcomeId, playerId, price }) =>
          ({
            fixtureId,
            bookmakerOdds: {
              [bookmaker]: {
                markets: {
                  [marketId]: { outcomes: { [outcomeId]: { players: { [playerId]: { price } } } } },
                },
              },
            },
          }) as OddsFrame,
      )
    const anyFrame = fc.oneof(
      { weight: 2, arbitrary: frameOf },
      { weight: 3, arbitrary: denseFrame },
      { weight: 4, arbitrary: denseMove },
    )
    type Scope =
      | { readonly path: SelectPath }
      | { readonly market: { readonly fixtureId: string; readonly marketId: string } }
    /** A select path at any level (`'0'`: an array's first entry), or a market (`market$`). */
    const scopeArb = fc
      .tuple(
        twoFixtures,
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom('pinnacle', 'bet365', '0'),
        fc.constantFrom('101', '104', '0'),
        fc.constantFrom('101', '102', '0'),
        fc.constantFrom('0', '1'),
      )
      .map(([fixtureId, depth, bookmaker, marketId, outcomeId, playerId]): Scope => {
        if (depth === 5) return { market: { fixtureId, marketId } }
        const paths: SelectPath[] = [
          { fixtureId },
          { fixtureId, bookmaker },
          { fixtureId, bookmaker, marketId },
          { fixtureId, bookmaker, marketId, outcomeId },
          { fixtureId, bookmaker, marketId, outcomeId, playerId },
        ]
        return { path: paths[depth] as SelectPath }
      })
    type StoreOp =
      | { readonly t: 'frame'; readonly frame: OddsFrame }
      | { readonly t: 'flush' }
      | { readonly t: 'snapshot'; readonly frame: OddsFrame }
      | { readonly t: 'remove'; readonly fixtureId: string }
      | { readonly t: 'get'; readonly fixtureId: string }
      | { readonly t: 'watch'; readonly scope: Scope }
      | { readonly t: 'hold'; readonly fixtureId: string }
      | { readonly t: 'unwatch'; readonly index: number }
    const storeOp: fc.Arbitrary<StoreOp> = fc.oneof(
      { weight: 12, arbitrary: anyFrame.map((frame) => ({ t: 'frame' as const, frame })) },
      { weight: 5, arbitrary: fc.constant({ t: 'flush' as const }) },
      { weight: 1, arbitrary: anyFrame.map((frame) => ({ t: 'snapshot' as const, frame })) },
      {
        weight: 1,
        arbitrary: twoFixtures.map((fixtureId) => ({ t: 'remove' as const, fixtureId })),
      },
      { weight: 2, arbitrary: twoFixtures.map((fixtureId) => ({ t: 'get' as const, fixtureId })) },
      { weight: 5, arbitrary: scopeArb.map((scope) => ({ t: 'watch' as const, scope })) },
      { weight: 1, arbitrary: twoFixtures.map((fixtureId) => ({ t: 'hold' as const, fixtureId })) },
      { weight: 2, arbitrary: fc.nat(30).map((index) => ({ t: 'unwatch' as const, index })) },
    )
    /** A watcher as `select` and `market$` make one; `seen`: what it emitted. */
    const watcherOf = (store: FixtureStore, scope: Scope, seen: unknown[]): Watcher => {
      if ('path' in scope) {
        const reader = new PathReader(scope.path)
        seen.push(reader.next(store.get(scope.path.fixtureId)))
        return {
          next: (_, fixture) => {
            const value = reader.next(fixture)
            if (value !== PathReader.NO_CHANGE) seen.push(value)
          },
          complete() {},
        }
      }
      const { fixtureId, marketId } = scope.market
      let deps = marketDependencies(store.get(fixtureId), marketId)
      seen.push(compareMarket(store.get(fixtureId), scope.market))
      return {
        next: () => {
          const fixture = store.get(fixtureId)
          const next = marketDependencies(fixture, marketId)
          if (next.length === deps.length && next.every((d, i) => d === deps[i])) return
          deps = next
          seen.push(compareMarket(fixture, scope.market))
        },
        complete() {},
      }
    }
    /** What a scope shows of a state: as select reads it (a level not an object: undefined). */
    const shown = (scope: Scope, state: (fixtureId: string) => Fixture | undefined) =>
      'path' in scope
        ? new PathReader(scope.path).next(state(scope.path.fixtureId))
        : compareMarket(state(scope.market.fixtureId), scope.market)
    fc.assert(
      fc.property(fc.array(storeOp, { minLength: 10, maxLength: 100, size: 'medium' }), (ops) => {
        const noError = () => {
          throw new Error('merge error')
        }
        // batches are made by hand: frames queue until a `flush` (the property runs synchronously)
        const lazy = new FixtureStore('microtask', noError, { deferMerge: true })
        const eager = new FixtureStore('microtask', noError)
        const sides = [lazy, eager] as const
        type Live = { seen: unknown[]; stop: () => void; scope: Scope | undefined }
        const live: Live[][] = [[], []]
        const check = () => {
          // every watcher's last value is what the eager state shows it (a missed wake on both
          // sides is caught too), and both sides saw the same values
          const state = (fixtureId: string) => eager.get(fixtureId)
          for (const side of live) {
            for (const { seen, scope } of side) {
              if (scope) expect(seen.at(-1)).toEqual(shown(scope, state))
            }
          }
          expect(live[0]?.map((l) => l.seen)).toEqual(live[1]?.map((l) => l.seen))
          // keys in the same order too (what a JSON export or a key loop sees)
          const json = (side: Live[] | undefined) => JSON.stringify(side?.map((l) => l.seen))
          expect(json(live[0])).toBe(json(live[1]))
          for (const fixtureId of ['f1', 'f2']) {
            expect(lazy.watcherCount(fixtureId)).toBe(eager.watcherCount(fixtureId))
          }
        }
        for (const op of ops) {
          sides.forEach((store, i) => {
            const mine = live[i] as Live[]
            if (op.t === 'frame') {
              // with what the decoder would note of it (a price move alone: the lazy store may
              // then merge only the entries a watcher can see)
              const frame = structuredClone(op.frame)
              const sight: DecodeSight = { moves: undefined }
              store.enqueue(frame, isPlainFrameSeeing(frame, sight) ? sight.moves : undefined)
            } else if (op.t === 'flush') store.flush()
            else if (op.t === 'snapshot') {
              const id = op.frame.fixtureId
              store.replace(id, mergeFrame(store.get(id), structuredClone(op.frame)))
            } else if (op.t === 'remove') store.remove([op.fixtureId])
            else if (op.t === 'get') {
              mine.push({ seen: [store.get(op.fixtureId)], stop() {}, scope: undefined })
            } else if (op.t === 'watch') {
              const seen: unknown[] = []
              const { scope } = op
              const fixtureId = 'path' in scope ? scope.path.fixtureId : scope.market.fixtureId
              const watched = 'path' in scope ? scope.path : { marketId: scope.market.marketId }
              const stop = store.watch(fixtureId, watcherOf(store, scope, seen), watched)
              mine.push({ seen, stop, scope })
            } else if (op.t === 'hold') {
              const stop = store.hold(op.fixtureId, { complete() {} })
              mine.push({ seen: [], stop, scope: undefined })
            } else {
              const index = op.index % Math.max(1, mine.length)
              mine[index]?.stop()
              mine.splice(index, 1)
            }
          })
          check()
        }
        for (const store of sides) store.flush()
        check()
        for (const fixtureId of ['f1', 'f2']) {
          expect(JSON.stringify(lazy.get(fixtureId))).toBe(JSON.stringify(eager.get(fixtureId)))
        }
        for (const store of sides) store.dispose()
      }),
      { numRuns: 300 },
    )
  }, 120_000)

  it('frames no scoped watcher can see stay unmerged; holding (sync$) merges nothing', () => {
    const store = new FixtureStore('microtask', noError, { deferMerge: true })
    const frame = (bookmaker: string, marketId: string, price: number, more = {}) =>
      ({
        fixtureId: 'f1',
        bookmakerOdds: {
          [bookmaker]: {
            ...more,
            markets: { [marketId]: { outcomes: { '101': { players: { '0': { price } } } } } },
          },
        },
      }) as OddsFrame
    const sent = [frame('pinnacle', '101', 2)]
    store.enqueue(sent[0] as OddsFrame)
    store.flush()
    const woken: string[] = []
    const watcher = (name: string): Watcher => ({ next: () => woken.push(name), complete() {} })
    store.watch('f1', watcher('market'), { bookmaker: 'pinnacle', marketId: '101' })
    store.watch('f1', watcher('across'), { marketId: '1010' })
    store.hold('f1', { complete() {} })
    expect(store.watcherCount('f1')).toBe(3)
    const stored = store.peek('f1')
    const send = (...frames: OddsFrame[]) => {
      for (const f of frames) {
        sent.push(f)
        store.enqueue(f)
      }
      store.flush()
    }
    // another market of the bookmaker, another bookmaker: nobody can see them
    send(frame('pinnacle', '104', 3), frame('bet365', '101', 3))
    expect(store.peek('f1')).toBe(stored)
    expect(woken).toEqual([])
    // the watched market: everything is merged, in order, and only its watcher woken
    send(frame('pinnacle', '101', 4))
    expect(woken).toEqual(['market'])
    expect(store.peek('f1')).toEqual(mergeFrames(undefined, sent))
    // a suspension of any bookmaker reaches market$'s scope
    send(frame('bet365', '104', 5, { suspended: true }))
    expect(woken).toEqual(['market', 'across'])
    expect(store.peek('f1')).toEqual(mergeFrames(undefined, sent))
    store.dispose()
  })

  it("'animationFrame': a fold merges the frames left unmerged before the batch's", () => {
    const priced = (price: number) =>
      ({
        fixtureId: 'f1',
        bookmakerOdds: {
          pinnacle: {
            markets: { '101': { outcomes: { '101': { players: { '0': { price } } } } } },
          },
        },
      }) as OddsFrame
    const sides = [true, false].map(
      (deferMerge) => new FixtureStore('animationFrame', noError, { deferMerge }),
    )
    for (const store of sides) {
      store.enqueue(priced(1.5))
      store.flush() // stored
      store.enqueue(priced(2))
      store.flush() // left unmerged by the lazy one: nobody watches
      for (let i = 0; i < 64; i++) store.enqueue(priced(3)) // the 64th folds them
      store.flush()
    }
    expect(sides[0]?.get('f1')).toEqual(sides[1]?.get('f1'))
    for (const store of sides) store.dispose()
  })

  it('a price move a watcher sees merges only the entries under watched scopes', () => {
    const move = (bookmaker: string, marketId: string, price: number, second: number) =>
      ({
        fixtureId: 'f1',
        bookmakerOdds: {
          [bookmaker]: {
            markets: {
              [marketId]: {
                outcomes: {
                  '101': {
                    players: { '0': { price, changedAt: `2026-01-01T00:00:${second}.000Z` } },
                  },
                },
              },
            },
          },
        },
      }) as OddsFrame
    /** Enqueued as the feed does: with what the decoder saw of it. */
    const enqueue = (store: FixtureStore, frame: OddsFrame) => {
      const copy = structuredClone(frame)
      const sight: DecodeSight = { moves: undefined }
      expect(isPlainFrameSeeing(copy, sight)).toBe(true)
      store.enqueue(copy, sight.moves)
    }
    const store = new FixtureStore('microtask', noError, { deferMerge: true })
    const sent = [move('pinnacle', '101', 1.5, 10), move('pinnacle', '104', 1.5, 10)]
    for (const frame of sent) enqueue(store, frame)
    store.flush()
    const seen: unknown[] = []
    const reader = new PathReader({ fixtureId: 'f1', bookmaker: 'pinnacle', marketId: '101' })
    store.watch(
      'f1',
      {
        next: (_, fixture) => {
          const value = reader.next(fixture)
          if (value !== PathReader.NO_CHANGE) seen.push(value)
        },
        complete() {},
      },
      { bookmaker: 'pinnacle', marketId: '101' },
    )
    reader.next(store.get('f1'))
    const patches = (store as unknown as { patches: Map<string, { entries: number }> }).patches
    // a move nobody sees, then one in the watched market, in one batch and in the next
    const later = [move('pinnacle', '104', 2, 11), move('pinnacle', '101', 2, 11)]
    for (const frame of later) {
      sent.push(frame)
      enqueue(store, frame)
    }
    store.flush()
    const eager = mergeFrames(undefined, sent)
    // the watcher saw its market as merging everything shows it...
    expect(seen).toEqual([eager.bookmakerOdds?.pinnacle?.markets?.['101']])
    // ...while the move of the other market still waits in the patch, alone
    expect(patches.get('f1')?.entries).toBe(1)
    expect(store.peek('f1')?.bookmakerOdds?.pinnacle?.markets?.['104']).toEqual(
      sent[1]?.bookmakerOdds?.pinnacle?.markets?.['104'],
    )
    // every read sees everything, keys in order
    expect(JSON.stringify(store.get('f1'))).toBe(JSON.stringify(eager))
    expect(patches.size).toBe(0)
    // a move that would add an entry the store does not hold yet merges everything
    const added = [move('pinnacle', '104', 3, 12), move('pinnacle', '101', 3, 12)]
    added[1] = JSON.parse(JSON.stringify(added[1]).replace('"101":{"players"', '"102":{"players"'))
    for (const frame of added) {
      sent.push(frame as OddsFrame)
      enqueue(store, frame as OddsFrame)
    }
    store.flush()
    expect(patches.size).toBe(0)
    expect(JSON.stringify(store.peek('f1'))).toBe(JSON.stringify(mergeFrames(undefined, sent)))
    store.dispose()
  })

  it('a price move reaches every scope below a stored container it replaces whole (an array)', () => {
    for (const level of ['markets', 'outcomes', 'players'] as const) {
      const store = new FixtureStore('microtask', noError, { deferMerge: true })
      // what a snapshot may hold (the store takes it): a container that is an array
      const odd = {
        '0': { markets: { '101': { outcomes: { '101': { players: { '0': { price: 2 } } } } } } },
      }
      const book = JSON.parse(JSON.stringify(odd))['0']
      const node =
        level === 'markets'
          ? book
          : level === 'outcomes'
            ? book.markets['101']
            : book.markets['101'].outcomes['101']
      node[level] = [{ price: 1 }]
      store.replace(
        'f1',
        mergeFrames(undefined, [
          { fixtureId: 'f1', bookmakerOdds: { pinnacle: book } } as OddsFrame,
        ]),
      )
      const path = {
        fixtureId: 'f1',
        bookmaker: 'pinnacle',
        ...(level === 'markets'
          ? { marketId: '0' }
          : level === 'outcomes'
            ? { marketId: '101', outcomeId: '0' }
            : { marketId: '101', outcomeId: '101', playerId: '0' }),
      }
      const reader = new PathReader(path)
      expect(reader.next(store.get('f1'))).toBeDefined()
      const seen: unknown[] = []
      store.watch(
        'f1',
        {
          next: (_, fixture) => {
            const value = reader.next(fixture)
            if (value !== PathReader.NO_CHANGE) seen.push(value)
          },
          complete() {},
        },
        path,
      )
      // a move along other keys below the array: merging replaces the array with its record
      const move = {
        fixtureId: 'f1',
        bookmakerOdds: {
          pinnacle: {
            markets: { '104': { outcomes: { '102': { players: { '1': { price: 3 } } } } } },
          },
        },
      } as OddsFrame
      if (level !== 'markets') {
        const markets = (
          move.bookmakerOdds as Record<string, Record<string, Record<string, unknown>>>
        ).pinnacle?.markets
        ;(markets as Record<string, unknown>)['101'] = (markets as Record<string, unknown>)['104']
        delete (markets as Record<string, unknown>)['104']
        if (level === 'players') {
          const market = (markets as Record<string, { outcomes: Record<string, unknown> }>)['101']
          ;(market as { outcomes: Record<string, unknown> }).outcomes['101'] =
            market?.outcomes['102']
          delete market?.outcomes['102']
        }
      }
      const sight: DecodeSight = { moves: undefined }
      expect(isPlainFrameSeeing(move, sight)).toBe(true)
      store.enqueue(move, sight.moves)
      store.flush()
      expect(seen).toEqual([undefined])
      store.dispose()
    }
  })

  it('price moves fold into the patch at once, past score frames; the frames are not kept', () => {
    const move = (marketId: string, price: number, second: number) =>
      ({
        fixtureId: 'f1',
        bookmakerOdds: {
          pinnacle: {
            markets: {
              [marketId]: {
                outcomes: {
                  '101': {
                    players: { '0': { price, changedAt: `2026-01-01T00:00:${second}.000Z` } },
                  },
                },
              },
            },
          },
        },
      }) as OddsFrame
    const score = (goals: number) =>
      ({ fixtureId: 'f1', scores: { result: { participant1Score: goals } } }) as OddsFrame
    const store = new FixtureStore('microtask', noError, { deferMerge: true })
    const sent: OddsFrame[] = [move('101', 1.5, 10)]
    store.enqueue(sent[0] as OddsFrame)
    store.flush() // stored
    const stored = store.peek('f1')
    const queues = store as unknown as {
      deferred: Map<string, readonly OddsFrame[]>
      patches: Map<string, { entries: number }>
    }
    const batches = [
      [move('101', 1.6, 11), move('104', 2, 11)],
      [score(1)],
      [move('101', 1.7, 12), score(2), move('104', 2.1, 12), move('107', 3, 12)],
    ]
    for (const batch of batches) {
      for (const frame of batch) {
        sent.push(frame)
        store.enqueue(frame)
      }
      store.flush()
    }
    // nothing merged yet; of the frames only the scores wait as they came, the moves are one
    // entry per price
    expect(store.peek('f1')).toBe(stored)
    expect(queues.deferred.get('f1')).toEqual([score(1), score(2)])
    expect(queues.patches.get('f1')?.entries).toBe(3)
    expect(store.get('f1')).toEqual(mergeFrames(undefined, sent))
    expect(queues.deferred.size + queues.patches.size).toBe(0)
    store.dispose()
  })
})
