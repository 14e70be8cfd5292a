/**
 * The market catalogue (`GET /v4/markets`): names for market and outcome ids, each market's line,
 * period and type. Ids stay data: the catalogue only names them, and an id it does not know is
 * shown as itself. Isomorphic (`fetch`).
 * @module
 */
import * as v from 'valibot'
import { createRedactor } from './errors.js'
import type { Known } from './schema.js'
import type { FetchLike } from './snapshot.js'

const catalogueOutcomeEntries = {
  /** The outcome's id, as `markets.{marketId}.outcomes` keys it (`101`). */
  outcomeId: v.union([v.number(), v.string()]),
  /** The outcome's display name (`1`, `X`, `Over 2.5`). */
  outcomeName: v.string(),
}
/** One outcome of a catalogue row: its id and name. */
export interface MarketCatalogueOutcome extends Known<typeof catalogueOutcomeEntries> {}
const catalogueOutcomeSchema: v.GenericSchema<unknown, MarketCatalogueOutcome> =
  v.looseObject(catalogueOutcomeEntries)

const marketCatalogueRowEntries = {
  /** The market's id, as `bookmakerOdds.{bookmaker}.markets` keys it; each line has its own. */
  marketId: v.union([v.number(), v.string()]),
  /** The market's display name (`Full time result (1X2)`). */
  marketName: v.string(),
  /** How many outcomes the market has. */
  marketLength: v.nullish(v.number()),
  /** Whether the market is a player prop (one price entry per player under each outcome). */
  playerProp: v.nullish(v.boolean()),
  /** The sport whose fixtures carry the market. */
  sportId: v.nullish(v.number()),
  /** The handicap or total line, `0` or `null` when the market has none. */
  handicap: v.nullish(v.number()),
  /** The period the market is settled on (`fulltime`, `p1`, ...). */
  period: v.nullish(v.string()),
  /** How the market is priced (`1x2`, `totals`, `handicap`, ...). */
  marketType: v.nullish(v.string()),
  /** The market's outcomes, with their names. */
  outcomes: v.array(catalogueOutcomeSchema),
}

/**
 * One catalogue row, as validated. Fields the catalogue adds beyond these are kept: read them
 * through {@link extra}.
 */
export interface MarketCatalogueRow extends Known<typeof marketCatalogueRowEntries> {}

/**
 * Validates one row of `GET /v4/markets`: `{marketId, marketName, marketLength, playerProp,
 * sportId, handicap, period, marketType, outcomes: [{outcomeId, outcomeName}]}`. Loose: other
 * fields are kept; only `marketId`, `marketName` and `outcomes` are required.
 */
export const MarketCatalogueRowSchema: v.GenericSchema<unknown, MarketCatalogueRow> =
  v.looseObject(marketCatalogueRowEntries)

/** Why a catalogue could not be loaded. */
export class CatalogueError extends Error {
  /** Always `CatalogueError`. */
  override readonly name = 'CatalogueError'
  /** HTTP status, when the server answered. */
  readonly status: number | undefined
  constructor(message: string, status?: number) {
    super(message)
    this.status = status
  }
}

/** Names for ids, from the catalogue. */
export interface MarketCatalogue {
  /** Markets known. */
  readonly size: number
  /** Rows that did not validate and were left out (the others are kept). */
  readonly rejected: number
  /** Every row, or a sport's rows, in catalogue order. */
  rows(sportId?: number): MarketCatalogueRow[]
  /** The row of a market id, when the catalogue has it. */
  market(marketId: string | number): MarketCatalogueRow | undefined
  /** The market's name, or `Market <id>`. */
  marketName(marketId: string | number): string
  /** The outcome's name within its market, or `#<id>`. */
  outcomeName(marketId: string | number, outcomeId: string | number): string
  /**
   * The main market among `marketIds` (a fixture's markets): a full-time winner or 1X2 market
   * with no line and no player before anything else, then the lowest id. `undefined` for none.
   * A reading of the catalogue's data (`marketType`, `handicap`, `period`, `playerProp`), not a
   * list of ids.
   */
  mainMarket(marketIds: Iterable<string | number>): string | undefined
}

const MAIN_TYPES =
  /^(1x2|winner|moneyline|match[ _-]?winner|12|result|full[ _-]?time[ _-]?result)$/i

function rank(row: MarketCatalogueRow | undefined): number {
  if (!row) return 100
  let score = 0
  if (!MAIN_TYPES.test(row.marketType ?? '')) score += 8
  if (row.handicap) score += 4
  if (row.period && !/^(fulltime|full|match|ft)$/i.test(row.period)) score += 2
  if (row.playerProp) score += 16
  return score
}

