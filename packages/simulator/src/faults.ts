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
  /**
   * Every Nth `GET /v4/odds` fails, in turn with a 500 (a text body) and a 400 (a JSON body);
   * the client retries it.
   */
  restFailEvery?: number | undefined
  /**
   * Echo the `apiKey` each client sent back to it, as a careless upstream would (for leak
   * tests): in the close reason of dropped connections (in turn: as received, as written in
   * the URL, JSON-escaped; left out when it does not fit the 123 bytes of a reason), and in the
   * bodies of REST errors (the 500 of `restFailEvery` holds it raw and as written in the URL,
   * the 400 and 401 bodies JSON-escaped).
   */
  echoKey?: boolean | undefined
}

/** Where {@link FaultOptions.echoKey} finds the key: as received (decoded) and as written. */
export interface ReceivedKey {
  /** The `apiKey` parameter, decoded. */
  readonly key: string
  /** The `apiKey` parameter as the client wrote it in the URL (percent- or form-encoded). */
  readonly sent: string
}

/** The key of a request URL (`/v4/ws?apiKey=…`), as received and as written. */
export function receivedKey(requestUrl: string | undefined): ReceivedKey {
  const url = requestUrl ?? '/'
  const key = new URL(url, 'http://localhost').searchParams.get('apiKey') ?? ''
  const sent = /[?&]apiKey=([^&#]*)/.exec(url)?.[1] ?? ''
  return { key, sent }
}

const CLOSE_REASON_BYTES = 123

/** The reason of a dropped connection; the `n`th drop echoes the key in its `n % 3` spelling. */
export function dropReason(received: ReceivedKey | undefined, n: number): string {
  const plain = 'simulator: connection dropped'
  if (!received) return plain
  const spellings = [received.key, received.sent, JSON.stringify(received.key).slice(1, -1)]
  const reason = `${plain}, key ${spellings[n % spellings.length]}`
  return new TextEncoder().encode(reason).length <= CLOSE_REASON_BYTES ? reason : plain
}

/** A failed `GET /v4/odds` of `restFailEvery`: status, content type and body. */
export function restFailure(
  received: ReceivedKey | undefined,
  n: number,
): { status: number; type: string; body: string } {
  if (n % 2 === 1) {
    const message = received
      ? `internal error for key ${received.key} (sent as ${received.sent})`
      : 'internal error'
    return { status: 500, type: 'text/plain; charset=utf-8', body: `${message}\n` }
  }
  const message = received ? `bad request for key ${received.key}` : 'bad request'
  return {
    status: 400,
    type: 'application/json',
    body: JSON.stringify({ error: { code: 'BAD_REQUEST', message } }),
  }
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
