/**
 * `@oddsfeed/core`: the OddsPapi v4 WebSocket odds feed as reactive, immutable state.
 * Isomorphic: no Node built-ins; runs in browsers and Node alike.
 * @packageDocumentation
 */
export {
  type BoardBest,
  type BoardMain,
  type BoardOptions,
  type BoardOutcome,
  type BoardRow,
  defaultMainMarket,
} from './board.js'
export {
  DEFAULT_MAX_FRAME_BYTES,
  type DecodeOptions,
  type DecodeResult,
  decodeFrame,
  MAX_FRAME_DEPTH,
} from './decode.js'
export {
  createRedactor,
  FeedError,
  type FeedErrorInit,
  type FeedErrorKind,
  RAW_EXCERPT_LIMIT,
  type Redactor,
} from './errors.js'
export { createOddsFeed, DEFAULT_URL, type OddsFeed, type OddsFeedOptions } from './feed.js'
export {
  createHistory,
  type HistoryOptions,
  type HistorySource,
  type HistoryStore,
  type PriceHistory,
  type PricePoint,
} from './history.js'
export {
  type BookmakerMargin,
  type BookPrice,
  compareMarket,
  type MarketView,
  type MarketViewPath,
  marketDependencies,
  type OutcomeComparison,
} from './market.js'
export {
  CatalogueError,
  createMarketCatalogue,
  type LoadCatalogueOptions,
  loadMarketCatalogue,
  type MarketCatalogue,
  type MarketCatalogueOutcome,
  type MarketCatalogueRow,
  MarketCatalogueRowSchema,
} from './market-catalogue.js'
export {
  deepEqual,
  emptyFixture,
  type MergeOptions,
  mergeFrame,
  mergeFrames,
} from './merge.js'
export {
  type FormatOddsOptions,
  formatAmerican,
  formatFractional,
  formatOdds,
  fromAmerican,
  fromFractional,
  impliedProbability,
  MAX_FRACTION_DENOMINATOR,
  ODDS_FORMATS,
  type OddsFormat,
  toAmerican,
  toFractional,
} from './odds-format.js'
export {
  CLOSE_TOO_SLOW,
  MAX_FIXTURES_PER_MESSAGE,
  RELAY_KEEPALIVE_MS,
  RELAY_PROTOCOL,
  type RelayClientMessage,
  RelayClientMessageSchema,
  type RelayErrorCode,
  type RelayMessage,
  RelayMessageSchema,
} from './relay-protocol.js'
export {
  type BookmakerOdds,
  BookmakerOddsSchema,
  extra,
  type Fixture,
  FrameSchema,
  MAX_FIXTURE_ID_LENGTH,
  type Market,
  MarketSchema,
  type OddsFrame,
  type Outcome,
  OutcomeSchema,
  PeriodScoreSchema,
  type Player,
  PlayerSchema,
  type Scores,
  ScoresSchema,
} from './schema.js'
export {
  type BookmakerPath,
  type ExactPath,
  type FixturePath,
  type MarketPath,
  type OutcomePath,
  type PlayerPath,
  readPath,
  type Selected,
  type SelectPath,
  type SelectPathKey,
} from './select.js'
export type {
  BodyStreamLike,
  FetchLike,
  FixtureSync,
  SnapshotOptions,
  SyncState,
} from './snapshot.js'
export {
  type BatchMode,
  type BatchWatcher,
  FixtureStore,
  type Watcher,
  type WatchScope,
} from './store.js'
export { DEFAULT_MAX_CLOCK_SKEW_MS, isOlder, toEpochMicros } from './time.js'
export type { TokenSource } from './token.js'
export {
  DEFAULT_RECONNECT,
  type FeedStatus,
  type ReconnectOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from './transport.js'
