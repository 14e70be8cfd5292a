/**
 * Fault injection: each fault is an option, off by default.
 * @module
 */

/** Faults the simulator can inject. Every one is off unless set. */
export interface FaultOptions {
  /** Close every connection every this many ms. */
  dropEveryMs?: number | undefined
  /** `clean` (default): a close handshake with code 1001. `abrupt`: the TCP socket is destroyed. */
  dropMode?: 'clean' | 'abrupt' | undefined
  /** Every this many ms, stop sending anything (frames and keepalives) for `stallForMs`, without closing. */
  stallEveryMs?: number | undefined
  /** How long each stall lasts. Default 5000 ms. */
  stallForMs?: number | undefined
  /** After every N frames, send one malformed frame (truncated JSON). */
  malformedEvery?: number | undefined
  /** After every N frames, send one oversized frame (valid JSON, `oversizedBytes` long). */
  oversizedEvery?: number | undefined
  /** Size of an oversized frame. Default 2 MiB. */
  oversizedBytes?: number | undefined
  /** Refuse WebSocket handshakes with this HTTP status. */
  refuseHandshake?: 429 | 500 | undefined
  /** Refuse only the first N handshakes (default: all of them). */
  refuseCount?: number | undefined
}

/** A truncated frame: starts like JSON, does not parse. */
export function malformedFrame(fixtureId: string): string {
  return `{"fixtureId":"${fixtureId}","bookmakerOdds":{"pinnacle":{"markets":{"101":`
}

/**
 * A valid frame of `bytes` bytes: the fixture id and an unknown `padding` field (which a client
 * keeps, the schema being open: do not mix this fault with ground-truth comparisons).
 */
export function oversizedFrame(fixtureId: string, bytes: number): string {
  const head = `{"fixtureId":${JSON.stringify(fixtureId)},"padding":"`
  const tail = '"}'
  return head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail
}

/** The status line of a refused handshake. */
export function refusal(status: number): string {
  const reason =
    status === 401
      ? 'Unauthorized'
      : status === 404
        ? 'Not Found'
        : status === 429
          ? 'Too Many Requests'
          : 'Internal Server Error'
  const body = JSON.stringify({ error: { code: reason.toUpperCase().replace(/ /g, '_') } })
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  )
}
