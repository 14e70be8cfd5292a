/** A real `ws` server on 127.0.0.1 for transport tests (Node only). */
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'

export interface TestServer {
  url: string
  /** Sockets in the order they connected. */
  readonly sockets: WebSocket[]
  /** Handshakes seen, refused ones included. */
  handshakes: number
  /** Resolves with the n-th (1-based) accepted socket. */
  nthConnection(n: number): Promise<WebSocket>
  close(): Promise<void>
}

export async function startTestServer(
  options: { refuseWith?: number; apiKey?: string } = {},
): Promise<TestServer> {
  const waiters: Array<{ n: number; resolve: (ws: WebSocket) => void }> = []
  const sockets: WebSocket[] = []
  const state = { handshakes: 0 }
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (info, done) => {
      state.handshakes++
      const key = new URL(info.req.url ?? '/', 'http://x').searchParams.get('apiKey')
      if (options.refuseWith) return done(false, options.refuseWith)
      if (options.apiKey !== undefined && key !== options.apiKey) return done(false, 401)
      done(true)
    },
  })
  await new Promise<void>((resolve) => wss.once('listening', resolve))
  wss.on('connection', (ws) => {
    sockets.push(ws)
    for (const waiter of [...waiters]) {
      if (waiter.n === sockets.length) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(ws)
      }
    }
  })
  const port = (wss.address() as AddressInfo).port
  return {
    url: `ws://127.0.0.1:${port}/v4/ws`,
    sockets,
    get handshakes() {
      return state.handshakes
    },
    set handshakes(v) {
      state.handshakes = v
    },
    nthConnection(n) {
      const ws = sockets[n - 1]
      if (ws) return Promise.resolve(ws)
      return new Promise((resolve) => waiters.push({ n, resolve }))
    },
    close() {
      for (const ws of sockets) ws.terminate()
      return new Promise((resolve) => wss.close(() => resolve()))
    },
  }
}
