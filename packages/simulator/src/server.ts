/**
 * `startSimulator`: the v4 feed on 127.0.0.1. One HTTP server answers REST and upgrades
 * `/v4/ws` to a WebSocket; every connection receives the same global feed.
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { OddsFrame } from '@oddsfeed/core'
import { WebSocket, WebSocketServer } from 'ws'
import {
  dropReason,
  type FaultOptions,
  malformedFrame,
  oversizedFrame,
  type ReceivedKey,
  receivedKey,
  refusal,
  restFailure,
} from './faults.js'
import {
  createGenerator,
  type FrameGenerator,
  type GeneratorOptions,
  type PricePath,
} from './generator.js'
import { loadRecords, type ReplayOptions, type ReplayRun, runReplay } from './replay.js'

/** Per-endpoint REST cooldowns in ms (`oddspapi-facts.md`). */
export const REST_COOLDOWNS = Object.freeze({
  /** `GET /v4/odds`. */
  odds: 500,
  /** `GET /v4/fixtures`. */
  fixtures: 2000,
  /** `GET /v4/markets` (the market catalogue). */
  markets: 1000,
  /** `GET /v4/tournaments`. */
  tournaments: 1000,
})

/** The REST endpoints served, by path. */
const ENDPOINTS: Readonly<Record<string, keyof typeof REST_COOLDOWNS | undefined>> = {
  '/v4/odds': 'odds',
  '/v4/fixtures': 'fixtures',
  '/v4/markets': 'markets',
  '/v4/tournaments': 'tournaments',
}

/** Options of {@link startSimulator}. Faults ({@link FaultOptions}) are top-level options too. */
export interface SimulatorOptions extends GeneratorOptions, FaultOptions {
  /** Port to listen on; `0` (default) picks a free one. */
  port?: number | undefined
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string | undefined
  /** The key clients must send as `?apiKey=`. Default `simulator-key`. */
  apiKey?: string | undefined
  /** Frames per second, sent in bursts every 10 ms. Default 20; `0` sends none (controls still work). */
  rate?: number | undefined
  /** Keepalive period, ms; `false` for none. Default 25 000 (none in replay mode). */
  keepaliveMs?: number | false | undefined
  /** The keepalive's text (not JSON). Default `ping`. */
  keepaliveText?: string | undefined
  /**
   * `real` (default): timestamps follow the wall clock (strictly increasing, whole ms; above
   * 1,000 frames per second they run ahead of it by 1 ms per frame, to stay strictly increasing).
   * `virtual`: the generator's own clock, so a seed gives byte-identical frames.
   */
  clock?: 'real' | 'virtual' | undefined
  /** REST cooldowns in ms, or `false` for none. Default {@link REST_COOLDOWNS}. */
  cooldowns?: Partial<Record<keyof typeof REST_COOLDOWNS, number>> | false | undefined
  /** A client whose unsent data exceeds this many bytes is disconnected. Default 64 MiB. */
  maxBufferedBytes?: number | undefined
  /** Serve a recorded capture instead of synthetic traffic. */
  replay?: ReplayOptions | undefined
}

/** Counters of a running simulator. */
export interface SimulatorStats {
  /** Frames broadcast (generated or replayed), whether or not anyone was connected. */
  framesSent: number
  /** Messages written to sockets (frames × connections, keepalives, faults). */
  messagesSent: number
  /** Keepalive texts sent. */
  keepalivesSent: number
  /** Malformed frames sent by the fault injection. */
  malformedSent: number
  /** Oversized frames sent by the fault injection. */
  oversizedSent: number
  /** Open WebSocket connections now. */
  connections: number
  /** Connections accepted since start. */
  connectionsTotal: number
  /** Handshakes refused (bad key, bad path, injected refusal). */
  handshakesRefused: number
  /** Connections closed by `dropConnections` or the drop fault. */
  connectionsDropped: number
  /** REST requests answered. */
  restRequests: number
  /** REST requests answered 429. */
  restRateLimited: number
  /** REST requests failed on purpose (`restFailEvery`). */
  restFailed: number
  /** Whether sending is stalled now. */
  stalled: boolean
}

