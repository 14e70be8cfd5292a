/**
 * Where the board gets its frames: the embedded simulator (default, filled in by the dev
 * server), the relay in front of it (`DEMO_RELAY=1`: a token, no key in the page), a relay with a
 * token in sessionStorage, or the real feed with a key the user typed (sessionStorage only).
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
}

/**
 * What `DEMO_RELAY=1 pnpm demo` (or the e2e test) tells the page instead: the relay in front of
 * the simulator and where the page's own server hands out tokens. No URL or key of the simulator.
 */
export interface EmbeddedRelay {
  /** The relay's WebSocket URL (`ws://…/v4/ws`). */
  readonly url: string
  /** Path on the page's origin answering a fresh token (text), as an app's backend would. */
  readonly tokenPath: string
  /**
   * Base of the REST API for the fixture list and the catalogue (`''`: this origin, whose server
   * adds the key). There is no `/v4/odds` there: the relay's snapshots hydrate.
   */
  readonly restBase: string
}

/** What the dev server embeds: one of them. */
export type EmbeddedFeed =
  | ({ readonly mode: 'simulator' } & EmbeddedSimulator)
  | ({ readonly mode: 'relay' } & EmbeddedRelay)

/** A relay the board can connect through: its URL and the app user's token (never an API key). */
export interface RelaySource {
  readonly url: string
  readonly token: string
}

declare const __ODDSFEED_DEMO__: EmbeddedFeed | undefined

/** The feed the board connects to. */
export interface FeedSource {
  readonly mode: 'simulator' | 'real' | 'relay'
  readonly url: string
  readonly apiKey?: string
  /** Base of the REST API (`/v4/odds` snapshots, `/v4/fixtures`), when there is one; `''` = this origin. */
  readonly restBase?: string
  /** In relay mode: the app user's token for the relay. */
  readonly token?: string
  /** In relay mode: where a fresh token is fetched before every (re)connect (this origin). */
  readonly tokenPath?: string
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

/** The feed the dev server embedded (simulator or relay), if any. */
export function embeddedFeed(): EmbeddedFeed | undefined {
  return typeof __ODDSFEED_DEMO__ === 'undefined' ? undefined : __ODDSFEED_DEMO__
}

/** The source chosen in the settings panel, else the embedded feed. */
export function currentSource(storage: Storage = sessionStorage): FeedSource | undefined {
  const relay = relaySource(storage)
  if (relay) return { mode: 'relay', url: relay.url, token: relay.token }
  if (storage.getItem(KEYS.mode) === 'real') {
    const url = storage.getItem(KEYS.url) || REAL_FEED_URL
    const apiKey = storage.getItem(KEYS.key)
    return apiKey ? { mode: 'real', url, apiKey } : { mode: 'real', url }
  }
  const embedded = embeddedFeed()
  if (embedded?.mode === 'relay') {
    return {
      mode: 'relay',
      url: embedded.url,
      tokenPath: embedded.tokenPath,
      restBase: embedded.restBase,
    }
  }
  return (
    embedded && {
      mode: 'simulator',
      url: embedded.url,
      apiKey: embedded.apiKey,
      restBase: embedded.restBase,
    }
  )
}

/** A relay with a fixed token from sessionStorage (`oddsfeed.demo.relayUrl` / `relayToken`). */
export function relaySource(storage: Storage = sessionStorage): RelaySource | undefined {
  const url = storage.getItem(KEYS.relayUrl)
  const token = storage.getItem(KEYS.relayToken)
  return url && token ? { url, token } : undefined
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