/**
 * Builds a catalogue from a `GET /v4/markets` body: an array of rows (or `{ markets: [...] }`).
 * Rows that do not validate are left out and counted in `rejected`.
 * @throws CatalogueError when the body is not a list of rows.
 */
export function createMarketCatalogue(body: unknown): MarketCatalogue {
  const list = Array.isArray(body)
    ? body
    : body && typeof body === 'object' && Array.isArray((body as { markets?: unknown }).markets)
      ? ((body as { markets: unknown[] }).markets as unknown[])
      : undefined
  if (!list) throw new CatalogueError('The market catalogue is not a list of markets')
  const rows = new Map<string, MarketCatalogueRow>()
  const outcomes = new Map<string, Map<string, string>>()
  let rejected = 0
  for (const item of list) {
    const parsed = v.safeParse(MarketCatalogueRowSchema, item)
    if (!parsed.success) {
      rejected++
      continue
    }
    const id = String(parsed.output.marketId)
    rows.set(id, parsed.output)
    outcomes.set(
      id,
      new Map(parsed.output.outcomes.map((o) => [String(o.outcomeId), o.outcomeName])),
    )
  }
  const byId = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0)
  return {
    size: rows.size,
    rejected,
    rows: (sportId) =>
      [...rows.values()].filter((row) => sportId === undefined || row.sportId === sportId),
    market: (marketId) => rows.get(String(marketId)),
    marketName: (marketId) => rows.get(String(marketId))?.marketName ?? `Market ${marketId}`,
    outcomeName: (marketId, outcomeId) =>
      outcomes.get(String(marketId))?.get(String(outcomeId)) ?? `#${outcomeId}`,
    mainMarket(marketIds) {
      let best: string | undefined
      let bestRank = Number.POSITIVE_INFINITY
      for (const raw of marketIds) {
        const id = String(raw)
        const r = rank(rows.get(id))
        if (r < bestRank || (r === bestRank && best !== undefined && byId(id, best) < 0)) {
          best = id
          bestRank = r
        }
      }
      return best
    },
  }
}

/** Options of {@link loadMarketCatalogue}. */
export interface LoadCatalogueOptions {
  /** REST host. Default `https://api.oddspapi.io`. */
  baseUrl?: string | undefined
  /** Sent as `apiKey`; never shown in an error. */
  apiKey?: string | undefined
  /** Only this sport's markets (`sportId`). */
  sportId?: number | undefined
  /** `fetch` to use. Default: the global one. */
  fetch?: FetchLike | undefined
  /** Give up after this long. Default 15 s. */
  timeoutMs?: number | undefined
}

/**
 * Loads `GET /v4/markets` (billed and rate-limited like every REST call: load it once and keep
 * it). Retries once after a 429's `retryMs`.
 * @throws CatalogueError on a refused or unreadable answer (the key masked in the message).
 */
export async function loadMarketCatalogue(
  options: LoadCatalogueOptions = {},
): Promise<MarketCatalogue> {
  const redact = createRedactor(options.apiKey)
  const url = new URL('/v4/markets', options.baseUrl ?? 'https://api.oddspapi.io')
  if (options.apiKey) url.searchParams.set('apiKey', options.apiKey)
  if (options.sportId !== undefined) url.searchParams.set('sportId', String(options.sportId))
  const fetchImpl: FetchLike =
    options.fetch ?? ((input, init) => globalThis.fetch(input, init) as ReturnType<FetchLike>)
  for (let attempt = 0; ; attempt++) {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 15_000)
    let status: number
    let text: string
    try {
      const response = await fetchImpl(url.href, {
        signal: controller.signal,
        headers: { accept: 'application/json' },
      })
      status = response.status
      text = await response.text()
    } catch (error) {
      throw new CatalogueError(
        redact(`GET /v4/markets failed: ${error instanceof Error ? error.message : String(error)}`),
      )
    } finally {
      clearTimeout(timer)
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      throw new CatalogueError(
        `GET /v4/markets answered ${status} with text that is not JSON`,
        status,
      )
    }
    if (status === 429 && attempt === 0) {
      const retryMs = (body as { error?: { retryMs?: unknown } } | null)?.error?.retryMs
      await new Promise((r) =>
        setTimeout(r, typeof retryMs === 'number' ? Math.min(retryMs, 5000) : 1000),
      )
      continue
    }
    if (status < 200 || status >= 300) {
      const code = (body as { error?: { code?: unknown } } | null)?.error?.code
      throw new CatalogueError(
        redact(`GET /v4/markets answered ${status}${typeof code === 'string' ? ` ${code}` : ''}`),
        status,
      )
    }
    return createMarketCatalogue(body)
  }
}
