/**
 * The OddsPapi v4 frame schema, written once with valibot; every public type is inferred from it.
 *
 * Every object schema is *loose*: fields the provider's page does not list (`scores`,
 * `bookmakerOutcomeId`, REST-only fields such as `marketActive` or `suspended`) are kept and
 * merged, not stripped. Known fields are type-checked: a wrongly typed one rejects the frame.
 * Optional fields also accept `null` (REST sends `null` where the socket omits a value).
 *
 * The inferred types list the known fields only (no `[key: string]: unknown` index signature),
 * so a typo such as `entry.pricee` is a type error. The unlisted fields are still there at run
 * time: read them through {@link extra} (`extra(entry).bookmakerOutcomeId`), which says in the
 * code that the field is outside the schema.
 *
 * @module
 */
import type { Immutable } from 'immer'
import * as v from 'valibot'

/**
 * What a loose object with these entries outputs, without the index signature valibot adds for
 * the unlisted fields: the type is still inferred from the schema's entries, never written twice.
 * The keys are filtered with `as` (not `Exclude`), so each field keeps its entry's declaration
 * and with it the entry's TSDoc comment (in the API docs and in editors).
 */
export type Known<TEntries extends v.ObjectEntries> = {
  [K in keyof TEntries as K extends OptionalKeys<TEntries> ? never : K]: v.InferOutput<TEntries[K]>
} & {
  [K in keyof TEntries as K extends OptionalKeys<TEntries> ? K : never]?: v.InferOutput<TEntries[K]>
}
/** The entries that may be absent (`v.optional`, `v.nullish`). */
type OptionalKeys<TEntries extends v.ObjectEntries> = {
  [K in keyof TEntries]: TEntries[K] extends { readonly type: 'optional' | 'nullish' } ? K : never
}[keyof TEntries]

/**
 * One price entry: `bookmakerOdds.{bookmaker}.markets.{marketId}.outcomes.{outcomeId}.players.{playerId}`.
 * Player `"0"` is a line with no player. The feed always sends an entry whole.
 */
const playerEntries = {
  /**
   * Decimal price. The only field an entry cannot do without. Finite and above 0: `1e400`
   * (`Infinity`), `0` and negative prices reject the frame.
   */
  price: v.pipe(v.number(), v.finite(), v.gtValue(0)),
  /** `false` means suspended: keep showing, never treat as a live price. */
  active: v.optional(v.boolean()),
  /** Largest stake the bookmaker accepts, often `null`. */
  limit: v.nullish(v.number()),
  /** The bookmaker's own id of this price. */
  oddsId: v.nullish(v.string()),
  /** Opaque bookmaker bet-slip payload; replaced whole. */
  betslip: v.optional(v.unknown()),
  /** The player's id for player props; `null` or absent for lines with no player. */
  playerId: v.nullish(v.number()),
  /** When the bookmaker changed this entry; the out-of-order guard compares it as an instant. */
  changedAt: v.nullish(v.string()),
  /** Player props carry "Last, First"; `null` for lines with no player. */
  playerName: v.nullish(v.string()),
  /** Exchange depth (`{ back: [...], lay: [...] }`) or `{}`; opaque, replaced whole. */
  exchangeMeta: v.optional(v.unknown()),
  /** The bookmaker's own id of the outcome. */
  bookmakerOutcomeId: v.nullish(v.union([v.string(), v.number()])),
}
const playerSchema = v.looseObject(playerEntries)

/** A price entry as a frame carries it. */
export interface FramePlayer extends Known<typeof playerEntries> {}
/** Validates one price entry. */
export const PlayerSchema: v.GenericSchema<unknown, FramePlayer> = playerSchema

const outcomeEntries = {
  /** Price entries by player id (`"0"`: the line with no player). */
  players: v.optional(v.record(v.string(), PlayerSchema)),
}
const outcomeSchema = v.looseObject(outcomeEntries)
/** An outcome as a frame carries it; its prices live under `players`. */
export interface FrameOutcome extends Known<typeof outcomeEntries> {}
/** Validates one outcome of a market. */
export const OutcomeSchema: v.GenericSchema<unknown, FrameOutcome> = outcomeSchema

const marketEntries = {
  /** The bookmaker's own id of the market. */
  bookmakerMarketId: v.nullish(v.string()),
  /** REST only: `false` means the whole market is off. */
  marketActive: v.nullish(v.boolean()),
  /** Outcomes by outcome id (`"101"`). */
  outcomes: v.optional(v.record(v.string(), OutcomeSchema)),
}
const marketSchema = v.looseObject(marketEntries)
/** A market of one bookmaker as a frame carries it. Each handicap or total line has its own id. */
export interface FrameMarket extends Known<typeof marketEntries> {}
/** Validates one market. */
export const MarketSchema: v.GenericSchema<unknown, FrameMarket> = marketSchema

