/**
 * `@oddsfeed/simulator`: a local, deterministic stand-in for the OddsPapi v4 feed (WebSocket
 * frames and the REST endpoints that seed state), with fault injection and replay. Node only.
 * @packageDocumentation
 */
export {
  BOOKMAKERS,
  type BookmakerSpec,
  bookmakerSpec,
  type CatalogueRow,
  catalogueRow,
  DEFAULT_SPORTS,
  type LeagueSpec,
  type MarketSpec,
  type MarketType,
  marginOf,
  marketsFor,
  PLAYER_NAMES,
  type PlayerSpec,
  SPORTS,
  type SportSpec,
  squadOf,
} from './catalogue.js'
export { type FaultOptions, malformedFrame, oversizedFrame } from './faults.js'
export {
  createGenerator,
  type FrameGenerator,
  type FrameKind,
  type GeneratedFrame,
  type GeneratorOptions,
  type PricePath,
  type TournamentRow,
} from './generator.js'
export { type MatchScript, type ScoreEvent, scriptMatch } from './match.js'
export {
  type ExchangeDepth,
  type JsonObject,
  type PayloadGeneration,
  type RestRenderOptions,
  restTime,
  socketTime,
  toAmerican,
  toFractional,
} from './model.js'
export { normalizeForCompare, REST_ONLY_FIELDS } from './normalize.js'
export { createPrng, type Prng } from './prng.js'
export { loadRecords, type ReplayOptions, type ReplayRun, runReplay } from './replay.js'
export {
  REST_COOLDOWNS,
  type Simulator,
  type SimulatorOptions,
  type SimulatorStats,
  startSimulator,
} from './server.js'
