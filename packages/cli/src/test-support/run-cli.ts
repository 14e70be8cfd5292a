/**
 * Runs the real `oddsfeed` command (from source, through tsx) in a child process.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
const BIN = join(ROOT, 'packages/cli/src/bin.ts')
const NODE_ARGS = ['--conditions=@oddsfeed/source', '--import', 'tsx']

/** A running command. */
export interface Run {
  readonly child: ChildProcess
  stdout(): string
  stderr(): string
  /** The exit code (`null` when killed by a signal). */
  readonly exit: Promise<number | null>
}

const children = new Set<ChildProcess>()

/** Kills every command still running (call in `afterEach`). */
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
}

/** Starts `oddsfeed ...args` with `ODDSPAPI_API_KEY` cleared unless `env` sets it. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, [...NODE_ARGS, BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ODDSPAPI_API_KEY: '', ...env },
  })
  children.add(child)
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    err += d
  })
  const exit = new Promise<number | null>((r) =>
    child.on('close', (code) => {
      children.delete(child)
      r(code)
    }),
  )
  return { child, stdout: () => out, stderr: () => err, exit }
}

/** Waits until `check()` holds (polling), or fails after `ms`. */
export async function until(check: () => boolean, ms = 60_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Non-empty lines. */
export const lines = (text: string): string[] => text.split('\n').filter((l) => l.length > 0)
