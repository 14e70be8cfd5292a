/** Starts a relay child process ({@link ./relay-child.ts}) and talks to it. */
import { type ChildProcess, fork } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { RelayHealth, RelayOptions } from '../relay.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const ROOT = resolve(HERE, '../../../..')

export interface RelayProcess {
  readonly child: ChildProcess
  readonly url: string
  readonly logs: string[]
  health(): Promise<RelayHealth>
  metrics(): Promise<string>
  /** The relay process's heap after a full GC, bytes. */
  heap(): Promise<number>
  kill(): Promise<void>
  stop(): Promise<void>
}

export async function startRelayProcess(options: RelayOptions): Promise<RelayProcess> {
  const child = fork(join(HERE, 'relay-child.ts'), [], {
    cwd: ROOT,
    execArgv: ['--conditions=@oddsfeed/source', '--import', 'tsx', '--expose-gc'],
    env: { ...process.env, RELAY_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const logs: string[] = []
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (message: { type: string; url?: string; line?: string }) => {
      if (message.type === 'ready') resolve(message.url as string)
      if (message.type === 'log') logs.push(message.line as string)
    })
    child.once('exit', (code) => reject(new Error(`relay child exited with ${code}`)))
  })
  const http = url.replace(/^ws/, 'http').replace(/\/v4\/ws$/, '')
  return {
    child,
    url,
    logs,
    health: async () => (await (await fetch(`${http}/healthz`)).json()) as RelayHealth,
    metrics: async () => (await fetch(`${http}/metrics`)).text(),
    heap: () =>
      new Promise<number>((resolve) => {
        const onMessage = (message: { type: string; heapUsed?: number }) => {
          if (message.type !== 'heap') return
          child.off('message', onMessage)
          resolve(message.heapUsed as number)
        }
        child.on('message', onMessage)
        child.send({ type: 'heap' })
      }),
    async kill() {
      child.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.send({ type: 'stop' })
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}
