/**
 * The sending side of case 5, run in a worker thread (its own core): a `ws` server on
 * 127.0.0.1 that replays the corpus's frame texts at an offered rate. Each frame is stamped
 * with its send time as an extra top-level field, `"sentAt": <epoch ms>`, which the SDK's loose
 * schema keeps and merges like any unknown field.
 *
 * Clients connect once, to `/v4/ws?client=NAME`, and stay connected for every run (the SDK
 * client keeps its loaded board). A run is started by the main thread:
 * `{ client, rate, count, from? }` (rate 0: as fast as the socket drains; `from`: start at
 * that frame instead of going on where the last run stopped); the server answers
 * `{ done: client, sent }` once it has queued the last frame (`sent`: frames sent to that
 * client so far, every run included).
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads'
import { type WebSocket, WebSocketServer } from 'ws'
import { nowMs } from './stats.js'

const texts = (workerData as { texts: string[] }).texts
/** Above this much unsent data the server waits for the socket to drain. */
const HIGH_WATER = 4 * 1024 * 1024

const clients = new Map<string, WebSocket>()
/** Where the next run starts in `texts`: runs go on through the stream (no frame twice in a row). */
let cursor = 0
/** Frames sent per client, every run included. */
const sentTo = new Map<string, number>()

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
server.on('listening', () => {
  const address = server.address()
  parentPort?.postMessage({
    port: address !== null && typeof address === 'object' ? address.port : 0,
  })
})
server.on('connection', (socket, request) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1')
  const name = url.searchParams.get('client') ?? 'sdk'
  clients.set(name, socket)
  parentPort?.postMessage({ connected: name })
})
parentPort?.on('message', (message: unknown) => {
  if (message === 'stop') {
    for (const client of server.clients) client.terminate()
    server.close(() => process.exit(0))
    return
  }
  const run = message as { client: string; rate: number; count: number; from?: number }
  if (run.from !== undefined) cursor = run.from
  const socket = clients.get(run.client)
  if (socket) pump(socket, run.client, run.rate, run.count)
})

function pump(socket: WebSocket, name: string, rate: number, count: number): void {
  const t0 = performance.now()
  let sent = 0
  const step = () => {
    if (socket.readyState !== socket.OPEN) return
    const due =
      rate > 0 ? Math.min(count, Math.floor(((performance.now() - t0) * rate) / 1000)) : count
    while (sent < due && socket.bufferedAmount < HIGH_WATER) {
      const text = texts[cursor++ % texts.length] as string
      socket.send(`{"sentAt":${nowMs()},${text.slice(1)}`)
      sent++
    }
    if (sent < count) setImmediate(step)
    else {
      sentTo.set(name, (sentTo.get(name) ?? 0) + sent)
      parentPort?.postMessage({ done: name, sent: sentTo.get(name) })
    }
  }
  step()
}