const bookmakerOddsEntries = {
  /** The bookmaker's own id of the fixture. */
  bookmakerFixtureId: v.nullish(v.string()),
  /** Link to the fixture on the bookmaker's site. */
  fixturePath: v.nullish(v.string()),
  /** REST only. */
  bookmakerIsActive: v.nullish(v.boolean()),
  /** REST only: `true` means every price of this bookmaker is off. */
  suspended: v.nullish(v.boolean()),
  /** Markets by market id (`"101"`); each handicap or total line has its own. */
  markets: v.optional(v.record(v.string(), MarketSchema)),
}
const bookmakerOddsSchema = v.looseObject(bookmakerOddsEntries)
/** One bookmaker's view of a fixture, as a frame carries it. */
export interface FrameBookmakerOdds extends Known<typeof bookmakerOddsEntries> {}
/** Validates one bookmaker's odds. */
export const BookmakerOddsSchema: v.GenericSchema<unknown, FrameBookmakerOdds> = bookmakerOddsSchema

const periodScoreEntries = {
  /** Home (first participant) score in this period. */
  participant1Score: v.nullish(v.number()),
  /** Away (second participant) score in this period. */
  participant2Score: v.nullish(v.number()),
  /** When this period's score last changed. */
  updatedAt: v.nullish(v.string()),
}
const periodScoreSchema = v.looseObject(periodScoreEntries)
/** Score of one period (`"1"`, `"2"`, `"result"`, `"p1"`, `"fulltime"`, ...). */
export interface FramePeriodScore extends Known<typeof periodScoreEntries> {}
/** Validates one period's score. */
export const PeriodScoreSchema: v.GenericSchema<unknown, FramePeriodScore> = periodScoreSchema

const scoresEntries = {
  /** Scores by period key (`"1"`, `"result"`, ...). */
  periods: v.optional(v.record(v.string(), PeriodScoreSchema)),
}
const scoresSchema = v.looseObject(scoresEntries)
/** Scores as the socket sends them (not in the page's schema, seen in its examples). */
export interface FrameScores extends Known<typeof scoresEntries> {}
/** Validates scores. */
export const ScoresSchema: v.GenericSchema<unknown, FrameScores> = scoresSchema

/** Longest `fixtureId`, in UTF-16 code units (`String#length`); real ids are ~20. */
export const MAX_FIXTURE_ID_LENGTH = 128

/**
 * One socket frame: a partial fixture. Only `fixtureId` is required; everything else is a change.
 * The same schema validates REST `/v4/odds` answers, which are whole fixtures of the same shape.
 */
const frameEntries = {
  /**
   * The fixture's OddsPapi id (`id1001509158796975`): the key of its state. 1 to
   * {@link MAX_FIXTURE_ID_LENGTH} characters.
   */
  fixtureId: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_FIXTURE_ID_LENGTH)),
  /** The fixture's Betradar id. */
  betradarId: v.nullish(v.number()),
  /** Epoch seconds on the socket; tolerated as an ISO string (REST). */
  startTime: v.nullish(v.union([v.number(), v.string()])),
  /** The first (home) participant's id. */
  participant1Id: v.nullish(v.number()),
  /** The second (away) participant's id. */
  participant2Id: v.nullish(v.number()),
  /** The first (home) participant's name. */
  participant1Name: v.nullish(v.string()),
  /** The second (away) participant's name. */
  participant2Name: v.nullish(v.string()),
  /** Sport (10 soccer, 11 basketball, 12 tennis, ...). */
  sportId: v.nullish(v.number()),
  /** The tournament's id. */
  tournamentId: v.nullish(v.number()),
  /** The season's id. */
  seasonId: v.nullish(v.number()),
  /** The fixture's Sofascore id. */
  sofascoreId: v.nullish(v.number()),
  /** The fixture's Betgenius id. */
  betgeniusId: v.nullish(v.number()),
  /** The fixture's Flashscore id. */
  flashscoreId: v.nullish(v.string()),
  /** 0 not started, 1 live, 2 finished, 3 cancelled. */
  statusId: v.nullish(v.number()),
  /** Changes whenever a top-level field changes. */
  updatedAt: v.nullish(v.string()),
  /** Scores per period (socket only). */
  scores: v.optional(ScoresSchema),
  /** Odds by bookmaker slug (`pinnacle`). */
  bookmakerOdds: v.optional(v.record(v.string(), BookmakerOddsSchema)),
}
const frameSchema = v.looseObject(frameEntries)

/** A validated socket frame (a partial fixture). */
export interface OddsFrame extends Known<typeof frameEntries> {}
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

/**
 * A node of the tree seen with its unlisted fields: every object in a frame or in stored state
 * keeps the fields the provider's page does not list, but the types name only the listed ones
 * (so typos are errors). `extra(node)` is the same object, typed as a read-only record of
 * `unknown` values: narrow before use. No copy is made.
 *
 * @example
 * ```ts
 * const entry = feed.get({ fixtureId, bookmaker: 'pinnacle', marketId: 101, outcomeId: 101, playerId: 0 })
 * entry?.price // number
 * const raw = entry && extra(entry).providerRef // unknown: a field the schema does not list
 * ```
 */
export function extra(node: object): Readonly<Record<string, unknown>> {
  return node as Readonly<Record<string, unknown>>
}
