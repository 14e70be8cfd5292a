/**
 * `startRelay`: one upstream socket, many clients. Wires the parts: HTTP server (WebSocket on
 * `/v4/ws`, `GET /healthz`, `GET /metrics`), authentication, hub, node and broker.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { type FeedStatus, RELAY_KEEPALIVE_MS, RELAY_PROTOCOL } from '@oddsfeed/core'
import { WebSocketServer } from 'ws'
import { type Authenticate, verifyToken } from './auth.js'
import { type Broker, MemoryBroker } from './broker.js'
import { Client, type ClientOptions } from './client.js'
import { Hub } from './hub.js'
import { type RelayLogger, redactingLogger, SILENT } from './logger.js'
import { RelayMetrics } from './metrics.js'
import { RelayNode } from './node.js'
import { createKeyRedactor } from './redact.js'
import { RedisBroker, type RedisBrokerOptions } from './redis-broker.js'
import { ClientScope } from './scope.js'
import type { UpstreamTuning } from './upstream.js'

/** Options of {@link startRelay}. */
export interface RelayOptions {
  /** Port to listen on; `0` picks a free one. */
  port: number
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string | undefined
  /** The v4 feed the relay holds one connection to, and its REST host for snapshots. */
  upstream: {
    /** The feed's WebSocket URL (`wss://api.oddspapi.io/v4/ws`, or a simulator's). */
    url: string
    /** The OddsPapi API key: held by the relay, never sent to a client or logged. */
    apiKey: string
    /** Base of the REST API for snapshots (`https://api.oddspapi.io`); without it no hydration. */
    snapshotUrl?: string | undefined
  }
  /** The HS256 secret client tokens are signed with (the app's backend mints them). */
  secret?: string | Uint8Array | undefined
  /** Replaces token verification: the client's scope, or `null` to refuse it with 401. */
  authenticate?: Authenticate | undefined
  /** Scale-out: a Redis URL (`redis://host:6379`), or options. Default: one instance, in memory. */
  redis?: string | RedisBrokerOptions | undefined
  /** Where log lines go (every one redacted). Default: nowhere. */
  logger?: RelayLogger | undefined
  /** Limits and timings; the defaults suit production. */
  limits?: Partial<RelayLimits> | undefined
  /** Timings of the upstream feed (reconnect backoff, idle watchdog, snapshot retries). */
  upstreamTuning?: UpstreamTuning | undefined
  /** Every status of the upstream connection while this instance holds it (redacted). */
  onUpstreamStatus?: ((status: FeedStatus) => void) | undefined
}

/** Limits and timings of a relay. */
export interface RelayLimits extends ClientOptions {
  /** Relay-protocol keepalive on an idle connection. Default {@link RELAY_KEEPALIVE_MS}. */
  keepaliveMs: number
  /** A subscription waits at most this long for its fixture's hydration. Default 5 s. */
  hydrationWaitMs: number
  /** A fixture nobody watches stays held this long. Default 30 s. */
  releaseAfterMs: number
  /** Largest client message. Default 1 MiB. */
  maxPayload: number
  /**
   * The `authenticate` hook (or token verification) must settle within this long; a handshake
   * still waiting then is refused with 503 and counted as refused. Default 10 s.
   */
  authTimeoutMs: number
}

const DEFAULT_LIMITS: RelayLimits = {
  maxBufferedBytes: 1 << 20,
  tooSlowMs: 10_000,
  maxQueued: 20_000,
  maxSubscriptions: 10_000,
  closeGraceMs: 5_000,
  flushMs: 0,
  keepaliveMs: RELAY_KEEPALIVE_MS,
  hydrationWaitMs: 5_000,
  releaseAfterMs: 30_000,
  maxPayload: 1 << 20,
  authTimeoutMs: 10_000,
}

/** A running relay. */
export interface Relay {
  /** The clients' URL: `ws://HOST:PORT/v4/ws` (add `?token=…`). */
  readonly url: string
  /** The port it listens on (the one picked when `port` was `0`). */
  readonly port: number
  /** What `GET /healthz` answers. */
  health(): RelayHealth
  /** Closes every client (1001), the upstream and the broker; resolves when the port is free. */
  stop(): Promise<void>
}

/** The body of `GET /healthz`. */
export interface RelayHealth {
  /** `starting` until the instance knows its role. */
  readonly status: 'ok' | 'starting'
  /** `single` (in memory), `leader` (holds the upstream) or `follower` (reads the leader's). */
  readonly role: 'single' | 'leader' | 'follower' | 'starting'
  /** The upstream connection's state (`follower`: the leader holds it). */
  readonly upstream: string
  /** Clients connected to this instance. */
  readonly clients: number
  /** Fixtures whose state this instance holds. */
  readonly fixtures: number
  /** Fixtures this instance's clients watch. */
  readonly watched: number
}

