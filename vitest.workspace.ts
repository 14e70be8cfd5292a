/**
 * The one list of Vitest test projects in this repository.
 *
 * Vitest 4 no longer reads a workspace file on its own: `vitest.config.ts` imports this list
 * and hands it to `test.projects`, so `pnpm test` (plain `vitest run`) runs exactly these.
 * Add a project here, nowhere else.
 */
import { playwright } from '@vitest/browser-playwright'
import { defaultClientConditions, defaultServerConditions } from 'vite'
import type { TestProjectInlineConfiguration } from 'vitest/config'
import { resolveChromium } from './test-support/chromium.js'

/**
 * Resolve workspace packages to their TypeScript sources (see each package's `exports`), so tests
 * never need a build. Node-environment projects resolve through `ssr.resolve`, so they set both.
 */
const SOURCE = '@oddsfeed/source'
const resolve = { conditions: [SOURCE, ...defaultServerConditions] }
const browserResolve = { conditions: [SOURCE, ...defaultClientConditions] }

/**
 * How every Chromium in the tests is launched (browser projects here, the demo's e2e with
 * playwright-core): `CHROMIUM_PATH`, else a system Chromium, else the one inside the
 * `@sparticuz/chromium` npm package (see `test-support/chromium.ts`); never a downloaded browser.
 * No Chromium at all fails the run, naming where it looked. Flags keep it off the network.
 */
const resolved = await resolveChromium()
export const CHROMIUM_LAUNCH = {
  executablePath: resolved.executablePath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
}

/** The Vitest browser provider for {@link CHROMIUM_LAUNCH}. */
export const chromium = playwright({ launchOptions: CHROMIUM_LAUNCH })

export const projects: TestProjectInlineConfiguration[] = [
  {
    // The repository's own test tooling (which Chromium the browser projects launch).
    test: {
      name: 'test-support',
      root: './test-support',
      include: ['**/*.test.ts'],
      environment: 'node',
    },
  },
  {
    resolve,
    ssr: { resolve },
    test: {
      name: 'core',
      root: './packages/core',
      include: ['src/**/*.test.ts'],
      exclude: ['src/**/*.browser.test.ts'],
      environment: 'node',
      // `*.test-d.ts`: type tests (tsc under strict + exactOptionalPropertyTypes), counted as tests
      typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    },
  },
  {
    // The core's suite again, in real Chromium: "isomorphic" is tested, not claimed.
    resolve: browserResolve,
    test: {
      name: 'core-browser',
      root: './packages/core',
      include: ['src/**/*.test.ts'],
      // these drive ws/http servers from the test process: Node only
      exclude: ['src/**/*.node.test.ts'],
      // also starts a simulator and a real relay (child process) for relay.browser.test.ts
      globalSetup: ['src/test-support/browser-global-setup.ts'],
      browser: {
        enabled: true,
        headless: true,
        provider: chromium,
        instances: [{ browser: 'chromium' }],
        screenshotFailures: false,
      },
    },
  },
  {
    // @oddsfeed/react with real React 19 in Chromium: render counts, subscriptions, StrictMode.
    resolve: browserResolve,
    test: {
      name: 'react-browser',
      root: './packages/react',
      include: ['src/**/*.browser.test.tsx'],
      typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
      browser: {
        enabled: true,
        headless: true,
        provider: chromium,
        instances: [{ browser: 'chromium' }],
        screenshotFailures: false,
      },
    },
  },
  {
    resolve,
    ssr: { resolve },
    test: {
      name: 'node',
      root: './packages/node',
      include: ['src/**/*.test.ts'],
      environment: 'node',
    },
  },
  {
    // The demo board end to end: simulator (and relay) + Vite preview + Chromium (playwright-core).
    resolve,
    ssr: { resolve },
    test: {
      name: 'demo-e2e',
      root: './apps/demo',
      include: ['e2e/**/*.e2e.test.ts'],
      environment: 'node',
      // one file at a time: the board's long-task measurement must not share the CPU with a build
      fileParallelism: false,
      testTimeout: 120_000,
      hookTimeout: 180_000,
    },
  },
  {
    resolve,
    ssr: { resolve },
    test: {
      name: 'simulator',
      root: './packages/simulator',
      include: ['src/**/*.test.ts'],
      environment: 'node',
    },
  },
  {
    resolve,
    ssr: { resolve },
    test: {
      // the bench's own helpers (what `pnpm bench` feeds the cases), not its timed cases
      name: 'bench',
      root: './packages/bench',
      include: ['src/**/*.test.ts'],
      environment: 'node',
    },
  },
  {
    resolve,
    ssr: { resolve },
    test: {
      name: 'cli',
      root: './packages/cli',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      testTimeout: 90_000,
      hookTimeout: 60_000,
    },
  },
  {
    // Every public package packed, installed from its tarball into a fresh npm project (temp dir),
    // imported in Node and type-checked by a consumer (bundler and nodenext resolution).
    test: {
      name: 'packaging',
      root: './packages/packaging',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      testTimeout: 120_000,
      hookTimeout: 600_000,
    },
  },
  {
    // Fault, fuzz and slow-consumer runs against the simulator on loopback (issue: no data lost).
    resolve,
    ssr: { resolve },
    test: {
      name: 'faults',
      root: './packages/faults',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      testTimeout: 120_000,
      hookTimeout: 60_000,
    },
  },
  {
    // The relay: real ws clients, real redis-server (installed by the global setup if missing).
    resolve,
    ssr: { resolve },
    test: {
      name: 'relay',
      root: './packages/relay',
      include: ['src/**/*.test.ts'],
      environment: 'node',
      globalSetup: ['src/test-support/global-setup.ts'],
      testTimeout: 120_000,
      hookTimeout: 60_000,
    },
  },
]

export default projects
