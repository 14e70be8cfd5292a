/**
 * What every view of the board shares: the odds format (kept in localStorage), the market
 * catalogue once loaded (names for ids), tournament names, and the histories of prices.
 * @module
 */
import {
  createHistory,
  createMarketCatalogue,
  type HistoryStore,
  type MarketCatalogue,
  ODDS_FORMATS,
  type OddsFeed,
  type OddsFormat,
} from '@oddsfeed/core'
import type { Disposer } from './dom.js'

const FORMAT_KEY = 'oddsfeed.demo.format'

/** Changes per price entry kept for sparklines and the chart. */
export const HISTORY_LIMIT = 50

/** Shared state of the board. */
export class AppState {
  /** Per-entry price histories (sparklines of the fixture view, the chart). */
  readonly history: HistoryStore
  private currentFormat: OddsFormat
  private currentCatalogue: MarketCatalogue = createMarketCatalogue([])
  private readonly tournamentNames = new Map<number, string>()
  private readonly listeners = new Set<() => void>()

  constructor(
    readonly feed: OddsFeed,
    private readonly storage: Storage | undefined = globalThis.localStorage,
  ) {
    this.history = createHistory(feed, { limit: HISTORY_LIMIT })
    const stored = this.storage?.getItem(FORMAT_KEY) as OddsFormat | null
    this.currentFormat = stored && ODDS_FORMATS.includes(stored) ? stored : 'decimal'
  }

  get format(): OddsFormat {
    return this.currentFormat
  }
  set format(format: OddsFormat) {
    if (format === this.currentFormat) return
    this.currentFormat = format
    this.storage?.setItem(FORMAT_KEY, format)
    this.changed()
  }

  get catalogue(): MarketCatalogue {
    return this.currentCatalogue
  }
  set catalogue(catalogue: MarketCatalogue) {
    this.currentCatalogue = catalogue
    this.changed()
  }

  /** A tournament's name, when `GET /v4/tournaments` told it. */
  tournamentName(id: number | null | undefined): string | undefined {
    return id === null || id === undefined ? undefined : this.tournamentNames.get(id)
  }
  setTournaments(rows: readonly { tournamentId: number; tournamentName: string }[]): void {
    for (const row of rows) this.tournamentNames.set(row.tournamentId, row.tournamentName)
    this.changed()
  }

  /** Called after the format, the catalogue or the tournaments change. */
  onChange(listener: () => void): Disposer {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener()
  }
}
