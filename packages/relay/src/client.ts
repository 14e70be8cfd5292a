/**
 * One client connection: its mode (plain v4 or `oddsfeed.relay.v1`), its scope, its `seq`, its
 * outgoing queue, and one handler per client op.
 * @module
 */

import type { Duplex } from 'node:stream'
import {
  CLOSE_TOO_SLOW,
  MAX_FIXTURES_PER_MESSAGE,
  type RelayClientMessage,
  RelayClientMessageSchema,
  type RelayErrorCode,
} from '@oddsfeed/core'
import * as v from 'valibot'
import type { WebSocket } from 'ws'
import { flushAfter, type SharedFrame, WriteBatch } from './batch.js'
import type { RelayMetrics } from './metrics.js'
import { Outbox, type OutboxOptions, type Outgoing } from './outbox.js'
import type { ClientScope } from './scope.js'

/** How a client talks: `plain` v4 frames, or the `relay` protocol (`oddsfeed.relay.v1`). */
export type ClientMode = 'plain' | 'relay'

/** What a client asks of the hub. */
export interface ClientHub {
  subscribe(client: Client, fixtureId: string): void
  unsubscribe(client: Client, fixtureId: string): void
  remove(client: Client): void
}

/** Limits of one client. */
export interface ClientOptions extends OutboxOptions {
  /** Most fixtures one client may be subscribed to. */
  maxSubscriptions: number
  /** How long a client closed as too slow gets to read its close frame before it is cut off. */
  closeGraceMs: number
  /**
   * A client's messages of this window go out in one write (`0`: those of one event-loop turn):
   * writes scale with clients × windows, not clients × frames; latency grows by at most this.
   */
  flushMs: number
}

const FRAME_HEAD = Buffer.from('{"op":"frame","seq":')
const SNAPSHOT_HEAD = Buffer.from('{"op":"snapshot","seq":')

/** A connected client. */
export class Client {
  /** Fixtures this client is subscribed to (relay protocol). */
  readonly subscriptions = new Set<string>()
  /** When the last message was written (for keepalives). */
  lastSentAt = Date.now()
  private seq = 0
  private readonly outbox: Outbox
  private closed = false
  /** What waits for the end of the flush window. */
  private readonly batch = new WriteBatch()
  private readonly handlers: {
    [Op in RelayClientMessage['op']]: (message: Extract<RelayClientMessage, { op: Op }>) => void
  } = {
    subscribe: (message) => this.onSubscribe(message.fixtureIds),
    unsubscribe: (message) => this.onUnsubscribe(message.fixtureIds),
  }

  constructor(
    private readonly ws: WebSocket,
    private readonly socket: Duplex,
    readonly mode: ClientMode,
    readonly scope: ClientScope,
    private readonly hub: ClientHub,
    private readonly options: ClientOptions,
    private readonly metrics: RelayMetrics,
  ) {
    this.outbox = new Outbox(
      {
        buffered: () => ws.bufferedAmount + this.batch.bytes,
        write: (message) => this.write(message),
        tooSlow: (reason) => this.closeTooSlow(reason),
      },
      options,
      metrics,
    )
    ws.on('message', (data) => this.onMessage(data))
    ws.on('close', () => this.onClose())
    ws.on('error', () => ws.terminate())
    // The TCP socket's buffer emptied: send what waited.
    socket.on('drain', () => this.outbox.flush())
  }

  /** A frame of a fixture this client gets (already within its scope; may be shared). */
  frame(message: Outgoing & { kind: 'frame' }): void {
    this.outbox.send(message)
  }

  /** A fixture's whole state (`json`: its JSON text, or `null`), superseding what is queued. */
  snapshot(fixtureId: string, json: string): void {
    this.outbox.send({ kind: 'snapshot', fixtureId, json })
  }

  /** An upstream keepalive (plain) or the relay's own (relay protocol). */
  keepalive(text: string): void {
    if (this.mode === 'plain') {
      this.outbox.send({ kind: 'message', encode: () => text })
    } else {
      this.outbox.send({ kind: 'message', encode: (seq) => `{"op":"keepalive","seq":${seq}}` })
    }
  }

  /** An `{"op":"error"}` message; the connection goes on. */
  error(code: RelayErrorCode, message: string): void {
    const body = `"code":${JSON.stringify(code)},"message":${JSON.stringify(message)}`
    this.outbox.send({ kind: 'message', encode: (seq) => `{"op":"error","seq":${seq},${body}}` })
  }

  /** Closes the connection (e.g. the relay stops). */
  close(code: number, reason: string): void {
    if (this.closed) return
    this.flushBatch()
    this.ws.close(code, reason)
    setTimeout(() => this.ws.terminate(), this.options.closeGraceMs).unref()
  }

