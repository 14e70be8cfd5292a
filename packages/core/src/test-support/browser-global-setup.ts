/**
 * Node side of the browser test project: a real `ws` server on 127.0.0.1 that the core,
 * running in Chromium with the native WebSocket, connects to. Behaviour by path:
 * - `/feed`: sends two frames (text and binary) on every connection, then a keepalive every 50 ms;
 * - `/drop`, `/online`: on connection n send `{fixtureId:'D', statusId:n}`; drop the first abruptly;
 * - `/silent`: accepts and says nothing;
 * - `/worker-*` (worker mode): on connection n send `{fixtureId:'W', statusId:n}`, so a page can
 *   tell how many sockets its workers opened.
 *
 * And, for `relay.browser.test.ts`, a simulator behind a real `@oddsfeed/relay` (memory mode) in a
 * child process, `packages/relay/src/test-support/core-browser-relay.ts`: the core does not depend
 * on the relay package (which depends on the core), so it is started by path, from source.
 */
import { fork } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'
import { WebSocketServer } from 'ws'

declare module 'vitest' {
  export interface ProvidedContext {
    wsBase: string
    /** The relay's `ws://127.0.0.1:PORT/v4/ws`. */
    relayUrl: string
    /** A client token for it (JWT, HS256, expires in minutes), minted by the setup. */
    relayToken: string
    /** The setup's control server: `GET /fixture`, `POST /move`, `POST /compare`. */
    relayControl: string
  }
}

export default async function setup(project: TestProject) {
  const counts = new Map<string, number>()
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => wss.once('listening', resolve))
  const timers = new Set<ReturnType<typeof setInterval>>()
  wss.on('connection', (ws, req) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const n = (counts.get(path) ?? 0) + 1
    counts.set(path, n)
    if (path === '/feed') {
      ws.send(JSON.stringify({ fixtureId: 'T', statusId: 1 }))
      ws.send(Buffer.from(JSON.stringify({ fixtureId: 'B', statusId: 2 })))
      const timer = setInterval(() => ws.send('keepalive'), 50)
      timers.add(timer)
      ws.on('close', () => {
        clearInterval(timer)
        timers.delete(timer)
      })
    } else if (path.startsWith('/worker-')) {
      ws.send(JSON.stringify({ fixtureId: 'W', statusId: n }))
    } else if (path === '/drop' || path === '/online') {
      ws.send(JSON.stringify({ fixtureId: 'D', statusId: n }))
      if (n === 1) setTimeout(() => ws.terminate(), 100)
    }
  })
  const { port } = wss.address() as AddressInfo
  project.provide('wsBase', `ws://127.0.0.1:${port}`)
  const relay = await startRelayChild()
  project.provide('relayUrl', relay.relayUrl)
  project.provide('relayToken', relay.relayToken)
  project.provide('relayControl', relay.relayControl)
  return async () => {
    await relay.stop()
    for (const t of timers) clearInterval(t)
    for (const ws of wss.clients) ws.terminate()
    await new Promise((resolve) => wss.close(resolve))
  }
}

const RELAY_CHILD = fileURLToPath(
  new URL('../../../relay/src/test-support/core-browser-relay.ts', import.meta.url),
)

interface RelayChild {
  relayUrl: string
  relayToken: string
  relayControl: string
  stop(): Promise<void>
}

/** Forks the relay's child (workspace sources through tsx) and waits for its `ready`. */
async function startRelayChild(): Promise<RelayChild> {
  const child = fork(RELAY_CHILD, [], {
    cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
    execArgv: ['--conditions=@oddsfeed/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const ready = await new Promise<Omit<RelayChild, 'stop'>>((resolve, reject) => {
    child.on('message', (message: { type?: string } & Omit<RelayChild, 'stop'>) => {
      if (message.type === 'ready') resolve(message)
    })
    child.once('exit', (code) => reject(new Error(`the relay child exited with ${code}`)))
  })
  return {
    relayUrl: ready.relayUrl,
    relayToken: ready.relayToken,
    relayControl: ready.relayControl,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.send({ type: 'stop' })
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}