/**
 * Starts a relay: one upstream connection with `@oddsfeed/core` (REST hydration of what clients
 * watch, once for all of them), clients on `ws://HOST:PORT/v4/ws?token=JWT` speaking plain v4
 * or `oddsfeed.relay.v1`, health and metrics on the same port. With `redis`, several instances
 * share one upstream (the elected leader's) through Redis.
 *
 * @example
 * ```ts
 * const relay = await startRelay({
 *   port: 8080,
 *   upstream: { url: 'wss://api.oddspapi.io/v4/ws', apiKey: process.env.ODDSPAPI_API_KEY!, snapshotUrl: 'https://api.oddspapi.io' },
 *   secret: process.env.ODDSFEED_RELAY_SECRET!,
 * })
 * console.error(`relay on ${relay.url}`)
 * process.on('SIGTERM', () => void relay.stop())
 * ```
 * @throws TypeError without `secret` or `authenticate`; the listen error when the port is taken.
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const { upstream } = options
  if (!options.authenticate && !options.secret) {
    throw new TypeError('startRelay needs a secret (or an authenticate hook)')
  }
  const limits: RelayLimits = { ...DEFAULT_LIMITS, ...options.limits }
  const redact = createKeyRedactor(upstream.apiKey)
  const log = redactingLogger(options.logger ?? SILENT, redact)
  const authenticate = options.authenticate ?? verifyToken(options.secret as string | Uint8Array)
  const metrics = new RelayMetrics()
  const broker: Broker = options.redis
    ? new RedisBroker(
        typeof options.redis === 'string' ? { url: options.redis } : options.redis,
        log,
      )
    : new MemoryBroker()
  const node = new RelayNode({
    upstream: { url: upstream.url, apiKey: upstream.apiKey, snapshotUrl: upstream.snapshotUrl },
    tuning: options.upstreamTuning ?? {},
    broker,
    metrics,
    log,
    onStatus: options.onUpstreamStatus,
  })
  const hub = new Hub(node, limits, metrics)
  node.hub = hub

  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: limits.maxPayload,
    handleProtocols: (protocols) => (protocols.has(RELAY_PROTOCOL) ? RELAY_PROTOCOL : false),
  })

  const health = (): RelayHealth => ({
    status: node.currentRole === 'starting' ? 'starting' : 'ok',
    role: node.currentRole,
    upstream: node.upstreamStatus?.state ?? (node.currentRole === 'follower' ? 'follower' : 'none'),
    clients: hub.size,
    fixtures: node.fixtureCount,
    watched: hub.watched,
  })

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://relay').pathname
    if (request.method === 'GET' && path === '/healthz') {
      respond(response, 200, 'application/json', redact(JSON.stringify(health())))
    } else if (request.method === 'GET' && path === '/metrics') {
      const body = metrics.prometheus({
        clients: hub.size,
        fixtures: node.fixtureCount,
        leader: node.currentRole === 'leader' || node.currentRole === 'single',
      })
      respond(response, 200, 'text/plain; version=0.0.4', redact(body))
    } else {
      respond(response, 404, 'text/plain', 'Not found\n')
    }
  })

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const path = new URL(request.url ?? '/', 'http://relay').pathname
    if (path !== '/v4/ws') {
      metrics.refused++
      refuse(socket, 404, 'Not Found')
      return
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), limits.authTimeoutMs)
    })
    Promise.race([Promise.resolve().then(() => authenticate(request)), timedOut])
      .catch(() => null)
      .then((scope) => {
        clearTimeout(timer)
        if (scope === 'timeout') {
          metrics.refused++
          log.warn(`authentication took over ${limits.authTimeoutMs} ms: handshake refused`)
          refuse(socket, 503, 'Service Unavailable')
          return
        }
        if (!scope) {
          metrics.refused++
          refuse(socket, 401, 'Unauthorized')
          return
        }
        if (socket.destroyed) return
        wss.handleUpgrade(request, socket, head, (ws) => {
          const mode = ws.protocol === RELAY_PROTOCOL ? 'relay' : 'plain'
          hub.add(new Client(ws, socket, mode, new ClientScope(scope), hub, limits, metrics))
        })
      })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  try {
    await broker.start(node)
  } catch (error) {
    await broker.stop().catch(() => {})
    hub.close(1011, 'relay failed to start')
    await new Promise<void>((resolve) => server.close(() => resolve()))
    throw error
  }
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `ws://${host}:${address.port}/v4/ws`
  log.info(`relay on ${url} (${options.redis ? 'redis' : 'memory'})`)

  let stopping: Promise<void> | undefined
  return {
    url,
    port: address.port,
    health,
    stop() {
      stopping ??= (async () => {
        hub.close(1001, 'relay stopping')
        const deadline = Date.now() + 1_000
        while (wss.clients.size > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        for (const client of wss.clients) client.terminate()
        await broker.stop()
        node.close()
        wss.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
      })()
      return stopping
    },
  }
}

function respond(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  response.end(body)
}

function refuse(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length + 1}\r\n\r\n${text}\n`,
  )
}
