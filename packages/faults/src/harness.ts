/**
 * Ground-truth harness: a simulator and a feed on loopback, watched fixtures monitored for
 * out-of-order application, and the comparison with the simulator's REST state.
 */

import { Console } from 'node:console'
import { Writable } from 'node:stream'
import { inspect } from 'node:util'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import {
  createOddsFeed,
  type FeedError,
  type FeedStatus,
  type Fixture,
  type OddsFeed,
  type OddsFeedOptions,
  toEpochMicros,
} from '@oddsfeed/core'
import {
  normalizeForCompare,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '@oddsfeed/simulator'
import { combineLatest, filter, firstValueFrom, timeout } from 'rxjs'

/**
 * The key of every fault run: spaces, `+`, `&`, `%`, `~`, quotes, a backslash and unicode, so
 * that each of its spellings (raw, URL-encoded both ways, JSON-escaped) differs from the others.
 */
export const KEY = `fault key+&%~"q\\'ключ🔑5d2e`

/**
 * Every spelling of `key` that must never show: raw, `encodeURIComponent`, `URLSearchParams`
 * (form encoding, as the SDK writes it in its URLs), lowercase hex, JSON-escaped (also with
 * `\uXXXX` for non-ASCII, as other JSON encoders write it), and as `console.log` quotes a string
 * field (`util.inspect`).
 */
export function keySpellings(key: string): string[] {
  const json = JSON.stringify(key).slice(1, -1)
  return [
    ...new Set([
      key,
      encodeURIComponent(key),
      encodeURIComponent(key).toLowerCase(),
      new URLSearchParams({ k: key }).toString().slice(2),
      json,
      json.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
      inspect(key).slice(1, -1),
    ]),
  ]
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Everything a run produced that a user could see: errors, statuses, logs. */
export interface Evidence {
  errors: FeedError[]
  statuses: FeedStatus[]
  /**
   * Log lines as a user would see them: what `console.error(error)` and `console.log(status)`
   * print for every error and status of the run (Node's own formatting: stack, cause and every
   * field), captured from a real `Console`; or a CLI's stderr lines.
   */
  logs: string[]
  /**
   * Timestamps that went backwards in the published state (entries' `changedAt`, the fixture's
   * `updatedAt`, each period's `updatedAt`): a frame applied late, or applied again after a
   * newer one, shows here.
   */
  outOfOrder: string[]
}

export interface Run extends Evidence {
  sim: Simulator
  feed: OddsFeed
  watched: string[]
  close(): Promise<void>
}

/** Starts a simulator (rate 0 until `go`) and a hydrating feed watching `watch` fixtures. */
export async function startRun(
  simOptions: SimulatorOptions = {},
  feedOptions: Partial<OddsFeedOptions> = {},
  watch = 6,
): Promise<Run> {
  const sim = await startSimulator({
    port: 0,
    apiKey: KEY,
    // a careless upstream: the key comes back in close reasons and REST error bodies
    echoKey: true,
    seed: 42,
    fixtures: 16,
    rate: 0,
    keepaliveMs: 300,
    ...simOptions,
  })
  const feed = createOddsFeed({
    url: sim.url,
    apiKey: KEY,
    reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
    idleTimeoutMs: 2_000,
    snapshot: { baseUrl: sim.restUrl, retryDelayMs: 100, maxRetryDelayMs: 1000, maxAttempts: 50 },
    ...feedOptions,
  })
  const evidence: Evidence = { errors: [], statuses: [], logs: [], outOfOrder: [] }
  const console = capturingConsole(evidence.logs)
  feed.errors$.subscribe((e) => {
    evidence.errors.push(e)
    console.error(e)
    console.error('%s: %s', e.kind, e.message) // the README's way
  })
  feed.status$.subscribe((s) => {
    evidence.statuses.push(s)
    console.log('status', s)
  })
  const watched = sim.fixtureIds().slice(0, watch)
  for (const fixtureId of watched) watchOrder(feed, fixtureId, evidence.outOfOrder)
  return {
    sim,
    feed,
    watched,
    ...evidence,
    async close() {
      feed.close()
      await sim.stop()
    },
  }
}

/** Records every entry whose `changedAt` moves backwards between two published states. */
function watchOrder(feed: OddsFeed, fixtureId: string, out: string[]): void {
  const last = new Map<string, number>()
  feed.select({ fixtureId }).subscribe((fixture) => {
    forEachEntry(fixture, (key, changedAt) => {
      const t = toEpochMicros(changedAt)
      const before = last.get(key)
      if (before !== undefined && t < before) out.push(`${fixtureId} ${key}: ${before} -> ${t}`)
      last.set(key, t)
    })
  })
}

function forEachEntry(fixture: Fixture | undefined, fn: (key: string, changedAt: string) => void) {
  // the fixture's own clock: a top-level field set back by a late snapshot would show here
  if (typeof fixture?.updatedAt === 'string') fn('updatedAt', fixture.updatedAt)
  for (const [period, score] of Object.entries(fixture?.scores?.periods ?? {})) {
    if (typeof score.updatedAt === 'string') fn(`scores/${period}`, score.updatedAt)
  }
  for (const [bm, odds] of Object.entries(fixture?.bookmakerOdds ?? {})) {
    for (const [m, market] of Object.entries(odds.markets ?? {})) {
      for (const [o, outcome] of Object.entries(market.outcomes ?? {})) {
        for (const [p, entry] of Object.entries(outcome.players ?? {})) {
          if (typeof entry.changedAt === 'string') fn(`${bm}/${m}/${o}/${p}`, entry.changedAt)
        }
      }
    }
  }
}

/** Waits until the socket is open and every watched fixture is `live` (hydrated since). */
export async function settled(run: Run, ms = 30_000): Promise<void> {
  await firstValueFrom(
    combineLatest([run.feed.status$, ...run.watched.map((id) => run.feed.sync$(id))]).pipe(
      filter(
        ([status, ...syncs]) => status.state === 'open' && syncs.every((s) => s.state === 'live'),
      ),
      timeout(ms),
    ),
  )
}

/**
 * Resolves once no frame has arrived for `quietMs`: whatever the server sent before going quiet
 * has been received (a slow client may hold seconds of frames in its socket buffer).
 */
export async function quiet(feed: OddsFeed, quietMs = 500, maxMs = 60_000): Promise<void> {
  let last = performance.now()
  const sub = feed.frames$.subscribe(() => {
    last = performance.now()
  })
  const started = performance.now()
  try {
    while (performance.now() - last < quietMs) {
      if (performance.now() - started > maxMs) throw new Error('the feed never went quiet')
      await sleep(50)
    }
  } finally {
    sub.unsubscribe()
  }
}

/** Stops traffic, waits for the feed to settle, and returns client vs truth per watched fixture. */
export async function groundTruth(
  run: Run,
  strip: (fixture: unknown) => unknown = (x) => x,
): Promise<Array<{ fixtureId: string; client: unknown; truth: unknown }>> {
  run.sim.setRate(0)
  await quiet(run.feed)
  await settled(run)
  await sleep(50)
  return run.watched.map((fixtureId) => ({
    fixtureId,
    client: normalizeForCompare(strip(run.feed.get({ fixtureId }))),
    truth: normalizeForCompare(run.sim.generator?.restOdds(fixtureId)),
  }))
}

/** A real `Console` whose lines (stdout and stderr) go to `lines`. */
export function capturingConsole(lines: string[]): Console {
  let rest = ''
  const sink = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      rest += String(chunk)
      const parts = rest.split('\n')
      rest = parts.pop() ?? ''
      lines.push(...parts)
      done()
    },
  })
  return new Console({ stdout: sink, stderr: sink, inspectOptions: { depth: 8 } })
}

