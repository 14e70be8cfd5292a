import { filter, firstValueFrom, take, toArray } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import type { FeedError } from './errors.js'
import { createOddsFeed, type OddsFeed, type OddsFeedOptions } from './feed.js'
import { startTestServer, type TestServer } from './test-support/ws-server.js'
import type { FeedStatus } from './transport.js'

const API_KEY = 'test-key-7f3a9c'
const frame = (fixtureId: string, statusId: number) => JSON.stringify({ fixtureId, statusId })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let server: TestServer | undefined
let feed: OddsFeed | undefined
afterEach(async () => {
  feed?.close()
  feed = undefined
  await server?.close()
  server = undefined
})

function open(options: OddsFeedOptions = {}): OddsFeed {
  feed = createOddsFeed({
    apiKey: API_KEY,
    url: server!.url,
    reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    ...options,
  })
  return feed
}

const status = (f: OddsFeed, state: FeedStatus['state']) =>
  firstValueFrom(f.status$.pipe(filter((s) => s.state === state)))

describe('transport against a real ws server on 127.0.0.1', () => {
  it('connects lazily, once, on the first subscription', async () => {
    server = await startTestServer({ apiKey: API_KEY })
    const f = open()
    await sleep(50)
    expect(server.handshakes).toBe(0)
    const seen: Array<number | null | undefined> = []
    f.select({ fixtureId: 'A' }).subscribe((fx) => seen.push(fx?.statusId))
    f.select({ fixtureId: 'B' }).subscribe()
    f.fixtures$.subscribe()
    const ws = await server.nthConnection(1)
    ws.send(frame('A', 1))
    ws.send(frame('A', 2))
    await firstValueFrom(f.select({ fixtureId: 'A' }).pipe(filter((fx) => fx?.statusId === 2)))
    expect(server.handshakes).toBe(1)
    expect(seen).toContain(2)
  })

  it('decodes binary frames as UTF-8', async () => {
    server = await startTestServer({ apiKey: API_KEY })
    const f = open()
    const first = firstValueFrom(f.frames$)
    const ws = await server.nthConnection(1)
    ws.send(Buffer.from(frame('bin', 1)))
    expect((await first).fixtureId).toBe('bin')
  })

  for (const mode of ['clean', 'abrupt'] as const) {
    it(`reconnects after a ${mode} close and goes on`, async () => {
      server = await startTestServer({ apiKey: API_KEY })
      const f = open()
      const states: FeedStatus[] = []
      const errors: FeedError[] = []
      f.status$.subscribe((s) => states.push(s))
      f.errors$.subscribe((e) => errors.push(e))
      const ws1 = await server.nthConnection(1)
      ws1.send(frame('A', 0))
      await sleep(20)
      if (mode === 'clean') ws1.close(1001, 'going away')
      else ws1.terminate()
      const ws2 = await server.nthConnection(2)
      ws2.send(frame('A', 1))
      await firstValueFrom(f.select({ fixtureId: 'A' }).pipe(filter((fx) => fx?.statusId === 1)))
      const seq = states.map((s) => s.state)
      // subscribing opens the socket, so the replayed status is already `connecting`
      expect(seq.slice(0, 2)).toEqual(['connecting', 'open'])
      expect(seq).toContain('reconnecting')
      expect(seq.at(-1)).toBe('open')
      const reconnecting = states.find((s) => s.state === 'reconnecting')
      expect(reconnecting?.attempt).toBe(1)
      expect(reconnecting?.retryInMs).toBeGreaterThanOrEqual(0)
      expect(reconnecting?.retryInMs).toBeLessThan(20)
      expect(errors.map((e) => e.kind)).toContain('transport')
      expect(JSON.stringify([states, errors.map((e) => e.message)])).not.toContain(API_KEY)
    })
  }

  it('backs off with growing ceilings while the server is down, then recovers', async () => {
    server = await startTestServer({ refuseWith: 503 })
    const f = open({ reconnect: { initialDelayMs: 10, maxDelayMs: 40 } })
    const retries = firstValueFrom(
      f.status$.pipe(
        filter((s) => s.state === 'reconnecting'),
        take(5),
        toArray(),
      ),
    )
    const seen = await retries
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3, 4, 5])
    // full jitter: each delay lies under its ceiling min(max, initial * 2^(n-1))
    seen.forEach((s, i) => {
      expect(s.retryInMs).toBeLessThan(Math.min(40, 10 * 2 ** i))
    })
    expect(seen[0]?.error?.message).toContain('503')
  })

  it('gives up after maxAttempts with status closed', async () => {
    server = await startTestServer({ refuseWith: 500 })
    const f = open({ reconnect: { initialDelayMs: 5, maxDelayMs: 10, maxAttempts: 2 } })
    const closed = await status(f, 'closed')
    expect(closed.error?.kind).toBe('transport')
    expect(server.handshakes).toBe(3)
  })

  it('treats a 401 handshake as fatal: auth error, closed, no retry', async () => {
    server = await startTestServer({ apiKey: 'the-right-key' })
    const f = open()
    const errors: FeedError[] = []
    f.errors$.subscribe((e) => errors.push(e))
    const closed = await status(f, 'closed')
    await sleep(150)
    expect(closed.error?.kind).toBe('auth')
    expect(closed.error?.status).toBe(401)
    expect(errors.map((e) => e.kind)).toEqual(['auth'])
    expect(server.handshakes).toBe(1)
    expect(JSON.stringify([closed, errors.map((e) => [e.message, e.stack])])).not.toContain(API_KEY)
  })

  it('treats 403 the same way', async () => {
    server = await startTestServer({ refuseWith: 403 })
    const closed = await status(open(), 'closed')
    expect(closed.error?.kind).toBe('auth')
  })

  it('reports stale and reconnects when nothing arrives for idleTimeoutMs', async () => {
    server = await startTestServer({ apiKey: API_KEY })
    const f = open({ idleTimeoutMs: 150 })
    const stale = firstValueFrom(f.errors$.pipe(filter((e) => e.kind === 'stale')))
    f.connect()
    await server.nthConnection(1) // and then says nothing
    expect((await stale).message).toMatch(/No frame for \d+ ms/)
    const ws2 = await server.nthConnection(2)
    ws2.send(frame('A', 3))
    await firstValueFrom(f.select({ fixtureId: 'A' }).pipe(filter((fx) => fx?.statusId === 3)))
  })

  it('keepalives count as life: no stale while they keep coming', async () => {
    server = await startTestServer({ apiKey: API_KEY })
    const f = open({ idleTimeoutMs: 150 })
    const errors: FeedError[] = []
    f.errors$.subscribe((e) => errors.push(e))
    const ws = await server.nthConnection(1)
    const timer = setInterval(() => ws.send('keepalive'), 40)
    await sleep(600)
    clearInterval(timer)
    expect(errors).toEqual([])
    expect(server.handshakes).toBe(1)
  })

  it('close() leaves no timer or socket behind', async () => {
    server = await startTestServer({ apiKey: API_KEY })
    const baseline = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    const f = open({ idleTimeoutMs: 1000 })
    f.connect()
    const ws = await server.nthConnection(1)
    ws.send(frame('A', 1))
    await firstValueFrom(f.select({ fixtureId: 'A' }).pipe(filter(Boolean)))
    const closedOnServer = new Promise((resolve) => ws.once('close', resolve))
    f.close()
    await closedOnServer
    await sleep(20)
    const timers = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    expect(timers).toBeLessThanOrEqual(baseline)
    expect((await firstValueFrom(f.status$)).state).toBe('closed')
  })

  it('close() while reconnecting cancels the retry', async () => {
    server = await startTestServer({ refuseWith: 500 })
    const f = open({ reconnect: { initialDelayMs: 200, maxDelayMs: 200 } })
    await status(f, 'reconnecting')
    const before = server.handshakes
    f.close()
    await sleep(300)
    expect(server.handshakes).toBe(before)
  })
})

describe('a Node script', () => {
  it('exits by itself after close(): no timer or socket left behind', async () => {
    const { spawn } = await import('node:child_process')
    const { fileURLToPath } = await import('node:url')
    server = await startTestServer({ apiKey: API_KEY })
    const script = fileURLToPath(new URL('./test-support/close-script.ts', import.meta.url))
    const child = spawn(
      process.execPath,
      ['--conditions=@oddsfeed/source', '--import', 'tsx', script],
      { env: { ...process.env, FEED_URL: server.url, FEED_KEY: API_KEY }, stdio: 'pipe' },
    )
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      out += d
    })
    const ws = await server.nthConnection(1)
    ws.send(frame('A', 7))
    const started = Date.now()
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        resolve(null)
      }, 20_000)
      child.on('exit', (c) => {
        clearTimeout(timer)
        resolve(c)
      })
    })
    expect(code, out).toBe(0)
    expect(out).toContain('statusId=7')
    expect(out).not.toContain(API_KEY)
    // idleTimeoutMs is 60 s in the script: exiting well before proves no timer kept it alive
    expect(Date.now() - started).toBeLessThan(15_000)
  }, 30_000)
})
