/**
 * Which Chromium the tests drive (the browser test projects and the demo's e2e), found without a
 * download: `CHROMIUM_PATH`, else a system Chromium (Debian's `/usr/bin/chromium` and its usual
 * neighbours), else the headless Chromium that ships inside the `@sparticuz/chromium` npm package,
 * unpacked once per version into the system's temp directory. A machine with only Node and npm
 * therefore runs every browser test; none ever silently drops out (no Chromium → this throws).
 * @module
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** Where each candidate came from, for messages. */
export type ChromiumSource = 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium'

/** A Chromium executable the tests can launch. */
export interface ResolvedChromium {
  readonly executablePath: string
  readonly source: ChromiumSource
}

const SYSTEM_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
]

/**
 * Finds (and if needed unpacks) a Chromium. `env` and `candidates` exist for tests.
 * @throws Error naming every place looked at, when there is no Chromium at all.
 */
export async function resolveChromium(
  env: NodeJS.ProcessEnv = process.env,
  candidates: readonly string[] = SYSTEM_CANDIDATES,
): Promise<ResolvedChromium> {
  const explicit = env.CHROMIUM_PATH
  if (explicit) {
    if (!existsSync(explicit)) {
      throw new Error(`CHROMIUM_PATH=${explicit} does not exist`)
    }
    return { executablePath: explicit, source: 'CHROMIUM_PATH' }
  }
  for (const path of candidates) {
    if (existsSync(path)) return { executablePath: path, source: 'system' }
  }
  try {
    return { executablePath: await unpackSparticuz(), source: '@sparticuz/chromium' }
  } catch (cause) {
    throw new Error(
      `No Chromium for the browser tests: CHROMIUM_PATH is unset, none of ${candidates.join(', ')} exists, and @sparticuz/chromium could not be unpacked (${cause instanceof Error ? cause.message : String(cause)})`,
    )
  }
}

/**
 * Unpacks the package's brotli-compressed Chromium into `<tmp>/oddsfeed-chromium-<version>/`.
 * Staged in a private directory and renamed into place, so concurrent test processes never see
 * a half-written binary; the first rename wins and the others use its copy.
 */
async function unpackSparticuz(): Promise<string> {
  const require = createRequire(import.meta.url)
  // build/index.js: the package exports nothing else, not even its package.json
  const root = dirname(dirname(require.resolve('@sparticuz/chromium')))
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    version: string
  }
  const home = join(tmpdir(), `oddsfeed-chromium-${version}`)
  const executable = join(home, 'chromium')
  if (existsSync(executable)) return executable

  const { inflate } = (await import('@sparticuz/chromium')) as {
    inflate: (file: string) => Promise<string>
  }
  const staging = await mkdtemp(join(tmpdir(), 'oddsfeed-chromium-staging-'))
  // The package's inflate writes into os.tmpdir(), which reads TMPDIR; it takes its output path
  // synchronously, so TMPDIR is pointed at the staging directory for that call only.
  const saved = process.env.TMPDIR
  let unpacked: Promise<string>
  process.env.TMPDIR = staging
  try {
    unpacked = inflate(join(root, 'bin', 'chromium.br'))
  } finally {
    if (saved === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = saved
  }
  await unpacked
  try {
    await rename(staging, home)
  } catch (cause) {
    await rm(staging, { recursive: true, force: true })
    if (!existsSync(executable)) throw cause
  }
  return executable
}
