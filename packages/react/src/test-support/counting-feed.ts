/**
 * A real feed (fed by `ingest`) whose streams count their open subscriptions: what the hooks'
 * tests assert on. The counting is a decorator over the feed's own observables, not a mock.
 */
import { createOddsFeed, type OddsFeed } from '@oddsfeed/core'
import { Observable } from 'rxjs'

export interface Counts {
  /** Open subscriptions now, per stream. */
  readonly open: Record<'select' | 'market$' | 'sync$' | 'status$', number>
  /** Subscriptions opened so far, per stream. */
  readonly opened: Record<'select' | 'market$' | 'sync$' | 'status$', number>
}

export function countingFeed(): { feed: OddsFeed; counts: Counts } {
  const inner = createOddsFeed({ autoConnect: false })
  const counts: Counts = {
    open: { select: 0, market$: 0, sync$: 0, status$: 0 },
    opened: { select: 0, market$: 0, sync$: 0, status$: 0 },
  }
  const count = <T>(name: keyof Counts['open'], source: Observable<T>) =>
    new Observable<T>((subscriber) => {
      counts.open[name]++
      counts.opened[name]++
      const subscription = source.subscribe(subscriber)
      return () => {
        counts.open[name]--
        subscription.unsubscribe()
      }
    })
  const feed: OddsFeed = {
    ...inner,
    status$: count('status$', inner.status$),
    select: ((path: Parameters<OddsFeed['select']>[0]) =>
      count('select', inner.select(path))) as OddsFeed['select'],
    market$: (path) => count('market$', inner.market$(path)),
    sync$: (fixtureId) => count('sync$', inner.sync$(fixtureId)),
  }
  return { feed, counts }
}

/** A frame setting one price entry of fixture `f1` at pinnacle (or `bookmaker`). */
export function priceFrame(outcomeId: number, price: number, bookmaker = 'pinnacle', second = 0) {
  return {
    fixtureId: 'f1',
    bookmakerOdds: {
      [bookmaker]: {
        markets: {
          '101': {
            outcomes: {
              [String(outcomeId)]: {
                players: {
                  '0': {
                    price,
                    active: true,
                    changedAt: `2026-01-01T00:00:${String(second).padStart(2, '0')}Z`,
                  },
                },
              },
            },
          },
        },
      },
    },
  }
}
