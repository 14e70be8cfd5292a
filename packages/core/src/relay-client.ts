/**
 * The client side of `oddsfeed.relay.v1` (`protocol: 'relay'`): subscriptions follow what the
 * app watches, snapshots replace a fixture's state and make it `live`, and frames go through the
 * feed's own pipeline (decode → validate → merge → publish). Every message is checked against
 * {@link RelayMessageSchema}, and its `seq` against the last one: a gap marks the connection's
 * fixtures `stale` and asks for fresh snapshots.
 * @module
 */
import * as v from 'valibot'
import {
  type DecodeResult,
  type DecodeSight,
  decodeFrame,
  isPlainFrame,
  isPlainFrameSeeing,
} from './decode.js'
import { FeedError, RAW_EXCERPT_LIMIT } from './errors.js'
import type { Hydration } from './hydration.js'
import { mergeFrame } from './merge.js'
import {
  MAX_FIXTURES_PER_MESSAGE,
  type RelayClientMessage,
  type RelayMessage,
  RelayMessageSchema,
} from './relay-protocol.js'
import type { Fixture, OddsFrame } from './schema.js'
import { shareEqual } from './share.js'
import type { FixtureStore } from './store.js'

/** @internal */
export interface RelayClientOptions {
  store: FixtureStore
  /** Holds the sync states (`feed.sync$`); REST is not used against a relay. */
  hydration: Hydration
  /**
   * The feed's pipeline from a decoded frame on: merge, publish (or the error published).
   * `moves`: what the decoder saw of the frame ({@link DecodeSight}).
   */
  accept(result: DecodeResult, moves?: readonly unknown[]): void
  /** Whether anybody watches the fixture (`select`, `market$`, `sync$`). */
  isWatched(fixtureId: string): boolean
  onError(error: FeedError): void
  /** How long an unwatched fixture stays subscribed (a component that remounts keeps it). */
  unsubscribeGraceMs: number
}

/** The part of a socket the relay client sends on. */
interface Sender {
  send(data: string): void
}

type Timer = ReturnType<typeof setTimeout>

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** @internal One feed's relay subscriptions, across its connections. */
export class RelayClient {
  /** Fixtures watched (or within their grace): subscribed on every connection. */
  private readonly wanted = new Set<string>()
  private readonly graceTimers = new Map<string, Timer>()
  private socket: Sender | undefined
  private nextSeq = 1
  private toSubscribe = new Set<string>()
  private toUnsubscribe = new Set<string>()
  private flushQueued = false
  private closed = false
  /** What the decoder saw of the frame message decoded last (taken at once). */
  private readonly sight: DecodeSight = { moves: undefined }

  constructor(private readonly options: RelayClientOptions) {}

  /** Someone watches the fixture: subscribe to it (batched per tick), or keep it subscribed. */
  want(fixtureId: string): void {
    if (this.closed) return
    const timer = this.graceTimers.get(fixtureId)
    if (timer !== undefined) {
      clearTimeout(timer)
      this.graceTimers.delete(fixtureId)
    }
    if (this.wanted.has(fixtureId)) return
    this.wanted.add(fixtureId)
    this.toUnsubscribe.delete(fixtureId)
    this.options.hydration.mark(fixtureId, 'hydrating')
    if (this.socket) {
      this.toSubscribe.add(fixtureId)
      this.queueFlush()
    }
  }

  /** A watcher left: once nobody has watched the fixture for the grace period, unsubscribe. */
  release(fixtureId: string): void {
    if (this.closed || !this.wanted.has(fixtureId) || this.graceTimers.has(fixtureId)) return
    if (this.options.isWatched(fixtureId)) return
    const timer = setTimeout(() => {
      this.graceTimers.delete(fixtureId)
      if (this.closed || this.options.isWatched(fixtureId)) return
      this.wanted.delete(fixtureId)
      this.toSubscribe.delete(fixtureId)
      if (this.socket) {
        this.toUnsubscribe.add(fixtureId)
        this.queueFlush()
      }
      // No frames come for it any more: what is stored may fall behind.
      const { hydration } = this.options
      const sync = hydration.get(fixtureId)
      hydration.mark(fixtureId, sync.hydratedAt !== undefined ? 'stale' : 'unhydrated')
    }, this.options.unsubscribeGraceMs)
    this.graceTimers.set(fixtureId, timer)
  }

