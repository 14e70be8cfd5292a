/**
 * One client's outgoing queue: empty while the socket keeps up; past `maxBufferedBytes` of
 * unsent data it queues, folding each fixture's pending frames into one (the core's
 * `mergeFrames`: applying the folded frame equals applying the frames in order), and a client
 * still behind after `tooSlowMs`, or with more than `maxQueued` entries queued, is too slow.
 * @module
 */
import { mergeFrames, type OddsFrame } from '@oddsfeed/core'
import type { SharedFrame } from './batch.js'
import type { RelayMetrics } from './metrics.js'

/** A message for one client, before it gets its `seq` and its encoding. */
export type Outgoing =
  /** A frame; `text` is its JSON text when sent untouched (otherwise it is serialised). */
  | {
      readonly kind: 'frame'
      readonly fixtureId: string
      readonly frame: OddsFrame
      readonly text: string | undefined
      /** The frame's encodings, shared by every client sent this same message (filled on use). */
      readonly shared?: SharedFrame | undefined
    }
  /** A fixture's whole state (`json` is the fixture's JSON text, or `null`). */
  | { readonly kind: 'snapshot'; readonly fixtureId: string; readonly json: string }
  /** Anything else (an error, a keepalive): `encode` renders it with its `seq`. */
  | { readonly kind: 'message'; readonly encode: (seq: number) => string }

/** Where an {@link Outbox} writes. */
export interface OutboxSink {
  /** Bytes written but not yet sent by the socket. */
  buffered(): number
  /** Sends one message now. */
  write(message: Outgoing): void
  /** The client cannot keep up (called once). */
  tooSlow(reason: string): void
}

/** Limits of an {@link Outbox}. */
export interface OutboxOptions {
  /** Unsent bytes in the socket past which messages are queued (and frames folded). */
  maxBufferedBytes: number
  /** Still behind after this long → too slow. */
  tooSlowMs: number
  /** More entries queued than this → too slow. */
  maxQueued: number
}

/** Frames folded together beyond this many are merged at once (bounds a slot's memory). */
const FOLD_AT = 32

type Slot =
  | {
      kind: 'frames'
      fixtureId: string
      frames: OddsFrame[]
      text: string | undefined
      dead: boolean
    }
  | { kind: 'one'; message: Outgoing; dead: boolean }

/** The queue of one client. */
export class Outbox {
  private queue: Slot[] = []
  private head = 0
  /** Each fixture's frames slot still open for folding (the last one queued). */
  private readonly openFrames = new Map<string, Slot & { kind: 'frames' }>()
  /** Each fixture's queued snapshot (a newer one supersedes it). */
  private readonly snapshots = new Map<string, Slot>()
  private behindSince: number | undefined
  private timer: ReturnType<typeof setInterval> | undefined
  private slow = false
  private closed = false

  constructor(
    private readonly sink: OutboxSink,
    private readonly options: OutboxOptions,
    private readonly metrics: RelayMetrics,
  ) {}

  /** Entries waiting. */
  get size(): number {
    return this.queue.length - this.head
  }

  /** Sends at once while the socket keeps up; queues (folding frames) when it does not. */
  send(message: Outgoing): void {
    if (this.closed) return
    if (this.head === this.queue.length && this.sink.buffered() < this.options.maxBufferedBytes) {
      this.sink.write(message)
      return
    }
    this.enqueue(message)
    this.behind()
  }

  /** Drops what is queued for a fixture (unsubscribed, or superseded by a snapshot). */
  discard(fixtureId: string): void {
    const frames = this.openFrames.get(fixtureId)
    if (frames) {
      frames.dead = true
      this.metrics.dropped += frames.frames.length
      this.openFrames.delete(fixtureId)
    }
    const snapshot = this.snapshots.get(fixtureId)
    if (snapshot) {
      snapshot.dead = true
      this.snapshots.delete(fixtureId)
    }
  }

