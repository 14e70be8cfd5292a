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
const playerSchema = v.looseObject({
  /**
   * Decimal price. The only field an entry cannot do without. Finite and above 0: `1e400`
   * (`Infinity`), `0` and negative prices reject the frame.
   */
  price: v.pipe(v.number(), v.finite(), v.gtValue(0)),
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

/** A price entry as a frame carries it. */
export interface FramePlayer extends v.InferOutput<typeof playerSchema> {}
/** Validates one price entry. */
export const PlayerSchema: v.GenericSchema<unknown, FramePlayer> = playerSchema

const outcomeSchema = v.looseObject({
  players: v.optional(v.record(v.string(), PlayerSchema)),
})
/** An outcome as a frame carries it; its prices live under `players`. */
export interface FrameOutcome extends v.InferOutput<typeof outcomeSchema> {}
/** Validates one outcome of a market. */
export const OutcomeSchema: v.GenericSchema<unknown, FrameOutcome> = outcomeSchema

const marketSchema = v.looseObject({
  bookmakerMarketId: v.nullish(v.string()),
  /** REST only: `false` means the whole market is off. */
  marketActive: v.nullish(v.boolean()),
  outcomes: v.optional(v.record(v.string(), OutcomeSchema)),
})
/** A market of one bookmaker as a frame carries it. Each handicap or total line has its own id. */
export interface FrameMarket extends v.InferOutput<typeof marketSchema> {}
/** Validates one market. */
export const MarketSchema: v.GenericSchema<unknown, FrameMarket> = marketSchema

const bookmakerOddsSchema = v.looseObject({
  bookmakerFixtureId: v.nullish(v.string()),
  /** Link to the fixture on the bookmaker's site. */
  fixturePath: v.nullish(v.string()),
  /** REST only. */
  bookmakerIsActive: v.nullish(v.boolean()),
  /** REST only: `true` means every price of this bookmaker is off. */
  suspended: v.nullish(v.boolean()),
  markets: v.optional(v.record(v.string(), MarketSchema)),
})
/** One bookmaker's view of a fixture, as a frame carries it. */
export interface FrameBookmakerOdds extends v.InferOutput<typeof bookmakerOddsSchema> {}
/** Validates one bookmaker's odds. */
export const BookmakerOddsSchema: v.GenericSchema<unknown, FrameBookmakerOdds> = bookmakerOddsSchema

const periodScoreSchema = v.looseObject({
  participant1Score: v.nullish(v.number()),
  participant2Score: v.nullish(v.number()),
  updatedAt: v.nullish(v.string()),
})
/** Score of one period (`"1"`, `"2"`, `"result"`, `"p1"`, `"fulltime"`, ...). */
export interface FramePeriodScore extends v.InferOutput<typeof periodScoreSchema> {}
/** Validates one period's score. */
export const PeriodScoreSchema: v.GenericSchema<unknown, FramePeriodScore> = periodScoreSchema

const scoresSchema = v.looseObject({
  periods: v.optional(v.record(v.string(), PeriodScoreSchema)),
})
/** Scores as the socket sends them (not in the page's schema, seen in its examples). */
export interface FrameScores extends v.InferOutput<typeof scoresSchema> {}
/** Validates scores. */
export const ScoresSchema: v.GenericSchema<unknown, FrameScores> = scoresSchema

/**
 * One socket frame: a partial fixture. Only `fixtureId` is required; everything else is a change.
 * The same schema validates REST `/v4/odds` answers, which are whole fixtures of the same shape.
 */
/** Longest `fixtureId`, in UTF-16 code units (`String#length`); real ids are ~20. */
export const MAX_FIXTURE_ID_LENGTH = 128

const frameSchema = v.looseObject({
  /** 1 to {@link MAX_FIXTURE_ID_LENGTH} characters. */
  fixtureId: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_FIXTURE_ID_LENGTH)),
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
export interface OddsFrame extends v.InferOutput<typeof frameSchema> {}
/** Validates one frame (or a REST `/v4/odds` fixture, which has the same shape). */
export const FrameSchema: v.GenericSchema<unknown, OddsFrame> = frameSchema

// Note: every type here is inferred from its schema, never written twice. Each level is named
// by an (empty) interface extending its inferred type, and the schema of the level above refers
// to it through that name: declaration files then stay small, and packages that use them do
// not re-expand five levels of valibot generics at once (which trips TS2589).

/** A price entry, as stored (deeply read-only). */
export interface Player extends Immutable<FramePlayer> {}
/** An outcome, as stored. */
export interface Outcome extends Immutable<FrameOutcome> {}
/** A market, as stored. */
export interface Market extends Immutable<FrameMarket> {}
/** One bookmaker's odds for a fixture, as stored. */
export interface BookmakerOdds extends Immutable<FrameBookmakerOdds> {}
/** Scores, as stored. */
export interface Scores extends Immutable<FrameScores> {}
/**
 * A fixture's merged state: every frame received for it, merged. Deeply frozen; unchanged
 * subtrees keep their identity from one version to the next, so `===` is the change test.
 */
export interface Fixture extends Immutable<OddsFrame> {}
