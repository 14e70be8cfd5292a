/**
 * The sending side of case 5, run in a worker thread (its own core): a `ws` server on
 * 127.0.0.1 that replays the simulator generator's frame texts at an offered rate. Each frame
 * is stamped with its send time as an extra top-level field, `"sentAt": <epoch ms>`, which the
 * SDK's loose schema keeps and merges like any unknown field.
 *
 * A connection's URL says what to send: `/v4/ws?rate=R&count=N` (rate 0: as fast as the
 * socket drains). The server stops sending after `count` frames and leaves closing to the client.
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads'
import { type WebSocket, WebSocketServer } from 'ws'
import { nowMs } from './stats.js'

const texts = (workerData as { texts: string[] }).texts
/** Above this much unsent data the server waits for the socket to drain. */
const HIGH_WATER = 4 * 1024 * 1024

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
server.on('listening', () => {
  const address = server.address()
  parentPort?.postMessage({
    port: address !== null && typeof address === 'object' ? address.port : 0,
  })
})
server.on('connection', (socket, request) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1')
  pump(
    socket,
    Number(url.searchParams.get('rate') ?? 0),
    Number(url.searchParams.get('count') ?? 0),
  )
})
parentPort?.on('message', (message: unknown) => {
  if (message === 'stop') {
    for (const client of server.clients) client.terminate()
    server.close(() => process.exit(0))
  }
})

function pump(socket: WebSocket, rate: number, count: number): void {
  const t0 = performance.now()
  let sent = 0
  const step = () => {
    if (socket.readyState !== socket.OPEN) return
    const due =
      rate > 0 ? Math.min(count, Math.floor(((performance.now() - t0) * rate) / 1000)) : count
    while (sent < due && socket.bufferedAmount < HIGH_WATER) {
      const text = texts[sent % texts.length] as string
      socket.send(`{"sentAt":${nowMs()},${text.slice(1)}`)
      sent++
    }
    if (sent < count) setImmediate(step)
  }
  step()
}
