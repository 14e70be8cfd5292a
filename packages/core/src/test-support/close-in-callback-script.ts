/**
 * Child process for the "exits by itself" tests: `close()` from inside one callback (`CLOSE_ON`:
 * `open`, `reconnecting`, `stale`, `transport`, `select`), then nothing: the process must exit.
 */
import { createOddsFeed } from '../index.js'

const on = process.env.CLOSE_ON
const feed = createOddsFeed({
  url: process.env.FEED_URL,
  apiKey: process.env.FEED_KEY,
  idleTimeoutMs: on === 'stale' ? 200 : 60_000,
  reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
})
const close = (why: string) => {
  console.log(`closing on ${why}`)
  feed.close()
}
feed.status$.subscribe((s) => {
  if (s.state === on) close(s.state)
})
feed.errors$.subscribe((e) => {
  if (e.kind === on) close(e.kind)
})
feed.select({ fixtureId: 'A' }).subscribe((fixture) => {
  if (on === 'select' && fixture) close('select')
})
