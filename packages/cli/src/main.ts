/**
 * The `oddsfeed` command: dispatch, usage errors and exit codes.
 * @module
 */
import { createRequire } from 'node:module'
import { createRedactor, type Redactor } from '@oddsfeed/core'
import { EXIT, UsageError } from './args.js'
import { RECORD_HELP, record } from './commands/record.js'
import { RELAY_HELP, relay } from './commands/relay.js'
import { REPLAY_HELP, replay } from './commands/replay.js'
import { SIMULATE_HELP, simulate } from './commands/simulate.js'
import { TAIL_HELP, tail } from './commands/tail.js'
import { type Io, processIo, say } from './io.js'

/** The package's version (`oddsfeed --version`), read from its package.json (src/ or dist/). */
export const VERSION: string = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version

/** `oddsfeed --help`. */
export const HELP = `Usage: oddsfeed <command> [options]

Commands:
  simulate   run a local OddsPapi v4 feed (WebSocket + REST) with synthetic traffic
  tail       print frames, or the merged state of a path, as NDJSON (or --format pretty)
  record     record every message with its receive time to an NDJSON file
  replay     serve a recording through the simulator, or print it
  relay      hold one upstream connection and serve it to many clients (tokens, snapshots)

"oddsfeed <command> --help" tells more; "oddsfeed --version" (-V) prints the version. Data goes to stdout, status to stderr.
Exit codes: 0 done, 1 error, 2 bad arguments, 3 API key refused, 4 connection failed for good.`

const COMMANDS: Record<string, [(argv: readonly string[], io: Io) => Promise<number>, string]> = {
  simulate: [simulate, SIMULATE_HELP],
  tail: [tail, TAIL_HELP],
  record: [record, RECORD_HELP],
  replay: [replay, REPLAY_HELP],
  relay: [relay, RELAY_HELP],
}

/** Runs the command line `argv` (without `node` and the script); resolves with the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ;(name === undefined ? io.stderr : io.stdout).write(`${HELP}\n`)
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`)
    return EXIT.ok
  }
  const command = COMMANDS[name]
  if (!command) {
    say(io, 'unknown command (simulate, tail, record or replay)')
    io.stderr.write(`${HELP}\n`)
    return EXIT.usage
  }
  // whatever ends a command here, the key (from --api-key or the environment) is not in it
  const redact = keysRedactor(rest, io.env)
  try {
    return await command[0](rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      say(io, redact(error.message))
      io.stderr.write(`${command[1].split('\n')[0]}\n(see: oddsfeed ${name} --help)\n`)
      return EXIT.usage
    }
    say(io, redact(`unexpected error: ${error instanceof Error ? error.message : String(error)}`))
    return EXIT.error
  }
}

/** A redactor of every key the command line or the environment holds. */
function keysRedactor(argv: readonly string[], env: NodeJS.ProcessEnv): Redactor {
  const keys = new Set<string>()
  if (env.ODDSPAPI_API_KEY) keys.add(env.ODDSPAPI_API_KEY)
  for (const [i, arg] of argv.entries()) {
    if ((arg === '--api-key' || arg === '-k') && argv[i + 1] !== undefined) {
      keys.add(argv[i + 1] as string)
    } else if (arg.startsWith('--api-key=')) keys.add(arg.slice('--api-key='.length))
    else if (arg.startsWith('-k') && arg.length > 2) keys.add(arg.slice(2)) // -kKEY
  }
  const redactors = [...keys].filter(Boolean).map(createRedactor)
  if (redactors.length === 0) redactors.push(createRedactor(undefined))
  return (text) => redactors.reduce((out, redact) => redact(out), text)
}
