/**
 * `@oddsfeed/core/vue`: feed streams as Vue refs. Uses `shallowRef` and `onScopeDispose` from
 * `vue` (an optional peer dependency of `@oddsfeed/core`: only this entry point imports it).
 * @module
 */
import type { Observable } from 'rxjs'
import { getCurrentScope, onScopeDispose, type ShallowRef, shallowRef } from 'vue'

/**
 * A feed stream as a shallow ref, for `setup()` or any effect scope: it holds the stream's
 * latest value (state is immutable, so a shallow ref is all reactivity needs) and unsubscribes
 * when the scope is disposed (the component unmounted). Outside a scope, call the returned
 * `stop` yourself.
 *
 * @example
 * ```ts
 * import { useObservable } from '@oddsfeed/core/vue'
 * // in setup():
 * const entry = useObservable(feed.select({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 }))
 * // template: {{ entry?.price ?? '–' }}
 * ```
 */
export function useObservable<T>(source: Observable<T>): ObservableRef<T> {
  const ref = shallowRef<T | undefined>(undefined) as ObservableRef<T>
  const subscription = source.subscribe((value) => {
    ref.value = value
  })
  const stop = () => subscription.unsubscribe()
  if (getCurrentScope()) onScopeDispose(stop)
  Object.defineProperty(ref, 'stop', { value: stop })
  return ref
}

/** What {@link useObservable} returns: the ref, and `stop()` to unsubscribe before the scope ends. */
export type ObservableRef<T> = ShallowRef<T | undefined> & {
  /** Unsubscribes now (the scope's disposal does it too). */
  readonly stop: () => void
}
