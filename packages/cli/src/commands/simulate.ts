/**
 * `oddsfeed simulate`: runs the simulator until Ctrl-C / SIGTERM.
 * @module
 */
import { parseArgs } from 'node:util'
import { type SimulatorOptions, startSimulator } from '@oddsfeed/simulator'
import { COMMON_OPTIONS, EXIT, num, oneOf, UsageError, usage } from '../args.js'
import { createEnding, type Io, say } from '../io.js'

export const SIMULATE_HELP = `Usage: oddsfeed simulate [options]

Runs a local stand-in of the OddsPapi v4 feed: WebSocket /v4/ws and REST /v4/odds, /v4/fixtures
on one port, synthetic traffic from a seeded generator. URLs go to stderr (key masked).

Options:
  --port N             port (default 8765; 0 picks a free one)
  --host HOST          interface (default 127.0.0.1)
  --api-key KEY        the key clients must send (default $ODDSPAPI_API_KEY or "simulator-key")
  --seed S             PRNG seed (default 1): same seed, same fixtures and prices
  --fixtures N         fixtures in play (default 12)
  --bookmakers N       bookmakers per fixture (default 6, at most 12)
  --markets N          markets per bookmaker (default: the sport's catalogue)
  --rate N             frames per second (default 20)
  --keepalive-ms MS    keepalive period (default 25000)
  --clock C            real (default) or virtual (byte-identical frames per seed)
  --no-cooldowns       answer REST without the per-endpoint cooldowns
  --faults LIST        comma list of faults, e.g. drop=30000,abrupt,stall=60000:5000,malformed=100,
                       oversized=500,refuse=429,refuse-count=3
  --quiet              no periodic stats on stderr
  -h, --help           this help`

/** Parses `--faults drop=30000,abrupt,stall=60000:5000,malformed=100,oversized=500,refuse=429`. */
export function parseFaults(text: string): SimulatorOptions {
  const out: SimulatorOptions = {}
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
  for (const [i, part] of parts.entries()) {
    const [name, value = ''] = part.split('=') as [string, string | undefined]
    const int = (v: string, what: string) => {
      const n = Number(v)
      if (!Number.isInteger(n) || n <= 0)
        throw new UsageError(`--faults ${what} needs a positive integer`)
      return n
    }
    switch (name) {
      case 'drop':
        out.dropEveryMs = int(value, 'drop')
        break
      case 'abrupt':
      case 'clean':
        out.dropMode = name
        break
      case 'stall': {
        const [every = '', dur] = value.split(':')
        out.stallEveryMs = int(every, 'stall')
        if (dur !== undefined) out.stallForMs = int(dur, 'stall duration')
        break
      }
      case 'malformed':
        out.malformedEvery = int(value, 'malformed')
        break
      case 'oversized': {
        const [every = '', bytes] = value.split(':')
        out.oversizedEvery = int(every, 'oversized')
        if (bytes !== undefined) out.oversizedBytes = int(bytes, 'oversized bytes')
        break
      }
      case 'refuse': {
        const status = int(value, 'refuse')
        if (status !== 429 && status !== 500)
          throw new UsageError('--faults refuse must be 429 or 500')
        out.refuseHandshake = status
        break
      }
      case 'refuse-count':
        out.refuseCount = int(value, 'refuse-count')
        break
      default:
        throw new UsageError(
          `Unknown fault: item ${i + 1} of --faults (drop, abrupt, clean, stall, malformed, oversized, refuse, refuse-count)`,
        )
    }
  }
  return out
}

/** Runs `oddsfeed simulate`. */
export async function simulate(argv: readonly string[], io: Io): Promise<number> {
  const { values } = usage(() =>
    parseArgs({
      args: [...argv],
      strict: true,
      options: {
        ...COMMON_OPTIONS,
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string' },
        seed: { type: 'string' },
        fixtures: { type: 'string' },
        bookmakers: { type: 'string' },
        markets: { type: 'string' },
        rate: { type: 'string' },
        'keepalive-ms': { type: 'string' },
        clock: { type: 'string' },
        'no-cooldowns': { type: 'boolean' },
        faults: { type: 'string' },
        quiet: { type: 'boolean' },
      },
    }),
  )
  if (values.help) {
    io.stdout.write(`${SIMULATE_HELP}\n`)
    return EXIT.ok
  }
  const options: SimulatorOptions = {
    port: num('port', values.port, { max: 65535 }) ?? 8765,
    host: values.host ?? '127.0.0.1',
    apiKey: values['api-key'] ?? io.env.ODDSPAPI_API_KEY ?? 'simulator-key',
    seed: values.seed ?? 1,
    fixtures: num('fixtures', values.fixtures, { min: 1, max: 100_000 }) ?? 12,
    bookmakers: num('bookmakers', values.bookmakers, { min: 1, max: 12 }) ?? 6,
    rate: num('rate', values.rate, { max: 1_000_000, float: true }) ?? 20,
    keepaliveMs: num('keepalive-ms', values['keepalive-ms'], { min: 1 }) ?? 25_000,
    clock: oneOf('clock', values.clock, ['real', 'virtual'] as const) ?? 'real',
    ...(values['no-cooldowns'] && { cooldowns: false }),
    ...(values.faults !== undefined && parseFaults(values.faults)),
  }
  const markets = num('markets', values.markets, { min: 1, max: 500 })
  if (markets !== undefined) options.marketsPerBookmaker = markets
  return serve(options, io, values.quiet === true)
}

/** The close reason sent to every client when a replay has sent its last frame (code 1000). */
export const REPLAY_FINISHED = 'replay finished'

/** Starts a simulator, prints where, runs until a signal. Shared with `replay`. */
export async function serve(
  options: SimulatorOptions,
  io: Io,
  quiet: boolean,
  exitWhenDone = false,
) {
  const sim = await startSimulator(options).catch((error: NodeJS.ErrnoException) => {
    say(io, `cannot start the simulator: ${error.code ?? ''} ${error.message}`)
    return undefined
  })
  if (!sim) return EXIT.error
  const ending = createEnding()
  ending.onFinish(() => sim.stop())
  say(io, `feed  ${sim.url}?apiKey=***`)
  say(
    io,
    `rest  ${sim.restUrl}/v4/odds?fixtureId=…&apiKey=***  ${sim.restUrl}/v4/fixtures?apiKey=***`,
  )
  const ids = sim.fixtureIds()
  if (ids.length) say(io, `${ids.length} fixtures, e.g. ${ids.slice(0, 3).join(' ')}`)
  if (!quiet) {
    const timer = setInterval(() => {
      const s = sim.stats()
      say(io, `${s.framesSent} frames sent, ${s.connections} connections`)
    }, 10_000)
    timer.unref()
    ending.onFinish(() => clearInterval(timer))
  }
  if (sim.replayDone) {
    sim.replayDone.then(() => {
      // a clean end, not a drop: clients such as `tail --exit-at-end` stop instead of retrying
      const closed = sim.dropConnections({ code: 1000, reason: REPLAY_FINISHED })
      say(
        io,
        `replay finished: ${sim.stats().framesSent} frames sent, ${closed} connections closed (1000 "${REPLAY_FINISHED}")`,
      )
      if (exitWhenDone) setTimeout(() => ending.finish(EXIT.ok), 200)
    })
  }
  return ending.done
}
