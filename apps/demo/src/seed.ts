/**
 * The fixture list from REST. The feed has no snapshot: a fresh or re-established connection
 * sees only what changes next. Fixtures' odds are hydrated by the core (`snapshot` option);
 * the list of fixtures is not, so where the board knows a REST API (the embedded simulator,
 * through the dev server's proxy) it loads `GET /v4/fixtures` when the socket opens and pushes
 * the rows through `feed.ingest`, the same pipeline as the socket.
 * @module
 */
import type { OddsFeed } from '@oddsfeed/core'

/** Loads the fixture list over REST, one request at a time (the endpoint has a cooldown). */
export class RestSeeder {
  private queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly feed: OddsFeed,
    /** Absolute base URL of the REST API. */
    private readonly restBase: string,
    private readonly apiKey: string | undefined,
  ) {}

  /** `GET /v4/fixtures`: every row becomes a frame (fixture info, no odds). */
  fixtures(): Promise<void> {
    return this.enqueue('/v4/fixtures', {}, (body) => {
      const rows = Array.isArray(body) ? body : []
      for (const row of rows) this.feed.ingest(row)
    })
  }

  private enqueue(
    path: string,
    params: Record<string, string>,
    use: (body: unknown) => void,
  ): Promise<void> {
    const run = async () => {
      const query = new URLSearchParams(params)
      if (this.apiKey) query.set('apiKey', this.apiKey)
      // Each endpoint has a cooldown: a 429 says how long to wait (`retryMs`); try twice more.
      for (let attempt = 0; attempt < 3; attempt++) {
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
          use(await response.json())
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

function retryAfter(body: unknown): number {
  const ms = (body as { error?: { retryMs?: unknown } } | undefined)?.error?.retryMs
  return typeof ms === 'number' && ms > 0 ? Math.min(ms, 5000) : 1000
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
