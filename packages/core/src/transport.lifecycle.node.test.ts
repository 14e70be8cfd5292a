/**
 * The connection's lifecycle against real servers on 127.0.0.1: `close()` is final from inside
 * any callback, and a handshake that never completes times out.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { firstValueFrom } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import type { FeedError } from './errors.js'
import { createOddsFeed, type OddsFeed, type OddsFeedOptions } from './feed.js'
import { startTestServer, type TestServer } from './test-support/ws-server.js'
import type { FeedStatus } from './transport.js'

const API_KEY = 'lifecycle-key-4c1d'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length

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
    reconnect: { initialDelayMs: 20, maxDelayMs: 40 },
    ...options,
  })
  return feed
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(10)
  }
}

type Site = 'open' | 'connecting' | 'reconnecting' | 'stale' | 'transport' | 'select'

/**
 * Closes the feed from inside the callback `site`, then checks that nothing happens any more:
 * no handshake, no timer, no callback, whatever the call stack was.
 */
async function closeFrom(site: Site) {
  server = await startTestServer(site === 'reconnecting' ? { refuseWith: 503 } : {})
  const baseline = timers()
  const f = open({ idleTimeoutMs: site === 'stale' ? 100 : 150, batch: 'sync' })
  let closedAt: number | undefined
  const late: string[] = []
  const close = () => {
    f.close()
    closedAt = server!.handshakes
  }
  f.status$.subscribe((s: FeedStatus) => {
    if (closedAt !== undefined) late.push(`status ${s.state}`)
    else if (s.state === site && (site !== 'connecting' || s.attempt > 0)) close()
  })
  f.errors$.subscribe((e: FeedError) => {
    if (closedAt !== undefined) late.push(`error ${e.kind}`)
    else if (e.kind === site) close()
  })
  f.select({ fixtureId: 'A' }).subscribe((fixture) => {
    if (closedAt !== undefined) late.push('select')
    else if (site === 'select' && fixture) close()
  })
  if (site === 'select') (await server.nthConnection(1)).send(JSON.stringify({ fixtureId: 'A' }))
  if (site === 'transport' || site === 'connecting') (await server.nthConnection(1)).terminate()
  await waitFor(() => closedAt !== undefined, `close() from ${site}`)
  // Long enough for a watchdog (idle 150 ms) or a retry (≤ 40 ms) to have fired many times.
  await sleep(500)
  expect(server.handshakes, 'handshakes after close()').toBe(closedAt)
  expect(late, 'callbacks after close()').toEqual([])
  expect(timers(), 'timers left').toBeLessThanOrEqual(baseline)
  expect((await firstValueFrom(f.status$, { defaultValue: undefined }))?.state ?? 'closed').toBe(
    'closed',
  )
}

describe('close() is final wherever it is called', () => {
  it('from a status$ subscriber on open', () => closeFrom('open'))
  it('from a status$ subscriber on connecting (a reconnect attempt)', () => closeFrom('connecting'))
  it('from a status$ subscriber on reconnecting', () => closeFrom('reconnecting'))
  it('from an errors$ subscriber on stale', () => closeFrom('stale'))
  it('from an errors$ subscriber on transport', () => closeFrom('transport'))
  it('from a select subscriber', () => closeFrom('select'))
})

describe('a Node script that closes from inside a callback', () => {
  it('exits by itself, whichever the callback', async () => {
    const { spawn } = await import('node:child_process')
    const { fileURLToPath } = await import('node:url')
    const script = fileURLToPath(
      new URL('./test-support/close-in-callback-script.ts', import.meta.url),
    )
    const run = async (on: string) => {
      const upstream = await startTestServer(on === 'reconnecting' ? { refuseWith: 503 } : {})
      if (on === 'select') {
        void upstream.nthConnection(1).then((ws) => ws.send(JSON.stringify({ fixtureId: 'A' })))
      }
      if (on === 'transport') void upstream.nthConnection(1).then((ws) => ws.terminate())
      const env = { ...process.env, FEED_URL: upstream.url, FEED_KEY: API_KEY, CLOSE_ON: on }
      const child = spawn(
        process.execPath,
        ['--conditions=@oddsfeed/source', '--import', 'tsx', script],
        { env, stdio: 'pipe' },
      )
      let out = ''
      child.stdout.on('data', (d) => {
        out += d
      })
      child.stderr.on('data', (d) => {
        out += d
      })
      // Without a timer or socket left, the script exits in well under this.
      const timer = setTimeout(() => child.kill('SIGKILL'), 25_000)
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
      clearTimeout(timer)
      await upstream.close()
      return { on, code, out }
    }
    const results = await Promise.all(
      ['open', 'reconnecting', 'stale', 'transport', 'select'].map(run),
    )
    for (const { on, code, out } of results) {
      expect(code, `${on}: ${out}`).toBe(0)
      expect(out).toContain(`closing on ${on}`)
      expect(out).not.toContain(API_KEY)
    }
  }, 120_000)
})

describe('handshake timeout', () => {
  let tcp: Server | undefined
  afterEach(async () => {
    await new Promise((resolve) => tcp?.close(resolve) ?? resolve(undefined))
    tcp = undefined
  })

  it('drops a handshake the server never answers, reports it and retries with backoff', async () => {
    // Accepts TCP, reads the upgrade request, never writes a byte.
    const sockets: Socket[] = []
    const closed: Socket[] = []
    tcp = createServer((socket) => {
      sockets.push(socket)
      socket.on('data', () => {})
      socket.on('close', () => closed.push(socket))
    })
    await new Promise<void>((resolve) => tcp!.listen(0, '127.0.0.1', resolve))
    const { port } = tcp.address() as { port: number }
    feed = createOddsFeed({
      apiKey: API_KEY,
      url: `ws://127.0.0.1:${port}/v4/ws`,
      connectTimeoutMs: 200,
      reconnect: { initialDelayMs: 20, maxDelayMs: 40 },
    })
    const errors: FeedError[] = []
    const states: FeedStatus[] = []
    feed.errors$.subscribe((e) => errors.push(e))
    feed.status$.subscribe((s) => states.push(s))
    await waitFor(() => sockets.length >= 3, 'two retries')
    expect(errors.length).toBeGreaterThanOrEqual(2)
    expect(errors[0]?.kind).toBe('transport')
    expect(errors[0]?.message).toMatch(/handshake.*200 ms/i)
    const first = states.find((s) => s.state === 'reconnecting')
    expect(first?.attempt).toBe(1)
    expect(first?.error?.kind).toBe('transport')
    expect(states.filter((s) => s.state === 'reconnecting').map((s) => s.attempt)).toEqual(
      expect.arrayContaining([1, 2]),
    )
    await waitFor(() => closed.includes(sockets[0]!), 'the first socket dropped')
    expect(JSON.stringify([states, errors.map((e) => e.message)])).not.toContain(API_KEY)
  })
})
