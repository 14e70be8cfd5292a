/**
 * An observable of the feed as a `useSyncExternalStore` store: `subscribe` opens exactly one
 * subscription and closes it on cleanup, `getSnapshot` returns the same object until the value
 * changes.
 * @module
 */
import { deepEqual } from '@oddsfeed/core'

/** What `useSyncExternalStore` takes. */
export interface ExternalStore<T> {
  /** Opens one subscription to the source; the returned function closes it. */
  readonly subscribe: (onChange: () => void) => () => void
  /** The current value: the same object as long as it has not changed. */
  readonly getSnapshot: () => T
}

/** The part of an RxJS `Observable` this needs. */
export interface Source<T> {
  /** Calls `next` with each value; the result ends the subscription. */
  subscribe(next: (value: T) => void): {
    /** Ends the subscription. */
    unsubscribe(): void
  }
}

/**
 * Makes a store of `source`, a feed stream that emits its current value at once on subscription
 * and then on every change.
 *
 * @param source - opens the stream (called once per subscription).
 * @param read - the current value while nothing is subscribed (the first render, before React
 *   subscribes). With `cached`, it is read once and then only replaced by emissions; without,
 *   it is read on every such render and its result kept while deep-equal to the last one.
 */
export function createExternalStore<T>(
  source: () => Source<T>,
  read: () => T,
  cached = false,
): ExternalStore<T> {
  let value: T
  let has = false
  let subscriptions = 0
  const keep = (next: T) => {
    // identity first; deep equality keeps computed views (new objects) stable across re-reads
    if (!has || !deepEqual(next, value)) value = next
    has = true
  }
  return {
    getSnapshot() {
      if (subscriptions === 0 && (!has || !cached)) keep(read())
      return value
    },
    subscribe(onChange) {
      subscriptions++
      let opening = true
      const subscription = source().subscribe((next) => {
        if (opening) {
          // the value at subscription: a change only if it differs from what was rendered
          const before = value
          keep(next)
          if (value !== before) onChange()
          return
        }
        value = next
        has = true
        onChange()
      })
      opening = false
      return () => {
        subscriptions--
        subscription.unsubscribe()
      }
    },
  }
}

/** The value a stream emits at once on subscription, read with a subscription closed at once. */
export function peek<T>(source: Source<T>, fallback: T): T {
  let value = fallback
  source
    .subscribe((next) => {
      value = next
    })
    .unsubscribe()
  return value
}
