/**
 * `@oddsfeed/core/svelte`: feed streams as Svelte stores. Needs nothing from Svelte: a store is
 * anything with `subscribe(run) → unsubscribe` that calls `run` at once with the current value,
 * which every stream of the feed does.
 * @module
 */
import type { Observable } from 'rxjs'

/** The Svelte store contract (`svelte/store`'s `Readable`), read-only. */
export interface ReadableStore<T> {
  /** Calls `run` at once with the current value, then on every change; returns the unsubscriber. */
  subscribe(run: (value: T) => void): () => void
}

/**
 * A feed stream as a Svelte store: `$store` in markup, `get(store)`, `derived(...)`. Each
 * subscriber of the store is one subscription to the stream, closed when Svelte unsubscribes
 * (component destroyed). Before the stream's first value (`status$` has one at once; `select`,
 * `market$` and `sync$` too) the store holds `undefined`.
 *
 * @example
 * ```svelte
 * <script>
 *   import { toStore } from '@oddsfeed/core/svelte'
 *   const entry = toStore(feed.select({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 }))
 * </script>
 * <td>{$entry?.price ?? '–'}</td>
 * ```
 */
export function toStore<T>(source: Observable<T>): ReadableStore<T> {
  return {
    subscribe(run) {
      const subscription = source.subscribe(run)
      return () => subscription.unsubscribe()
    },
  }
}
