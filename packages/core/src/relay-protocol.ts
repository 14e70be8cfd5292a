/**
 * The `oddsfeed.relay.v1` WebSocket subprotocol, spoken between `@oddsfeed/relay` and the core's
 * `protocol: 'relay'` mode: subscriptions with snapshots. The one definition of its messages, for
 * both ends. A frame or fixture inside a message is validated with the frame schema by whoever
 * receives it ({@link decodeFrame}), so every guard of the socket path applies to it too.
 *
 * Client → relay: `subscribe` / `unsubscribe`. Relay → client: `snapshot`, `frame`, `error`,
 * `keepalive`, each with `seq`: the message's number on the connection, from 1, without gaps.
 * A snapshot is the relay's full merged state of one fixture at that point of the stream
 * (`null`: the relay holds nothing for it); merging it, then the frames after it, gives exactly
 * the relay's state.
 * @module
 */
import * as v from 'valibot'

/** The `Sec-WebSocket-Protocol` value of the relay protocol. */
export const RELAY_PROTOCOL = 'oddsfeed.relay.v1'

/** Close code of a client that cannot keep up: it should reconnect and resubscribe. */
export const CLOSE_TOO_SLOW = 4008

/** How often the relay sends a keepalive on an idle connection (ms). */
export const RELAY_KEEPALIVE_MS = 25_000

/** Most fixture ids one `subscribe` or `unsubscribe` may carry. */
export const MAX_FIXTURES_PER_MESSAGE = 10_000

const fixtureIds = v.pipe(
  v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
  v.maxLength(MAX_FIXTURES_PER_MESSAGE),
)

const clientMessageSchema = v.variant('op', [
  v.object({ op: v.literal('subscribe'), fixtureIds }),
  v.object({ op: v.literal('unsubscribe'), fixtureIds }),
])

/** A message from a client to the relay. */
export type RelayClientMessage = v.InferOutput<typeof clientMessageSchema>

/** Validates a client message (already parsed from JSON). */
export const RelayClientMessageSchema: v.GenericSchema<unknown, RelayClientMessage> =
  clientMessageSchema

const seq = v.pipe(v.number(), v.integer(), v.minValue(1))
/** Frames and fixtures travel as JSON objects; their content is checked by `decodeFrame`. */
const jsonObject = v.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'Expected an object',
)

const relayMessageSchema = v.variant('op', [
  v.object({
    op: v.literal('snapshot'),
    fixtureId: v.string(),
    fixture: v.nullable(jsonObject),
    seq,
  }),
  v.object({ op: v.literal('frame'), frame: jsonObject, seq }),
  v.object({ op: v.literal('error'), code: v.string(), message: v.string(), seq }),
  v.object({ op: v.literal('keepalive'), seq }),
])

/** A message from the relay to a client (frame and fixture not yet validated as such). */
export type RelayMessage = v.InferOutput<typeof relayMessageSchema>

/** Validates a relay message (already parsed from JSON). */
export const RelayMessageSchema: v.GenericSchema<unknown, RelayMessage> = relayMessageSchema

/**
 * Error codes the relay sends in `{"op":"error"}`: `bad_message` (not JSON, unknown op, wrong
 * fields), `forbidden` (a fixture outside the token's scope), `too_many` (over
 * {@link MAX_FIXTURES_PER_MESSAGE} or the relay's per-client subscription cap).
 */
export type RelayErrorCode = 'bad_message' | 'forbidden' | 'too_many'
