/** Runs in Chromium (project core-browser): the same SDK over the browser's native WebSocket. */
import { filter, firstValueFrom } from 'rxjs'
import { describe, expect, inject, it } from 'vitest'
import { createOddsFeed } from './feed.js'

const base = inject('wsBase')

describe('in a real browser', () => {
  it('runs on the native WebSocket (isomorphic-ws resolves to it)', async () => {
    expect(typeof window).toBe('object')
    const { default: WS } = await import('isomorphic-ws')
    expect(WS).toBe(globalThis.WebSocket)
  })

  it('receives text and binary frames and publishes them to selectors', async () => {
    const feed = createOddsFeed({ url: `${base}/feed`, apiKey: 'browser-key' })
    const t = firstValueFrom(feed.select({ fixtureId: 'T' }).pipe(filter(Boolean)))
    const b = firstValueFrom(feed.select({ fixtureId: 'B' }).pipe(filter(Boolean)))
    expect((await t).statusId).toBe(1)
    expect((await b).statusId).toBe(2)
    const status = await firstValueFrom(feed.status$)
    expect(status.state).toBe('open')
    expect(status.url).toBe(`${base}/feed?apiKey=***`)
    feed.close()
  })

  it('reconnects after the server drops the connection', async () => {
    const feed = createOddsFeed({
      url: `${base}/drop`,
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
    })
    const states: string[] = []
    feed.status$.subscribe((s) => states.push(s.state))
    const second = await firstValueFrom(
      feed.select({ fixtureId: 'D' }).pipe(filter((f) => (f?.statusId ?? 0) >= 2)),
    )
    expect(second?.statusId).toBe(2)
    expect(states).toContain('reconnecting')
    expect(states.at(-1)).toBe('open')
    feed.close()
  })

  it('retries at once when the browser comes back online', async () => {
    const feed = createOddsFeed({
      url: `${base}/online`,
      reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
    })
    await firstValueFrom(feed.select({ fixtureId: 'D' }).pipe(filter((f) => f?.statusId === 1)))
    // the server drops us; the next attempt is up to a minute away
    const waiting = await firstValueFrom(
      feed.status$.pipe(filter((s) => s.state === 'reconnecting')),
    )
    // full jitter draws in [0, 60 s): below 100 ms (p < 0.002) there is nothing to prove
    if ((waiting.retryInMs ?? 0) < 100) return feed.close()
    window.dispatchEvent(new Event('online'))
    const second = await firstValueFrom(
      feed.select({ fixtureId: 'D' }).pipe(filter((f) => (f?.statusId ?? 0) >= 2)),
    )
    expect(second?.statusId).toBe(2)
    feed.close()
  })

  it('reports stale and reconnects when the server goes silent', async () => {
    const feed = createOddsFeed({ url: `${base}/silent`, idleTimeoutMs: 150 })
    const stale = await firstValueFrom(feed.errors$.pipe(filter((e) => e.kind === 'stale')))
    expect(stale.message).toMatch(/No frame for/)
    await firstValueFrom(feed.status$.pipe(filter((s) => s.state === 'reconnecting')))
    feed.close()
  })
})
