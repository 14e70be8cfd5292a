/**
 * One feed for a tree of components.
 * @module
 */
import type { OddsFeed } from '@oddsfeed/core'
import { createContext, type ReactNode, useContext } from 'react'

const FeedContext = createContext<OddsFeed | undefined>(undefined)

/** Props of {@link OddsFeedProvider}. */
export interface OddsFeedProviderProps {
  /** The feed the components below use (create it once, outside render). */
  readonly feed: OddsFeed
  /** The components that use the feed. */
  readonly children?: ReactNode
}

/**
 * Hands `feed` to every component below it ({@link useOddsFeed}). It does not close the feed:
 * whoever created it does.
 *
 * @example
 * ```tsx
 * const feed = createOddsFeed({ url: 'wss://my-relay.example/v4/ws' })
 * createRoot(el).render(<OddsFeedProvider feed={feed}><Board /></OddsFeedProvider>)
 * ```
 */
export function OddsFeedProvider({ feed, children }: OddsFeedProviderProps): ReactNode {
  return <FeedContext.Provider value={feed}>{children}</FeedContext.Provider>
}

/**
 * The feed of the nearest {@link OddsFeedProvider}.
 *
 * @example
 * ```tsx
 * function Cell(props: { fixtureId: string }) {
 *   const entry = useSelect(useOddsFeed(), { ...props, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 })
 *   return <td>{entry?.price ?? '–'}</td>
 * }
 * ```
 * @throws Error outside an `OddsFeedProvider`.
 */
export function useOddsFeed(): OddsFeed {
  const feed = useContext(FeedContext)
  if (!feed) throw new Error('useOddsFeed() needs an <OddsFeedProvider feed={...}> above it')
  return feed
}
