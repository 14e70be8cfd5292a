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

/** Upstream frames per second, in order. */
export const RELAY_RATES = [1_000, 2_500, 5_000, 10_000] as const

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
  /** The relay process's CPU time over the run's wall time (1 = one core). */
  readonly relayCpu: number
}

export interface RelayResult {
  readonly clients: number
  readonly fixtures: number
  readonly perClient: number
  readonly rates: readonly RelayRate[]
}

interface PeerResult {
  sent: number
  received: number
  expected: number
  seconds: number
  p50: number
  p99: number
}

/** Runs the relay case; `ms` per rate. */
export async function runRelay({
  clients = 1_000,
  fixtures = 100,
  perClient = 10,
  ms = 2_000,
} = {}): Promise<RelayResult> {
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
  const relay = await startRelay({
    port: 0,
    upstream: { url, apiKey: 'bench-key' },
    // auth is not what is measured here
    authenticate: () => ({}),
    limits: { maxBufferedBytes: 4 << 20, tooSlowMs: 30_000 },
  })
  try {
    const connected = next('connected')
    peer.send({ type: 'connect', url: relay.url, token: 'x', clients, fixtures, perClient })
    await connected
    const rates: RelayRate[] = []
    for (const rate of RELAY_RATES) {
      const cpu0 = process.cpuUsage()
      const t0 = performance.now()
      const done = next<PeerResult>('result')
      peer.send({ type: 'run', rate, ms })
      const result = await done
      const cpu = process.cpuUsage(cpu0)
      const wall = performance.now() - t0
      rates.push({
        offered: rate,
        sent: result.sent,
        received: result.received,
        expected: result.expected,
        deliveredPerSec: result.received / result.seconds,
        p50Ms: result.p50,
        p99Ms: result.p99,
        relayCpu: (cpu.user + cpu.system) / 1000 / wall,
      })
    }
    return { clients, fixtures, perClient, rates }
  } finally {
    peer.send({ type: 'stop' })
    await relay.stop()
  }
}
