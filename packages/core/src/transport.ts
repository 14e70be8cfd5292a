/**
 * One WebSocket, kept open: exponential backoff with full jitter, an idle watchdog, fatal auth
 * refusals, and the browser's `online` event. Knows nothing of frames: it hands raw data on.
 * @module
 */
import { FeedError, type Redactor } from './errors.js'

type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack']

/**
 * The part of a WebSocket the feed uses: satisfied by the browser's `WebSocket`, by `ws` (what
 * `isomorphic-ws` gives in Node) and by Node 22's global `WebSocket`.
 */
export interface WebSocketLike {
  /** `0` connecting, `1` open, `2` closing, `3` closed. */
  readonly readyState: number
  /** Set to `arraybuffer` by the feed. */
  binaryType: string
  /** Called once the socket is open. */
  onopen: Handler<unknown> | null
  /** Called with each message (text or binary). */
  onmessage: Handler<{ readonly data: unknown }> | null
  /** Called once the socket is closed, with the close code and reason. */
  onclose: Handler<{ readonly code?: number; readonly reason?: string }> | null
  /** Called on a transport error (a close follows). */
  onerror: Handler<unknown> | null
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void
  /** Sends a text message (the relay protocol's `subscribe` / `unsubscribe`). */
  send(data: string): void
  /** `ws` only: drop the connection without a closing handshake. */
  terminate?: () => void
}

/**
 * A WebSocket constructor, e.g. the browser's `WebSocket` or `ws`. `protocols` is the
 * subprotocol to ask for (`oddsfeed.relay.v1` with `protocol: 'relay'`; none otherwise).
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike

/** Reconnection policy: exponential backoff with full jitter. */
export interface ReconnectOptions {
  /** First delay's upper bound. Default 500 ms. */
  initialDelayMs: number
  /** Cap of the delay's upper bound. Default 30 s. */
  maxDelayMs: number
  /** Consecutive failed attempts before giving up (status `closed`). Default `Infinity`. */
  maxAttempts: number
}

/** The connection's state, as published on `feed.status$`. */
export interface FeedStatus {
  /** `idle` before the first connect; `closed` after `close()`, a fatal error, or giving up. */
  readonly state: 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'
  /** Consecutive failed attempts; reset after the socket stayed open 10 s. */
  readonly attempt: number
  /** With `reconnecting`: the delay before the next attempt. */
  readonly retryInMs?: number
  /** What caused the current state, when something failed. */
  readonly error?: FeedError
  /** The URL, with the key masked. */
  readonly url: string
}

/** Defaults for {@link ReconnectOptions}. */
export const DEFAULT_RECONNECT: Readonly<ReconnectOptions> = Object.freeze({
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  maxAttempts: Number.POSITIVE_INFINITY,
})

/** @internal */
export interface ConnectionOptions {
  url: string
  WebSocket: WebSocketConstructor
  reconnect: Readonly<ReconnectOptions> | false
  idleTimeoutMs: number | false
  /** How long a handshake may take before the socket is dropped and retried. */
  connectTimeoutMs: number | false
  /** How long a socket must stay open before the attempt count resets. */
  stableAfterMs: number
  redact: Redactor
  onMessage: (data: unknown) => void
  onStatus: (status: FeedStatus) => void
  onError: (error: FeedError) => void
  random?: () => number
}

const AUTH_REFUSED = /Unexpected server response: (\d{3})/
const WS_CONNECTING = 0

/**
 * @internal A self-healing WebSocket connection.
 *
 * `close()` is final from anywhere, callbacks included: every callback it makes (`onStatus`,
 * `onError`, `onMessage`) may call it, so after each one it checks `disposed` before going on,
 * and nothing that opens a socket or starts a timer runs once it is set.
 */
export class Connection {
  private socket: WebSocketLike | undefined
  private state: FeedStatus['state'] = 'idle'
  private disposed = false
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private stableTimer: ReturnType<typeof setTimeout> | undefined
  private connectTimer: ReturnType<typeof setTimeout> | undefined
  private watchdog: ReturnType<typeof setInterval> | undefined
  private messages = 0
  private lastError: FeedError | undefined
  private authStatus: number | undefined
  private readonly safeUrl: string
  private readonly onOnline = () => {
    if (this.state === 'reconnecting' && !this.disposed) {
      clearTimeout(this.retryTimer)
      this.open()
    }
  }

  constructor(private readonly options: ConnectionOptions) {
    this.safeUrl = options.redact(options.url)
  }

  /** Opens the socket unless it is open, opening or scheduled to reopen. */
  connect(): void {
    if (this.disposed) return
    if (this.state === 'connecting' || this.state === 'open' || this.state === 'reconnecting') {
      return
    }
    this.attempt = 0
    if (typeof globalThis.addEventListener === 'function') {
      globalThis.addEventListener('online', this.onOnline)
    }
    this.open()
  }

  /** Closes for good: no retry, no timer, no socket left behind, no callback after it. */
  close(): void {
    if (this.disposed) return
    this.disposed = true
    this.stopTimers()
    this.dropSocket(false)
    if (typeof globalThis.removeEventListener === 'function') {
      globalThis.removeEventListener('online', this.onOnline)
    }
    // The last callback: whatever it does, nothing follows.
    if (this.state !== 'closed') {
      this.state = 'closed'
      this.options.onStatus({ state: 'closed', attempt: this.attempt, url: this.safeUrl })
    }
  }

