/**
 * The hub: every connected client, and per fixture its relay-protocol subscribers. It fans each
 * event out by key (a frame wakes only its fixture's subscribers and the plain v4 clients) and
 * answers subscriptions with snapshots from the relay's state.
 * @module
 */
import type { Fixture } from '@oddsfeed/core'
import type { RelayEvent } from './broker.js'
import type { Client, ClientHub } from './client.js'
import type { RelayMetrics } from './metrics.js'
import type { Outgoing } from './outbox.js'

/** The relay's state, as the hub needs it. */
export interface HubState {
  /** A fixture's merged state now: includes exactly the frames already delivered. */
  get(fixtureId: string): Fixture | undefined
  /** Whether the state is worth a first snapshot (hydrated, or there is nothing to wait for). */
  isReady(fixtureId: string): boolean
  /** The first subscriber of a fixture on this instance: keep it hydrated. */
  hold(fixtureId: string): void
  /** Nobody here watches it any more. */
  release(fixtureId: string): void
}

/** Timings of a {@link Hub}. */
export interface HubOptions {
  /** A subscription to a fixture being hydrated waits this long at most for its snapshot. */
  hydrationWaitMs: number
  /** A fixture nobody watches is released after this long (a quick resubscribe keeps it). */
  releaseAfterMs: number
  /** A relay-protocol client idle this long gets a keepalive. */
  keepaliveMs: number
}

interface Channel {
  /** Clients that got their snapshot and now get every frame. */
  subscribers: Client[]
  /** Clients waiting for the fixture's hydration before their first snapshot. */
  waiting: Set<Client>
  waitTimer: ReturnType<typeof setTimeout> | undefined
  releaseTimer: ReturnType<typeof setTimeout> | undefined
}

/** The hub of one relay instance. */
export class Hub implements ClientHub {
  private readonly clients = new Set<Client>()
  private plain: Client[] = []
  private readonly channels = new Map<string, Channel>()
  private readonly json = new WeakMap<Fixture, string>()
  private readonly keepaliveTimer: ReturnType<typeof setInterval>

  constructor(
    private readonly state: HubState,
    private readonly options: HubOptions,
    private readonly metrics: RelayMetrics,
  ) {
    this.keepaliveTimer = setInterval(
      () => this.keepalives(),
      Math.max(10, Math.min(5_000, options.keepaliveMs / 5)),
    )
    this.keepaliveTimer.unref()
  }

  /** Connected clients. */
  get size(): number {
    return this.clients.size
  }

  /** Fixtures with subscribers here. */
  get watched(): number {
    return this.channels.size
  }

  add(client: Client): void {
    this.clients.add(client)
    if (client.mode === 'plain') this.plain = [...this.plain, client]
  }

  remove(client: Client): void {
    if (!this.clients.delete(client)) return
    if (client.mode === 'plain') this.plain = this.plain.filter((c) => c !== client)
    for (const fixtureId of client.subscriptions) this.unsubscribe(client, fixtureId)
  }

  subscribe(client: Client, fixtureId: string): void {
    let channel = this.channels.get(fixtureId)
    if (!channel) {
      channel = {
        subscribers: [],
        waiting: new Set(),
        waitTimer: undefined,
        releaseTimer: undefined,
      }
      this.channels.set(fixtureId, channel)
      this.state.hold(fixtureId)
    }
    clearTimeout(channel.releaseTimer)
    channel.releaseTimer = undefined
    if (channel.subscribers.includes(client)) {
      this.sendSnapshot(client, fixtureId)
      return
    }
    if (channel.waiting.has(client)) return
    if (this.state.isReady(fixtureId)) {
      channel.subscribers = [...channel.subscribers, client]
      this.sendSnapshot(client, fixtureId)
      return
    }
    channel.waiting.add(client)
    channel.waitTimer ??= setTimeout(
      () => this.flushWaiting(fixtureId),
      this.options.hydrationWaitMs,
    )
  }

