/**
 * One client connection: its mode (plain v4 or `oddsfeed.relay.v1`), its scope, its `seq`, its
 * outgoing queue, and one handler per client op.
 * @module
 */

import type { Duplex } from 'node:stream'
import {
  CLOSE_TOO_SLOW,
  MAX_FIXTURES_PER_MESSAGE,
  type OddsFrame,
  type RelayClientMessage,
  RelayClientMessageSchema,
  type RelayErrorCode,
} from '@oddsfeed/core'
import * as v from 'valibot'
import type { WebSocket } from 'ws'
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
}

/** A connected client. */
export class Client {
  /** Fixtures this client is subscribed to (relay protocol). */
  readonly subscriptions = new Set<string>()
  /** When the last message was written (for keepalives). */
  lastSentAt = Date.now()
  private seq = 0
  private readonly outbox: Outbox
  private closed = false
  /** Writes of one tick go out together: the socket is corked until the tick ends. */
  private corked = false
  private readonly uncork = () => {
    this.corked = false
    this.socket.uncork()
  }
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
        buffered: () => ws.bufferedAmount,
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

  /** A frame of a fixture this client gets (already within its scope). */
  frame(fixtureId: string, frame: OddsFrame, text: string | undefined): void {
    this.outbox.send({ kind: 'frame', fixtureId, frame, text })
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
    this.ws.close(code, reason)
    setTimeout(() => this.ws.terminate(), this.options.closeGraceMs).unref()
  }

  private write(message: Outgoing): void {
    let text: string
    if (this.mode === 'plain') {
      if (message.kind === 'snapshot') return
      text =
        message.kind === 'frame'
          ? (message.text ?? JSON.stringify(message.frame))
          : message.encode(0)
    } else {
      const seq = ++this.seq
      if (message.kind === 'frame') {
        text = `{"op":"frame","seq":${seq},"frame":${message.text ?? JSON.stringify(message.frame)}}`
      } else if (message.kind === 'snapshot') {
        text = `{"op":"snapshot","seq":${seq},"fixtureId":${JSON.stringify(message.fixtureId)},"fixture":${message.json}}`
      } else {
        text = message.encode(seq)
      }
    }
    this.metrics.messagesOut++
    this.lastSentAt = Date.now()
    if (!this.corked) {
      this.corked = true
      this.socket.cork()
      process.nextTick(this.uncork)
    }
    this.ws.send(text)
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
