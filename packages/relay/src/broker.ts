/**
 * The broker: how the instance that holds the upstream (the leader) hands every event to the
 * instances that serve clients (itself included), and keeps the state a newcomer starts from.
 * A small interface, after centrifuge's: {@link MemoryBroker} for one instance, `RedisBroker`
 * for many; another engine (NATS JetStream) would be one more implementation.
 * @module
 */
import type { Fixture, OddsFrame } from '@oddsfeed/core'

/** What flows from the upstream to the clients, in order. */
export type RelayEvent =
  /** A valid upstream frame, with the text it arrived as. */
  | {
      /** Which event. */
      readonly type: 'frame'
      /** The frame, decoded and validated. */
      readonly frame: OddsFrame
      /** The frame's text as the upstream sent it (forwarded as is to plain v4 clients). */
      readonly text: string
    }
  /** An upstream keepalive, as received (plain v4 clients get it as is). */
  | {
      /** Which event. */
      readonly type: 'keepalive'
      /** The keepalive's text as received. */
      readonly text: string
    }
  /**
   * A fixture's state changed outside the frames (a REST snapshot was merged): `fixture` is its
   * whole merged state now. Relay-protocol subscribers get a fresh snapshot.
   */
  | {
      /** Which event. */
      readonly type: 'hydrated'
      /** The fixture whose state changed. */
      readonly fixtureId: string
      /** Its whole merged state now; `undefined` when the relay holds nothing for it. */
      readonly fixture: Fixture | undefined
    }
  /**
   * The upstream (re)opened: frames may have been missed before it. Plain v4 clients are
   * closed so that they reconnect and fetch their snapshots again, as they would from the feed.
   */
  | {
      /** Which event. */
      readonly type: 'reopened'
    }

/** An event as a follower reads it from a shared broker: text, decoded by the follower. */
export type WireEvent =
  /** An upstream frame. */
  | {
      /** Which event. */
      readonly type: 'frame'
      /** The frame's text as the upstream sent it. */
      readonly text: string
    }
  /** An upstream keepalive. */
  | {
      /** Which event. */
      readonly type: 'keepalive'
      /** The keepalive's text as received. */
      readonly text: string
    }
  /** A fixture's state changed outside the frames (a REST snapshot was merged). */
  | {
      /** Which event. */
      readonly type: 'hydrated'
      /** The fixture whose state changed. */
      readonly fixtureId: string
      /** The fixture's whole state as JSON text, or `null`. */
      readonly json: string
    }
  /** The upstream (re)opened: frames may have been missed before it. */
  | {
      /** Which event. */
      readonly type: 'reopened'
    }

/** An instance's part: `single` (memory broker), `leader` or `follower` (a shared broker). */
export type RelayRole = 'single' | 'leader' | 'follower'

/** The state a follower starts from: every fixture's merged state (JSON) and which are hydrated. */
export interface Board {
  /** Every fixture's merged state as JSON text, by fixture id. */
  readonly fixtures: ReadonlyMap<string, string>
  /** The fixtures whose state has been hydrated (a REST snapshot merged). */
  readonly hydrated: ReadonlySet<string>
}

/** What a broker calls back into its instance. */
export interface BrokerHandlers {
  /**
   * The instance's role, at start and on every change. A follower gets the {@link Board} to
   * start from; the events after it follow through {@link BrokerHandlers.event}.
   */
  role(role: RelayRole, board?: Board): void
  /** An event published by this instance, to deliver to its own clients. */
  event(event: RelayEvent): void
  /** Follower: an event of the leader, in order, after the {@link Board} it started from. */
  followed(event: WireEvent): void
  /** Leader: the fixtures other instances' clients watch (the whole set, when it changes). */
  wants(fixtureIds: ReadonlySet<string>): void
  /** Leader: one fixture's merged state now, to keep in the broker. */
  state(fixtureId: string): Fixture | undefined
}

/** The broker interface. */
export interface Broker {
  /** Starts (and, for a shared broker, joins the election); calls `handlers.role` when known. */
  start(handlers: BrokerHandlers): Promise<void>
  /** Leader or single: delivers an event to this instance and to every follower. */
  publish(event: RelayEvent): void
  /** Follower: this instance's clients watch (or stopped watching) a fixture. */
  want(fixtureId: string, wanted: boolean): void
  /** Stops; a leader gives up its lock. */
  stop(): Promise<void>
}

/** The embedded broker: one instance, everything in memory, no other service. */
export class MemoryBroker implements Broker {
  private handlers: BrokerHandlers | undefined

  async start(handlers: BrokerHandlers): Promise<void> {
    this.handlers = handlers
    handlers.role('single')
  }

  publish(event: RelayEvent): void {
    this.handlers?.event(event)
  }

  want(): void {}

  async stop(): Promise<void> {
    this.handlers = undefined
  }
}
