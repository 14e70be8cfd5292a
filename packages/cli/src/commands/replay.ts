/**
 * `oddsfeed replay`: serves a capture through the simulator, or prints it.
 * @module
 */

import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { loadRecords, runReplay } from '@oddsfeed/simulator'
import { COMMON_OPTIONS, EXIT, num, UsageError, usage } from '../args.js'
import { createEnding, errorText, type Io, say, stdoutWriter } from '../io.js'
import { serve } from './simulate.js'

export const REPLAY_HELP = `Usage: oddsfeed replay FILE.ndjson [options]

Serves a capture made by "oddsfeed record" on a local feed (WebSocket /v4/ws, same as
"oddsfeed simulate"), starting when the first client connects; or, with --print, writes its
frames to stdout as NDJSON (keepalives left out).

Options:
  --speed N            1 = original pace (default), N = N times faster, 0 = at once
  --loop               start over at the end
  --print              print the frames instead of serving them
  --port N             port to serve on (default 8765; 0 picks a free one)
  --host HOST          interface (default 127.0.0.1)
  --api-key KEY        the key clients must send (default $ODDSPAPI_API_KEY or "simulator-key")
  --start-now          start the replay at once, not on the first connection
  --exit-when-done     stop serving once the capture has been sent
  --quiet              no periodic stats on stderr
  -h, --help           this help`

/** Runs `oddsfeed replay`. */
export async function replay(argv: readonly string[], io: Io): Promise<number> {
  const { values, positionals } = usage(() =>
    parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        ...COMMON_OPTIONS,
        speed: { type: 'string' },
        loop: { type: 'boolean' },
        print: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        'api-key': { type: 'string' },
        'start-now': { type: 'boolean' },
        'exit-when-done': { type: 'boolean' },
        quiet: { type: 'boolean' },
      },
    }),
  )
  if (values.help) {
    io.stdout.write(`${REPLAY_HELP}\n`)
    return EXIT.ok
  }
  if (positionals.length !== 1) throw new UsageError('replay needs exactly one FILE.ndjson')
  const file = positionals[0] as string
  if (!existsSync(file)) throw new UsageError(`No such file: ${file}`)
  const speed = num('speed', values.speed, { float: true }) ?? 1
  let records: Awaited<ReturnType<typeof loadRecords>>
  try {
    records = await loadRecords(file)
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`)
  }

  // a frame that parses but cannot be written back (nested too deep): said, and the replay goes on
  const onSkip = (error: Error, index: number) =>
    say(
      io,
      `skipped frame ${index + 1} of ${file}: it cannot be written as JSON (${errorText(error)})`,
    )

  if (values.print) {
    const ending = createEnding()
    const out = stdoutWriter(io, ending)
    const frames = records.filter((r) => typeof r.frame !== 'string')
    const run = runReplay(frames, (text) => void out.write(`${text}\n`), {
      speed,
      loop: values.loop === true,
      onSkip,
    })
    ending.onFinish(() => run.stop())
    run.done.then(() => ending.finish(EXIT.ok))
    return ending.done
  }
  return serve(
    {
      port: num('port', values.port, { max: 65535 }) ?? 8765,
      host: values.host ?? '127.0.0.1',
      apiKey: values['api-key'] ?? io.env.ODDSPAPI_API_KEY ?? 'simulator-key',
      replay: {
        source: records,
        speed,
        loop: values.loop === true,
        startOn: values['start-now'] ? 'start' : 'connect',
        onSkip,
      },
    },
    io,
    values.quiet === true,
    values['exit-when-done'] === true,
  )
}
