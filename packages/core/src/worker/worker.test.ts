/**
 * Worker mode's protocol over a real `MessageChannel` (Node and Chromium): the page side sees
 * the same values as the feed's own `select`/`market$`/`errors$`, only changes, and stops
 * everything in the worker when it closes.
 */
import { filter, firstValueFrom, take, toArray } from 'rxjs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { BoardOptions, BoardRow } from '../board.js'
import { FeedError } from '../errors.js'
import { createOddsFeed, type OddsFeed, type OddsFeedOptions } from '../feed.js'
import { connectOddsFeed } from './connect.js'
import type { BoardPatch, FromWorker } from './protocol.js'
import { type ServeOptions, servePort } from './serve.js'

const price = (fixtureId: string, value: number, at: string, marketId = '101') => ({
  fixtureId,
  bookmakerOdds: {
    pinnacle: {
      markets: {
        [marketId]: {
          outcomes: {
            '101': {
              players: {
                '0': {
                  price: value,
                  active: true,
                  changedAt: `2026-06-01T12:00:${at}.000000+00:00`,
                },
              },
            },
          },
        },
      },
    },
  },
})
const path = { fixtureId: 'F', bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 }

const open: { close(): void }[] = []
afterEach(() => {
  for (const thing of open.splice(0)) thing.close()
})

function setup(
  options: OddsFeedOptions = { autoConnect: false },
  serve?: ServeOptions,
): { feed: OddsFeed; channel: MessageChannel; posted: () => number; messages: FromWorker[] } {
  const feed = createOddsFeed(options)
  const channel = new MessageChannel()
  const messages: FromWorker[] = []
  const port = channel.port1
  const counting = {
    postMessage: (message: FromWorker) => {
      messages.push(message)
      port.postMessage(message)
    },
    addEventListener: port.addEventListener.bind(port),
    removeEventListener: port.removeEventListener.bind(port),
    start: port.start.bind(port),
  }
  servePort(feed, counting as never, serve)
  open.push(feed, { close: () => channel.port1.close() }, { close: () => channel.port2.close() })
  return { feed, channel, posted: () => messages.length, messages }
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10))
  expect(check()).toBe(true)
}

describe('worker mode over a MessageChannel', () => {
  it('select emits the current value, then each change, deep-frozen and equal to the feed', async () => {
    const { feed, channel } = setup()
    feed.ingest(JSON.stringify(price('F', 1.5, '01')))
    await null
    const page = connectOddsFeed(channel.port2)
    open.push(page)
    const values = firstValueFrom(page.select(path).pipe(take(3), toArray()))
    await new Promise((r) => setTimeout(r, 20))
    feed.ingest(JSON.stringify(price('F', 1.6, '02')))
    await new Promise((r) => setTimeout(r, 20))
    // another fixture, and an unchanged repeat: no emission for this slice
    feed.ingest(JSON.stringify(price('G', 9, '03')))
    feed.ingest(JSON.stringify(price('F', 1.6, '02')))
    await new Promise((r) => setTimeout(r, 20))
    feed.ingest(JSON.stringify(price('F', 1.7, '04')))
    const got = await values
    expect(got.map((v) => v?.price)).toEqual([1.5, 1.6, 1.7])
    expect(got[2]).toEqual(feed.get(path))
    expect(Object.isFrozen(got[2])).toBe(true)
  })

  it('market$ and errors$ arrive as the feed emits them (errors as FeedError)', async () => {
    const { feed, channel } = setup()
    const page = connectOddsFeed(channel.port2)
    open.push(page)
    const error = firstValueFrom(page.errors$)
    const market = firstValueFrom(
      page.market$({ fixtureId: 'F', marketId: 101 }).pipe(filter((m) => m.outcomes.length > 0)),
    )
    await new Promise((r) => setTimeout(r, 20))
    feed.ingest('{"fixtureId": 5}')
    feed.ingest(JSON.stringify(price('F', 2.5, '01')))
    const e = await error
    expect(e).toBeInstanceOf(FeedError)
    expect(e.kind).toBe('schema')
    const m = await market
    expect(m.outcomes[0]?.best?.price).toBe(2.5)
  })

  it('a page sees only its own watches; close ends them in the worker and completes them', async () => {
    const { feed, channel, posted } = setup()
    const second = new MessageChannel()
    servePort(feed, second.port1)
    open.push({ close: () => second.port1.close() }, { close: () => second.port2.close() })
    const a = connectOddsFeed(channel.port2)
    const b = connectOddsFeed(second.port2)
    open.push(b)
    const aValues: unknown[] = []
    let aDone = false
    a.select({ fixtureId: 'F' }).subscribe({
      next: (v) => aValues.push(v),
      complete: () => (aDone = true),
    })
    const bValue = firstValueFrom(b.select({ fixtureId: 'G' }).pipe(filter(Boolean)))
    await until(() => aValues.length === 1)
    feed.ingest(JSON.stringify(price('G', 3, '01')))
    expect((await bValue).fixtureId).toBe('G')
    expect(aValues).toEqual([undefined])
    a.close()
    expect(aDone).toBe(true)
    await new Promise((r) => setTimeout(r, 20))
    const before = posted()
    feed.ingest(JSON.stringify(price('F', 3, '02')))
    await new Promise((r) => setTimeout(r, 50))
    // the worker no longer posts anything to the closed page
    expect(posted()).toBe(before)
  })
})

