/** Child process for the "exits by itself" test: connect, read one frame, close, and return. */
import { filter, firstValueFrom } from 'rxjs'
import { createOddsFeed } from '../index.js'

const feed = createOddsFeed({
  url: process.env.FEED_URL,
  apiKey: process.env.FEED_KEY,
  idleTimeoutMs: 60_000,
})
const fixture = await firstValueFrom(feed.select({ fixtureId: 'A' }).pipe(filter(Boolean)))
console.log(`statusId=${fixture.statusId}`)
feed.close()
// nothing else: the process must exit on its own