  private open(): void {
    this.retryTimer = undefined
    if (this.disposed) return
    this.authStatus = undefined
    this.lastError = undefined
    if (!this.setStatus('connecting')) return
    let socket: WebSocketLike
    try {
      socket = new this.options.WebSocket(this.options.url)
    } catch (cause) {
      const error = this.error('transport', `Cannot open WebSocket: ${describe(cause)}`)
      if (this.report(error)) this.finish(error)
      return
    }
    this.socket = socket
    socket.binaryType = 'arraybuffer'
    this.startConnectTimer()
    socket.onopen = () => {
      clearTimeout(this.connectTimer)
      this.connectTimer = undefined
      if (!this.setStatus('open')) return
      this.startWatchdog()
      this.stableTimer = setTimeout(() => {
        this.stableTimer = undefined
        if (this.attempt !== 0) {
          this.attempt = 0
          this.setStatus('open')
        }
      }, this.options.stableAfterMs)
    }
    socket.onmessage = (event) => {
      this.messages++
      this.options.onMessage(event.data)
    }
    socket.onerror = (event) => {
      const message = describe(event)
      const refused = AUTH_REFUSED.exec(message)
      if (refused) {
        const status = Number(refused[1])
        if (status === 401 || status === 403) this.authStatus = status
        this.lastError = this.error('transport', `Handshake refused with HTTP ${status}`, status)
      } else {
        this.lastError = this.error('transport', `WebSocket error: ${message}`)
      }
    }
    socket.onclose = (event) => {
      this.dropSocket(false)
      this.stopTimers()
      if (this.authStatus !== undefined) {
        const error = this.error(
          'auth',
          `Handshake refused with HTTP ${this.authStatus}: check the API key or token`,
          this.authStatus,
        )
        if (this.report(error)) this.finish(error)
        return
      }
      const code = event?.code
      const error =
        this.lastError ??
        this.error(
          'transport',
          `Connection closed${code !== undefined ? ` (code ${code}${event.reason ? `, ${event.reason}` : ''})` : ''}`,
        )
      if (this.report(error)) this.retry(error)
    }
  }

  /** Past `connectTimeoutMs` without `open`: the socket is dropped and retried. */
  private startConnectTimer(): void {
    const timeout = this.options.connectTimeoutMs
    if (timeout === false || !Number.isFinite(timeout) || timeout <= 0) return
    this.connectTimer = setTimeout(() => {
      this.connectTimer = undefined
      const error = this.error('transport', `Handshake not answered within ${timeout} ms`)
      this.stopTimers()
      this.dropSocket(true)
      if (this.report(error)) this.retry(error)
    }, timeout)
  }

  private retry(error: FeedError): void {
    if (this.disposed) return
    const policy = this.options.reconnect
    if (!policy) {
      this.finish(error)
      return
    }
    this.attempt++
    if (this.attempt > policy.maxAttempts) {
      this.finish(error)
      return
    }
    const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (this.attempt - 1))
    const delay = Math.floor((this.options.random ?? Math.random)() * ceiling)
    if (!this.setStatus('reconnecting', { retryInMs: delay, error })) return
    this.retryTimer = setTimeout(() => this.open(), delay)
  }

  private finish(error: FeedError): void {
    this.stopTimers()
    if (typeof globalThis.removeEventListener === 'function') {
      globalThis.removeEventListener('online', this.onOnline)
    }
    this.setStatus('closed', { error })
  }

  private startWatchdog(): void {
    const idle = this.options.idleTimeoutMs
    if (this.disposed || idle === false || !Number.isFinite(idle) || idle <= 0) return
    let seen = this.messages
    let lastActivity = Date.now()
    this.watchdog = setInterval(
      () => {
        const now = Date.now()
        if (this.messages !== seen) {
          seen = this.messages
          lastActivity = now
          return
        }
        if (now - lastActivity < idle) return
        const error = this.error('stale', `No frame for ${now - lastActivity} ms: reconnecting`)
        this.stopTimers()
        this.dropSocket(true)
        if (this.report(error)) this.retry(error)
      },
      Math.max(5, Math.floor(idle / 4)),
    )
  }

  private stopTimers(): void {
    clearTimeout(this.retryTimer)
    clearTimeout(this.stableTimer)
    clearTimeout(this.connectTimer)
    clearInterval(this.watchdog)
    this.retryTimer = this.stableTimer = this.connectTimer = this.watchdog = undefined
  }

  /** Detaches the socket and closes it (terminates it when `abrupt`). */
  private dropSocket(abrupt: boolean): void {
    const socket = this.socket
    if (!socket) return
    this.socket = undefined
    socket.onopen = socket.onmessage = socket.onclose = null
    // ws emits 'error' when a connecting socket is closed: keep a listener so it is not thrown.
    socket.onerror = () => {}
    try {
      if ((abrupt || socket.readyState === WS_CONNECTING) && socket.terminate) socket.terminate()
      else socket.close(1000, 'client closed')
    } catch {
      // closing an already failed socket may throw in some implementations
    }
  }

  /** Publishes a state. Returns `false` when the callback closed the connection: stop there. */
  private setStatus(
    state: FeedStatus['state'],
    extra: { retryInMs?: number; error?: FeedError } = {},
  ): boolean {
    if (this.disposed) return false
    this.state = state
    this.options.onStatus({ state, attempt: this.attempt, url: this.safeUrl, ...extra })
    return !this.disposed
  }

  /** Reports an error. Returns `false` when the callback closed the connection: stop there. */
  private report(error: FeedError): boolean {
    if (this.disposed) return false
    this.options.onError(error)
    return !this.disposed
  }

  private error(kind: 'transport' | 'auth' | 'stale', message: string, status?: number): FeedError {
    return new FeedError(kind, this.options.redact(message), status !== undefined ? { status } : {})
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message
  if (value && typeof value === 'object') {
    const event = value as { message?: unknown; error?: unknown; type?: unknown }
    if (typeof event.message === 'string' && event.message) return event.message
    if (event.error instanceof Error) return event.error.message
    if (typeof event.type === 'string') return event.type
  }
  return String(value)
}