/** A running simulator. */
export interface Simulator {
  /** `ws://127.0.0.1:PORT/v4/ws` (add `?apiKey=`; `createOddsFeed({ url, apiKey })` does). */
  readonly url: string
  /**
   * `http://127.0.0.1:PORT`: `GET /v4/odds`, `GET /v4/fixtures`, `GET /v4/markets` (the market
   * catalogue), `GET /v4/tournaments`.
   */
  readonly restUrl: string
  /** The port it listens on. */
  readonly port: number
  /** The generator behind the synthetic feed (`undefined` in replay mode). */
  readonly generator: FrameGenerator | undefined
  /** In replay mode: resolves when the capture has been sent (never when looping). */
  readonly replayDone: Promise<void> | undefined
  /** Counters; a fresh copy. */
  stats(): SimulatorStats
  /** Ids of every fixture (REST knows each of them). Empty in replay mode. */
  fixtureIds(): string[]
  /** Changes the frame rate now. */
  setRate(framesPerSecond: number): void
  /**
   * Closes every connection now: a clean close (1001, or `code` with `reason`) or, with
   * `abrupt`, a destroyed socket. Returns how many.
   */
  dropConnections(options?: {
    /** Destroy the sockets without a closing handshake. */
    abrupt?: boolean | undefined
    /** Close code (default 1001); `1000` says the feed has ended. */
    code?: number | undefined
    /** Close reason (default `simulator: connection dropped`, with `echoKey` the key too). */
    reason?: string | undefined
  }): number
  /** Sends nothing (frames are still generated and lost to clients, as on a dead link) for `ms`. */
  stall(ms: number): void
  /** Forces a price change of one entry and broadcasts its frame (even while `rate` is 0). */
  movePrice(path: PricePath): OddsFrame
  /** Sets one entry's price, broadcasts its frame. */
  setPrice(path: PricePath, price: number): OddsFrame
  /** Broadcasts arbitrary text to every connection (tests of odd input). */
  broadcast(text: string): void
  /** Stops timers, closes every connection and the server. */
  stop(): Promise<void>
}

