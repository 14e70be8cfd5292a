/**
 * The e2e test's view of the simulator: one place that knows its control names.
 * @module
 */
import { startSimulator } from '@oddsfeed/simulator'

/** Key handed to the simulator and the page (a public demo key). */
export const E2E_KEY = 'e2e-demo-key'

/** A price entry the simulator can move. */
export interface EntryPath {
  fixtureId: string
  bookmaker: string
  marketId: string
  outcomeId: string
  playerId: string
}

/** What the test needs from a running simulator. */
export interface TestSimulator {
  readonly url: string
  readonly restUrl: string
  fixtureIds(): string[]
  /** Forces a price change of one entry; resolves to the new price when the simulator tells it. */
  movePrice(path: EntryPath): number | undefined
  /** Sets one entry's price (and makes it active), broadcast at once. */
  setPrice(path: EntryPath, price: number): void
  /** Drops every connection (the client should reconnect). */
  dropConnections(): void
  /** Changes the frame rate (frames/s) at run time. */
  setRate(rate: number): void
  stop(): Promise<void>
}

/** Starts a simulator on 127.0.0.1, port 0. */
export async function startTestSimulator(options: {
  seed: number
  fixtures: number
  rate: number
}): Promise<TestSimulator> {
  const sim = await startSimulator({
    port: 0,
    apiKey: E2E_KEY,
    sports: [10, 11, 12, 17],
    cooldowns: { odds: 20 },
    ...options,
  })
  return {
    url: sim.url,
    restUrl: sim.restUrl,
    fixtureIds: () => sim.fixtureIds(),
    movePrice(path) {
      const frame = sim.movePrice(path)
      const price =
        frame.bookmakerOdds?.[path.bookmaker]?.markets?.[path.marketId]?.outcomes?.[path.outcomeId]
          ?.players?.[path.playerId]?.price
      return typeof price === 'number' ? price : undefined
    },
    setPrice: (path, price) => {
      sim.setPrice(path, price)
    },
    dropConnections: () => {
      sim.dropConnections({ abrupt: false })
    },
    setRate: (rate) => sim.setRate(rate),
    stop: () => sim.stop(),
  }
}
