/**
 * `@oddsfeed/relay`: one upstream OddsPapi v4 connection, many clients. Token auth, plain v4 or
 * `oddsfeed.relay.v1` (subscriptions with snapshots), slow-client coalescing, scale-out over
 * Redis. Node only.
 * @packageDocumentation
 */
export { type Authenticate, tokenOf, verifyToken } from './auth.js'
export {
  type Board,
  type Broker,
  type BrokerHandlers,
  MemoryBroker,
  type RelayEvent,
  type RelayRole,
  type WireEvent,
} from './broker.js'
export type { RelayLogger } from './logger.js'
export { createKeyRedactor } from './redact.js'
export { RedisBroker, type RedisBrokerOptions } from './redis-broker.js'
export {
  type Relay,
  type RelayHealth,
  type RelayLimits,
  type RelayOptions,
  startRelay,
} from './relay.js'
export type { RelayScope } from './scope.js'
export type { UpstreamTuning } from './upstream.js'
