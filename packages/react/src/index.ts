/**
 * `@oddsfeed/react`: React hooks for `@oddsfeed/core` on `useSyncExternalStore`: no tearing
 * under concurrent rendering, one subscription per hook, keyed on the path's fields.
 * @packageDocumentation
 */
export { OddsFeedProvider, type OddsFeedProviderProps, useOddsFeed } from './context.js'
export { createExternalStore, type ExternalStore, peek, type Source } from './external-store.js'
export { useFeedStatus, useMarket, useSelect, useSync } from './hooks.js'
