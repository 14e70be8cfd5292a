/**
 * Vite configuration of the board. `demoConfig()` is used by `scripts/dev.ts` (dev server next to
 * a simulator, or a relay in front of it) and by the e2e tests (build + preview); the default
 * export serves plain `vite`.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { fileURLToPath } from 'node:url'
import { defaultClientConditions, type InlineConfig, type Plugin, type ProxyOptions } from 'vite'
import type { EmbeddedFeed } from './src/config.js'

/**
 * Path on the page's origin proxied to the simulator's REST API, unchanged (`/v4/odds`,
 * `/v4/fixtures`): the page calls its own origin, so no CORS is involved.
 */
export const REST_PROXY_PATH = '/v4'

/** Path on the page's origin that answers a fresh relay token (relay mode). */
export const TOKEN_PATH = '/token'

/**
 * REST paths served to the page in relay mode (the fixture list and the catalogue), the key added
 * by the server. `/v4/odds` is not among them: the relay's snapshots hydrate.
 */
export const RELAY_REST_PATHS = ['/v4/fixtures', '/v4/markets', '/v4/tournaments'] as const

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
  /**
   * Through a relay (`DEMO_RELAY=1`): the page connects to `url` with a token from
   * {@link TOKEN_PATH}, which this server answers with `token()` (as an app's backend would);
   * the simulator's URL and key stay on the server.
   */
  relay?: { url: string; token: () => Promise<string> }
}

/** The board's Vite config: workspace packages resolved from source, loopback only. */
export function demoConfig(options: DemoConfigOptions = {}): InlineConfig {
  const host = options.host ?? '127.0.0.1'
  const port = options.port ?? 5173
  const strictPort = options.strictPort ?? port !== 0
  const sim = options.simulator
  const relay = options.relay
  const embedded: EmbeddedFeed | undefined = relay
    ? { mode: 'relay', url: relay.url, tokenPath: TOKEN_PATH, restBase: '' }
    : sim && { mode: 'simulator', url: sim.url, apiKey: sim.apiKey, restBase: '' }
  const proxy = sim && (relay ? relayProxy(sim) : simulatorProxy(sim))
  const plugins = relay ? [tokenEndpoint(relay.token)] : []
  return {
    configFile: false,
    root: fileURLToPath(new URL('.', import.meta.url)),
    logLevel: 'warn',
    clearScreen: false,
    plugins,
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

/** The simulator's REST API, unchanged: the page holds the public demo key. */
function simulatorProxy(sim: { restUrl: string }): Record<string, ProxyOptions> {
  return { [REST_PROXY_PATH]: { target: sim.restUrl, changeOrigin: true } }
}

/** Relay mode: the fixture list and the catalogue only, the key added here, not by the page. */
function relayProxy(sim: { restUrl: string; apiKey: string }): Record<string, ProxyOptions> {
  const withKey = (path: string) =>
    `${path}${path.includes('?') ? '&' : '?'}apiKey=${encodeURIComponent(sim.apiKey)}`
  return Object.fromEntries(
    RELAY_REST_PATHS.map((path) => [
      path,
      { target: sim.restUrl, changeOrigin: true, rewrite: withKey },
    ]),
  )
}

/** `GET /token` on the dev and preview servers: a fresh token, never cached. */
function tokenEndpoint(token: () => Promise<string>): Plugin {
  const handle = (request: IncomingMessage, response: ServerResponse, next: () => void) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== TOKEN_PATH) return next()
    token().then(
      (text) => {
        response.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' })
        response.end(text)
      },
      () => {
        response.writeHead(500, { 'content-type': 'text/plain' })
        response.end('cannot mint a token\n')
      },
    )
  }
  return {
    name: 'oddsfeed-demo-token',
    configureServer: (server) => void server.middlewares.use(handle),
    configurePreviewServer: (server) => void server.middlewares.use(handle),
  }
}

export default demoConfig()
