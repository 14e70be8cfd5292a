/**
 * The worker of the browser bench's worker mode: the feed runs here (socket, decode, merge),
 * loaded with the same board as the page mode, then served to the page.
 */
import { serveOddsFeed } from '@oddsfeed/core/worker'

const url = (globalThis as unknown as { name: string }).name
const feed = serveOddsFeed({ url, reconnect: false, idleTimeoutMs: false })
const board = (await (await fetch('/board.json')).json()) as string[]
for (const text of board) feed.ingest(text)
;(globalThis as unknown as { postMessage(m: unknown): void }).postMessage({
  boardLoaded: board.length,
})
