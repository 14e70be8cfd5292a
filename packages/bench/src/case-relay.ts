/**
 * Case 7: the relay. One `@oddsfeed/relay` instance in this process (the one measured) between
 * a bare upstream and 1,000 `oddsfeed.relay.v1` clients with overlapping subscriptions, both in
 * a child process ({@link ./relay-peer.ts}), at increasing upstream rates: client messages
 * delivered per second, and upstream-frame → client latency (sent stamp to arrival, sampled on
 * every tenth client).
 * @module
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startRelay } from '@oddsfeed/relay'
import { startBound } from './relay-bound.js'

/** Upstream frames per second, in order. */
export const RELAY_RATES = [1_000, 2_500, 5_000, 10_000, 15_000, 20_000] as const

export interface RelayRate {
  readonly offered: number
  readonly sent: number
  /** Client messages received in the run. */
  readonly received: number
  /** Messages the upstream frames should have produced (their fixture's subscribers), summed. */
  readonly expected: number
  readonly deliveredPerSec: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** The measured server's (this process's) CPU time over the run's wall time (1 = one core). */
  readonly relayCpu: number
  /** The receiving peer's CPU time over the run's wall time. */
  readonly peerCpu: number
}

export interface RelayResult {
  readonly clients: number
  readonly fixtures: number
  readonly perClient: number
  /** The relay's `limits.flushMs` of {@link RelayResult.rates}. */
  readonly flushMs: number
  /** The relay, rate by rate. */
  readonly rates: readonly RelayRate[]
  /** The relay with other `flushMs` values, measured beside it. */
  readonly flushes: readonly { readonly flushMs: number; readonly rates: readonly RelayRate[] }[]
  /** The bound (a bare `ws` fan-out of prebuilt buffers, {@link ./relay-bound.ts}), measured beside it. */
  readonly bound: readonly RelayRate[]
  /** The bound with prebuilt frames, one write per client per turn (`batched`), beside it. */
  readonly boundBatched: readonly RelayRate[]
}

interface PeerResult {
  sent: number
  received: number
  expected: number
  seconds: number
  p50: number
  p99: number
  peerCpu: number
}

/** One server under test and its peer (its own upstream and clients). */
interface Target {
  run(rate: number, ms: number): Promise<RelayRate>
  stop(): Promise<void>
}

async function startTarget(
  start: (upstreamUrl: string) => Promise<{ url: string; stop(): Promise<void> }>,
  { clients, fixtures, perClient }: { clients: number; fixtures: number; perClient: number },
): Promise<Target> {
  const peer = fork(fileURLToPath(new URL('./relay-peer.ts', import.meta.url)), [], {
    execArgv: ['--conditions=@oddsfeed/source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const next = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const on = (message: { type: string }) => {
        if (message.type !== type) return
        peer.off('message', on)
        resolve(message as T)
      }
      peer.on('message', on)
    })
  const { url } = await next<{ url: string }>('upstream')
  const server = await start(url)
  const connected = next('connected')
  peer.send({ type: 'connect', url: server.url, token: 'x', clients, fixtures, perClient })
  await connected
  return {
    async run(rate, ms) {
      const cpu0 = process.cpuUsage()
      const t0 = performance.now()
      const done = next<PeerResult>('result')
      peer.send({ type: 'run', rate, ms })
      const result = await done
      const cpu = process.cpuUsage(cpu0)
      const wall = performance.now() - t0
      return {
        offered: rate,
        sent: result.sent,
        received: result.received,
        expected: result.expected,
        deliveredPerSec: result.received / result.seconds,
        p50Ms: result.p50,
        p99Ms: result.p99,
        relayCpu: (cpu.user + cpu.system) / 1000 / wall,
        peerCpu: result.peerCpu,
      }
    },
    async stop() {
      peer.send({ type: 'stop' })
      await server.stop()
    },
  }
}

/**
 * Runs the relay case; `ms` per rate. The relay and the bound are both connected (each with its
 * own peer) and take turns at each rate, so that both figures of a rate share the machine's load.
 */
export async function runRelay({
  clients = 1_000,
  fixtures = 100,
  perClient = 10,
  ms = 2_000,
  /** One relay per value (`limits.flushMs`), the first one's figures are the case's. */
  flushMs = [0] as readonly number[],
} = {}): Promise<RelayResult> {
  const shape = { clients, fixtures, perClient }
  const relays: Target[] = []
  for (const flush of flushMs) {
    relays.push(
      await startTarget(
        async (url) =>
          startRelay({
            port: 0,
            upstream: { url, apiKey: 'bench-key' },
            // auth is not what is measured here
            authenticate: () => ({}),
            limits: { maxBufferedBytes: 4 << 20, tooSlowMs: 30_000, flushMs: flush },
          }),
        shape,
      ),
    )
  }
  const bound = await startTarget((url) => startBound(url), shape)
  const batched = await startTarget((url) => startBound(url, true), shape)
  try {
    const rates: RelayRate[][] = relays.map(() => [])
    const bounds: RelayRate[] = []
    const batchedBounds: RelayRate[] = []
    // warm-up, not recorded: every target's code optimised before the first measured rate
    for (const target of [...relays, bound, batched]) await target.run(RELAY_RATES[0], 1_000)
    for (const rate of RELAY_RATES) {
      for (let i = 0; i < relays.length; i++) rates[i]?.push(await relays[i]!.run(rate, ms))
      bounds.push(await bound.run(rate, ms))
      batchedBounds.push(await batched.run(rate, ms))
    }
    return {
      ...shape,
      flushMs: flushMs[0] ?? 0,
      rates: rates[0] ?? [],
      flushes: flushMs.slice(1).map((f, i) => ({ flushMs: f, rates: rates[i + 1] ?? [] })),
      bound: bounds,
      boundBatched: batchedBounds,
    }
  } finally {
    for (const relay of relays) await relay.stop()
    await bound.stop()
    await batched.stop()
  }
}
