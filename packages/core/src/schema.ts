/**
 * The OddsPapi v4 frame schema, written once with valibot; every public type is inferred from it.
 *
 * Every object schema is *loose*: fields the provider's page does not list (`scores`,
 * `bookmakerOutcomeId`, REST-only fields such as `marketActive` or `suspended`) are kept and
 * merged, not stripped. Known fields are type-checked: a wrongly typed one rejects the frame.
 * Optional fields also accept `null` (REST sends `null` where the socket omits a value).
 *
 * @module
 */
import type { Immutable } from 'immer'
import * as v from 'valibot'

/**
 * One price entry: `bookmakerOdds.{bookmaker}.markets.{marketId}.outcomes.{outcomeId}.players.{playerId}`.
 * Player `"0"` is a line with no player. The feed always sends an entry whole.
 */
export const PlayerSchema = v.looseObject({
  /** Decimal price. The only field an entry cannot do without. */
  price: v.number(),
  /** `false` means suspended: keep showing, never treat as a live price. */
  active: v.optional(v.boolean()),
  /** Largest stake the bookmaker accepts, often `null`. */
  limit: v.nullish(v.number()),
  oddsId: v.nullish(v.string()),
  /** Opaque bookmaker bet-slip payload; replaced whole. */
  betslip: v.optional(v.unknown()),
  playerId: v.nullish(v.number()),
  /** When the bookmaker changed this entry; the out-of-order guard compares it as an instant. */
  changedAt: v.nullish(v.string()),
  /** Player props carry "Last, First"; `null` for lines with no player. */
  playerName: v.nullish(v.string()),
  /** Exchange depth (`{ back: [...], lay: [...] }`) or `{}`; opaque, replaced whole. */
  exchangeMeta: v.optional(v.unknown()),
  bookmakerOutcomeId: v.nullish(v.union([v.string(), v.number()])),
})

/** One outcome of a market; its prices live under `players`. */
export const OutcomeSchema = v.looseObject({
  players: v.optional(v.record(v.string(), PlayerSchema)),
})

/** One market of one bookmaker. Each handicap or total line has its own market id. */
export const MarketSchema = v.looseObject({
  bookmakerMarketId: v.nullish(v.string()),
  /** REST only: `false` means the whole market is off. */
  marketActive: v.nullish(v.boolean()),
  outcomes: v.optional(v.record(v.string(), OutcomeSchema)),
})

/** One bookmaker's view of a fixture. */
export const BookmakerOddsSchema = v.looseObject({
  bookmakerFixtureId: v.nullish(v.string()),
  /** Link to the fixture on the bookmaker's site. */
  fixturePath: v.nullish(v.string()),
  /** REST only. */
  bookmakerIsActive: v.nullish(v.boolean()),
  /** REST only: `true` means every price of this bookmaker is off. */
  suspended: v.nullish(v.boolean()),
  markets: v.optional(v.record(v.string(), MarketSchema)),
})

/** Score of one period (`"1"`, `"2"`, `"result"`, `"p1"`, `"fulltime"`, ...). */
export const PeriodScoreSchema = v.looseObject({
  participant1Score: v.nullish(v.number()),
  participant2Score: v.nullish(v.number()),
  updatedAt: v.nullish(v.string()),
})

/** Scores as the socket sends them (not in the page's schema, seen in its examples). */
export const ScoresSchema = v.looseObject({
  periods: v.optional(v.record(v.string(), PeriodScoreSchema)),
})

/**
 * One socket frame: a partial fixture. Only `fixtureId` is required; everything else is a change.
 * The same schema validates REST `/v4/odds` answers, which are whole fixtures of the same shape.
 */
export const FrameSchema = v.looseObject({
  fixtureId: v.string(),
  betradarId: v.nullish(v.number()),
  /** Epoch seconds on the socket; tolerated as an ISO string (REST). */
  startTime: v.nullish(v.union([v.number(), v.string()])),
  participant1Id: v.nullish(v.number()),
  participant2Id: v.nullish(v.number()),
  participant1Name: v.nullish(v.string()),
  participant2Name: v.nullish(v.string()),
  sportId: v.nullish(v.number()),
  tournamentId: v.nullish(v.number()),
  seasonId: v.nullish(v.number()),
  sofascoreId: v.nullish(v.number()),
  betgeniusId: v.nullish(v.number()),
  flashscoreId: v.nullish(v.string()),
  /** 0 not started, 1 live, 2 finished, 3 cancelled. */
  statusId: v.nullish(v.number()),
  /** Changes whenever a top-level field changes. */
  updatedAt: v.nullish(v.string()),
  scores: v.optional(ScoresSchema),
  bookmakerOdds: v.optional(v.record(v.string(), BookmakerOddsSchema)),
})

/** A validated socket frame (a partial fixture). */
export type OddsFrame = v.InferOutput<typeof FrameSchema>
/** A price entry, as stored (deeply read-only). */
export type Player = Immutable<v.InferOutput<typeof PlayerSchema>>
/** An outcome, as stored. */
export type Outcome = Immutable<v.InferOutput<typeof OutcomeSchema>>
/** A market, as stored. */
export type Market = Immutable<v.InferOutput<typeof MarketSchema>>
/** One bookmaker's odds for a fixture, as stored. */
export type BookmakerOdds = Immutable<v.InferOutput<typeof BookmakerOddsSchema>>
/** Scores, as stored. */
export type Scores = Immutable<v.InferOutput<typeof ScoresSchema>>
/**
 * A fixture's merged state: every frame received for it, merged. Deeply frozen; unchanged
 * subtrees keep their identity from one version to the next, so `===` is the change test.
 */
export type Fixture = Immutable<OddsFrame>
