// A React consumer of @oddsfeed/react, type-checked against the published declarations.
import { createOddsFeed } from '@oddsfeed/core'
import {
  OddsFeedProvider,
  useFeedStatus,
  useMarket,
  useOddsFeed,
  useSelect,
  useSync,
} from '@oddsfeed/react'

const feed = createOddsFeed({ apiKey: process.env.ODDSPAPI_API_KEY })

function Cell({ fixtureId }: { fixtureId: string }) {
  const own = useOddsFeed()
  const entry = useSelect(own, {
    fixtureId,
    bookmaker: 'pinnacle',
    marketId: 101,
    outcomeId: 101,
    playerId: 0,
  })
  const view = useMarket(own, { fixtureId, marketId: 101, playerId: undefined })
  const { state } = useSync(own, fixtureId)
  // @ts-expect-error a misspelt path field is a type error in the hook too
  useSelect(own, { fixtureId, bookmaker: 'pinnacle', marketID: 101 })
  return (
    <td data-sync={state} data-best={view.bestBook}>
      {entry ? entry.price.toFixed(2) : '–'}
    </td>
  )
}

export function App() {
  const status = useFeedStatus(feed)
  return (
    <OddsFeedProvider feed={feed}>
      <p>{status.state}</p>
      <Cell fixtureId="id1001509158796975" />
    </OddsFeedProvider>
  )
}
