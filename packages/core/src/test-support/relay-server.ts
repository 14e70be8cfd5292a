/**
 * A minimal `oddsfeed.relay.v1` server on 127.0.0.1 for the core's relay-mode tests (Node only):
 * a real `ws` server that refuses handshakes without the subprotocol or with a token it does not
 * accept, answers `subscribe` with a snapshot of its state, and sends frames of subscribed
 * fixtures. Not `@oddsfeed/relay`: just the protocol, so the client is tested on its own.
 */
import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as v from 'valibot'
import { type WebSocket, WebSocketServer } from 'ws'
import { mergeFrame } from '../merge.js'
import {
  RELAY_PROTOCOL,
  type RelayClientMessage,
  RelayClientMessageSchema,
} from '../relay-protocol.js'
import type { Fixture, OddsFrame } from '../schema.js'

/** One client connection, as the relay sees it. */
export interface RelayConnection {
  readonly ws: WebSocket
  /** The handshake's `token` query parameter. */
  readonly token: string | null
  /** The raw request URL of the handshake. */
  readonly requestUrl: string
  /** Client messages received, in order. */
  readonly received: RelayClientMessage[]
  readonly subscribed: Set<string>
  /** Sends a message with the next `seq`. */
  send(message: Record<string, unknown>): void
  /** Sends text as it is (no `seq` counted). */
  sendRaw(text: string): void
  /** Skips `n` seq numbers (a lost message). */
  skip(n: number): void
  /** Resolves with the first received message (past or future) that matches. */
  waitFor(match: (message: RelayClientMessage) => boolean): Promise<RelayClientMessage>
}

export interface TestRelay {
  url: string
  readonly connections: RelayConnection[]
  /** Every handshake's token, refused ones included. */
  readonly tokens: Array<string | null>
  /** The relay's state: what snapshots carry. */
  readonly state: Map<string, Fixture>
  /** Resolves with the n-th (1-based) accepted connection. */
  nthConnection(n: number): Promise<RelayConnection>
  /** Merges a frame into the state and sends it to every connection subscribed to its fixture. */
  publish(frame: OddsFrame): void
  close(): Promise<void>
}

export async function startTestRelay(
  options: { accept?: (token: string | null) => boolean } = {},
): Promise<TestRelay> {
  const connections: RelayConnection[] = []
  const tokens: Array<string | null> = []
  const state = new Map<string, Fixture>()
  const waiters: Array<{ n: number; resolve: (c: RelayConnection) => void }> = []
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (protocols) => (protocols.has(RELAY_PROTOCOL) ? RELAY_PROTOCOL : false),
    verifyClient: (info, done) => {
      const token = new URL(info.req.url ?? '/', 'http://x').searchParams.get('token')
      tokens.push(token)
      const offered = String(info.req.headers['sec-websocket-protocol'] ?? '').split(/,\s*/)
      if (!offered.includes(RELAY_PROTOCOL)) return done(false, 400)
      if (options.accept && !options.accept(token)) return done(false, 401)
      done(true)
    },
  })
  await new Promise<void>((resolve) => wss.once('listening', resolve))

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    let seq = 0
    const received: RelayClientMessage[] = []
    const listeners: Array<{
      match: (m: RelayClientMessage) => boolean
      resolve: (m: RelayClientMessage) => void
    }> = []
    const connection: RelayConnection = {
      ws,
      token: new URL(req.url ?? '/', 'http://x').searchParams.get('token'),
      requestUrl: req.url ?? '',
      received,
      subscribed: new Set(),
      send(message) {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ ...message, seq: ++seq }))
      },
      sendRaw(text) {
        if (ws.readyState === ws.OPEN) ws.send(text)
      },
      skip(n) {
        seq += n
      },
      waitFor(match) {
        const found = received.find(match)
        if (found) return Promise.resolve(found)
        return new Promise((resolve) => listeners.push({ match, resolve }))
      },
    }
    ws.on('message', (data) => {
      const parsed = v.safeParse(RelayClientMessageSchema, JSON.parse(String(data)))
      if (!parsed.success) {
        connection.send({ op: 'error', code: 'bad_message', message: 'not a client message' })
        return
      }
      const message = parsed.output
      received.push(message)
      for (const id of message.fixtureIds) {
        if (message.op === 'subscribe') {
          connection.subscribed.add(id)
          connection.send({ op: 'snapshot', fixtureId: id, fixture: state.get(id) ?? null })
        } else {
          connection.subscribed.delete(id)
        }
      }
      for (const listener of [...listeners]) {
        if (listener.match(message)) {
          listeners.splice(listeners.indexOf(listener), 1)
          listener.resolve(message)
        }
      }
    })
    connections.push(connection)
    for (const waiter of [...waiters]) {
      if (waiter.n === connections.length) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(connection)
      }
    }
  })

  const port = (wss.address() as AddressInfo).port
  return {
    url: `ws://127.0.0.1:${port}/v4/ws`,
    connections,
    tokens,
    state,
    nthConnection(n) {
      const found = connections[n - 1]
      if (found) return Promise.resolve(found)
      return new Promise((resolve) => waiters.push({ n, resolve }))
    },
    publish(frame) {
      state.set(frame.fixtureId, mergeFrame(state.get(frame.fixtureId), frame))
      for (const c of connections) {
        if (c.subscribed.has(frame.fixtureId)) c.send({ op: 'frame', frame })
      }
    },
    close() {
      for (const c of connections) c.ws.terminate()
      return new Promise((resolve) => wss.close(() => resolve()))
    },
  }
}