  unsubscribe(client: Client, fixtureId: string): void {
    const channel = this.channels.get(fixtureId)
    if (!channel) return
    channel.waiting.delete(client)
    channel.subscribers = channel.subscribers.filter((c) => c !== client)
    if (channel.subscribers.length > 0 || channel.waiting.size > 0 || channel.releaseTimer) return
    clearTimeout(channel.waitTimer)
    channel.waitTimer = undefined
    channel.releaseTimer = setTimeout(() => {
      const current = this.channels.get(fixtureId)
      if (current !== channel || channel.subscribers.length > 0 || channel.waiting.size > 0) return
      this.channels.delete(fixtureId)
      this.state.release(fixtureId)
    }, this.options.releaseAfterMs)
    channel.releaseTimer.unref?.()
  }

  /** Fans one event out. The relay's state already includes it. */
  deliver(event: RelayEvent): void {
    if (event.type === 'frame') {
      const { frame, text } = event
      const fixtureId = frame.fixtureId
      // one message for every client that gets the frame whole: encoded once, not per client
      const message = { kind: 'frame', fixtureId, frame, text, shared: {} } as const
      const plain = this.plain
      for (let i = 0; i < plain.length; i++) send(plain[i] as Client, message)
      const channel = this.channels.get(fixtureId)
      if (!channel) return
      const subscribers = channel.subscribers
      for (let i = 0; i < subscribers.length; i++) send(subscribers[i] as Client, message)
    } else if (event.type === 'keepalive') {
      for (const client of this.plain) client.keepalive(event.text)
    } else if (event.type === 'reopened') {
      // They may have missed frames: reconnecting makes a v4 client fetch its snapshots again.
      for (const client of this.plain) client.close(1012, 'upstream reconnected')
    } else {
      // Its state changed outside the frames: subscribers get it whole again, waiters at last.
      const subscribers = this.channels.get(event.fixtureId)?.subscribers ?? []
      for (const client of subscribers) this.sendSnapshot(client, event.fixtureId)
      this.flushWaiting(event.fixtureId)
    }
  }

  /** Every subscription gets a fresh snapshot (the state was rebuilt: a role change). */
  resyncAll(): void {
    for (const [fixtureId, channel] of this.channels) {
      if (!this.state.isReady(fixtureId)) continue
      this.flushWaiting(fixtureId)
      for (const client of channel.subscribers) this.sendSnapshot(client, fixtureId)
    }
  }

  /** Fixtures subscribed on this instance. */
  fixtureIds(): IterableIterator<string> {
    return this.channels.keys()
  }

  /** Closes every client with `code` and stops the timers. */
  close(code: number, reason: string): void {
    clearInterval(this.keepaliveTimer)
    for (const channel of this.channels.values()) {
      clearTimeout(channel.waitTimer)
      clearTimeout(channel.releaseTimer)
    }
    for (const client of this.clients) client.close(code, reason)
  }

  /** The waiting clients of a fixture get their snapshot now (hydrated, or waited long enough). */
  private flushWaiting(fixtureId: string): void {
    const channel = this.channels.get(fixtureId)
    if (!channel) return
    clearTimeout(channel.waitTimer)
    channel.waitTimer = undefined
    if (channel.waiting.size === 0) return
    const waiting = [...channel.waiting]
    channel.waiting.clear()
    channel.subscribers = [...channel.subscribers, ...waiting]
    for (const client of waiting) this.sendSnapshot(client, fixtureId)
  }

  private sendSnapshot(client: Client, fixtureId: string): void {
    const fixture = this.state.get(fixtureId)
    let json: string
    if (fixture === undefined) json = 'null'
    else if (client.scope.allBookmakers) {
      json = this.json.get(fixture) ?? JSON.stringify(fixture)
      this.json.set(fixture, json)
    } else json = JSON.stringify(client.scope.fixture(fixture))
    client.snapshot(fixtureId, json)
  }

  private keepalives(): void {
    const before = Date.now() - this.options.keepaliveMs
    for (const client of this.clients) {
      if (client.mode === 'relay' && client.lastSentAt <= before) client.keepalive('')
    }
    this.metrics.sample()
  }
}

/** A frame to one client, cut to its scope. */
function send(client: Client, message: Outgoing & { kind: 'frame' }): void {
  const scope = client.scope
  if (scope.allBookmakers) {
    if (scope.allowsFixture(message.fixtureId)) client.frame(message)
    return
  }
  const part = scope.frame(message.frame)
  if (part === message.frame) client.frame(message)
  else if (part)
    client.frame({ kind: 'frame', fixtureId: message.fixtureId, frame: part, text: undefined })
}
