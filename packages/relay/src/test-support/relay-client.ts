/**
 * A minimal client of the relay for the tests: plain v4 or `oddsfeed.relay.v1`, every message
 * kept, the relay protocol's state rebuilt with the core's merge (snapshot replaces, frames
 * merge), and `seq` checked.
 */
import {
  type Fixture,
  mergeFrame,
  type OddsFrame,
  RELAY_PROTOCOL,
  type RelayMessage,
  RelayMessageSchema,
} from '@oddsfeed/core'
import * as v from 'valibot'
import { WebSocket } from 'ws'

export interface TestClient {
  readonly ws: WebSocket
  /** Every message's text, in order. */
  readonly texts: string[]
  /** Relay protocol: the parsed messages. */
  readonly messages: RelayMessage[]
  /** Relay protocol: state per subscribed fixture; plain: per fixture seen. */
  readonly state: Map<string, Fixture | undefined>
  /** `seq` problems (gaps, repeats). */
  readonly seqErrors: string[]
  readonly closed: Promise<{ code: number; reason: string }>
  subscribe(fixtureIds: string[]): void
  unsubscribe(fixtureIds: string[]): void
  send(text: string): void
  close(): void
}

/** Connects; resolves once open, rejects with the HTTP status of a refused handshake. */
export function connect(
  url: string,
  token: string | undefined,
  mode: 'plain' | 'relay',
  { keep = true }: { keep?: boolean } = {},
): Promise<TestClient> {
  const target = token === undefined ? url : `${url}?token=${encodeURIComponent(token)}`
  const ws = mode === 'relay' ? new WebSocket(target, RELAY_PROTOCOL) : new WebSocket(target)
  const texts: string[] = []
  const messages: RelayMessage[] = []
  const state = new Map<string, Fixture | undefined>()
  const seqErrors: string[] = []
  const subscribed = new Set<string>()
  let lastSeq = 0
  ws.on('message', (data) => {
    const text = String(data)
    if (keep) texts.push(text)
    if (mode === 'plain') {
      if (!text.startsWith('{')) return
      const frame = JSON.parse(text) as OddsFrame
      state.set(frame.fixtureId, mergeFrame(state.get(frame.fixtureId), frame))
      return
    }
    const message = v.parse(RelayMessageSchema, JSON.parse(text))
    if (keep || message.op !== 'frame') messages.push(message)
    if (message.seq !== lastSeq + 1) seqErrors.push(`${lastSeq} -> ${message.seq}`)
    lastSeq = message.seq
    if (message.op === 'snapshot') {
      if (subscribed.has(message.fixtureId)) {
        state.set(message.fixtureId, (message.fixture as Fixture | null) ?? undefined)
      }
    } else if (message.op === 'frame') {
      const frame = message.frame as OddsFrame
      if (subscribed.has(frame.fixtureId) && state.has(frame.fixtureId)) {
        state.set(frame.fixtureId, mergeFrame(state.get(frame.fixtureId), frame))
      }
    }
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }))
  })
  const client: TestClient = {
    ws,
    texts,
    messages,
    state,
    seqErrors,
    closed,
    subscribe(fixtureIds) {
      for (const id of fixtureIds) subscribed.add(id)
      ws.send(JSON.stringify({ op: 'subscribe', fixtureIds }))
    },
    unsubscribe(fixtureIds) {
      for (const id of fixtureIds) {
        subscribed.delete(id)
        state.delete(id)
      }
      ws.send(JSON.stringify({ op: 'unsubscribe', fixtureIds }))
    },
    send: (text) => ws.send(text),
    close: () => ws.close(),
  }
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client))
    ws.once('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode }))
      ws.terminate()
    })
    ws.once('error', (error) => reject(error))
  })
}

/** Polls `check` until it returns true (or throws its last failure after `ms`). */
export async function eventually(
  check: () => unknown | Promise<unknown>,
  ms = 30_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      if ((await check()) !== false) return
      if (Date.now() > deadline) throw new Error('condition never became true')
    } catch (error) {
      if (Date.now() > deadline) throw error
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A relay-protocol client that reconnects (to `url()`, which may change) and resubscribes. */
export interface DurableClient {
  readonly watched: Set<string>
  current: TestClient | undefined
  readonly seqErrors: string[]
  /** Closes seen: code per close. */
  readonly closes: number[]
  state(fixtureId: string): Fixture | undefined
  watch(fixtureIds: string[]): void
  unwatch(fixtureIds: string[]): void
  stop(): void
}

export function durable(
  url: () => string,
  token: () => Promise<string>,
  options: { retryMs?: number } = {},
): DurableClient {
  const watched = new Set<string>()
  const seqErrors: string[] = []
  const closes: number[] = []
  let stopped = false
  const self: DurableClient = {
    watched,
    current: undefined,
    seqErrors,
    closes,
    state: (fixtureId) => self.current?.state.get(fixtureId),
    watch(fixtureIds) {
      for (const id of fixtureIds) watched.add(id)
      if (self.current?.ws.readyState === WebSocket.OPEN) self.current.subscribe(fixtureIds)
    },
    unwatch(fixtureIds) {
      for (const id of fixtureIds) watched.delete(id)
      if (self.current?.ws.readyState === WebSocket.OPEN) self.current.unsubscribe(fixtureIds)
    },
    stop() {
      stopped = true
      self.current?.ws.terminate()
    },
  }
  const open = async (): Promise<void> => {
    while (!stopped) {
      try {
        const client = await connect(url(), await token(), 'relay')
        self.current = client
        if (watched.size > 0) client.subscribe([...watched])
        const { code } = await client.closed
        seqErrors.push(...client.seqErrors)
        closes.push(code)
      } catch {
        // refused or unreachable: try again
      }
      if (!stopped) await sleep(options.retryMs ?? 100)
    }
  }
  void open()
  return self
}
