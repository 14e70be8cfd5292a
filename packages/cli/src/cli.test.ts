/**
 * The `oddsfeed` command end to end, in child processes, against a real simulator.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { decodeFrame } from '@oddsfeed/core'
import { type Simulator, startSimulator } from '@oddsfeed/simulator'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const BIN = join(ROOT, 'packages/cli/src/bin.ts')
const NODE_ARGS = ['--conditions=@oddsfeed/source', '--import', 'tsx']
const KEY = 'cli-test-key-7f3a'

const children = new Set<ChildProcess>()
afterEach(() => {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
})

interface Run {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exit: Promise<number | null>
}

function start(args: string[], options: { env?: NodeJS.ProcessEnv; shell?: string } = {}): Run {
  const env = { ...process.env, ODDSPAPI_API_KEY: '', ...options.env }
  const child = options.shell
    ? spawn('bash', ['-c', options.shell], { cwd: ROOT, env })
    : spawn(process.execPath, [...NODE_ARGS, BIN, ...args], { cwd: ROOT, env })
  children.add(child)
  let out = ''
  let err = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    out += d
  })
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    err += d
  })
  const exit = new Promise<number | null>((r) =>
    child.on('close', (code) => {
      children.delete(child)
      r(code)
    }),
  )
  return { child, stdout: () => out, stderr: () => err, exit }
}

const cli = `${process.execPath} ${NODE_ARGS.join(' ')} ${BIN}`

async function until(check: () => boolean, ms = 30_000, what = 'condition') {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const lines = (text: string) => text.split('\n').filter((l) => l.length > 0)

let sim: Simulator
let dir: string
beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, seed: 21, fixtures: 8, rate: 200 })
  dir = mkdtempSync(join(tmpdir(), 'oddsfeed-cli-'))
})
afterAll(async () => {
  await sim.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('oddsfeed (child processes)', () => {
  it('tail prints valid NDJSON frames on stdout, status on stderr, and never the key', async () => {
    const run = start(['tail', '--url', sim.url, '--count', '25'], {
      env: { ODDSPAPI_API_KEY: KEY },
    })
    expect(await run.exit).toBe(0)
    const out = lines(run.stdout())
    expect(out).toHaveLength(25)
    for (const line of out) expect(decodeFrame(JSON.parse(line)).type).toBe('frame')
    expect(run.stderr()).toContain('connected to')
    expect(run.stderr()).toContain('apiKey=***')
    expect(run.stdout() + run.stderr()).not.toContain(KEY)
  }, 60_000)

  it('tail | head -n 5 exits 0 (the closed pipe ends it cleanly)', async () => {
    const run = start([], {
      shell: `set -o pipefail; ${cli} tail --url ${sim.url} --api-key ${KEY} | head -n 5`,
    })
    expect(await run.exit).toBe(0)
    expect(lines(run.stdout())).toHaveLength(5)
    expect(run.stderr()).not.toMatch(/EPIPE|Error/)
  }, 60_000)

  it('record → replay → tail reproduces the recorded frames exactly', async () => {
    const file = join(dir, 'capture.ndjson')
    const rec = start([
      'record',
      '--url',
      sim.url,
      '--api-key',
      KEY,
      '--out',
      file,
      '--count',
      '40',
    ])
    expect(await rec.exit).toBe(0)
    const records = lines(readFileSync(file, 'utf8')).map(
      (l) => JSON.parse(l) as { t: number; frame: unknown },
    )
    expect(records).toHaveLength(40)
    for (const r of records) expect(typeof r.t).toBe('number')
    const frames = records.map((r) => r.frame).filter((f) => typeof f !== 'string')

    const replay = start([
      'replay',
      file,
      '--port',
      '0',
      '--api-key',
      'replay-key',
      '--speed',
      '20',
      '--quiet',
    ])
    await until(() => /ws:\/\/127\.0\.0\.1:\d+\/v4\/ws/.test(replay.stderr()), 30_000, 'replay URL')
    const url = (/ws:\/\/127\.0\.0\.1:\d+\/v4\/ws/.exec(replay.stderr()) as RegExpExecArray)[0]
    const tail = start([
      'tail',
      '--url',
      url,
      '--api-key',
      'replay-key',
      '--count',
      String(frames.length),
    ])
    expect(await tail.exit).toBe(0)
    expect(lines(tail.stdout()).map((l) => JSON.parse(l))).toEqual(frames)
    replay.child.kill('SIGTERM')
    expect(await replay.exit).toBe(0)

    const printed = start(['replay', file, '--print', '--speed', '0'])
    expect(await printed.exit).toBe(0)
    expect(lines(printed.stdout()).map((l) => JSON.parse(l))).toEqual(frames)
  }, 90_000)

  it('tail --state --snapshot prints the merged entry, seeded from REST, and its next price', async () => {
    const fixtureId = sim.fixtureIds()[0] as string
    const rest = sim.generator?.restOdds(fixtureId) as {
      bookmakerOdds: Record<
        string,
        { markets: Record<string, { outcomes: Record<string, unknown> }> }
      >
    }
    const [bookmaker, b] = Object.entries(rest.bookmakerOdds)[0] as [
      string,
      (typeof rest.bookmakerOdds)[string],
    ]
    const [marketId, m] = Object.entries(b.markets)[0] as [string, (typeof b.markets)[string]]
    const outcomeId = Object.keys(m.outcomes)[0] as string
    const path = { fixtureId, bookmaker, marketId, outcomeId, playerId: '0' }
    const tail = start([
      'tail',
      '--url',
      sim.url,
      '--api-key',
      KEY,
      '--state',
      '--snapshot',
      '--fixture',
      fixtureId,
      '--bookmaker',
      bookmaker,
      '--market',
      marketId,
      '--outcome',
      outcomeId,
      '--player',
      '0',
    ])
    // the snapshot arrives before anything else moves this entry: the first state is REST's
    await until(() => lines(tail.stdout()).length >= 1, 30_000, 'the snapshot state')
    const first = JSON.parse(lines(tail.stdout())[0] as string) as {
      price: number
      bookmakerChangedAt?: string
    }
    expect(typeof first.price).toBe('number')
    const moved = sim.movePrice(path)
    const price =
      moved.bookmakerOdds?.[bookmaker]?.markets?.[marketId]?.outcomes?.[outcomeId]?.players?.['0']
        ?.price
    await until(
      () => lines(tail.stdout()).some((l) => (JSON.parse(l) as { price: number }).price === price),
      30_000,
      'the moved price',
    )
    tail.child.kill('SIGTERM')
    expect(await tail.exit).toBe(0)
  }, 60_000)

  it('a wrong key exits 3 and prints neither key', async () => {
    const wrong = 'wrong-key-55c1'
    const run = start(['tail', '--url', sim.url, '--api-key', wrong])
    expect(await run.exit).toBe(3)
    expect(run.stderr()).toMatch(/refused/)
    expect(run.stdout() + run.stderr()).not.toContain(wrong)
    expect(run.stdout() + run.stderr()).not.toContain(KEY)
  }, 60_000)

  it('bad arguments exit 2 with a message; --help works for every command', async () => {
    const bad = [
      ['tail', '--url', sim.url, '--api-key', KEY, '--bogus'],
      ['tail', '--url', sim.url, '--api-key', KEY, '--format', 'xml'],
      ['tail', '--url', sim.url, '--api-key', KEY, '--count', 'many'],
      ['tail', '--url', sim.url], // no key
      ['tail', '--url', 'http://nope', '--api-key', KEY],
      ['tail', '--api-key', KEY, '--state', '--fixture', 'x', '--market', '101'],
      ['record', '--url', sim.url, '--api-key', KEY],
      ['replay'],
      ['simulate', '--faults', 'explode=1'],
      ['frobnicate'],
    ]
    const runs = bad.map((args) => start(args))
    for (const [i, run] of runs.entries()) {
      expect(await run.exit, bad[i]?.join(' ')).toBe(2)
      expect(run.stderr()).toMatch(/oddsfeed: \S/)
      expect(run.stdout()).toBe('')
    }
    const helps = ['tail', 'record', 'replay', 'simulate'].map((c) => start([c, '--help']))
    for (const run of helps) {
      expect(await run.exit).toBe(0)
      expect(run.stdout()).toMatch(/^Usage: oddsfeed \w+/)
    }
  }, 90_000)

  it('SIGTERM ends tail with 0, and record with 0 and a flushed file', async () => {
    const tail = start(['tail', '--url', sim.url, '--api-key', KEY])
    await until(() => lines(tail.stdout()).length > 3, 30_000, 'tail output')
    tail.child.kill('SIGTERM')
    expect(await tail.exit).toBe(0)

    const file = join(dir, 'sigterm.ndjson')
    const rec = start(['record', '--url', sim.url, '--api-key', KEY, '--out', file])
    await until(() => rec.stderr().includes('recording'), 30_000, 'recording')
    await new Promise((r) => setTimeout(r, 300))
    rec.child.kill('SIGTERM')
    expect(await rec.exit).toBe(0)
    const n = Number(/recorded (\d+) messages/.exec(rec.stderr())?.[1])
    const written = lines(readFileSync(file, 'utf8'))
    expect(written.length).toBe(n)
    expect(n).toBeGreaterThan(0)
    for (const line of written) expect(JSON.parse(line)).toHaveProperty('t')
  }, 60_000)

  it('simulate serves a feed that tail reads, and stops on SIGTERM', async () => {
    const simulate = start([
      'simulate',
      '--port',
      '0',
      '--api-key',
      'sim-key-9',
      '--rate',
      '100',
      '--seed',
      '3',
    ])
    await until(
      () => /ws:\/\/127\.0\.0\.1:\d+\/v4\/ws/.test(simulate.stderr()),
      30_000,
      'simulator URL',
    )
    expect(simulate.stderr()).not.toContain('sim-key-9')
    const url = (/ws:\/\/127\.0\.0\.1:\d+\/v4\/ws/.exec(simulate.stderr()) as RegExpExecArray)[0]
    const tail = start([
      'tail',
      '--url',
      url,
      '--api-key',
      'sim-key-9',
      '--count',
      '3',
      '--format',
      'pretty',
    ])
    expect(await tail.exit).toBe(0)
    expect(lines(tail.stdout()).length).toBeGreaterThanOrEqual(3)
    simulate.child.kill('SIGTERM')
    expect(await simulate.exit).toBe(0)
  }, 60_000)
})
