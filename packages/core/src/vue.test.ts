import { Observable } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { computed, effectScope } from 'vue'
import { createOddsFeed } from './feed.js'
import { useObservable } from './vue.js'

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

describe('useObservable (Vue)', () => {
  it('holds the latest value in a shallow ref that computed() tracks', () => {
    const feed = createOddsFeed({ autoConnect: false, batch: 'sync' })
    feed.ingest(frame(1.5, 0))
    const scope = effectScope()
    const label = scope.run(() => {
      const entry = useObservable(feed.select(path))
      return computed(() => entry.value?.price.toFixed(2) ?? '–')
    })
    expect(label?.value).toBe('1.50')
    feed.ingest(frame(1.6, 1))
    expect(label?.value).toBe('1.60')
    scope.stop()
    feed.close()
  })

  it('unsubscribes when its scope is disposed, or on stop() outside a scope', () => {
    let open = 0
    const source = new Observable<number>((subscriber) => {
      open++
      subscriber.next(1)
      return () => {
        open--
      }
    })
    const scope = effectScope()
    const ref = scope.run(() => useObservable(source))
    expect(ref?.value).toBe(1)
    expect(open).toBe(1)
    scope.stop()
    expect(open).toBe(0)

    const loose = useObservable(source)
    expect(open).toBe(1)
    loose.stop()
    expect(open).toBe(0)
  })
})
