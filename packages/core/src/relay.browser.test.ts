/**
 * Runs in Chromium (project core-browser): the core's relay mode over the browser's native
 * WebSocket against a real `@oddsfeed/relay` (memory mode) in front of the simulator, both
 * started by the project's global setup (`packages/relay/src/test-support/core-browser-setup.ts`).
 * The page holds a token, never the API key, and makes no REST call: the relay's snapshot
 * hydrates it.
 */
import { filter, firstValueFrom } from 'rxjs'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { createOddsFeed, type OddsFeed } from './feed.js'
import type { FixtureSync } from './snapshot.js'

const relayUrl = inject('relayUrl')
const relayToken = inject('relayToken')
const control = inject('relayControl')

interface EntryPath {
  fixtureId: string
  bookmaker: string
  marketId: string
  outcomeId: string
  playerId: string
}

/** The page's own fetch, kept for the control server; every other call is recorded. */
const pageFetch = globalThis.fetch
const restCalls: string[] = []
const call = async <T>(path: string, body?: string): Promise<T> => {
  const response = await pageFetch(`${control}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    // text/plain: a simple request, no CORS preflight
    ...(body !== undefined && { body, headers: { 'content-type': 'text/plain' } }),
  })
  if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

let feed: OddsFeed | undefined
beforeEach(() => {
  restCalls.length = 0
  globalThis.fetch = (input, init) => {
    restCalls.push(input instanceof Request ? input.url : String(input))
    return pageFetch(input, init)
  }
})
afterEach(() => {
  globalThis.fetch = pageFetch
  feed?.close()
  feed = undefined
})

describe('relay mode in a real browser (oddsfeed.relay.v1 against @oddsfeed/relay)', () => {
  it('goes live from a snapshot, follows moved prices, ends at the REST state', async () => {
    const { fixtureId, path } = await call<{ fixtureId: string; path: EntryPath }>('/fixture')
    let tokenCalls = 0
    feed = createOddsFeed({
      url: relayUrl,
      // an app would fetch it from its backend before every (re)connect
      token: async () => {
        tokenCalls++
        return relayToken
      },
      protocol: 'relay',
    })
    const syncStates: FixtureSync['state'][] = []
    feed.sync$(fixtureId).subscribe((s) => syncStates.push(s.state))
    const prices: number[] = []
    feed.select(path).subscribe((entry) => {
      if (entry) prices.push(entry.price)
    })

    // live from the relay's snapshot: the simulator sends no frame (rate 0), the page no REST call
    await firstValueFrom(feed.sync$(fixtureId).pipe(filter((s) => s.state === 'live')))
    expect(syncStates).toContain('hydrating')
    const snapshot = await call<{ state: unknown; truth: unknown }>(
      '/compare',
      JSON.stringify(feed.get({ fixtureId })),
    )
    expect(snapshot.state).toEqual(snapshot.truth)
    expect(prices.length).toBeGreaterThan(0)

    // prices moved at the simulator reach the select through the relay, in order
    for (let i = 0; i < 3; i++) {
      const before = feed.get(path)?.price
      const { price } = await call<{ price: number }>('/move', '')
      expect(typeof price).toBe('number')
      expect(price).not.toBe(before)
      const seen = await firstValueFrom(
        feed.select(path).pipe(filter((entry) => entry?.price === price)),
      )
      expect(seen?.price).toBe(price)
    }
    expect(prices.at(-1)).toBe(feed.get(path)?.price)

    const end = await call<{ state: unknown; truth: unknown }>(
      '/compare',
      JSON.stringify(feed.get({ fixtureId })),
    )
    expect(end.state).toEqual(end.truth)
    expect(syncStates.at(-1)).toBe('live')
    expect(restCalls).toEqual([])
    expect(tokenCalls).toBe(1)
    const status = await firstValueFrom(feed.status$)
    expect(status.state).toBe('open')
    expect(status.url).not.toContain(relayToken)
  })
})
