/**
 * The frames every case is fed: the simulator's seeded generator, rendered to texts once.
 * @module
 */
import type { SelectPath } from '@oddsfeed/core'
import { createGenerator } from '@oddsfeed/simulator'
import { prng } from './stats.js'

/** Sizes of the generated board and stream. */
export interface CorpusOptions {
  readonly seed: number
  readonly fixtures: number
  readonly bookmakers: number
  readonly markets: number
  /** Frames after the board. Split into `reps + 1` equal slices (the first is the warm-up). */
  readonly frames: number
  readonly reps: number
  /** `select` subscriptions of case 4, spread evenly over the fixtures. */
  readonly selects: number
}

/** What the cases are fed. */
export interface Corpus {
  readonly options: CorpusOptions
  /**
   * The full board before the stream starts: one REST `/v4/odds` text per fixture (the state a
   * client hydrates from). Loaded, untimed, before the throughput cases.
   */
  readonly board: readonly string[]
  /** Socket frame texts, in order. */
  readonly frames: readonly string[]
  /** `[start, end)` of each slice of `frames`; slice 0 is the warm-up. */
  readonly slices: readonly (readonly [number, number])[]
  /** Price entries on the board. */
  readonly boardPrices: number
  readonly boardBytes: number
  readonly frameBytes: number
  /** Fixture ids of the board and of fixtures created during the stream. */
  readonly fixtureIds: readonly string[]
  /** Paths for case 4: prices, outcomes and markets, spread over every board fixture. */
  readonly selectPaths: readonly SelectPath[]
  /** How many frames of each kind the stream holds. */
  readonly kinds: Readonly<Record<string, number>>
  readonly generateMs: number
}

type Json = Record<string, unknown>

/** Builds the board and the frame texts. Deterministic for the options. */
export function buildCorpus(options: CorpusOptions): Corpus {
  const t0 = performance.now()
  const gen = createGenerator({
    seed: options.seed,
    fixtures: options.fixtures,
    bookmakers: options.bookmakers,
    marketsPerBookmaker: options.markets,
    playerProps: true,
  })
  const random = prng(options.seed)
  const board: string[] = []
  const selectPaths: SelectPath[] = []
  const boardIds = gen.fixtureIds()
  const perFixture = Math.ceil(options.selects / boardIds.length)
  let boardPrices = 0
  let boardBytes = 0
  for (const fixtureId of boardIds) {
    const odds = gen.restOdds(fixtureId) as Json
    boardPrices += countPrices(odds)
    const text = JSON.stringify(odds)
    boardBytes += text.length
    board.push(text)
    for (let k = 0; k < perFixture && selectPaths.length < options.selects; k++) {
      selectPaths.push(pickPath(odds, fixtureId, k % 3, random))
    }
  }
  const frames: string[] = []
  const kinds: Record<string, number> = {}
  let frameBytes = 0
  for (let i = 0; i < options.frames; i++) {
    const { kind, frame } = gen.nextWithKind()
    kinds[kind] = (kinds[kind] ?? 0) + 1
    const text = JSON.stringify(frame)
    frameBytes += text.length
    frames.push(text)
  }
  const parts = options.reps + 1
  const size = Math.floor(options.frames / parts)
  const slices = Array.from({ length: parts }, (_, i) => [i * size, (i + 1) * size] as const)
  return {
    options,
    board,
    frames,
    slices,
    boardPrices,
    boardBytes,
    frameBytes,
    fixtureIds: gen.fixtureIds(),
    selectPaths,
    kinds,
    generateMs: performance.now() - t0,
  }
}

/** Price entries (`players` entries) in a fixture-shaped object. */
export function countPrices(fixture: unknown): number {
  let count = 0
  for (const bookmaker of values(field(fixture, 'bookmakerOdds'))) {
    for (const market of values(field(bookmaker, 'markets'))) {
      for (const outcome of values(field(market, 'outcomes'))) {
        count += values(field(outcome, 'players')).length
      }
    }
  }
  return count
}

function field(node: unknown, key: string): unknown {
  return node !== null && typeof node === 'object' ? (node as Json)[key] : undefined
}

function values(node: unknown): unknown[] {
  return node !== null && typeof node === 'object' ? Object.values(node) : []
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T
}

/** kind 0: a price, 1: an outcome, 2: a market, on a random bookmaker and market of the fixture. */
function pickPath(odds: Json, fixtureId: string, kind: number, random: () => number): SelectPath {
  const bookmakers = field(odds, 'bookmakerOdds') as Json
  const bookmaker = pick(Object.keys(bookmakers), random)
  const markets = field(bookmakers[bookmaker], 'markets') as Json
  const marketId = pick(Object.keys(markets), random)
  if (kind === 2) return { fixtureId, bookmaker, marketId }
  const outcomes = field(markets[marketId], 'outcomes') as Json
  const outcomeId = pick(Object.keys(outcomes), random)
  if (kind === 1) return { fixtureId, bookmaker, marketId, outcomeId }
  const players = field(outcomes[outcomeId], 'players') as Json
  return { fixtureId, bookmaker, marketId, outcomeId, playerId: pick(Object.keys(players), random) }
}
