/**
 * The relay case's bound: a bare `ws` fan-out server with the relay's outside (one upstream
 * socket, clients on `oddsfeed.relay.v1` with the same subscriptions) and none of its work. Each
 * upstream frame becomes one prebuilt buffer (`{"op":"frame","seq":…,"frame":…}`, the same bytes
 * for every subscriber, a `seq` of the relay's width) sent to each subscriber with `ws.send`,
 * every client's writes of one tick corked into one write: what `ws`, the kernel and the
 * receiving peer can do on this machine.
 *
 * `batched`: the same, but each message's whole WebSocket frame is prebuilt too and a client's
 * frames of one event-loop turn go out concatenated in one write (what the relay does with
 * `limits.flushMs: 0`): the bound of the kernel and the peer, without `ws`'s per-message cost.
 * @module
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { RELAY_PROTOCOL } from '@oddsfeed/core'
import { WebSocket, WebSocketServer } from 'ws'

const TEXT = { binary: false } as const

interface BoundClient {
  readonly ws: WebSocket
  readonly socket: Duplex
  corked: boolean
  /** `batched`: this turn's frames. */
  frames: Buffer[]
}

/** A running bound server. */
export interface BoundServer {
  readonly url: string
  stop(): Promise<void>
}

/** Starts the bound server, connected to `upstreamUrl`. */
export async function startBound(upstreamUrl: string, batched = false): Promise<BoundServer> {
  const channels = new Map<string, BoundClient[]>()
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(RELAY_PROTOCOL) ? RELAY_PROTOCOL : false),
  })
  const server = createServer()
  server.on('upgrade', (request, socket: Duplex, head) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      const client: BoundClient = { ws, socket, corked: false, frames: [] }
      ws.on('message', (data) => {
        const { fixtureIds } = JSON.parse(String(data)) as { fixtureIds: string[] }
        for (const fixtureId of fixtureIds) {
          channels.set(fixtureId, [...(channels.get(fixtureId) ?? []), client])
          ws.send(`{"op":"snapshot","seq":1,"fixtureId":"${fixtureId}","fixture":null}`)
        }
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const upstream = new WebSocket(upstreamUrl, { perMessageDeflate: false })
  const seq = 10_000 // the relay's `seq` has about this many digits in a run
  upstream.on('message', (data) => {
    const text = String(data)
    const at = text.indexOf('"fixtureId":"') + 13
    const subscribers = channels.get(text.slice(at, text.indexOf('"', at)))
    if (!subscribers) return
    const message = Buffer.from(`{"op":"frame","seq":${seq},"frame":${text}}`)
    if (batched) {
      const frame = Buffer.concat([wsHeader(message.length), message])
      for (let i = 0; i < subscribers.length; i++) {
        const client = subscribers[i] as BoundClient
        if (client.frames.length === 0) {
          setImmediate(() => {
            const frames = client.frames
            client.frames = []
            client.socket.write(frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames))
          })
        }
        client.frames.push(frame)
      }
      return
    }
    for (let i = 0; i < subscribers.length; i++) {
      const client = subscribers[i] as BoundClient
      if (!client.corked) {
        client.corked = true
        client.socket.cork()
        process.nextTick(() => {
          client.corked = false
          client.socket.uncork()
        })
      }
      client.ws.send(message, TEXT)
    }
  })
  await new Promise((resolve, reject) => {
    upstream.once('open', resolve)
    upstream.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `ws://127.0.0.1:${port}/v4/ws`,
    async stop() {
      upstream.terminate()
      for (const ws of wss.clients) ws.terminate()
      wss.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}

/** An unmasked text frame's header (RFC 6455 §5.2) for a payload under 64 KiB. */
function wsHeader(length: number): Buffer {
  return length < 126
    ? Buffer.from([0x81, length])
    : Buffer.from([0x81, 126, length >> 8, length & 255])
}
