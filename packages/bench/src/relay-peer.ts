/**
 * The relay case's other side, in its own process so that the relay's process is the one
 * measured: a bare v4 upstream (a `ws` server sending small stamped frames at a set rate) and
 * the relay's clients (`oddsfeed.relay.v1`, overlapping subscriptions). Controlled over IPC.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import type { Socket } from 'node:net'
import { RELAY_PROTOCOL } from '@oddsfeed/core'
import { WebSocket, WebSocketServer } from 'ws'
import { nowMs, percentile, prng } from './stats.js'

type Request =
  | {
      type: 'connect'
      url: string
      token: string
      clients: number
      fixtures: number
      perClient: number
    }
  | { type: 'run'; rate: number; ms: number }
  | { type: 'stop' }

const send = (message: unknown) => process.send?.(message)

const server = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false })
await new Promise((resolve) => server.once('listening', resolve))
const upstream = new Set<WebSocket>()
server.on('connection', (ws) => {
  upstream.add(ws)
  ws.on('close', () => upstream.delete(ws))
})
send({
  type: 'upstream',
  url: `ws://127.0.0.1:${(server.address() as { port: number }).port}/v4/ws`,
})

let fixtures = 100
let received = 0
let lastAt = 0
/** Latency samples (ms) of the sampled clients. */
let latencies = new Float64Array(1 << 20)
let latencyCount = 0
const clients: { terminate(): void }[] = []
/** Subscribers per fixture index: what each upstream frame should turn into. */
let subscribers = new Int32Array(0)

function frameText(i: number, sentAt: number): string {
  const fixtureId = `bf${i % fixtures}`
  const price = (1.5 + (i % 100) / 100).toFixed(2)
  const changedAt = new Date(sentAt).toISOString()
  return `{"fixtureId":"${fixtureId}","sentAt":${sentAt},"bookmakerOdds":{"pinnacle":{"markets":{"101":{"outcomes":{"101":{"players":{"0":{"price":${price},"active":true,"changedAt":"${changedAt}"}}}}}}}}}`
}

async function connectAll(request: Request & { type: 'connect' }) {
  fixtures = request.fixtures
  subscribers = new Int32Array(fixtures)
  const random = prng(5)
  const pending: Promise<void>[] = []
  for (let c = 0; c < request.clients; c++) {
    const sampled = c % 10 === 0
    const ids = new Set<string>()
    while (ids.size < request.perClient) {
      const index = Math.floor(random() * fixtures)
      if (!ids.has(`bf${index}`)) subscribers[index] = (subscribers[index] ?? 0) + 1
      ids.add(`bf${index}`)
    }
    if (!sampled) {
      pending.push(counting(`${request.url}?token=${request.token}`, [...ids]))
      if (c % 50 === 49) await new Promise((r) => setTimeout(r, 5))
      continue
    }
    const ws = new WebSocket(`${request.url}?token=${request.token}`, RELAY_PROTOCOL, {
      perMessageDeflate: false,
    })
    pending.push(
      new Promise<void>((resolve, reject) => {
        let snapshots = 0
        ws.on('message', (data) => {
          received++
          lastAt = performance.now()
          if (snapshots < ids.size) {
            if (String(data).startsWith('{"op":"snapshot"')) snapshots++
            if (snapshots === ids.size) resolve()
            return
          }
          if (!sampled) return
          const text = String(data)
          const at = text.indexOf('"sentAt":')
          if (at < 0) return
          const sentAt = Number(text.slice(at + 9, text.indexOf(',', at)))
          if (latencyCount === latencies.length) {
            const bigger = new Float64Array(latencies.length * 2)
            bigger.set(latencies)
            latencies = bigger
          }
          latencies[latencyCount++] = nowMs() - sentAt
        })
        ws.once('open', () => ws.send(JSON.stringify({ op: 'subscribe', fixtureIds: [...ids] })))
        ws.once('error', reject)
      }),
    )
    clients.push(ws)
    if (c % 50 === 49) await new Promise((r) => setTimeout(r, 5))
  }
  await Promise.all(pending)
}

/**
 * A client that only counts its messages (nine in ten of them: the peer must cost less than what
 * it measures): the handshake by `node:http`, then the server's frames are counted from their
 * headers, payloads skipped unread. Resolves once its snapshots (the first `ids.length` messages,
 * before any frame flows) are in.
 */