  /** Writes what is queued while the socket takes it. */
  flush(): void {
    const limit = this.options.maxBufferedBytes
    while (this.head < this.queue.length && !this.closed && this.sink.buffered() < limit) {
      const slot = this.queue[this.head++] as Slot
      if (slot.dead) continue
      if (slot.kind === 'one') {
        if (slot.message.kind === 'snapshot') this.snapshots.delete(slot.message.fixtureId)
        this.sink.write(slot.message)
        continue
      }
      if (this.openFrames.get(slot.fixtureId) === slot) this.openFrames.delete(slot.fixtureId)
      this.writeFrames(slot)
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    if (this.head === this.queue.length) {
      this.queue = []
      this.head = 0
      // Caught up only once the socket has room again: an empty queue over a full socket buffer
      // is still behind.
      if (this.sink.buffered() < limit) {
        this.behindSince = undefined
        clearInterval(this.timer)
        this.timer = undefined
      }
    }
  }

  /** Stops the timer and forgets everything queued. */
  close(): void {
    this.closed = true
    clearInterval(this.timer)
    this.timer = undefined
    this.queue = []
    this.head = 0
    this.openFrames.clear()
    this.snapshots.clear()
  }

  private enqueue(message: Outgoing): void {
    if (message.kind === 'frame') {
      const open = this.openFrames.get(message.fixtureId)
      if (open) {
        open.frames.push(message.frame)
        open.text = undefined
        this.metrics.coalesced++
        if (open.frames.length >= FOLD_AT) open.frames = [fold(open.frames)]
        return
      }
      const slot = {
        kind: 'frames' as const,
        fixtureId: message.fixtureId,
        frames: [message.frame],
        text: message.text,
        dead: false,
      }
      this.openFrames.set(message.fixtureId, slot)
      this.queue.push(slot)
    } else {
      const slot: Slot = { kind: 'one', message, dead: false }
      if (message.kind === 'snapshot') {
        // The snapshot holds everything queued for its fixture before it.
        this.discard(message.fixtureId)
        this.snapshots.set(message.fixtureId, slot)
      }
      this.queue.push(slot)
    }
    if (this.size > this.options.maxQueued) {
      this.tooSlow(`more than ${this.options.maxQueued} messages queued`)
    }
  }

  /** One frame per bookmaker (as the v4 feed sends them), fixture fields in one more. */
  private writeFrames(slot: Slot & { kind: 'frames' }): void {
    const { frames, fixtureId } = slot
    if (frames.length === 1) {
      this.sink.write({ kind: 'frame', fixtureId, frame: frames[0] as OddsFrame, text: slot.text })
      return
    }
    for (const part of splitByBookmaker(fold(frames))) {
      this.sink.write({ kind: 'frame', fixtureId, frame: part, text: undefined })
    }
  }

  private behind(): void {
    if (this.behindSince !== undefined) return
    this.behindSince = Date.now()
    this.timer = setInterval(() => this.check(), 100)
    this.timer.unref?.()
  }

  private check(): void {
    this.flush()
    if (this.behindSince !== undefined && Date.now() - this.behindSince > this.options.tooSlowMs) {
      this.tooSlow(`behind for more than ${this.options.tooSlowMs} ms`)
    }
  }

  private tooSlow(reason: string): void {
    if (this.slow) return
    this.slow = true
    this.close()
    this.sink.tooSlow(reason)
  }
}

/** Frames of one fixture folded into one, with the merge's rules. */
export function fold(frames: readonly OddsFrame[]): OddsFrame {
  return mergeFrames(undefined, frames) as OddsFrame
}

/**
 * A frame cut into frames of one bookmaker each (and one with the fixture's own fields, first,
 * when it has any). The parts touch disjoint parts of the state, so their order does not matter.
 */
export function splitByBookmaker(frame: OddsFrame): OddsFrame[] {
  const { bookmakerOdds, ...rest } = frame as OddsFrame & { bookmakerOdds?: unknown }
  if (bookmakerOdds === null || typeof bookmakerOdds !== 'object' || Array.isArray(bookmakerOdds)) {
    return [frame]
  }
  const parts: OddsFrame[] = []
  if (Object.keys(rest).length > 1) parts.push(rest as OddsFrame)
  for (const [bookmaker, odds] of Object.entries(bookmakerOdds as Record<string, unknown>)) {
    parts.push({ fixtureId: frame.fixtureId, bookmakerOdds: { [bookmaker]: odds } } as OddsFrame)
  }
  return parts.length > 0 ? parts : [frame]
}
