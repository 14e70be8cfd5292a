import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { type Simulator, startSimulator } from '@oddsfeed/simulator'
import { afterEach, describe, expect, it } from 'vitest'
import { KEY, leaks } from './harness.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))
const bin = fileURLToPath(new URL('../../cli/src/bin.ts', import.meta.url))

let sim: Simulator | undefined
afterEach(async () => {
  await sim?.stop()
  sim = undefined
})

function oddsfeed(args: string[], env: Record<string, string> = {}) {
  const child = spawn(
    process.execPath,
    ['--conditions=@oddsfeed/source', '--import', 'tsx', bin, ...args],
    {
      cwd: root,
      env: { ...process.env, ...env },
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => {
    stdout += d
  })
  child.stderr.on('data', (d) => {
    stderr += d
  })
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

describe('the CLI through faults', () => {
  it('tails through drops, malformed frames and a refused handshake without showing the key', async () => {
    sim = await startSimulator({
      port: 0,
      apiKey: KEY,
      seed: 5,
      fixtures: 8,
      rate: 300,
      malformedEvery: 5,
      refuseHandshake: 500,
      refuseCount: 1,
      // a careless upstream: the close reasons of the drops hold the key (in turn: as received,
      // as written in the URL, JSON-escaped)
      echoKey: true,
    })
    // three drops a second apart during each run, then none: a drop every second for ever would
    // never let the backoff reset (it does after 10 s open), so on a loaded machine the waits
    // grow towards 30 s and the run is a race against the clock
    const current = sim
    const dropThrice = () => {
      let left = 3
      const timer = setInterval(() => {
        if (left-- > 0) current.dropConnections()
        else clearInterval(timer)
      }, 1000)
      return () => clearInterval(timer)
    }
    let stopDrops = dropThrice()
    const fromFlag = await oddsfeed(['tail', '--url', sim.url, '--api-key', KEY, '--count', '600'])
    stopDrops()
    stopDrops = dropThrice()
    const fromEnv = await oddsfeed(['tail', '--url', sim.url, '--count', '300'], {
      ODDSPAPI_API_KEY: KEY,
    })
    stopDrops()
    for (const run of [fromFlag, fromEnv]) {
      expect(run.code, run.stderr).toBe(0)
      const logs = (run.stdout + run.stderr).split('\n')
      expect(leaks({ errors: [], statuses: [], logs }, KEY)).toEqual([])
      const lines = run.stdout.trim().split('\n')
      for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
    }
    expect(fromFlag.stdout.trim().split('\n')).toHaveLength(600)
    expect(sim.stats().connectionsDropped).toBeGreaterThan(0)
    expect(fromFlag.stderr).toMatch(/reconnect/i)
    // the echoed key was there, and was masked
    expect(fromFlag.stderr + fromEnv.stderr).toContain('connection dropped, key ***)')
  }, 90_000)

  it('refuses a wrong key with exit 3 and shows neither key', async () => {
    sim = await startSimulator({ port: 0, apiKey: KEY, rate: 10 })
    const wrong = `wrong key+&%~"ключ🔑0a9f3e`
    const run = await oddsfeed(['tail', '--url', sim.url, '--api-key', wrong])
    expect(run.code).toBe(3)
    const logs = (run.stdout + run.stderr).split('\n')
    expect(leaks({ errors: [], statuses: [], logs }, wrong)).toEqual([])
    expect(leaks({ errors: [], statuses: [], logs }, KEY)).toEqual([])
  }, 60_000)
})
