/**
 * The relay's counters and their Prometheus text exposition (`GET /metrics`).
 * @module
 */

/** Counters of one relay instance. Plain numbers: the hot path only increments fields. */
export class RelayMetrics {
  /** Messages written to client sockets (frames, snapshots, errors, keepalives). */
  messagesOut = 0
  /** Bytes written to client sockets. */
  bytesOut = 0
  /** Frames folded into a pending frame of the same fixture for a slow client. */
  coalesced = 0
  /** Pending frames made obsolete by a newer snapshot of their fixture (never sent). */
  dropped = 0
  /** Clients closed with 4008 (too slow). */
  closedTooSlow = 0
  /** Handshakes refused (401, 404). */
  refused = 0
  /** Valid frames received from the upstream (or, on a follower, from the broker). */
  upstreamFrames = 0
  /** REST calls made by this instance's upstream feed. */
  restCalls = 0
  private readonly rate = new RateWindow()

  /** Samples the counters for the per-second rates (call about once a second). */
  sample(now = Date.now()): void {
    this.rate.sample(now, this.messagesOut, this.upstreamFrames)
  }

  /** The Prometheus text format (version 0.0.4). */
  prometheus(gauges: { clients: number; fixtures: number; leader: boolean }): string {
    this.sample()
    const [outRate = 0, framesRate = 0] = this.rate.perSecond()
    const lines: string[] = []
    const metric = (name: string, type: string, help: string, value: number) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${format(value)}`)
    }
    metric('oddsfeed_relay_clients', 'gauge', 'Connected clients.', gauges.clients)
    metric('oddsfeed_relay_fixtures', 'gauge', 'Fixtures held in memory.', gauges.fixtures)
    metric(
      'oddsfeed_relay_leader',
      'gauge',
      '1 when this instance holds the upstream.',
      gauges.leader ? 1 : 0,
    )
    metric(
      'oddsfeed_relay_messages_out_total',
      'counter',
      'Messages sent to clients.',
      this.messagesOut,
    )
    metric(
      'oddsfeed_relay_messages_out_per_second',
      'gauge',
      'Messages sent to clients per second (last 10 s).',
      outRate,
    )
    metric('oddsfeed_relay_bytes_out_total', 'counter', 'Bytes sent to clients.', this.bytesOut)
    metric(
      'oddsfeed_relay_coalesced_total',
      'counter',
      'Frames folded into a pending frame for a slow client.',
      this.coalesced,
    )
    metric(
      'oddsfeed_relay_dropped_total',
      'counter',
      'Pending frames superseded by a snapshot for a slow client.',
      this.dropped,
    )
    metric(
      'oddsfeed_relay_closed_too_slow_total',
      'counter',
      'Clients closed with 4008.',
      this.closedTooSlow,
    )
    metric(
      'oddsfeed_relay_handshakes_refused_total',
      'counter',
      'Handshakes refused.',
      this.refused,
    )
    metric(
      'oddsfeed_relay_upstream_frames_total',
      'counter',
      'Frames received from the upstream.',
      this.upstreamFrames,
    )
    metric(
      'oddsfeed_relay_upstream_frames_per_second',
      'gauge',
      'Frames received per second (last 10 s).',
      framesRate,
    )
    metric(
      'oddsfeed_relay_rest_calls_total',
      'counter',
      'REST snapshot calls made.',
      this.restCalls,
    )
    return `${lines.join('\n')}\n`
  }
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3)
}

/** Per-second rates over the last ten seconds, from samples of monotonic counters. */
class RateWindow {
  private readonly samples: Array<{ t: number; values: number[] }> = []

  sample(t: number, ...values: number[]): void {
    const last = this.samples[this.samples.length - 1]
    if (last && t - last.t < 250) {
      last.values = values
      last.t = t
    } else this.samples.push({ t, values })
    while (this.samples.length > 2 && t - (this.samples[0]?.t ?? t) > 10_000) this.samples.shift()
  }

  perSecond(): number[] {
    const first = this.samples[0]
    const last = this.samples[this.samples.length - 1]
    if (!first || !last || last.t === first.t) return last?.values.map(() => 0) ?? [0, 0]
    const seconds = (last.t - first.t) / 1000
    return last.values.map((v, i) => (v - (first.values[i] ?? 0)) / seconds)
  }
}