  /** Writes the flush window's messages, in one write. */
  flushBatch(): void {
    if (this.batch.size === 0) return
    const data = this.batch.take()
    this.lastSentAt = Date.now()
    if (this.ws.readyState === this.ws.OPEN) this.socket.write(data)
  }

  private write(message: Outgoing): void {
    if (this.mode === 'plain') {
      if (message.kind === 'snapshot') return
      const body = message.kind === 'frame' ? plainBody(message) : Buffer.from(message.encode(0))
      this.batch.add(undefined, 0, body)
    } else {
      const seq = ++this.seq
      if (message.kind === 'frame') {
        this.batch.add(FRAME_HEAD, seq, relayBody(message))
      } else if (message.kind === 'snapshot') {
        const rest = `,"fixtureId":${JSON.stringify(message.fixtureId)},"fixture":${message.json}}`
        this.batch.add(SNAPSHOT_HEAD, seq, Buffer.from(rest))
      } else {
        this.batch.add(undefined, 0, Buffer.from(message.encode(seq)))
      }
    }
    this.metrics.messagesOut++
    if (this.batch.size === 1) flushAfter(this.options.flushMs, this)
  }

  private onMessage(data: unknown): void {
    if (this.mode === 'plain') return // the v4 feed takes no messages
    let parsed: unknown
    try {
      parsed = JSON.parse(String(data))
    } catch {
      this.error('bad_message', 'Not JSON')
      return
    }
    const result = v.safeParse(RelayClientMessageSchema, parsed)
    if (!result.success) {
      const issue = result.issues[0]
      const path = issue ? v.getDotPath(issue) : null
      if (
        issue?.type === 'max_length' &&
        path === 'fixtureIds' &&
        Array.isArray((parsed as { fixtureIds?: unknown }).fixtureIds)
      ) {
        this.error('too_many', `At most ${MAX_FIXTURES_PER_MESSAGE} fixture ids per message`)
        return
      }
      this.error('bad_message', `${path ? `${path}: ` : ''}${issue?.message ?? 'Invalid message'}`)
      return
    }
    const message = result.output
    ;(this.handlers[message.op] as (m: RelayClientMessage) => void)(message)
  }

  private onSubscribe(fixtureIds: readonly string[]): void {
    const forbidden: string[] = []
    for (const fixtureId of fixtureIds) {
      if (!this.scope.allowsFixture(fixtureId)) {
        forbidden.push(fixtureId)
        continue
      }
      if (!this.subscriptions.has(fixtureId)) {
        if (this.subscriptions.size >= this.options.maxSubscriptions) {
          this.error('too_many', `At most ${this.options.maxSubscriptions} subscriptions`)
          break
        }
        this.subscriptions.add(fixtureId)
      }
      // (again: a fresh snapshot)
      this.hub.subscribe(this, fixtureId)
    }
    if (forbidden.length > 0) {
      const shown = forbidden.slice(0, 20).join(', ')
      this.error(
        'forbidden',
        `Not in the token's scope: ${shown}${forbidden.length > 20 ? ', …' : ''}`,
      )
    }
  }

  private onUnsubscribe(fixtureIds: readonly string[]): void {
    for (const fixtureId of fixtureIds) {
      if (!this.subscriptions.delete(fixtureId)) continue
      this.outbox.discard(fixtureId)
      this.hub.unsubscribe(this, fixtureId)
    }
  }

  private closeTooSlow(reason: string): void {
    this.metrics.closedTooSlow++
    this.close(CLOSE_TOO_SLOW, `too slow: ${reason}`.slice(0, 120))
  }

  private onClose(): void {
    if (this.closed) return
    this.closed = true
    this.outbox.close()
    this.hub.remove(this)
  }
}

type FrameMessage = Outgoing & { kind: 'frame' }

/** `,"frame":{…}}`, encoded once per shared message. */
function relayBody(message: FrameMessage): Buffer {
  const shared: SharedFrame | undefined = message.shared
  if (shared?.relay) return shared.relay
  const body = Buffer.from(`,"frame":${message.text ?? JSON.stringify(message.frame)}}`)
  if (shared) shared.relay = body
  return body
}

/** The v4 frame's text, encoded once per shared message. */
function plainBody(message: FrameMessage): Buffer {
  const shared: SharedFrame | undefined = message.shared
  if (shared?.plain) return shared.plain
  const body = Buffer.from(message.text ?? JSON.stringify(message.frame))
  if (shared) shared.plain = body
  return body
}
