/**
 * `oddsfeed relay` in a child process against a real simulator: URL on stderr, a client with a
 * token gets its snapshot, SIGTERM exits 0, the key is never printed, and the exit codes.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RELAY_PROTOCOL } from '@oddsfeed/core'
import { type Simulator, startSimulator } from '@oddsfeed/simulator'
import { SignJWT } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
const BIN = join(ROOT, 'packages/cli/src/bin.ts')
const NODE_ARGS = ['--conditions=@oddsfeed/source', '--import', 'tsx']
const KEY = 'cli+relay~key"7/q'
const SECRET = 'cli-relay-secret'

const children = new Set<ChildProcess>()
afterEach(() => {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
})

function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [...NODE_ARGS, BIN, 'relay', ...args], {
    cwd: ROOT,
    env: { ...process.env, ODDSPAPI_API_KEY: '', ODDSFEED_RELAY_SECRET: '', ...env },
  })
  children.add(child)
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
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

async function until(check: () => boolean, ms = 30_000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

let sim: Simulator
beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: KEY, seed: 3, fixtures: 4, rate: 50 })
})
afterAll(async () => {
  await sim.stop()
})

describe('oddsfeed relay', () => {
  it.each([
    { storage: 'default', flags: [] },
    { storage: '--storage compact', flags: ['--storage', 'compact'] },
  ])(
    'prints its URL, serves a snapshot to a client with a token, exits 0 on SIGTERM ($storage)',
    async ({ flags }) => {
      const run = start(
        ['--port', '0', '--upstream-url', sim.url, '--snapshot-url', sim.restUrl, ...flags],
        { ODDSPAPI_API_KEY: KEY, ODDSFEED_RELAY_SECRET: SECRET },
      )
      await until(() => /relay (ws:\/\/\S+\/v4\/ws)/.test(run.stderr()))
      const url = /relay (ws:\/\/\S+\/v4\/ws)/.exec(run.stderr())?.[1] as string
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(SECRET))
      const ws = new WebSocket(`${url}?token=${token}`, RELAY_PROTOCOL)
      const messages: Array<{ op: string; fixture?: unknown }> = []
      ws.on('message', (d) => messages.push(JSON.parse(String(d))))
      await new Promise((r) => ws.once('open', r))
      ws.send(JSON.stringify({ op: 'subscribe', fixtureIds: [sim.fixtureIds()[0]] }))
      await until(() => messages.some((m) => m.op === 'snapshot' && m.fixture !== null))
      await until(() => messages.some((m) => m.op === 'frame'))
      ws.close()
      run.child.kill('SIGTERM')
      expect(await run.exit).toBe(0)
      const printed = run.stdout() + run.stderr()
      for (const spelling of [KEY, encodeURIComponent(KEY), JSON.stringify(KEY).slice(1, -1)]) {
        expect(printed).not.toContain(spelling)
      }
    },
    60_000,
  )

  it('exit codes: 0 for --help, 2 without key or secret or with a bad --storage, 3 when the upstream refuses the key, 1 without Redis', async () => {
    const help = start(['--help'])
    expect(await help.exit).toBe(0)
    expect(help.stdout()).toContain('--upstream-url')
    const noKey = start(['--secret', SECRET])
    expect(await noKey.exit).toBe(2)
    expect(noKey.stderr()).toContain('ODDSPAPI_API_KEY')
    const noSecret = start(['--api-key', KEY])
    expect(await noSecret.exit).toBe(2)
    expect(noSecret.stderr()).toContain('ODDSFEED_RELAY_SECRET')
    const badStorage = start(['--api-key', KEY, '--secret', SECRET, '--storage', 'columns'])
    expect(await badStorage.exit).toBe(2)
    expect(badStorage.stderr()).toContain('--storage must be one of objects, compact')
    const refused = start([
      '--port',
      '0',
      '--upstream-url',
      sim.url,
      '--api-key',
      'wrong-key-4411',
      '--secret',
      SECRET,
    ])
    expect(await refused.exit).toBe(3)
    expect(refused.stderr()).not.toContain('wrong-key-4411')
    const noRedis = start([
      '--port',
      '0',
      '--upstream-url',
      sim.url,
      '--api-key',
      KEY,
      '--secret',
      SECRET,
      '--redis',
      'redis://user:hunter2@127.0.0.1:1',
    ])
    expect(await noRedis.exit).toBe(1)
    expect(noRedis.stderr()).toContain('cannot reach Redis at redis://127.0.0.1:1')
    expect(noRedis.stderr()).not.toContain('hunter2')
  }, 60_000)
})