/**
 * Starts a simulator. Resolves once it listens.
 *
 * @example
 * ```ts
 * const sim = await startSimulator({ port: 0, apiKey: 'k', seed: 7, fixtures: 20, rate: 50 })
 * const feed = createOddsFeed({ url: sim.url, apiKey: 'k' })
 * // ...
 * await sim.stop()
 * ```
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const apiKey = options.apiKey ?? 'simulator-key'
  const replayMode = options.replay !== undefined
  const records = options.replay ? await loadRecords(options.replay.source) : undefined
  const generator = replayMode
    ? undefined
    : createGenerator({
        ...options,
        ...(options.clock !== 'virtual' && !options.now && { now: Date.now }),
      })
  const cooldowns =
    options.cooldowns === false ? undefined : { ...REST_COOLDOWNS, ...options.cooldowns }
  const maxBuffered = options.maxBufferedBytes ?? 64 * 1024 * 1024
  const keepaliveMs = options.keepaliveMs ?? (replayMode ? false : 25_000)
  const keepaliveText = options.keepaliveText ?? 'ping'

  const stats: SimulatorStats = {
    framesSent: 0,
    messagesSent: 0,
    keepalivesSent: 0,
    malformedSent: 0,
    oversizedSent: 0,
    connections: 0,
    connectionsTotal: 0,
    handshakesRefused: 0,
    connectionsDropped: 0,
    restRequests: 0,
    restRateLimited: 0,
    restFailed: 0,
    stalled: false,
  }
  const clients = new Set<WebSocket>()
  /** With `echoKey`: the key each client sent. */
  const clientKeys = new WeakMap<WebSocket, ReceivedKey>()
  let drops = 0
  let oddsCalls = 0
  const timers = new Set<NodeJS.Timeout>()
  let stallUntil = 0
  let refusalsLeft = options.refuseCount ?? Number.POSITIVE_INFINITY
  let stopped = false

  const isStalled = () => performance.now() < stallUntil

  const sendAll = (text: string) => {
    if (isStalled()) return
    for (const ws of clients) {
      if (ws.readyState !== WebSocket.OPEN) continue
      if (ws.bufferedAmount > maxBuffered) {
        ws.terminate()
        continue
      }
      ws.send(text)
      stats.messagesSent++
    }
  }

  const sendFrame = (frame: OddsFrame | string) => {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame)
    sendAll(text)
    stats.framesSent++
    const n = stats.framesSent
    const fixtureId =
      typeof frame === 'string' ? (generator?.fixtureIds()[0] ?? 'id0') : frame.fixtureId
    if (options.malformedEvery && n % options.malformedEvery === 0) {
      sendAll(malformedFrame(fixtureId))
      stats.malformedSent++
    }
    if (options.oversizedEvery && n % options.oversizedEvery === 0) {
      sendAll(oversizedFrame(fixtureId, options.oversizedBytes ?? 2 * 1024 * 1024))
      stats.oversizedSent++
    }
  }

  // ---- synthetic traffic ---------------------------------------------------------------------
  let rate = Math.max(0, options.rate ?? 20)
  let budget = 0
  let lastTick = performance.now()
  const every = (ms: number, fn: () => void) => {
    const t = setInterval(fn, ms)
    t.unref?.()
    timers.add(t)
    return t
  }
  if (generator) {
    every(10, () => {
      const now = performance.now()
      budget = Math.min(budget + (rate * (now - lastTick)) / 1000, Math.max(1, rate / 10))
      lastTick = now
      while (budget >= 1) {
        budget -= 1
        sendFrame(generator.next())
      }
    })
  }
  if (keepaliveMs !== false) {
    every(keepaliveMs, () => {
      if (isStalled()) return
      for (const ws of clients) {
        if (ws.readyState === WebSocket.OPEN) {
          ws.send(keepaliveText)
          stats.messagesSent++
          stats.keepalivesSent++
        }
      }
    })
  }

  const dropConnections: Simulator['dropConnections'] = ({ abrupt = false, code, reason } = {}) => {
    let n = 0
    for (const ws of clients) {
      if (abrupt) ws.terminate()
      else ws.close(code ?? 1001, reason ?? dropReason(clientKeys.get(ws), drops++))
      n++
    }
    stats.connectionsDropped += n
    return n
  }
  const stall = (ms: number) => {
    stallUntil = Math.max(stallUntil, performance.now() + ms)
  }
  if (options.dropEveryMs) {
    every(options.dropEveryMs, () => dropConnections({ abrupt: options.dropMode === 'abrupt' }))
  }
  if (options.stallEveryMs) {
    every(options.stallEveryMs, () => stall(options.stallForMs ?? 5000))
  }

  // ---- replay ----------------------------------------------------------------------------------
  let replay: ReplayRun | undefined
  let resolveReplay: () => void = () => {}
  const replayDone = records
    ? new Promise<void>((resolve) => {
        resolveReplay = resolve
      })
    : undefined
  const startReplay = () => {
    if (!records || replay || stopped) return
    replay = runReplay(records, (text) => sendFrame(text), options.replay ?? {})
    replay.done.then(resolveReplay)
  }

  // ---- HTTP: REST and the upgrade ------------------------------------------------------------
  const lastCall = new Map<string, number>()
  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body)
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Access-Control-Allow-Origin': '*',
    })
    res.end(text)
  }
  const rest = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'Access-Control-Allow-Origin': '*' })
      res.end()
      return
    }
    const endpoint = Object.hasOwn(ENDPOINTS, url.pathname) ? ENDPOINTS[url.pathname] : undefined
    if (!endpoint || req.method !== 'GET') {
      json(res, 404, { error: { code: 'NOT_FOUND', message: 'No such endpoint' } })
      return
    }
    stats.restRequests++
    const received = options.echoKey ? receivedKey(req.url) : undefined
    if (url.searchParams.get('apiKey') !== apiKey) {
      const message = received ? `Invalid apiKey ${received.key}` : 'Invalid or missing apiKey'
      json(res, 401, { error: { code: 'UNAUTHORIZED', message } })
      return
    }
    const cooldown = cooldowns?.[endpoint] ?? 0
    const now = performance.now()
    const last = lastCall.get(endpoint)
    if (last !== undefined && now - last < cooldown) {
      stats.restRateLimited++
      const retryMs = Math.ceil(cooldown - (now - last))
      res.setHeader('Retry-After', String(Math.ceil(retryMs / 1000)))
      json(res, 429, { error: { code: 'RATE_LIMITED', retryMs } })
      return
    }
    lastCall.set(endpoint, now)
    if (endpoint === 'markets' || endpoint === 'tournaments') {
      let rows: { sportId: number }[] =
        (endpoint === 'markets' ? generator?.markets() : generator?.tournaments()) ?? []
      const sportId = url.searchParams.get('sportId')
      if (sportId !== null) rows = rows.filter((r) => String(r.sportId) === sportId)
      json(res, 200, rows)
      return
    }
    if (endpoint === 'fixtures') {
      let rows = generator?.fixtures() ?? []
      for (const field of ['sportId', 'statusId', 'tournamentId'] as const) {
        const wanted = url.searchParams.get(field)
        if (wanted !== null) rows = rows.filter((r) => String(r[field]) === wanted)
      }
      json(res, 200, rows)
      return
    }
    oddsCalls++
    if (options.restFailEvery && oddsCalls % options.restFailEvery === 0) {
      stats.restFailed++
      const failure = restFailure(received, stats.restFailed)
      res.writeHead(failure.status, {
        'Content-Type': failure.type,
        'Content-Length': Buffer.byteLength(failure.body),
        'Access-Control-Allow-Origin': '*',
      })
      res.end(failure.body)
      return
    }
    const fixtureId = url.searchParams.get('fixtureId')
    if (!fixtureId) {
      json(res, 400, { error: { code: 'MISSING_PARAMETER', message: 'fixtureId is required' } })
      return
    }
    const bookmakers = url.searchParams.get('bookmakers')?.split(',').filter(Boolean)
    const body = generator?.restOdds(fixtureId, bookmakers ? { bookmakers } : {})
    if (!body) {
      json(res, 404, { error: { code: 'FIXTURE_NOT_FOUND', message: 'Unknown fixtureId' } })
      return
    }
    json(res, 200, body)
  }

  const server = createServer(rest)
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
  const refuse = (socket: Socket, status: number) => {
    stats.handshakesRefused++
    socket.end(refusal(status))
    socket.destroySoon?.()
  }
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on('error', () => {})
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (stopped) return refuse(socket, 500)
    if (url.pathname !== '/v4/ws') return refuse(socket, 404)
    if (url.searchParams.get('apiKey') !== apiKey) return refuse(socket, 401)
    if (options.refuseHandshake && refusalsLeft > 0) {
      refusalsLeft--
      return refuse(socket, options.refuseHandshake)
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws)
      if (options.echoKey) clientKeys.set(ws, receivedKey(req.url))
      stats.connections = clients.size
      stats.connectionsTotal++
      ws.on('error', () => {})
      ws.on('close', () => {
        clients.delete(ws)
        stats.connections = clients.size
      })
      if (options.replay?.startOn !== 'start') startReplay()
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  if (options.replay?.startOn === 'start') startReplay()

  const port = (server.address() as AddressInfo).port
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'
  const hostPart = host.includes(':') ? `[${host}]` : host

  const control = (frame: OddsFrame) => {
    sendFrame(frame)
    return frame
  }
  const needGenerator = (): FrameGenerator => {
    if (!generator) throw new Error('Not available in replay mode')
    return generator
  }

  return {
    url: `ws://${hostPart}:${port}/v4/ws`,
    restUrl: `http://${hostPart}:${port}`,
    port,
    generator,
    replayDone,
    stats: () => ({ ...stats, stalled: isStalled() }),
    fixtureIds: () => generator?.fixtureIds() ?? [],
    setRate(framesPerSecond) {
      rate = Math.max(0, framesPerSecond)
    },
    dropConnections,
    stall,
    movePrice: (path) => control(needGenerator().movePrice(path)),
    setPrice: (path, price) => control(needGenerator().setPrice(path, price)),
    broadcast: (text) => sendAll(text),
    async stop() {
      if (stopped) return
      stopped = true
      for (const t of timers) clearInterval(t)
      timers.clear()
      replay?.stop()
      resolveReplay()
      for (const ws of clients) ws.terminate()
      wss.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections?.()
      })
    },
  }
}
