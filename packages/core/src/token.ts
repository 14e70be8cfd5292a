/**
 * The client token of a relay: a string, or a function asked before every (re)connect (tokens
 * expire), appended as the `token` query parameter (browsers cannot set headers on a WebSocket)
 * and masked wherever text leaves the feed, like the API key.
 * @module
 */
import { createRedactor, type Redactor } from './errors.js'
import type { WebSocketConstructor, WebSocketLike } from './transport.js'

/** A token: a string, or a function (sync or async) called before every (re)connect. */
export type TokenSource = string | (() => string | Promise<string>)

/** How many of the latest tokens are masked (a token function may return a new one per connect). */
const REMEMBERED_TOKENS = 16

const TOKEN_PARAM = /([?&]token=)[^&#\s"'<>]*/gi

/**
 * @internal Masks every token seen so far (the latest {@link REMEMBERED_TOKENS}) in every
 * spelling, as a whole token, with the same rules as the API key ({@link createRedactor}), and
 * every `token=` query value.
 */
export class TokenRedactor {
  private readonly tokens: string[] = []
  private redactors: Redactor[] = []

  /** Learns a token: from now on it is masked. */
  add(token: string): void {
    if (this.tokens.includes(token)) return
    this.tokens.push(token)
    if (this.tokens.length > REMEMBERED_TOKENS) this.tokens.shift()
    // longest first, so that a token containing another is masked whole
    this.redactors = [...this.tokens]
      .sort((a, b) => b.length - a.length)
      .map((t) => createRedactor(t))
  }

  /** Masks what {@link add} learned. */
  readonly redact: Redactor = (text, as) => {
    let out = text.replace(TOKEN_PARAM, '$1***')
    for (const redact of this.redactors) out = redact(out, as)
    return out
  }
}

/** @internal What {@link tokenWebSocket} gives the feed. */
export interface TokenWebSocket {
  /** Pass to the connection: every `new` asks for the token, then opens the real socket. */
  readonly WebSocket: WebSocketConstructor
  /** The socket made last (to send on it once it is open). */
  current(): WebSocketLike | undefined
}

/**
 * @internal Wraps a WebSocket constructor so that every socket it makes carries the token (asked
 * for anew each time when it is a function) and the subprotocol. With a token function the
 * socket opens once the token is known; a function that throws, rejects or returns no string
 * fails that attempt like a failed handshake (the connection retries with backoff).
 */
export function tokenWebSocket(options: {
  WebSocket: WebSocketConstructor
  token: TokenSource | undefined
  protocols: string | undefined
  secrets: TokenRedactor
}): TokenWebSocket {
  const { WebSocket: Base, token, protocols, secrets } = options
  let current: WebSocketLike | undefined
  const open = (url: string, value: string | undefined): WebSocketLike =>
    protocols === undefined
      ? new Base(withToken(url, value))
      : new Base(withToken(url, value), protocols)
  if (typeof token === 'string') secrets.add(token)
  const make = (url: string): WebSocketLike => {
    current =
      typeof token === 'function'
        ? new DeferredSocket(
            async () => {
              const value = await token()
              if (typeof value !== 'string' || value === '') {
                throw new TypeError(
                  'the token function returned no token (expected a non-empty string)',
                )
              }
              secrets.add(value)
              return value
            },
            (value) => open(url, value),
          )
        : open(url, token)
    return current
  }
  // `new` on a plain function that returns an object gives that object.
  const Wrapped = function (this: unknown, url: string) {
    return make(url)
  } as unknown as WebSocketConstructor
  return { WebSocket: Wrapped, current: () => current }
}

function withToken(url: string, token: string | undefined): string {
  if (token === undefined) return url
  const parsed = new URL(url)
  parsed.searchParams.set('token', token)
  return parsed.toString()
}

const CONNECTING = 0
const CLOSED = 3

/**
 * A socket that exists before the real one: it waits for the token, then opens the real socket
 * and forwards its events. Closed before that, it opens nothing.
 */
class DeferredSocket implements WebSocketLike {
  onopen: WebSocketLike['onopen'] = null
  onmessage: WebSocketLike['onmessage'] = null
  onclose: WebSocketLike['onclose'] = null
  onerror: WebSocketLike['onerror'] = null
  private inner: WebSocketLike | undefined
  private state = CONNECTING
  private type = 'blob'

  constructor(token: () => Promise<string>, open: (token: string) => WebSocketLike) {
    token().then(
      (value) => {
        if (this.state === CLOSED) return
        let socket: WebSocketLike
        try {
          socket = open(value)
        } catch (cause) {
          this.fail(`Cannot open WebSocket: ${describe(cause)}`)
          return
        }
        this.inner = socket
        socket.binaryType = this.type
        socket.onopen = (event) => this.onopen?.(event)
        socket.onmessage = (event) => this.onmessage?.(event)
        socket.onerror = (event) => this.onerror?.(event)
        socket.onclose = (event) => {
          this.state = CLOSED
          this.onclose?.(event)
        }
      },
      (cause) => {
        if (this.state !== CLOSED) this.fail(`Cannot get a token: ${describe(cause)}`)
      },
    )
  }

  get readyState(): number {
    return this.inner?.readyState ?? this.state
  }

  get binaryType(): string {
    return this.inner?.binaryType ?? this.type
  }

  set binaryType(type: string) {
    this.type = type
    if (this.inner) this.inner.binaryType = type
  }

  send(data: string): void {
    this.inner?.send(data)
  }

  close(code?: number, reason?: string): void {
    this.state = CLOSED
    this.inner?.close(code, reason)
  }

  terminate(): void {
    this.state = CLOSED
    const inner = this.inner
    if (inner?.terminate) inner.terminate()
    else inner?.close()
  }

  private fail(message: string): void {
    this.state = CLOSED
    this.onerror?.({ message })
    this.onclose?.({ code: 1006 })
  }
}

function describe(value: unknown): string {
  return value instanceof Error ? value.message : String(value)
}
