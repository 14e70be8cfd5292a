/**
 * The hooks: one feed stream each, bound with `useSyncExternalStore`.
 * @module
 */
import {
  compareMarket,
  type ExactPath,
  type FeedStatus,
  type FixtureSync,
  type MarketView,
  type MarketViewPath,
  type OddsFeed,
  type Selected,
  type SelectPath,
} from '@oddsfeed/core'
import { useMemo, useSyncExternalStore } from 'react'
import { createExternalStore, type ExternalStore, peek } from './external-store.js'

type Id = string | number

function useStore<T>(store: ExternalStore<T>): T {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot)
}

/** A path rebuilt from its fields, without the absent ones. */
function pathOf(
  fixtureId: string,
  bookmaker: string | undefined,
  marketId: Id | undefined,
  outcomeId: Id | undefined,
  playerId: Id | undefined,
): SelectPath {
  const path: Record<string, string> = { fixtureId }
  if (bookmaker !== undefined) path.bookmaker = bookmaker
  if (marketId !== undefined) path.marketId = String(marketId)
  if (outcomeId !== undefined) path.outcomeId = String(outcomeId)
  if (playerId !== undefined) path.playerId = String(playerId)
  return path as unknown as SelectPath
}

const key = (id: Id | undefined) => (id === undefined ? undefined : String(id))

/**
 * One slice of one fixture (`feed.select(path)`): re-renders only when that slice changes.
 *
 * The subscription is keyed on the path's fields, not on the object: a new but equal path on
 * every render (an inline literal) keeps the one subscription, and `101` and `"101"` are the
 * same key. No `useMemo` is needed around the path. A field no path has (`marketID`) is a type
 * error, as with `select`.
 *
 * @example
 * ```tsx
 * function Price({ fixtureId }: { fixtureId: string }) {
 *   const entry = useSelect(feed, { fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 })
 *   return <td className={entry?.active === false ? 'suspended' : ''}>{entry?.price.toFixed(2) ?? '–'}</td>
 * }
 * ```
 */
export function useSelect<P extends SelectPath>(
  feed: OddsFeed,
  path: P & ExactPath<P>,
): Selected<P> | undefined {
  const { fixtureId } = path
  const bookmaker = path.bookmaker
  const marketId = key(path.marketId)
  const outcomeId = key(path.outcomeId)
  const playerId = key(path.playerId)
  const store = useMemo(() => {
    const p = pathOf(fixtureId, bookmaker, marketId, outcomeId, playerId)
    return createExternalStore(
      () => feed.select(p),
      () => feed.get(p),
    )
  }, [feed, fixtureId, bookmaker, marketId, outcomeId, playerId])
  return useStore(store) as Selected<P> | undefined
}

/**
 * One market compared across bookmakers (`feed.market$(path)`): best prices, margins, sure
 * bets. Re-renders only when that market changes at some bookmaker; keyed on the path's fields.
 *
 * @example
 * ```tsx
 * const view = useMarket(feed, { fixtureId, marketId: 101 })
 * return <ul>{view.outcomes.map((o) => <li key={o.outcomeId}>{o.best?.price} {o.best?.bookmakers.join(', ')}</li>)}</ul>
 * ```
 */
export function useMarket(feed: OddsFeed, path: MarketViewPath): MarketView {
  const { fixtureId } = path
  const marketId = String(path.marketId)
  const playerId = key(path.playerId)
  const store = useMemo(() => {
    const p: MarketViewPath =
      playerId === undefined ? { fixtureId, marketId } : { fixtureId, marketId, playerId }
    return createExternalStore(
      () => feed.market$(p),
      () => compareMarket(feed.get({ fixtureId }), p),
    )
  }, [feed, fixtureId, marketId, playerId])
  return useStore(store)
}

const UNHYDRATED: FixtureSync = Object.freeze({ state: 'unhydrated' })

/**
 * How far one fixture's state can be trusted (`feed.sync$(fixtureId)`): `unhydrated`,
 * `hydrating`, `live`, `stale` or `unknown`. Subscribing asks for a snapshot when the feed has
 * `snapshot` on.
 *
 * @example
 * ```tsx
 * const { state } = useSync(feed, fixtureId)
 * return <tr className={state === 'live' ? '' : 'greyed'}>…</tr>
 * ```
 */
export function useSync(feed: OddsFeed, fixtureId: string): FixtureSync {
  const store = useMemo(
    () =>
      createExternalStore(
        () => feed.sync$(fixtureId),
        () => peek(feed.sync$(fixtureId), UNHYDRATED),
        true,
      ),
    [feed, fixtureId],
  )
  return useStore(store)
}

/**
 * The connection's state (`feed.status$`): `idle`, `connecting`, `open`, `reconnecting`,
 * `closed`, with the attempt count and the last error (the key is masked in its URL).
 *
 * @example
 * ```tsx
 * const status = useFeedStatus(feed)
 * return <span className={`badge ${status.state}`}>{status.state}</span>
 * ```
 */
export function useFeedStatus(feed: OddsFeed): FeedStatus {
  const store = useMemo(
    () =>
      createExternalStore(
        () => feed.status$,
        () => peek<FeedStatus>(feed.status$, { state: 'idle', attempt: 0, url: '' }),
        true,
      ),
    [feed],
  )
  return useStore(store)
}
