/** Parent side of `sim-process.ts`. */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { SimulatorOptions, SimulatorStats } from '@oddsfeed/simulator'

export interface SimChild {
  url: string
  restUrl: string
  fixtureIds: string[]
  output: string[]
  setRate(rate: number): Promise<void>
  restOdds(fixtureId: string): Promise<unknown>
  stats(): Promise<SimulatorStats>
  stop(): Promise<void>
}

export async function forkSimulator(options: SimulatorOptions): Promise<SimChild> {
  const script = fileURLToPath(new URL('./sim-process.ts', import.meta.url))
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--conditions=@oddsfeed/source', '--import', 'tsx'],
    env: { ...process.env, SIM_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  const output: string[] = []
  child.stdout?.on('data', (d) => output.push(String(d)))
  child.stderr?.on('data', (d) => output.push(String(d)))
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type: string } & T) => {
        if (m.type !== type) return
        child.off('message', onMessage)
        child.off('exit', onExit)
        resolve(m)
      }
      const onExit = (code: number | null) =>
        reject(new Error(`simulator exited (${code}): ${output.join('')}`))
      child.on('message', onMessage)
      child.once('exit', onExit)
    })
  const ready = await next<{ url: string; restUrl: string; fixtureIds: string[] }>('ready')
  const ask = <T>(request: object, type: string) => {
    const answer = next<T>(type)
    child.send(request)
    return answer
  }
  return {
    ...ready,
    output,
    async setRate(rate) {
      await ask({ type: 'rate', rate }, 'rate')
    },
    async restOdds(fixtureId) {
      return (await ask<{ body: unknown }>({ type: 'rest', fixtureId }, 'rest')).body
    },
    async stats() {
      return (await ask<{ stats: SimulatorStats }>({ type: 'stats' }, 'stats')).stats
    },
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.send({ type: 'stop' })
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null) child.kill('SIGKILL')
    },
  }
}
