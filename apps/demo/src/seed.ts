/**
 * The fixture list, the market catalogue and the tournaments from REST. The feed has no snapshot: a fresh or re-established connection
 * sees only what changes next. Fixtures' odds are hydrated by the core (`snapshot` option);
 * the list of fixtures is not, so where the board knows a REST API (the embedded simulator,
 * through the dev server's proxy) it loads `GET /v4/fixtures` when the socket opens and pushes
 * the rows through `feed.ingest`, the same pipeline as the socket.
 * @module
 */
import { loadMarketCatalogue, type OddsFeed } from '@oddsfeed/core'
import type { AppState } from './state.js'

/** Loads the fixture list over REST, one request at a time (the endpoint has a cooldown). */
export class RestSeeder {
  private queue: Promise<void> = Promise.resolve()
  /** When each endpoint was last called (ms): calls wait out its cooldown instead of drawing a 429. */
  private readonly lastCall = new Map<string, number>()

  constructor(
    private readonly feed: OddsFeed,
    /** Absolute base URL of the REST API. */
    private readonly restBase: string,
    private readonly apiKey: string | undefined,
  ) {}

  /** `GET /v4/fixtures`: every row becomes a frame (fixture info, no odds). */
  fixtures(): Promise<void> {
    return this.enqueue('/v4/fixtures', {}, async (body) => {
      const rows = Array.isArray(body) ? body : []
      // in slices, yielding between them: a thousand rows in one task would block the page
      for (let i = 0; i < rows.length; i += INGEST_SLICE) {
        for (const row of rows.slice(i, i + INGEST_SLICE)) this.feed.ingest(row)
        if (i + INGEST_SLICE < rows.length) await delay(0)
      }
    })
  }

  /**
   * `GET /v4/markets` (names for every market and outcome id) and `GET /v4/tournaments`, once:
   * both are billed like every REST call and change rarely.
   */
  catalogue(state: AppState): Promise<void> {
    this.queue = this.queue.then(async () => {
      try {
        state.catalogue = await loadMarketCatalogue({
          baseUrl: this.restBase,
          ...(this.apiKey !== undefined && { apiKey: this.apiKey }),
          fetch: (url, init) => globalThis.fetch(url, init),
        })
      } catch (error) {
        console.warn(`REST /v4/markets: ${error instanceof Error ? error.message : 'failed'}`)
      }
    })
    return this.enqueue('/v4/tournaments', {}, (body) => {
      if (Array.isArray(body)) {
        state.setTournaments(
          body.filter(
            (r): r is { tournamentId: number; tournamentName: string } =>
              typeof r?.tournamentId === 'number' && typeof r?.tournamentName === 'string',
          ),
        )
      }
    })
  }

  private enqueue(
    path: string,
    params: Record<string, string>,
    use: (body: unknown) => void | Promise<void>,
  ): Promise<void> {
    const run = async () => {
      const query = new URLSearchParams(params)
      if (this.apiKey) query.set('apiKey', this.apiKey)
      // Each endpoint has a cooldown: wait it out; a 429 says how long to wait (`retryMs`).
      for (let attempt = 0; attempt < 3; attempt++) {
        const wait =
          (this.lastCall.get(path) ?? -Infinity) + (COOLDOWN_MS[path] ?? 1000) - Date.now()
        if (wait > 0) await delay(wait + 20)
        this.lastCall.set(path, Date.now())
        try {
          const response = await fetch(`${new URL(path, this.restBase)}?${query}`)
          if (response.status === 429) {
            await delay(retryAfter(await response.json().catch(() => undefined)))
            continue
          }
          if (!response.ok) {
            console.warn(`REST ${path} answered ${response.status}`)
            return
          }
          await use(await response.json())
          return
        } catch (error) {
          console.warn(`REST ${path} failed: ${error instanceof Error ? error.message : 'unknown'}`)
          return
        }
      }
    }
    this.queue = this.queue.then(run)
    return this.queue
  }
}

/** Fixture rows ingested per task. */
const INGEST_SLICE = 100

/** Per-endpoint cooldowns of the REST API (`oddspapi-facts.md`). */
const COOLDOWN_MS: Readonly<Record<string, number>> = {
  '/v4/fixtures': 2000,
  '/v4/tournaments': 1000,
  '/v4/markets': 1000,
}

function retryAfter(body: unknown): number {
  const ms = (body as { error?: { retryMs?: unknown } } | undefined)?.error?.retryMs
  return typeof ms === 'number' && ms > 0 ? Math.min(ms, 5000) : 1000
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
