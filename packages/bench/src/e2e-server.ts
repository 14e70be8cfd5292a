/**
 * The sending side of case 5, run in a worker thread (its own core): a `ws` server on
 * 127.0.0.1 that replays the corpus's frame texts at an offered rate. Each frame is stamped
 * with its send time as an extra top-level field, `"sentAt": <epoch ms>`, which the SDK's loose
 * schema keeps and merges like any unknown field; except for the UI-shaped client
 * (`client=ui`), which gets the frames as they are (a price move with an unknown top-level
 * field is not a plain price move: the store would merge it at once instead of folding it).
 * Its send stamps go into a shared ring ({@link SideStamps}), indexed by the frame's number
 * on that connection.
 *
 * Clients connect once, to `/v4/ws?client=NAME`, and stay connected for every run (the SDK
 * client keeps its loaded board). A run is started by the main thread:
 * `{ client, rate, count, from? }` (rate 0: as fast as the socket drains; `from`: start at
 * that frame instead of going on where the last run stopped); at an offered rate it sleeps
 * (`Atomics.wait`) until the next frame is due rather than spinning; the server answers
 * `{ done: client, sent }` once it has queued the last frame (`sent`: frames sent to that
 * client so far, every run included).
 *
 * The stream goes round the corpus with each later pass a day later ({@link endlessStream}).
 * @module
 */
import { parentPort, workerData } from 'node:worker_threads'
import { type WebSocket, WebSocketServer } from 'ws'
import { SIDE_STAMPED, type SideStamps } from './e2e-stamps.js'
import { endlessStream } from './passes.js'
import { nowMs } from './stats.js'

const { texts, sideStamps } = workerData as { texts: string[]; sideStamps: SideStamps }

/** Frame `n` of the endless stream: the corpus's frame, its pass moved on by days. */
const frameAt = endlessStream(texts)
/** Send stamps of the side-stamped client's frames, by frame number modulo the ring's length. */
const side = new Float64Array(sideStamps)
/** Above this much unsent data the server waits for the socket to drain. */
const HIGH_WATER = 4 * 1024 * 1024
/** What the pump sleeps on between frames of an offered rate (`Atomics.wait`, never woken). */
const sleeper = new Int32Array(new SharedArrayBuffer(4))
/** Longest sleep between two steps, ms (the socket's I/O runs between steps). */
const MAX_SLEEP_MS = 2

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
  const stampsAside = name === SIDE_STAMPED
  const before = sentTo.get(name) ?? 0
  const step = () => {
    if (socket.readyState !== socket.OPEN) return
    const due =
      rate > 0 ? Math.min(count, Math.floor(((performance.now() - t0) * rate) / 1000)) : count
    while (sent < due && socket.bufferedAmount < HIGH_WATER) {
      const text = frameAt(cursor++)
      if (stampsAside) {
        side[(before + sent) % side.length] = nowMs()
        socket.send(text)
      } else {
        socket.send(`{"sentAt":${nowMs()},${text.slice(1)}`)
      }
      sent++
    }
    if (sent < count) {
      // Ahead of the offered rate: sleep until the next frame is due instead of spinning on
      // setImmediate (a spinning sender takes a whole core of the client's two).
      if (rate > 0 && sent >= due) {
        const wait = t0 + ((sent + 1) * 1000) / rate - performance.now()
        if (wait > 0) Atomics.wait(sleeper, 0, 0, Math.min(wait, MAX_SLEEP_MS))
      }
      setImmediate(step)
    } else {
      sentTo.set(name, (sentTo.get(name) ?? 0) + sent)
      parentPort?.postMessage({ done: name, sent: sentTo.get(name) })
    }
  }
  step()
}
