/**
 * Worker mode's protocol over a real `MessageChannel` (Node and Chromium): the page side sees
 * the same values as the feed's own `select`/`market$`/`errors$`, only changes, and stops
 * everything in the worker when it closes.
 */
import { filter, firstValueFrom, take, toArray } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import { FeedError } from '../errors.js'
import { createOddsFeed, type OddsFeed } from '../feed.js'
import { connectOddsFeed } from './connect.js'
import { servePort } from './serve.js'

const price = (fixtureId: string, value: number, at: string) => ({
  fixtureId,
  bookmakerOdds: {
    pinnacle: {
      markets: {
        '101': {
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

function setup(): { feed: OddsFeed; channel: MessageChannel; posted: () => number } {
  const feed = createOddsFeed({ autoConnect: false })
  const channel = new MessageChannel()
  let count = 0
  const port = channel.port1
  const counting = {
    postMessage: (message: unknown) => {
      count++
      port.postMessage(message)
    },
    addEventListener: port.addEventListener.bind(port),
    removeEventListener: port.removeEventListener.bind(port),
    start: port.start.bind(port),
  }
  servePort(feed, counting as never)
  open.push(feed, { close: () => channel.port1.close() }, { close: () => channel.port2.close() })
  return { feed, channel, posted: () => count }
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