  /** A socket opened: its `seq` starts at 1; subscribe to everything watched, in one message. */
  opened(socket: Sender | undefined): void {
    if (this.closed || !socket || socket === this.socket) return
    this.socket = socket
    this.nextSeq = 1
    this.resubscribeAll()
  }

  /** The socket is gone: nothing is subscribed until the next one opens. */
  dropped(): void {
    this.socket = undefined
    this.toSubscribe.clear()
    this.toUnsubscribe.clear()
  }

  /** One message from the relay. Never throws: trouble goes to `onError`, the stream goes on. */
  message(data: unknown): void {
    if (this.closed) return
    let text: string
    try {
      text = typeof data === 'string' ? data : utf8.decode(data as ArrayBuffer | ArrayBufferView)
    } catch {
      this.options.onError(new FeedError('parse', 'Relay message is not UTF-8 text'))
      return
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (cause) {
      const detail = cause instanceof Error ? `: ${cause.message}` : ''
      this.options.onError(
        new FeedError('parse', `Relay message is not valid JSON${detail}`, { raw: text }),
      )
      return
    }
    // A message that fails the schema still counts if it is numbered: no false gap.
    const seq = (json as { seq?: unknown } | null)?.seq
    if (typeof seq === 'number' && Number.isInteger(seq) && seq >= 1) this.count(seq)
    if (isFrameMessage(json)) {
      // nearly every message: no envelope copy
      const result = decodeOwned(json.frame, this.sight)
      const moves = this.sight.moves
      this.sight.moves = undefined
      this.options.accept(result, moves)
      return
    }
    const result = v.safeParse(RelayMessageSchema, json, { abortEarly: true })
    if (!result.success) {
      const issue = result.issues[0]
      const path = v.getDotPath(issue) ?? ''
      this.options.onError(
        new FeedError(
          'schema',
          `Invalid relay message${path ? ` at ${path}` : ''}: ${issue.message}`,
          { path, raw: text },
        ),
      )
      return
    }
    this.handle(result.output)
  }

  /** Stops every timer; nothing is sent any more. */
  close(): void {
    this.closed = true
    for (const timer of this.graceTimers.values()) clearTimeout(timer)
    this.graceTimers.clear()
    this.dropped()
  }

  private handle(message: RelayMessage): void {
    switch (message.op) {
      case 'frame':
        this.options.accept(decodeOwned(message.frame))
        return
      case 'snapshot':
        this.snapshot(message.fixtureId, message.fixture)
        return
      case 'error':
        this.options.onError(
          new FeedError(
            'relay',
            `Relay error ${message.code.slice(0, 64)}: ${message.message.slice(0, RAW_EXCERPT_LIMIT)}`,
            {
              code: message.code.slice(0, 64),
              raw: JSON.stringify(message).slice(0, RAW_EXCERPT_LIMIT),
            },
          ),
        )
        return
      case 'keepalive':
        // proves the connection alive: the idle watchdog counts every message
        return
    }
  }

  /**
   * The relay's full state of one fixture: it replaces what is stored (which may predate a
   * reconnect); unchanged subtrees keep their identity. `null`: the relay holds nothing for it.
   */
  private snapshot(fixtureId: string, raw: Record<string, unknown> | null): void {
    if (!this.wanted.has(fixtureId)) return // unsubscribed since: no frames would follow it
    let next: Fixture | undefined
    if (raw !== null) {
      const decoded = decodeOwned(raw)
      if (decoded.type === 'error') {
        this.options.onError(decoded.error)
        return
      }
      if (decoded.type !== 'frame') return
      if (decoded.frame.fixtureId !== fixtureId) {
        this.options.onError(
          new FeedError(
            'schema',
            `Relay snapshot of ${fixtureId} holds fixture ${decoded.frame.fixtureId}`,
            { path: 'fixture.fixtureId', fixtureId },
          ),
        )
        return
      }
      next = mergeFrame(undefined, decoded.frame)
    }
    const { store } = this.options
    store.flush() // frames merged before the snapshot are in it
    store.replace(fixtureId, shareEqual(store.get(fixtureId), next))
    this.options.hydration.mark(fixtureId, 'live', Date.now())
  }

  private count(seq: number): void {
    const expected = this.nextSeq
    this.nextSeq = seq + 1
    if (seq === expected) return
    this.options.onError(
      new FeedError(
        'relay',
        `Relay message ${seq} arrived where ${expected} was due: resubscribing for fresh snapshots`,
        { code: 'seq_gap' },
      ),
    )
    const { hydration } = this.options
    for (const fixtureId of this.wanted) {
      const state = hydration.get(fixtureId).state
      if (state === 'live' || state === 'hydrating') hydration.mark(fixtureId, 'stale')
    }
    this.resubscribeAll()
  }

  private resubscribeAll(): void {
    this.toUnsubscribe.clear()
    this.toSubscribe = new Set(this.wanted)
    for (const fixtureId of this.wanted) this.options.hydration.mark(fixtureId, 'hydrating')
    this.flush()
  }

  private queueFlush(): void {
    if (this.flushQueued) return
    this.flushQueued = true
    queueMicrotask(() => {
      this.flushQueued = false
      this.flush()
    })
  }

  private flush(): void {
    const socket = this.socket
    if (!socket || this.closed) return
    if (this.toUnsubscribe.size > 0) {
      const ids = [...this.toUnsubscribe]
      this.toUnsubscribe.clear()
      this.send(socket, 'unsubscribe', ids)
    }
    if (this.toSubscribe.size > 0) {
      const ids = [...this.toSubscribe]
      this.toSubscribe.clear()
      this.send(socket, 'subscribe', ids)
    }
  }

  private send(socket: Sender, op: RelayClientMessage['op'], ids: string[]): void {
    for (let i = 0; i < ids.length; i += MAX_FIXTURES_PER_MESSAGE) {
      const message: RelayClientMessage = {
        op,
        fixtureIds: ids.slice(i, i + MAX_FIXTURES_PER_MESSAGE),
      }
      try {
        socket.send(JSON.stringify(message))
      } catch {
        // a socket closing under us: its close resubscribes everything on the next one
      }
    }
  }
}

/**
 * {@link decodeFrame} for an object parsed here from the relay's text (nobody else holds it): as
 * in `decodeFrame`'s own fast path for text, a frame exactly as the schema would output it is the
 * frame; anything else goes through the schema. With `sight`, what the check saw of a price move
 * alone is written there ({@link DecodeSight}).
 */
function decodeOwned(json: Record<string, unknown>, sight?: DecodeSight): DecodeResult {
  if (sight ? isPlainFrameSeeing(json, sight) : isPlainFrame(json)) {
    return { type: 'frame', frame: json as OddsFrame }
  }
  return decodeFrame(json)
}

/**
 * `true` when `json` is a `frame` message that {@link RelayMessageSchema} accepts (its output
 * would hold this very `frame` object). `false` says nothing: the schema then decides. Checked
 * against the schema by `relay-client.test.ts`.
 */
export function isFrameMessage(
  json: unknown,
): json is { op: 'frame'; seq: number; frame: Record<string, unknown> } {
  if (typeof json !== 'object' || json === null) return false
  const { op, seq, frame } = json as { op?: unknown; seq?: unknown; frame?: unknown }
  return (
    op === 'frame' &&
    typeof seq === 'number' &&
    Number.isInteger(seq) &&
    seq >= 1 &&
    typeof frame === 'object' &&
    frame !== null &&
    !Array.isArray(frame)
  )
}
