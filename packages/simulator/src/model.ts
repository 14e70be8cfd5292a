/**
 * The simulator's own state model: fixture → bookmaker → market → outcome → player entry.
 *
 * This is the ground truth. REST answers render it; socket frames are diffs of it made by the
 * generator. It never goes through `@oddsfeed/core`'s merge, so comparing the two is not circular.
 *
 * Timestamps are kept as whole epoch milliseconds. The socket renders them with microseconds and
 * an offset (`2026-06-01T12:00:00.123000+00:00`, the micro digits always `000`), REST as
 * `2026-06-01T12:00:00.123Z`: both name the same instant, so comparisons stay exact.
 * @module
 */

import { toAmerican as coreToAmerican, formatAmerican, formatFractional } from '@oddsfeed/core'

/** A JSON object. */
export type JsonObject = Record<string, unknown>

/** One level of exchange depth. */
export interface DepthLevel {
  price: number
  limit: number
  size: number
}

/** Exchange depth of a `betfair-ex` price: `{ back: [...], lay: [...] }`. */
export interface ExchangeDepth {
  /** Back offers, best first. */
  back: DepthLevel[]
  /** Lay offers, best first. */
  lay: DepthLevel[]
}

/** One price entry, as the simulator keeps it. */
export interface SimEntry {
  price: number
  active: boolean
  limit: number | null
  oddsId: string | null
  betslip: null
  playerId: number
  playerName: string | null
  bookmakerOutcomeId: string
  /** Exchange depth, or `null` (the socket sends `{}`, REST `null`). */
  exchangeMeta: ExchangeDepth | null
  /** Epoch ms (whole); strictly increasing for every entry. */
  changedAtMs: number
  /** REST only. */
  mainLine: boolean
}

/** One outcome: entries keyed by player id (`"0"` is the line with no player). */
export interface SimOutcome {
  players: Map<string, SimEntry>
}

/** One market of one bookmaker. */
export interface SimMarket {
  bookmakerMarketId: string | null
  /** REST only. The generator suspends with `active: false` per entry, so this stays `true`. */
  marketActive: boolean
  outcomes: Map<string, SimOutcome>
}

/** One bookmaker's view of a fixture. */
export interface SimBookmaker {
  bookmakerFixtureId: string | null
  fixturePath: string | null
  /** REST only. */
  bookmakerIsActive: boolean
  /** REST only. */
  suspended: boolean
  markets: Map<string, SimMarket>
}

/** A period's score. */
export interface SimPeriodScore {
  participant1Score: number
  participant2Score: number
  /** Epoch ms. */
  updatedAtMs: number
}

/** A whole fixture: its top-level fields, scores and bookmakers. */
export interface SimFixture {
  fixtureId: string
  betradarId: number
  /** Epoch seconds. */
  startTime: number
  participant1Id: number
  participant2Id: number
  participant1Name: string
  participant2Name: string
  sportId: number
  tournamentId: number
  seasonId: number | null
  sofascoreId: number | null
  betgeniusId: number | null
  flashscoreId: string | null
  /** 0 not started, 1 live, 2 finished. */
  statusId: number
  /** Epoch ms. */
  updatedAtMs: number
  periods: Map<string, SimPeriodScore>
  bookmakers: Map<string, SimBookmaker>
}

/**
 * Which REST payload generation to speak (`oddspapi-facts.md`):
 * - `2025`: timestamps like the socket's (`…41.837288+00:00`), `exchangeMeta: {}`, none of the
 *   REST-only fields;
 * - `2026`: `…39:00.678Z` timestamps, `exchangeMeta: null`, `bookmakerChangedAt`,
 *   `priceAmerican` and `priceFractional` strings (`"-417"`, `"111/97"`), `mainLine`,
 *   `marketActive`, `bookmakerIsActive` and `suspended`.
 */
export type PayloadGeneration = 2025 | 2026

/** How a fixture is rendered in the shape of `GET /v4/odds` ({@link FrameGenerator.restOdds}). */
export interface RestRenderOptions {
  /** Only these bookmakers (the REST `bookmakers` parameter). */
  bookmakers?: readonly string[] | undefined
  /** Payload generation. Default `2026`. */
  generation?: PayloadGeneration | undefined
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** Socket timestamp: `2025-06-11T16:55:30.284000+00:00` (microseconds and an offset). */
export function socketTime(ms: number): string {
  const d = new Date(ms)
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `.${pad(d.getUTCMilliseconds(), 3)}000+00:00`
  )
}

/** REST timestamp: `2026-10-01T13:02:57.506Z`. */
export function restTime(ms: number): string {
  return new Date(ms).toISOString()
}

/** Decimal price → American odds (`150`, `-417`), as the provider rounds them (the core's helper). */
export function toAmerican(price: number): number {
  return coreToAmerican(price)
}

/** Decimal price → fractional odds (`"111/97"`), as the provider writes them (the core's helper). */
export function toFractional(price: number): string {
  return formatFractional(price)
}

function cloneDepth(d: ExchangeDepth): ExchangeDepth {
  return { back: d.back.map((l) => ({ ...l })), lay: d.lay.map((l) => ({ ...l })) }
}