describe('board$ in worker mode', () => {
  type Board = ReadonlyMap<string, BoardRow>
  /**
   * The worker's board options: a function, which could not cross postMessage. The main market
   * is 1010, not the default's pick among markets quoted alike (the lowest id, 101).
   */
  const board: BoardOptions = { mainMarket: () => '1010' }
  const main = (fixtureId: string, value: number, at: string) => price(fixtureId, value, at, '1010')
  const other = (fixtureId: string, value: number, at: string) => price(fixtureId, value, at, '101')
  const teams = (fixtureId: string, statusId = 0) => ({
    fixtureId,
    sportId: 10,
    statusId,
    participant1Name: `${fixtureId} home`,
    participant2Name: `${fixtureId} away`,
  })
  const score = (fixtureId: string, home: number) => ({
    fixtureId,
    scores: { periods: { result: { participant1Score: home, participant2Score: 0 } } },
  })

  /** A worker feed (`sync` batches: its own `board$` is current after each ingest) and a page. */
  const served = (options: OddsFeedOptions = {}) => {
    const worker = setup({ autoConnect: false, batch: 'sync', ...options }, { board })
    let own: Board = new Map()
    const sub = worker.feed.board$(board).subscribe((map) => (own = map))
    open.push({ close: () => sub.unsubscribe() })
    const page = connectOddsFeed(worker.channel.port2)
    open.push(page)
    const maps: Board[] = []
    page.board$().subscribe((map) => maps.push(map))
    const latest = () => maps.at(-1)
    /** Waits until the page's latest map is the worker's own board: same rows, same order. */
    const settled = async () => {
      const equal = () => {
        const map = latest()
        if (map === undefined || map.size !== own.size) return false
        try {
          expect(new Map(map)).toEqual(new Map(own))
          expect([...map.keys()]).toEqual([...own.keys()])
          return true
        } catch {
          return false
        }
      }
      await until(equal)
      return latest() as Board
    }
    /** The patches posted since `from` (this page watches only the board). */
    const patches = (from: number) =>
      worker.messages.slice(from).flatMap((m) => m.emissions.map((e) => e[1] as BoardPatch))
    return { ...worker, page, own: () => own, maps, latest, settled, patches }
  }

  it('equals the worker feed own board$ after prices, scores, status and an eviction', async () => {
    const t = served({ maxFixtures: 3 })
    expect((await t.settled()).size).toBe(0)
    for (const id of ['f1', 'f2']) {
      t.feed.ingest(teams(id))
      t.feed.ingest(main(id, 1.5, '01'))
      t.feed.ingest(other(id, 4, '01'))
    }
    let map = await t.settled()
    expect(map.get('f1')?.main?.outcomes[0]?.best?.price).toBe(1.5)

    t.feed.ingest(main('f1', 1.8, '02')) // the main market's price
    map = await t.settled()
    expect(map.get('f1')?.main?.outcomes[0]?.best?.price).toBe(1.8)

    t.feed.ingest(score('f2', 1))
    map = await t.settled()
    expect(map.get('f2')?.scores?.result?.participant1Score).toBe(1)

    t.feed.ingest(teams('f1', 1)) // live
    map = await t.settled()
    expect(map.get('f1')?.statusId).toBe(1)

    // over maxFixtures: the least recently updated (f2) leaves the store and the board
    t.feed.ingest(teams('f3'))
    t.feed.ingest(teams('f4'))
    map = await t.settled()
    expect([...map.keys()]).toEqual(['f1', 'f3', 'f4'])
    expect(t.patches(0).flatMap((p) => p.removed)).toEqual(['f2'])
    for (const row of map.values()) expect(Object.isFrozen(row)).toBe(true)
    expect(Object.isFrozen(map.get('f1')?.main?.outcomes)).toBe(true)
  })

  it('keeps the identity of unchanged rows on the page; a later message carries only changed rows', async () => {
    const t = served()
    for (const id of ['f1', 'f2', 'f3']) {
      t.feed.ingest(teams(id))
      t.feed.ingest(score(id, 0))
      t.feed.ingest(main(id, 2, '01'))
    }
    const before = await t.settled()
    expect(t.patches(0).at(-1)?.rows.length).toBeGreaterThan(0)
    const mark = t.posted()

    t.feed.ingest(score('f2', 1))
    const after = await t.settled()
    expect(after).not.toBe(before)
    expect(after.get('f1')).toBe(before.get('f1'))
    expect(after.get('f3')).toBe(before.get('f3'))
    expect(after.get('f2')).not.toBe(before.get('f2'))
    // within the changed row, what did not change is the old object too
    expect(after.get('f2')?.main).toBe(before.get('f2')?.main)
    expect(Object.isFrozen(after.get('f2')?.scores?.result)).toBe(true)
    expect(t.patches(mark)).toEqual([{ rows: [t.own().get('f2')], removed: [] }])

    // a second subscription of this page shares its watch: the latest map at once, then one
    // patch per change for both
    const maps: Board[] = []
    t.page.board$().subscribe((map) => maps.push(map))
    expect(maps).toEqual([after])
    const from = t.posted()
    t.feed.ingest(score('f3', 2))
    const third = await t.settled()
    expect(maps.at(-1)).toBe(third)
    expect(t.patches(from)).toHaveLength(1)

    // another page of the same worker reads the same board, computed once
    const board$ = vi.spyOn(t.feed, 'board$')
    const other = new MessageChannel()
    servePort(t.feed, other.port1, { board })
    const page = connectOddsFeed(other.port2)
    open.push(page, { close: () => other.port1.close() }, { close: () => other.port2.close() })
    const theirs = await firstValueFrom(page.board$())
    expect(new Map(theirs)).toEqual(new Map(third))
    expect(board$).not.toHaveBeenCalled()
  })

  it('posts nothing for a frame on a market the board does not show', async () => {
    const t = served()
    for (const id of ['f1', 'f2']) {
      t.feed.ingest(teams(id))
      t.feed.ingest(main(id, 2, '01'))
      t.feed.ingest(other(id, 3, '01'))
    }
    await t.settled()
    const mark = t.posted()
    const emitted = t.maps.length
    t.feed.ingest(other('f1', 3.5, '02')) // not the main market: no row changes
    t.feed.ingest(main('f2', 2.2, '02')) // the main market: f2's row
    const map = await t.settled()
    expect(map.get('f2')?.main?.outcomes[0]?.best?.price).toBe(2.2)
    expect(t.patches(mark)).toEqual([{ rows: [t.own().get('f2')], removed: [] }])
    expect(t.maps.length).toBe(emitted + 1)
  })
})
