/**
 * The relay tests need Debian's `redis-server`. On a fresh machine it is installed here with
 * apt-get (as root); otherwise the run stops with the reason.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server'

export default function setup(): void {
  if (existsSync(REDIS_SERVER)) return
  const root = typeof process.getuid === 'function' && process.getuid() === 0
  if (!root) {
    throw new Error(
      `The relay tests need ${REDIS_SERVER} and cannot install it: not root. Run "sudo apt-get install -y redis-server" (or set REDIS_SERVER).`,
    )
  }
  try {
    execFileSync('apt-get', ['update'], { stdio: 'inherit' })
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
  } catch (error) {
    throw new Error(`apt-get could not install redis-server: ${(error as Error).message}`)
  }
  if (!existsSync(REDIS_SERVER)) throw new Error(`apt-get ran but ${REDIS_SERVER} is still missing`)
}