function counting(url: string, ids: readonly string[]): Promise<void> {
  const { hostname, port, pathname, search } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = httpRequest({
      host: hostname,
      port,
      path: pathname + search,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        'Sec-WebSocket-Protocol': RELAY_PROTOCOL,
      },
    })
    req.once('error', reject)
    req.once('response', (res) => reject(new Error(`no upgrade: HTTP ${res.statusCode}`)))
    req.once('upgrade', (_res, socket: Socket, head: Buffer) => {
      socket.setNoDelay(true)
      clients.push({ terminate: () => socket.destroy() })
      let messages = 0
      let skip = 0
      let opcode = 0
      const header = Buffer.alloc(10)
      let headerLength = 0
      const done = () => {
        if (opcode === 1 || opcode === 2) {
          received++
          if (++messages === ids.length) resolve()
        }
      }
      const data = (chunk: Buffer) => {
        let i = 0
        while (i < chunk.length) {
          if (skip > 0) {
            const n = Math.min(skip, chunk.length - i)
            skip -= n
            i += n
            if (skip === 0) done()
            continue
          }
          header[headerLength++] = chunk[i++] as number
          if (headerLength < 2) continue
          const short = (header[1] as number) & 127
          if (headerLength < (short < 126 ? 2 : short === 126 ? 4 : 10)) continue
          opcode = (header[0] as number) & 15
          skip =
            short < 126 ? short : short === 126 ? header.readUInt16BE(2) : header.readUInt32BE(6)
          headerLength = 0
          if (skip === 0) done()
        }
        lastAt = performance.now()
      }
      socket.on('data', data)
      socket.on('error', () => {})
      if (head.length > 0) data(head)
      // client frames are masked: a zero mask leaves the payload as it is
      const payload = Buffer.from(JSON.stringify({ op: 'subscribe', fixtureIds: ids }))
      const size =
        payload.length < 126
          ? [0x80 | payload.length]
          : [0x80 | 126, payload.length >> 8, payload.length & 255]
      socket.write(Buffer.concat([Buffer.from([0x81, ...size, 0, 0, 0, 0]), payload]))
    })
    req.end()
  })
}

async function run(rate: number, ms: number) {
  received = 0
  latencyCount = 0
  const cpu0 = process.cpuUsage()
  const start = nowMs()
  let sent = 0
  let expected = 0
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = nowMs() - start
      const due = Math.min(Math.floor((elapsed / 1000) * rate), Math.floor((ms / 1000) * rate))
      while (sent < due) {
        const text = frameText(sent, nowMs())
        for (const ws of upstream) ws.send(text)
        expected += subscribers[sent % fixtures] ?? 0
        sent++
      }
      if (elapsed >= ms) resolve()
      else setTimeout(tick, 5)
    }
    tick()
  })
  // let what is in flight arrive: all of it, or until nothing came for 2 s (at most 15 s)
  let last = received
  let lastChange = nowMs()
  const sendEnd = nowMs()
  while (received < expected && nowMs() - lastChange < 2_000 && nowMs() - sendEnd < 15_000) {
    await new Promise((r) => setTimeout(r, 50))
    if (received !== last) {
      last = received
      lastChange = nowMs()
    }
  }
  const seconds = (lastAt + performance.timeOrigin - start) / 1000
  const cpu = process.cpuUsage(cpu0)
  // this process's CPU time over the run's wall time (1 = one core): the receiving side's load
  const peerCpu = (cpu.user + cpu.system) / 1000 / (nowMs() - start)
  const p50 = percentile(latencies, latencyCount, 50)
  const p99 = percentile(latencies, latencyCount, 99)
  return { sent, received, expected, seconds, p50, p99, samples: latencyCount, peerCpu }
}

process.on('message', async (request: Request) => {
  if (request.type === 'connect') {
    await connectAll(request)
    send({ type: 'connected' })
  } else if (request.type === 'run') {
    send({ type: 'result', ...(await run(request.rate, request.ms)) })
  } else if (request.type === 'stop') {
    for (const ws of clients) ws.terminate()
    server.close()
    process.exit(0)
  }
})