/** Every text a user could see of one error: message, stack, raw, path, fixtureId, its causes. */
function errorTexts(error: unknown, where: string, depth = 0): Array<[string, unknown]> {
  if (!(error instanceof Error)) return [[`${where}`, error]]
  const e = error as FeedError
  const out: Array<[string, unknown]> = [
    [`${where}.message`, e.message],
    [`${where}.stack`, e.stack],
    [`${where}.raw`, e.raw],
    [`${where}.path`, e.path],
    [`${where}.fixtureId`, e.fixtureId],
    [`${where} as a string`, String(e)],
  ]
  if (e.cause !== undefined && depth < 5)
    out.push(...errorTexts(e.cause, `${where}.cause`, depth + 1))
  return out
}

/**
 * Where `key`, in any of its {@link keySpellings}, shows in what a user of the run could see:
 * each error's message, stack, raw, path, fixtureId and causes; each status (its url, its error
 * the same way, the whole status as JSON); each log line. `[]` when nowhere.
 */
export function leaks(
  evidence: Pick<Evidence, 'errors' | 'statuses' | 'logs'>,
  key: string,
): string[] {
  const texts: Array<[string, unknown]> = []
  evidence.errors.forEach((e, i) => {
    texts.push(...errorTexts(e, `errors[${i}]`))
  })
  evidence.statuses.forEach((s, i) => {
    texts.push([`statuses[${i}].url`, s.url], [`statuses[${i}]`, JSON.stringify(s)])
    if (s.error) texts.push(...errorTexts(s.error, `statuses[${i}].error`))
  })
  evidence.logs.forEach((line, i) => {
    texts.push([`logs[${i}]`, line])
  })
  const found: string[] = []
  for (const [where, text] of texts) {
    if (typeof text !== 'string') continue
    for (const spelling of keySpellings(key)) {
      if (text.includes(spelling))
        found.push(`${where} holds ${JSON.stringify(spelling)}: ${text.slice(0, 300)}`)
    }
  }
  return found
}

/** `gc()` without starting Node with --expose-gc. */
export const gc: () => void = (() => {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
})()

/** Heap in use after a full GC, bytes. */
export function heapAfterGc(): number {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}
