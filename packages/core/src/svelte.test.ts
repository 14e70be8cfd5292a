import { Observable } from 'rxjs'
import { derived, get } from 'svelte/store'
import { describe, expect, it } from 'vitest'
import { createOddsFeed } from './feed.js'
import { toStore } from './svelte.js'

const path = { fixtureId: 'f1', bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 }
const frame = (price: number, second: number) => ({
  fixtureId: 'f1',
  bookmakerOdds: {
    pinnacle: {
      markets: {
        '101': {
          outcomes: {
            '101': { players: { '0': { price, changedAt: `2026-01-01T00:00:0${second}Z` } } },
          },
        },
      },
    },
  },
})

describe('toStore (Svelte store contract)', () => {
  it('gives the current value at once to svelte/store get() and derived()', () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
    feed.ingest(frame(1.5, 0))
    const entry = toStore(feed.select(path))
    expect(get(entry)?.price).toBe(1.5)
    const label = derived(entry, ($entry) => ($entry ? $entry.price.toFixed(2) : '–'))
    const seen: string[] = []
    const stop = label.subscribe((text) => seen.push(text))
    feed.ingest(frame(1.6, 1))
    expect(seen).toEqual(['1.50', '1.60'])
    stop()
    feed.ingest(frame(1.7, 2))
    expect(seen).toEqual(['1.50', '1.60'])
    feed.close()
  })

  it('unsubscribes from the stream when Svelte unsubscribes', () => {
    const feed = createOddsFeed({ autoConnect: false })
    let open = 0
    const store = toStore(
      new Observable<number>((subscriber) => {
        open++
        subscriber.next(open)
        return () => {
          open--
        }
      }),
    )
    const a = store.subscribe(() => {})
    const b = store.subscribe(() => {})
    expect(open).toBe(2)
    a()
    b()
    expect(open).toBe(0)
    feed.close()
  })
})
