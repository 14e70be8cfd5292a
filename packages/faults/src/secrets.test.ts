/**
 * The key never shows, against a simulator that echoes it back: in close reasons (as received,
 * as the SDK wrote it in the URL, JSON-escaped) and in REST error bodies (raw, as written,
 * JSON-escaped); and a short key leaves unrelated words readable.
 */
import { createServer } from 'node:net'
import { createOddsFeed, type FeedError, type FeedStatus, type OddsFeed } from '@oddsfeed/core'
import { type Simulator, startSimulator } from '@oddsfeed/simulator'
import { filter, firstValueFrom, timeout } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import {
  capturingConsole,
  KEY,
  keySpellings,
  leaks,
  type Run,
  settled,
  startRun,
} from './harness.js'

let run: Run | undefined
let feed: OddsFeed | undefined
let sim: Simulator | undefined
afterEach(async () => {
  await run?.close()
  feed?.close()
  await sim?.stop()
  run = feed = sim = undefined
})

const until = async (check: () => boolean, what: string, ms = 30_000) => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const { port } = server.address() as { port: number }
  await new Promise<void>((r) => server.close(() => r()))
  return port
}

describe('the key in every spelling never shows', () => {
  it('a hostile key echoed in close reasons, REST error bodies, fixture ids and paths', async () => {
    run = await startRun({ restFailEvery: 3 })
    await settled(run)
    run.sim.setRate(200)
    // three clean drops: the reasons echo the key as received, as written in the URL, JSON-escaped
    for (let n = 1; n <= 3; n++) {
      const before = run.errors.length
      run.sim.dropConnections()
      await until(
        () => run!.errors.slice(before).some((e) => e.message.includes('connection dropped')),
        'the drop',
      )
      await settled(run)
    }
    // frames that carry the key where a field's value or path is quoted
    const json = JSON.stringify(KEY)
    run.sim.broadcast(`{"fixtureId":${json},"statusId":"one"}`)
    run.sim.broadcast(`{"fixtureId":"f1","bookmakerOdds":{${json}:{"markets":5}}}`)
    run.sim.broadcast(`{"fixtureId":"f2","note":${json},"bookmakerOdds":7`)
    await until(() => run!.errors.filter((e) => e.kind === 'schema').length >= 2, 'schema errors')
    await until(() => run!.errors.some((e) => e.kind === 'parse'), 'the parse error')

    // the echoes happened, and came out masked
    const dropped = run.errors.filter((e) => e.message.includes('connection dropped, key'))
    expect(dropped.map((e) => e.message)).toEqual(
      Array(3).fill('Connection closed (code 1001, simulator: connection dropped, key ***)'),
    )
    expect(run.sim.stats().restFailed).toBeGreaterThanOrEqual(2)
    const rest = run.errors.filter((e) => e.kind === 'snapshot' && e.raw?.includes('for key'))
    expect(rest.some((e) => e.status === 500 && e.raw?.includes('key *** (sent as ***)'))).toBe(
      true,
    )
    expect(rest.some((e) => e.status === 400 && e.raw?.includes('for key ***"'))).toBe(true)
    const schema = run.errors.filter((e) => e.kind === 'schema')
    expect(schema.some((e) => e.fixtureId === '***')).toBe(true)
    expect(schema.some((e) => e.path === 'bookmakerOdds.***.markets')).toBe(true)
    expect(run.errors.some((e) => e.kind === 'parse' && e.raw?.includes('"note":"***"'))).toBe(true)
    const withError = run.statuses.filter((s) => s.error?.message.includes('dropped, key ***'))
    expect(withError.length).toBeGreaterThanOrEqual(3)

    // and nowhere, in no spelling, in no field, status or log line
    expect(run.logs.some((l) => l.includes('[stack]') || l.includes('    at '))).toBe(true)
    expect(leaks(run, KEY)).toEqual([])
  }, 120_000)

  it('the checks can fail: a leak in a status error message or a log line is found', () => {
    const error = new Error('x') as FeedError
    const spelled = keySpellings(KEY)
    expect(spelled.length).toBeGreaterThanOrEqual(5)
    for (const spelling of spelled) {
      const status = {
        state: 'closed',
        attempt: 1,
        url: 'ws://h/v4/ws?apiKey=***',
        error: Object.assign(new Error(`closed: ${spelling}`), { kind: 'transport' }),
      } as unknown as FeedStatus
      // JSON.stringify(status) would not show it: an Error's message is not serialized
      expect(JSON.stringify(status)).not.toContain(spelling)
      expect(leaks({ errors: [], statuses: [status], logs: [] }, KEY).length).toBeGreaterThan(0)
      expect(
        leaks({ errors: [], statuses: [], logs: [`oddsfeed: ${spelling}`] }, KEY),
      ).toHaveLength(1)
      const withCause = Object.assign(new Error('outer', { cause: new Error(spelling) }), {
        kind: 'transport',
      }) as unknown as FeedError
      expect(leaks({ errors: [withCause], statuses: [], logs: [] }, KEY).length).toBeGreaterThan(0)
    }
    const lines: string[] = []
    capturingConsole(lines).error(Object.assign(error, { path: `a.${KEY}.b` }))
    expect(leaks({ errors: [], statuses: [], logs: lines }, KEY).length).toBeGreaterThan(0)
  })
})

describe('a short key is masked as a value, not inside other words', () => {
  it("apiKey 'e' against a transport error: the message stays readable", async () => {
    const port = await closedPort()
    feed = createOddsFeed({
      url: `ws://127.0.0.1:${port}/v4/ws`,
      apiKey: 'e',
      reconnect: { initialDelayMs: 50, maxDelayMs: 100, maxAttempts: 1 },
    })
    const errors: FeedError[] = []
    feed.errors$.subscribe((e) => errors.push(e))
    const closed = await firstValueFrom(
      feed.status$.pipe(
        filter((s) => s.state === 'closed'),
        timeout(30_000),
      ),
    )
    expect(errors.length).toBeGreaterThan(0)
    for (const error of [...errors, closed.error]) {
      expect(error?.message).toMatch(/^WebSocket error: connect ECONNREFUSED 127\.0\.0\.1:\d+$/)
    }
    expect(closed.url).toBe(`ws://127.0.0.1:${port}/v4/ws?apiKey=***`)
  }, 60_000)

  it.each(['e', '1', 'ock'])(
    'apiKey %j: a dropped connection says so readably, and the echoed key is masked',
    async (key) => {
      sim = await startSimulator({ port: 0, apiKey: key, rate: 0, echoKey: true })
      feed = createOddsFeed({
        url: sim.url,
        apiKey: key,
        reconnect: { initialDelayMs: 50, maxDelayMs: 100 },
      })
      const errors: FeedError[] = []
      feed.errors$.subscribe((e) => errors.push(e))
      await firstValueFrom(feed.status$.pipe(filter((s) => s.state === 'open')))
      sim.dropConnections()
      await until(() => errors.length > 0, 'the drop')
      expect(errors[0]?.message).toBe(
        'Connection closed (code 1001, simulator: connection dropped, key ***)',
      )
      await firstValueFrom(feed.status$.pipe(filter((s) => s.state === 'open')))
      const status = await firstValueFrom(feed.status$)
      expect(status.url).toBe(`${sim.url}?apiKey=***`)
    },
    60_000,
  )
})
