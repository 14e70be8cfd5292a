/**
 * Vite configuration of the board. `demoConfig()` is used by `scripts/dev.ts` (dev server next to
 * a simulator) and by the e2e test (build + preview); the default export serves plain `vite`.
 * @module
 */
import { fileURLToPath } from 'node:url'
import { defaultClientConditions, type InlineConfig } from 'vite'
import type { EmbeddedSimulator } from './src/config.js'

/**
 * Path on the page's origin proxied to the simulator's REST API, unchanged (`/v4/odds`,
 * `/v4/fixtures`): the page calls its own origin, so no CORS is involved.
 */
export const REST_PROXY_PATH = '/v4'

/** Options of {@link demoConfig}. */
export interface DemoConfigOptions {
  /** The simulator to embed: its WebSocket URL, its public demo key and its REST base URL. */
  simulator?: { url: string; apiKey: string; restUrl: string }
  /** Default `127.0.0.1`. */
  host?: string
  /** Default `5173`; `0` for any free port. */
  port?: number
  /** Fail when `port` is taken (default, but for port `0`); `false` takes the next free one. */
  strictPort?: boolean
  /** Build output directory (e2e builds into a temporary one). */
  outDir?: string
}

/** The board's Vite config: workspace packages resolved from source, loopback only. */
export function demoConfig(options: DemoConfigOptions = {}): InlineConfig {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 5173
  const strictPort = options.strictPort ?? port !== 0
  const sim = options.simulator
  const embedded: EmbeddedSimulator | undefined = sim && {
    url: sim.url,
    apiKey: sim.apiKey,
    restBase: '',
  }
  const proxy = sim
    ? {
        [REST_PROXY_PATH]: {
          target: sim.restUrl,
          changeOrigin: true,
        },
      }
    : undefined
  return {
    configFile: false,
    root: fileURLToPath(new URL('.', import.meta.url)),
    logLevel: 'warn',
    clearScreen: false,
    resolve: { conditions: ['@oddsfeed/source', ...defaultClientConditions] },
    define: { __ODDSFEED_DEMO__: embedded ? JSON.stringify(embedded) : 'undefined' },
    server: { host, port, strictPort, ...(proxy && { proxy }) },
    preview: { host, port, strictPort, ...(proxy && { proxy }) },
    build: {
      ...(options.outDir !== undefined && { outDir: options.outDir, emptyOutDir: true }),
      sourcemap: true,
    },
  }
}

export default demoConfig()
