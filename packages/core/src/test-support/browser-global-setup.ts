/**
 * Node side of the browser test project: a real `ws` server on 127.0.0.1 that the core,
 * running in Chromium with the native WebSocket, connects to. Behaviour by path:
 * - `/feed`: sends two frames (text and binary) on every connection, then a keepalive every 50 ms;
 * - `/drop`, `/online`: on connection n send `{fixtureId:'D', statusId:n}`; drop the first abruptly;
 * - `/silent`: accepts and says nothing;
 * - `/worker-*` (worker mode): on connection n send `{fixtureId:'W', statusId:n}`, so a page can
 *   tell how many sockets its workers opened.
 */
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import { WebSocketServer } from 'ws'

declare module 'vitest' {
  export interface ProvidedContext {
    wsBase: string
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
  return async () => {
    for (const t of timers) clearInterval(t)
    for (const ws of wss.clients) ws.terminate()
    await new Promise((resolve) => wss.close(resolve))
  }
}
