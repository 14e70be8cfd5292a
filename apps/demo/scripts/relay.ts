/**
 * The demo's relay (`DEMO_RELAY=1 pnpm demo`, and the relay e2e test): `@oddsfeed/relay` in
 * memory mode in front of the simulator, with a secret made up for this run, and the token
 * minting an app's backend would do (`jose`, HS256, short-lived). The secret and the simulator's
 * key stay in this process; the page gets tokens only.
 * @module
 */
import { randomBytes } from 'node:crypto'
import { startRelay } from '@oddsfeed/relay'
import { SignJWT } from 'jose'

/** How long a token minted for the page is valid: the board asks again before every reconnect. */
export const TOKEN_TTL_SECONDS = 120

/** A running demo relay. */
export interface DemoRelay {
  /** The relay's `ws://127.0.0.1:PORT/v4/ws`. */
  readonly url: string
  /** A fresh token for the page (JWT, HS256, `exp` in {@link TOKEN_TTL_SECONDS}). */
  token(): Promise<string>
  stop(): Promise<void>
}

/** Starts a relay on 127.0.0.1 (a free port) in front of the simulator at `upstream`. */
export async function startDemoRelay(upstream: {
  url: string
  apiKey: string
  restUrl: string
}): Promise<DemoRelay> {
  const secret = randomBytes(32)
  const relay = await startRelay({
    port: 0,
    upstream: { url: upstream.url, apiKey: upstream.apiKey, snapshotUrl: upstream.restUrl },
    secret,
  })
  return {
    url: relay.url,
    token: () =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setExpirationTime(Math.floor(Date.now() / 1000) + TOKEN_TTL_SECONDS)
        .sign(secret),
    stop: () => relay.stop(),
  }
}
