/**
 * Seeding from REST. The feed has no snapshot: a fresh or re-established connection sees only
 * what changes next. Where the board knows a REST API (the embedded simulator, through the dev
 * server's proxy) it loads the fixture list when the socket opens and a fixture's whole state
 * when it is chosen, and pushes them through `feed.ingest`, the same pipeline as the socket.
 * @module
 */
import type { OddsFeed } from '@oddsfeed/core'

/** Seeds state over REST, one request at a time (each endpoint has a cooldown). */
export class RestSeeder {
  private queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly feed: OddsFeed,
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

  /** `GET /v4/odds?fixtureId=…`: the fixture's whole state, merged like any frame. */
  odds(fixtureId: string): Promise<void> {
    return this.enqueue('/v4/odds', { fixtureId }, (body) => {
      if (body && typeof body === 'object') this.feed.ingest(body)
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
      try {
        const response = await fetch(`${this.restBase}${path}?${query}`)
        if (!response.ok) {
          console.warn(`REST ${path} answered ${response.status}`)
          return
        }
        use(await response.json())
      } catch (error) {
        console.warn(`REST ${path} failed: ${error instanceof Error ? error.message : 'unknown'}`)
      }
    }
    this.queue = this.queue.then(run)
    return this.queue
  }
}
