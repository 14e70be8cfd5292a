/**
 * Pack and consume: every public package is built and packed with pnpm (which rewrites
 * `workspace:*`), the tarballs are installed into a fresh npm project in a temporary directory
 * outside the workspace (third-party dependencies come from the registry), every entry point of
 * every package is imported in Node (ESM), the CLI's bin runs, and a consumer type-checks under
 * `moduleResolution` `bundler` and `nodenext` with `strict` + `exactOptionalPropertyTypes`.
 * Nothing is written to the checkout but the packages' (ignored) `dist/`.
 */
import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '../../..')
const PNPM = ['-y', 'pnpm@12.4.2']
const TSC = createRequire(join(ROOT, 'package.json')).resolve('typescript/bin/tsc')

interface Manifest {
  name: string
  version: string
  private?: boolean
  bin?: Record<string, string>
  exports?: Record<string, unknown>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  files?: string[]
}

/** The workspace's public packages, found, not listed: a new package is tested the day it lands. */
const packages = readdirSync(join(ROOT, 'packages'))
  .map((dir) => ({
    dir: join(ROOT, 'packages', dir),
    manifest: readManifest(join(ROOT, 'packages', dir)),
  }))
  .filter(
    (p): p is { dir: string; manifest: Manifest } =>
      p.manifest !== undefined && !p.manifest.private,
  )

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest
  } catch {
    return undefined
  }
}

/** Every import specifier a package offers (`@oddsfeed/core`, `@oddsfeed/core/svelte`, ...). */
function entryPoints(manifest: Manifest): string[] {
  return Object.keys(manifest.exports ?? { '.': null })
    .filter((key) => key !== './package.json')
    .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`))
}

/** Peer dependencies a consumer installs itself (React for `@oddsfeed/react`, ...). */
function peers(): Record<string, string> {
  const all: Record<string, string> = {}
  for (const { manifest } of packages) {
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (name !== 'ws') all[name] = range
    }
  }
  return all
}

let temp = ''
let project = ''
const tarballs = new Map<string, string>()

beforeAll(async () => {
  temp = mkdtempSync(join(tmpdir(), 'oddsfeed-pack-'))
  const filters = packages.flatMap(({ manifest }) => ['--filter', manifest.name])
  await run('npx', [...PNPM, ...filters, 'build'], { cwd: ROOT })
  for (const { dir, manifest } of packages) {
    const { stdout } = await run('npx', [...PNPM, 'pack', '--pack-destination', temp], { cwd: dir })
    const file = stdout.trim().split('\n').at(-1)?.trim() ?? ''
    tarballs.set(manifest.name, file.startsWith('/') ? file : join(temp, file))
  }
  project = join(temp, 'consumer')
  cpSync(join(import.meta.dirname, 'consumer'), join(project, 'src'), { recursive: true })
  const dependencies: Record<string, string> = {
    ...peers(),
    '@types/node': '^20.19.0',
    '@types/react': '^19.0.0',
  }
  for (const [name, file] of tarballs) dependencies[name] = `file:${file}`
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies }, null, 2),
  )
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: project,
    env: { ...process.env, npm_config_user_agent: undefined },
  })
}, 600_000)

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true })
})

describe('pack and consume', () => {
  it('finds the public packages', () => {
    expect(packages.map((p) => p.manifest.name)).toEqual(
      expect.arrayContaining([
        '@oddsfeed/core',
        '@oddsfeed/node',
        '@oddsfeed/simulator',
        '@oddsfeed/cli',
      ]),
    )
  })

  it('ships no workspace: range, no test file and no test support', async () => {
    for (const { manifest } of packages) {
      const dir = join(project, 'node_modules', manifest.name)
      const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest
      expect(JSON.stringify(installed.dependencies ?? {})).not.toContain('workspace:')
      const { stdout } = await run('tar', ['-tzf', tarballs.get(manifest.name) ?? ''])
      expect(stdout).not.toMatch(/test-support|\.test\.ts|\.test-d\.ts/)
      expect(stdout).toContain('package/README.md')
      expect(stdout).toContain('package/dist/')
    }
  })

  it('refuses npm pack (it would leave workspace: ranges in the manifest)', async () => {
    for (const { dir } of packages) {
      const error = await run('npm', ['pack', '--dry-run'], {
        cwd: dir,
        env: { ...process.env, npm_config_user_agent: undefined },
      }).then(
        () => undefined,
        (e: { stderr?: string }) => e,
      )
      expect(error?.stderr).toContain('packed and published with pnpm only')
    }
  })

  it('imports every entry point of every package in Node (ESM)', async () => {
    const specifiers = packages.flatMap(({ manifest }) => entryPoints(manifest))
    const script = `for (const s of ${JSON.stringify(specifiers)}) {
      const m = await import(s)
      if (Object.keys(m).length === 0) throw new Error(s + ' exports nothing')
      console.log(s, Object.keys(m).length)
    }`
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: project })
    for (const s of specifiers) expect(stdout).toContain(`${s} `)
  })

  it("runs the CLI's bin", async () => {
    const cli = packages.find((p) => p.manifest.bin?.oddsfeed)
    expect(cli).toBeDefined()
    const { stdout } = await run(join(project, 'node_modules/.bin/oddsfeed'), ['--help'])
    expect(stdout).toContain('Usage: oddsfeed')
  })

  it.each(['bundler', 'nodenext'] as const)(
    'type-checks a consumer under moduleResolution %s, strict, exactOptionalPropertyTypes',
    async (resolution) => {
      const module = resolution === 'bundler' ? 'esnext' : 'nodenext'
      const config = join(project, `tsconfig.${resolution}.json`)
      writeFileSync(
        config,
        JSON.stringify({
          compilerOptions: {
            target: 'es2022',
            lib: ['es2023', 'dom'],
            module,
            moduleResolution: resolution,
            strict: true,
            exactOptionalPropertyTypes: true,
            noUncheckedIndexedAccess: true,
            noEmit: true,
            // the packages' own declarations are checked too
            skipLibCheck: false,
            types: ['node'],
            jsx: 'react-jsx',
          },
          include: ['src'],
        }),
      )
      const result = await run('node', [TSC, '-p', config], { cwd: project }).catch(
        (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
      )
      expect(result.stdout).toBe('')
    },
  )
})
