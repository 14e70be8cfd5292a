/** Runs in Node and in Chromium: the default fetch must work in both. */
import { filter, firstValueFrom } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { createOddsFeed } from './feed.js'

describe('snapshot with the platform fetch', () => {
  it('calls the global fetch unbound-safely (browsers throw "Illegal invocation" otherwise)', async () => {
    const original = globalThis.fetch
    const seen: string[] = []
    // A fetch that, like the browser's, insists on being called with the global as `this`.
    globalThis.fetch = function (this: unknown, input: RequestInfo | URL) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation')
      seen.push(String(input))
      const body = JSON.stringify({ fixtureId: 'G', statusId: 1 })
      return Promise.resolve(new Response(body, { status: 200 }))
    } as typeof fetch
    try {
      const feed = createOddsFeed({
        autoConnect: false,
        apiKey: 'k',
        snapshot: { baseUrl: 'http://127.0.0.1:9' },
      })
      const sync = await firstValueFrom(
        feed.sync$('G').pipe(filter((s) => s.state !== 'unhydrated' && s.state !== 'hydrating')),
      )
      expect(sync.state).toBe('live')
      expect(feed.get({ fixtureId: 'G' })?.statusId).toBe(1)
      expect(seen).toEqual(['http://127.0.0.1:9/v4/odds?fixtureId=G&apiKey=k'])
      feed.close()
    } finally {
      globalThis.fetch = original
    }
  })
})