/** A price entry as the socket sends it (always whole). */
export function socketEntry(e: SimEntry): JsonObject {
  return {
    active: e.active,
    betslip: e.betslip,
    bookmakerOutcomeId: e.bookmakerOutcomeId,
    changedAt: socketTime(e.changedAtMs),
    exchangeMeta: e.exchangeMeta ? cloneDepth(e.exchangeMeta) : {},
    limit: e.limit,
    oddsId: e.oddsId,
    playerId: e.playerId,
    playerName: e.playerName,
    price: e.price,
  }
}

/** A price entry as `GET /v4/odds` answers it, REST-only fields included (2026 generation). */
export function restEntry(e: SimEntry, generation: PayloadGeneration = 2026): JsonObject {
  if (generation === 2025) {
    return { ...socketEntry(e) }
  }
  return {
    active: e.active,
    betslip: e.betslip,
    bookmakerChangedAt: restTime(e.changedAtMs),
    bookmakerOutcomeId: e.bookmakerOutcomeId,
    changedAt: restTime(e.changedAtMs),
    exchangeMeta: e.exchangeMeta ? cloneDepth(e.exchangeMeta) : null,
    limit: e.limit,
    mainLine: e.mainLine,
    oddsId: e.oddsId,
    playerId: e.playerId,
    playerName: e.playerName,
    price: e.price,
    priceAmerican: formatAmerican(e.price),
    priceFractional: formatFractional(e.price),
  }
}

/** `socket`, or REST of one generation. */
type Format = 'socket' | PayloadGeneration

function renderMarket(m: SimMarket, format: Format): JsonObject {
  const outcomes: JsonObject = {}
  for (const [outcomeId, o] of m.outcomes) {
    const players: JsonObject = {}
    for (const [playerId, e] of o.players) {
      players[playerId] = format === 'socket' ? socketEntry(e) : restEntry(e, format)
    }
    outcomes[outcomeId] = { players }
  }
  const market: JsonObject = { bookmakerMarketId: m.bookmakerMarketId, outcomes }
  if (format === 2026) market.marketActive = m.marketActive
  return market
}

function renderBookmaker(b: SimBookmaker, format: Format): JsonObject {
  const markets: JsonObject = {}
  for (const [marketId, m] of b.markets) markets[marketId] = renderMarket(m, format)
  const out: JsonObject = {
    bookmakerFixtureId: b.bookmakerFixtureId,
    fixturePath: b.fixturePath,
    markets,
  }
  if (format === 2026) {
    out.bookmakerIsActive = b.bookmakerIsActive
    out.suspended = b.suspended
  }
  return out
}

/** One bookmaker, whole, as the socket sends it (a new fixture's bookmaker frames). */
export function socketBookmaker(b: SimBookmaker): JsonObject {
  return renderBookmaker(b, 'socket')
}

function info(f: SimFixture, time: (ms: number) => string): JsonObject {
  return {
    fixtureId: f.fixtureId,
    betradarId: f.betradarId,
    startTime: f.startTime,
    participant1Id: f.participant1Id,
    participant2Id: f.participant2Id,
    participant1Name: f.participant1Name,
    participant2Name: f.participant2Name,
    sportId: f.sportId,
    tournamentId: f.tournamentId,
    seasonId: f.seasonId,
    sofascoreId: f.sofascoreId,
    betgeniusId: f.betgeniusId,
    flashscoreId: f.flashscoreId,
    statusId: f.statusId,
    updatedAt: time(f.updatedAtMs),
  }
}

/** The top-level fields as the socket sends them (a new fixture's first frame). */
export function socketInfo(f: SimFixture): JsonObject {
  return info(f, socketTime)
}

function periods(
  f: SimFixture,
  keys: Iterable<string>,
  time: (ms: number) => string,
): JsonObject | undefined {
  const out: JsonObject = {}
  let any = false
  for (const key of keys) {
    const p = f.periods.get(key)
    if (!p) continue
    out[key] = {
      participant1Score: p.participant1Score,
      participant2Score: p.participant2Score,
      updatedAt: time(p.updatedAtMs),
    }
    any = true
  }
  return any ? { periods: out } : undefined
}

/** `scores` as the socket sends it, with only the named periods (default: all). */
export function socketScores(f: SimFixture, keys?: Iterable<string>): JsonObject | undefined {
  return periods(f, keys ?? f.periods.keys(), socketTime)
}

const timeOf = (generation: PayloadGeneration) => (generation === 2025 ? socketTime : restTime)

/** One row of `GET /v4/fixtures`: the top-level fields in REST form. */
export function renderFixtureRow(f: SimFixture, generation: PayloadGeneration = 2026): JsonObject {
  return info(f, timeOf(generation))
}

/**
 * The whole fixture in the shape of `GET /v4/odds`, in the payload generation asked for
 * (default 2026: REST timestamps and REST-only fields).
 */
export function renderRest(f: SimFixture, options: RestRenderOptions = {}): JsonObject {
  const generation = options.generation ?? 2026
  const out = info(f, timeOf(generation))
  const scores = periods(f, f.periods.keys(), timeOf(generation))
  if (scores) out.scores = scores
  const only = options.bookmakers ? new Set(options.bookmakers) : undefined
  const bookmakerOdds: JsonObject = {}
  for (const [slug, b] of f.bookmakers) {
    if (!only || only.has(slug)) bookmakerOdds[slug] = renderBookmaker(b, generation)
  }
  out.bookmakerOdds = bookmakerOdds
  return out
}
