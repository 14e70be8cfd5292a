/**
 * The `oddsfeed` command: dispatch, usage errors and exit codes.
 * @module
 */
import { EXIT, UsageError } from './args.js'
import { RECORD_HELP, record } from './commands/record.js'
import { RELAY_HELP, relay } from './commands/relay.js'
import { REPLAY_HELP, replay } from './commands/replay.js'
import { SIMULATE_HELP, simulate } from './commands/simulate.js'
import { TAIL_HELP, tail } from './commands/tail.js'
import { type Io, processIo, say } from './io.js'

export const HELP = `Usage: oddsfeed <command> [options]

Commands:
  simulate   run a local OddsPapi v4 feed (WebSocket + REST) with synthetic traffic
  tail       print frames, or the merged state of a path, as NDJSON (or --format pretty)
  record     record every message with its receive time to an NDJSON file
  replay     serve a recording through the simulator, or print it
  relay      hold one upstream connection and serve it to many clients (tokens, snapshots)

"oddsfeed <command> --help" tells more. Data goes to stdout, status to stderr.
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
  const command = COMMANDS[name]
  if (!command) {
    say(io, `unknown command "${name}"`)
    io.stderr.write(`${HELP}\n`)
    return EXIT.usage
  }
  try {
    return await command[0](rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      say(io, error.message)
      io.stderr.write(`${command[1].split('\n')[0]}\n(see: oddsfeed ${name} --help)\n`)
      return EXIT.usage
    }
    say(io, `unexpected error: ${error instanceof Error ? error.message : String(error)}`)
    return EXIT.error
  }
}
