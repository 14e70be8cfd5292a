/**
 * CLI manners, through the real command: --version, short flags, a replay that ends with a clean
 * close and a tail that stops on it, --json field selection, the no-match notice.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Simulator, startSimulator } from '@oddsfeed/simulator'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { killAll, lines, runCli, until } from './test-support/run-cli.js'

const KEY = 'manners-key-5d1c'
let sim: Simulator
let dir: string
beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY, seed: 5, fixtures: 4, rate: 200 })
  dir = mkdtempSync(join(tmpdir(), 'oddsfeed-manners-'))
})
afterAll(async () => {
  await sim.stop()
  rmSync(dir, { recursive: true, force: true })
})
afterEach(killAll)

describe('oddsfeed manners', () => {
  it('--version and -V print the package version', async () => {
    const { version } = JSON.parse(
      readFileSync(join(import.meta.dirname, '../package.json'), 'utf8'),
    ) as { version: string }
    for (const flag of ['--version', '-V']) {
      const run = runCli([flag])
      expect(await run.exit).toBe(0)
      expect(run.stdout()).toBe(`${version}\n`)
    }
  })

  it('takes -u, -k, -f and -n for --url, --api-key, --fixture and --count', async () => {
    const fixtureId = sim.fixtureIds()[1] as string
    const run = runCli(['tail', '-u', sim.url, '-k', KEY, '-f', fixtureId, '-n', '3'])
    expect(await run.exit).toBe(0)
    const frames = lines(run.stdout()).map((l) => JSON.parse(l) as { fixtureId: string })
    expect(frames).toHaveLength(3)
    for (const frame of frames) expect(frame.fixtureId).toBe(fixtureId)
    expect(run.stderr()).not.toContain(KEY)
  })

  it('masks a key given with -k in usage errors too', async () => {
    for (const args of [
      ['tail', '-u', sim.url, '-k', KEY, '-n', KEY],
      ['tail', '-u', sim.url, `-k${KEY}`, '-n', KEY],
    ]) {
      const run = runCli(args)
      expect(await run.exit).toBe(2)
      expect(run.stderr()).toContain('--count must be')
      expect(run.stdout() + run.stderr()).not.toContain(KEY)
    }
  })

  it('tail --json prints one line per entry with exactly the fields asked for', async () => {
    const run = runCli([
      'tail',
      '-u',
      sim.url,
      '-k',
      KEY,
      '-n',
      '20',
      '--json',
      'bookmaker,price,active,changedAt',
    ])
    expect(await run.exit).toBe(0)
    const rows = lines(run.stdout()).map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['bookmaker', 'price', 'active', 'changedAt'])
      expect(typeof row.price).toBe('number')
      expect(typeof row.bookmaker).toBe('string')
    }
  })

  it('replay ends with a clean close and says so; tail --exit-at-end prints every frame and exits 0', async () => {
    const capture = join(dir, 'capture.ndjson')
    const rec = runCli(['record', '-u', sim.url, '-k', KEY, '-n', '40', '-o', capture, '--quiet'])
    expect(await rec.exit).toBe(0)
    const recorded = lines(readFileSync(capture, 'utf8'))
      .map((l) => JSON.parse(l) as { frame: unknown })
      .filter((r) => typeof r.frame === 'object')
    expect(recorded.length).toBeGreaterThan(0)

    const replay = runCli(['replay', capture, '--port', '0', '--speed', '0', '--quiet'], {
      ODDSPAPI_API_KEY: KEY,
    })
    await until(() => /feed\s+ws:\/\/\S+/.test(replay.stderr()), 60_000, 'the replay to listen')
    const url = (
      /feed\s+(ws:\/\/\S+?)\?apiKey/.exec(replay.stderr()) as RegExpExecArray
    )[1] as string

    const tail = runCli(['tail', '-u', url, '-k', KEY, '--exit-at-end'])
    expect(await tail.exit).toBe(0)
    expect(lines(tail.stdout())).toHaveLength(recorded.length)
    expect(tail.stderr()).toContain('the server ended the feed (1000 "replay finished"): done')
    await until(() => replay.stderr().includes('replay finished:'), 30_000, 'the replay to say so')
    expect(replay.stderr()).toContain('connections closed (1000 "replay finished")')
  })

  it('a filtered tail that matches nothing says so on stderr', async () => {
    const run = runCli([
      'tail',
      '-u',
      sim.url,
      '-k',
      KEY,
      '-f',
      'id-no-such-fixture',
      '--no-match-after',
      '1',
    ])
    await until(() => run.stderr().includes('nothing matched'), 60_000, 'the no-match notice')
    expect(run.stderr()).toContain('nothing matched fixtureId=id-no-such-fixture for 1 s')
    expect(run.stdout()).toBe('')
    run.child.kill('SIGTERM')
    expect(await run.exit).toBe(0)
  })
})
