/**
 * Where the board gets its frames: the embedded simulator (default, filled in by the dev
 * server) or the real feed with a key the user typed (kept in sessionStorage only).
 * @module
 */

/** What `pnpm demo` (or the e2e test) tells the page about its simulator. */
export interface EmbeddedSimulator {
  /** The simulator's WebSocket URL. */
  readonly url: string
  /** The simulator's public demo key. */
  readonly apiKey: string
  /**
   * Base of the simulator's REST API as the page sees it: `''` means the page's own origin, whose
   * server proxies `/v4/*` to the simulator.
   */
  readonly restBase: string
  /**
   * Seam for the relay (`packages/relay`, not landed yet): when set, the board is meant to
   * connect to the relay with a token instead of to the feed. Read by {@link currentSource};
   * `main.ts` says the mode is not wired yet until the relay's client exists.
   */
  readonly relay?: RelaySource
}

/** A relay the board can connect through: its URL and the app user's token (never an API key). */
export interface RelaySource {
  readonly url: string
  readonly token: string
}

declare const __ODDSFEED_DEMO__: EmbeddedSimulator | undefined

/** The feed the board connects to. */
export interface FeedSource {
  readonly mode: 'simulator' | 'real' | 'relay'
  readonly url: string
  readonly apiKey?: string
  /** Base of the REST API (`/v4/odds` snapshots, `/v4/fixtures`), when there is one; `''` = this origin. */
  readonly restBase?: string
  /** In relay mode: the app user's token for the relay. */
  readonly token?: string
}

/** The real feed's URL. */
export const REAL_FEED_URL = 'wss://api.oddspapi.io/v4/ws'

const KEYS = {
  mode: 'oddsfeed.demo.mode',
  url: 'oddsfeed.demo.url',
  key: 'oddsfeed.demo.apiKey',
  relayUrl: 'oddsfeed.demo.relayUrl',
  relayToken: 'oddsfeed.demo.relayToken',
}

/** The simulator the dev server embedded, if any. */
export function embeddedSimulator(): EmbeddedSimulator | undefined {
  return typeof __ODDSFEED_DEMO__ === 'undefined' ? undefined : __ODDSFEED_DEMO__
}

/** The source chosen in the settings panel, else the embedded simulator. */
export function currentSource(storage: Storage = sessionStorage): FeedSource | undefined {
  const relay = relaySource(storage)
  if (relay) return { mode: 'relay', url: relay.url, token: relay.token }
  if (storage.getItem(KEYS.mode) === 'real') {
    const url = storage.getItem(KEYS.url) || REAL_FEED_URL
    const apiKey = storage.getItem(KEYS.key)
    return apiKey ? { mode: 'real', url, apiKey } : { mode: 'real', url }
  }
  const sim = embeddedSimulator()
  return sim && { mode: 'simulator', url: sim.url, apiKey: sim.apiKey, restBase: sim.restBase }
}

/** The relay to use: sessionStorage (`oddsfeed.demo.relayUrl` / `relayToken`) or the dev server's. */
export function relaySource(storage: Storage = sessionStorage): RelaySource | undefined {
  const url = storage.getItem(KEYS.relayUrl)
  const token = storage.getItem(KEYS.relayToken)
  if (url && token) return { url, token }
  return embeddedSimulator()?.relay
}

/** The settings panel's values. */
export interface StoredSettings {
  readonly mode: 'simulator' | 'real'
  readonly url: string
  readonly apiKey: string
}

/** Reads the settings panel's values. */
export function readSettings(storage: Storage = sessionStorage): StoredSettings {
  return {
    mode: storage.getItem(KEYS.mode) === 'real' ? 'real' : 'simulator',
    url: storage.getItem(KEYS.url) || REAL_FEED_URL,
    apiKey: storage.getItem(KEYS.key) ?? '',
  }
}

/** Stores the settings panel's values: sessionStorage only, gone when the tab closes. */
export function writeSettings(settings: StoredSettings, storage: Storage = sessionStorage): void {
  storage.setItem(KEYS.mode, settings.mode)
  storage.setItem(KEYS.url, settings.url)
  if (settings.apiKey) storage.setItem(KEYS.key, settings.apiKey)
  else storage.removeItem(KEYS.key)
}
