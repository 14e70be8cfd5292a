/**
 * Runs in Chromium (project core-browser): worker mode with a real dedicated `Worker` and a
 * real `SharedWorker` (every tab of an origin shares its one socket).
 */
import { filter, firstValueFrom } from 'rxjs'
import { describe, expect, inject, it } from 'vitest'
import { connectOddsFeed } from './connect.js'

const base = inject('wsBase')

describe('worker mode in a real browser', () => {
  it('a dedicated Worker runs the socket and answers select and board$', async () => {
    const worker = new Worker(new URL('../test-support/feed-worker.ts', import.meta.url), {
      type: 'module',
      name: `${base}/worker-dedicated`,
    })
    const feed = connectOddsFeed(worker)
    const fixture = await firstValueFrom(feed.select({ fixtureId: 'W' }).pipe(filter(Boolean)))
    expect(fixture.statusId).toBe(1)
    const status = await firstValueFrom(feed.status$.pipe(filter((s) => s.state === 'open')))
    expect(status.url).toBe(`${base}/worker-dedicated`)
    const board = await firstValueFrom(feed.board$().pipe(filter((b) => b.has('W'))))
    expect(board.get('W')?.statusId).toBe(1)
    expect(Object.isFrozen(board.get('W'))).toBe(true)
    feed.close()
    worker.terminate()
  })

  it('two pages of one SharedWorker share one socket', async () => {
    const options = { type: 'module', name: `${base}/worker-shared` } as const
    const url = new URL('../test-support/feed-worker.ts', import.meta.url)
    const a = connectOddsFeed(new SharedWorker(url, options))
    const b = connectOddsFeed(new SharedWorker(url, options))
    const first = await firstValueFrom(a.select({ fixtureId: 'W' }).pipe(filter(Boolean)))
    const second = await firstValueFrom(b.select({ fixtureId: 'W' }).pipe(filter(Boolean)))
    // the server numbers its connections: both pages see the first and only one
    expect(first.statusId).toBe(1)
    expect(second.statusId).toBe(1)
    a.close()
    b.close()
  })
})
