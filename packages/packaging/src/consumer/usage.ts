// A consumer of the published packages, type-checked in a fresh npm project (never in the
// workspace) under `strict` + `exactOptionalPropertyTypes`, with `moduleResolution` `bundler`
// and `nodenext`.
import { createOddsFeed, extra, type Player, type SelectPath } from '@oddsfeed/core'
import { toStore } from '@oddsfeed/core/svelte'
import { useObservable } from '@oddsfeed/core/vue'
import { toReadable } from '@oddsfeed/node'
import { startSimulator } from '@oddsfeed/simulator'

// The README's first line: an env value is `string | undefined`.
const feed = createOddsFeed({
  apiKey: process.env.ODDSPAPI_API_KEY,
  url: process.env.FEED_URL,
  // the platform's fetch fits the snapshot's FetchLike (body chunks end with `value: undefined`)
  snapshot: { baseUrl: process.env.REST_URL, fetch: globalThis.fetch },
})

const path = {
  fixtureId: 'id1001509158796975',
  bookmaker: 'pinnacle',
  marketId: 101,
  outcomeId: 101,
  playerId: 0,
} as const
feed.select(path).subscribe((entry: Player | undefined) => {
  const price: number | undefined = entry?.price
  const unlisted: unknown = entry && extra(entry).bookmakerOutcomeId
  void price
  void unlisted
})
// @ts-expect-error a misspelt path field is a type error
feed.select({ fixtureId: 'x', bookmaker: 'pinnacle', marketID: 101 })
// @ts-expect-error a misspelt entry field is a type error
feed.get(path)?.pricee
const any: SelectPath = { fixtureId: 'x' }
feed.get(any)

const store = toStore(feed.select(path))
store.subscribe((entry) => entry?.price)()
const ref = useObservable(feed.status$)
const state: string | undefined = ref.value?.state
void state
ref.stop()

const readable = toReadable(feed.frames$, { mode: 'ndjson', highWaterMark: undefined })
readable.destroy()

export async function withSimulator(): Promise<void> {
  const sim = await startSimulator({ port: 0, seed: process.env.SEED })
  await sim.stop()
  feed.close()
}
