/**
 * Snapshot calls against a real HTTP server on 127.0.0.1 that misbehaves: hangs, trickles its
 * body, or sends far more than a fixture. The call is bounded in time and in bytes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { filter, firstValueFrom } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import type { FeedError } from './errors.js'
import { createOddsFeed, type OddsFeed } from './feed.js'
import type { FixtureSync, SnapshotOptions } from './snapshot.js'

const KEY = 'limits-key-52e7'
const MiB = 1024 * 1024
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

interface Upstream {
  baseUrl: string
  calls: string[]
  close(): Promise<void>
}

/** `handle` answers each call however it likes (or never); `n` counts calls per fixture. */
async function startUpstream(
  handle: (fixtureId: string, n: number, req: IncomingMessage, res: ServerResponse) => void,
): Promise<Upstream> {
  const calls: string[] = []
  const server = createServer((req, res) => {
    const fixtureId = new URL(req.url ?? '/', 'http://x').searchParams.get('fixtureId') ?? ''
    calls.push(fixtureId)
    handle(fixtureId, calls.filter((id) => id === fixtureId).length, req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

const fixture = (fixtureId: string) => JSON.stringify({ fixtureId, statusId: 1 })
const answer = (res: ServerResponse, fixtureId: string) => {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(fixture(fixtureId))
}

/** Writes `total` bytes of a valid fixture (a long `padding` string), honouring backpressure. */
function stream(res: ServerResponse, fixtureId: string, total: number, sent: { bytes: number }) {
  const head = `{"fixtureId":"${fixtureId}","statusId":1,"padding":"`
  const tail = '"}'
  const chunk = 'x'.repeat(64 * 1024)
  let left = total - head.length - tail.length
  res.write(head)
  sent.bytes += head.length
  const pump = () => {
    while (left > 0) {
      if (res.destroyed) return
      const part = left >= chunk.length ? chunk : chunk.slice(0, left)
      left -= part.length
      sent.bytes += part.length
      if (!res.write(part)) {
        res.once('drain', pump)
        return
      }
    }
    res.end(tail)
    sent.bytes += tail.length
  }
  pump()
}

let upstream: Upstream | undefined
let feed: OddsFeed | undefined
afterEach(async () => {
  feed?.close()
  feed = undefined
  await upstream?.close()
  upstream = undefined
})

function open(snapshot: Partial<SnapshotOptions>) {
  feed = createOddsFeed({
    apiKey: KEY,
    autoConnect: false,
    batch: 'sync',
    snapshot: { baseUrl: upstream!.baseUrl, cooldownMs: 10, retryDelayMs: 20, ...snapshot },
  })
  const errors: FeedError[] = []
  feed.errors$.subscribe((e) => errors.push(e))
  return { f: feed, errors }
}
const settled = (f: OddsFeed, id: string, state: FixtureSync['state']) =>
  firstValueFrom(
    f
      .sync$(id)
      .pipe(filter((s) => s.state === state && (state !== 'unhydrated' || s.error !== undefined))),
  )

describe('snapshot.timeoutMs', () => {
  it('aborts a call that never answers, goes on with the queue, and retries it', async () => {
    upstream = await startUpstream((id, n, _req, res) => {
      if (id === 'H' && n === 1) return // never answers
      answer(res, id)
    })
    const { f, errors } = open({ timeoutMs: 300 })
    f.select({ fixtureId: 'H' }).subscribe()
    f.select({ fixtureId: 'G' }).subscribe()
    await settled(f, 'G', 'live') // the queue went on past the hung call
    await settled(f, 'H', 'live') // and the hung fixture was retried
    const timeout = errors.find((e) => e.fixtureId === 'H')
    expect(timeout?.kind).toBe('snapshot')
    expect(timeout?.message).toMatch(/timed out after 300 ms/)
    expect(upstream.calls).toEqual(['H', 'G', 'H'])
    expect(JSON.stringify(errors.map((e) => [e.message, e.raw]))).not.toContain(KEY)
  }, 30_000)

  it('covers the body: one that trickles forever is aborted too', async () => {
    upstream = await startUpstream((id, n, _req, res) => {
      if (id !== 'T' || n > 1) return answer(res, id)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"fixtureId":"T",')
      const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write(' ')), 20)
      res.on('close', () => clearInterval(timer))
    })
    const { f, errors } = open({ timeoutMs: 400 })
    f.select({ fixtureId: 'T' }).subscribe()
    f.select({ fixtureId: 'G' }).subscribe()
    await settled(f, 'G', 'live')
    await settled(f, 'T', 'live')
    expect(errors.find((e) => e.fixtureId === 'T')?.message).toMatch(/timed out after 400 ms/)
  }, 30_000)
})

describe('snapshot.maxBytes', () => {
  it('refuses a body whose Content-Length is over the cap, stores nothing', async () => {
    const sent = { bytes: 0 }
    const total = 32 * MiB
    upstream = await startUpstream((id, _n, _req, res) => {
      if (id !== 'L') return answer(res, id)
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(total) })
      stream(res, id, total, sent)
    })
    const { f, errors } = open({ maxBytes: MiB })
    f.select({ fixtureId: 'L' }).subscribe()
    const sync = await settled(f, 'L', 'unhydrated')
    expect(sync.error?.kind).toBe('snapshot')
    expect(sync.error?.message).toMatch(/more than 1048576 bytes/)
    expect(errors.map((e) => e.fixtureId)).toEqual(['L'])
    expect(f.get({ fixtureId: 'L' })).toBeUndefined()
    await sleep(200)
    expect(sent.bytes).toBeLessThan(total / 2) // the download was cancelled, not read through
    expect(upstream.calls).toEqual(['L']) // the same call would be as large: not retried
  }, 30_000)

  it('counts a body without Content-Length as it streams and cancels it past the cap', async () => {
    const sent = { bytes: 0 }
    const total = 32 * MiB
    upstream = await startUpstream((id, _n, _req, res) => {
      if (id !== 'S') return answer(res, id)
      res.writeHead(200, { 'content-type': 'application/json' }) // chunked
      stream(res, id, total, sent)
    })
    const { f } = open({ maxBytes: MiB })
    f.select({ fixtureId: 'S' }).subscribe()
    f.select({ fixtureId: 'G' }).subscribe()
    const sync = await settled(f, 'S', 'unhydrated')
    expect(sync.error?.message).toMatch(/more than 1048576 bytes/)
    expect(f.get({ fixtureId: 'S' })).toBeUndefined()
    await settled(f, 'G', 'live')
    await sleep(200)
    expect(sent.bytes).toBeLessThan(total / 2)
  }, 30_000)

  it('takes a body just under the cap', async () => {
    upstream = await startUpstream((id, _n, _req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      stream(res, id, MiB - 10, { bytes: 0 })
    })
    const { f } = open({ maxBytes: MiB })
    f.select({ fixtureId: 'U' }).subscribe()
    await settled(f, 'U', 'live')
    expect((f.get({ fixtureId: 'U' }) as { padding?: string }).padding?.length).toBeGreaterThan(
      MiB - 100,
    )
  }, 30_000)
})

describe('with a FetchLike of its own (no body stream, signal ignored)', () => {
  const custom =
    (text: () => Promise<string>): SnapshotOptions['fetch'] =>
    () =>
      Promise.resolve({ status: 200, headers: { get: () => null }, text })

  it('measures text() against maxBytes', async () => {
    const big = JSON.stringify({ fixtureId: 'C', statusId: 1, padding: 'é'.repeat(600_000) })
    feed = createOddsFeed({
      autoConnect: false,
      snapshot: { fetch: custom(() => Promise.resolve(big)), maxBytes: MiB },
    })
    const sync = await settled(feed, 'C', 'unhydrated') // 1.2 MB of UTF-8 in 0.6 M characters
    expect(sync.error?.message).toMatch(/more than 1048576 bytes/)
    expect(feed.get({ fixtureId: 'C' })).toBeUndefined()
  })

  it('times out a fetch that ignores its signal', async () => {
    feed = createOddsFeed({
      autoConnect: false,
      snapshot: { fetch: () => new Promise(() => {}), timeoutMs: 100, maxAttempts: 1 },
    })
    const sync = await settled(feed, 'N', 'unhydrated')
    expect(sync.error?.message).toMatch(/timed out after 100 ms/)
  })
})
