/**
 * The frames every case is fed: the simulator's seeded generator, rendered to texts once.
 * @module
 */
import type { SelectPath } from '@oddsfeed/core'
import { createGenerator, type FrameGenerator } from '@oddsfeed/simulator'
import { prng } from './stats.js'

/**
 * Which stream follows the board:
 * - `realistic` (default): modelled on the provider's page and public captures: single-entry
 *   price updates of ~330 B in per-bookmaker bursts (one bookmaker re-prices several markets of
 *   one fixture in a row), market suspensions, score and status frames, bookmaker info, and the
 *   few large first frames of fixtures that appear;
 * - `heavy`: the simulator generator's own mix (~1.5 KB a frame: 2–3 entries per price move, a
 *   new fixture's ~16 KB first frames for 4–5 % of the frames): a stress figure.
 */
export type CorpusKind = 'realistic' | 'heavy'

/** Sizes of the generated board and stream. */
export interface CorpusOptions {
  readonly kind: CorpusKind
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
  /** The kind of each frame of `frames`. */
  readonly frameKinds: readonly string[]
  /** The fixture of each frame of `frames`. */
  readonly frameFixtureIds: readonly string[]
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
  /** Sizes and shapes of the stream's frames. */
  readonly stats: StreamStats
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
    // realistic: the match clock at real time (the generator's default, 60× faster, ends a
    // match every couple of minutes of frames: 7 % of them would be new fixtures' first frames)
    ...(options.kind === 'realistic' ? { weights: OTHER_WEIGHTS, speed: 1 } : {}),
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
    const text = socketText(JSON.stringify(odds))
    boardBytes += text.length
    board.push(text)
    for (let k = 0; k < perFixture && selectPaths.length < options.selects; k++) {
      selectPaths.push(pickPath(odds, fixtureId, k % 3, random))
    }
  }
  const stream =
    options.kind === 'heavy'
      ? heavyStream(gen, options.frames)
      : realisticStream(gen, boardIds, options.frames, random)
  const frames = stream.map((f) => f.text)
  const kinds: Record<string, number> = {}
  let frameBytes = 0
  for (const f of stream) {
    kinds[f.kind] = (kinds[f.kind] ?? 0) + 1
    frameBytes += f.text.length
  }
  const parts = options.reps + 1
  const size = Math.floor(options.frames / parts)
  const slices = Array.from({ length: parts }, (_, i) => [i * size, (i + 1) * size] as const)
  return {
    options,
    board,
    frames,
    frameKinds: stream.map((f) => f.kind),
    frameFixtureIds: stream.map((f) => f.fixtureId),
    slices,
    boardPrices,
    boardBytes,
    frameBytes,
    fixtureIds: gen.fixtureIds(),
    selectPaths,
    kinds,
    stats: streamStats(stream),
    generateMs: performance.now() - t0,
  }
}

/** One frame of the stream, with what it is. */
interface StreamFrame {
  readonly kind: string
  readonly text: string
  readonly fixtureId: string
  /** The one bookmaker it carries, if it carries exactly one. */
  readonly bookmaker: string | undefined
  /** Price entries it carries. */
  readonly entries: number
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * `text` as a socket (or `fetch`) hands it over: one flat string decoded from its bytes. What
 * `JSON.stringify` returns is a rope (a V8 cons string of many pieces), and whatever reads a
 * rope first flattens it, in place: the first `JSON.parse` pass over a slice paid that (0.3–0.7
 * µs a frame, ~10–25 % of the pass), which made every ratio against a first pass look better,
 * and the SDK paid it under the profiler (in decode's first `charCodeAt`, 13 % of case 4's
 * profile). Real frames never arrive as ropes.
 */
function socketText(text: string): string {
  return decoder.decode(encoder.encode(text))
}

function describe(kind: string, frame: unknown): StreamFrame {
  const odds = field(frame, 'bookmakerOdds')
  const slugs = odds !== null && typeof odds === 'object' ? Object.keys(odds) : []
  return {
    kind,
    text: socketText(JSON.stringify(frame)),
    fixtureId: String(field(frame, 'fixtureId')),
    bookmaker: slugs.length === 1 ? slugs[0] : undefined,
    entries: countPrices(frame),
  }
}

/** The generator's own mix. */
function heavyStream(gen: FrameGenerator, count: number): StreamFrame[] {
  const out: StreamFrame[] = []
  for (let i = 0; i < count; i++) {
    const { kind, frame } = gen.nextWithKind()
    out.push(describe(kind, frame))
  }
  return out
}

/** Share of frames that are not price updates (suspensions, scores, status, info, first frames). */
const OTHER_SHARE = 0.13
/** A price burst goes on with the same fixture and bookmaker with this probability. */
const BURST_CONTINUES = 0.95
/** The generator's frame kinds for `realistic`: no price moves of its own (see above). */
export const OTHER_WEIGHTS = { price: 0, suspend: 5, score: 6, info: 1, status: 0.15 } as const

/**
 * Single-entry price updates in per-bookmaker bursts (`movePrice` of one entry per frame, on
 * random markets of one bookmaker of one fixture in play), between the generator's other
 * frames: suspensions of a market, scores, status changes, bookmaker info, and the first
 * frames of fixtures that replace finished ones.
 */
function realisticStream(
  gen: FrameGenerator,
  boardIds: readonly string[],
  count: number,
  random: () => number,
): StreamFrame[] {
  // entries per fixture and bookmaker: "marketId/outcomeId/playerId"
  const entries = new Map<string, Map<string, string[]>>()
  const learn = (fixtureId: string, odds: unknown) => {
    const byBookmaker = entries.get(fixtureId) ?? new Map<string, string[]>()
    entries.set(fixtureId, byBookmaker)
    const bookmakers = field(odds, 'bookmakerOdds')
    if (bookmakers === null || typeof bookmakers !== 'object') return
    for (const [slug, bookmaker] of Object.entries(bookmakers)) {
      const list: string[] = []
      for (const [m, market] of Object.entries((field(bookmaker, 'markets') ?? {}) as Json)) {
        for (const [o, outcome] of Object.entries((field(market, 'outcomes') ?? {}) as Json)) {
          for (const p of Object.keys((field(outcome, 'players') ?? {}) as Json)) {
            list.push(`${m}/${o}/${p}`)
          }
        }
      }
      if (list.length > 0) byBookmaker.set(slug, list)
    }
  }
  for (const id of boardIds) learn(id, gen.restOdds(id))
  const inPlay = new Set(boardIds)
  const out: StreamFrame[] = []
  let burst: { fixtureId: string; bookmaker: string; list: string[] } | undefined
  while (out.length < count) {
    if (random() < OTHER_SHARE) {
      // the generator was made with OTHER_WEIGHTS: no price moves of its own (but a score or
      // info frame it cannot make falls back to one, of 2–3 entries)
      const { kind, frame } = gen.nextWithKind()
      const described = describe(kind, frame)
      if (kind === 'create') {
        learn(described.fixtureId, frame)
        inPlay.add(described.fixtureId)
      }
      const status = field(frame, 'statusId')
      if (status === 2 || status === 3) inPlay.delete(described.fixtureId)
      out.push(described)
      burst = undefined
      continue
    }
    if (!burst || random() >= BURST_CONTINUES || !inPlay.has(burst.fixtureId)) {
      const ids = [...inPlay]
      const fixtureId = pick(ids, random)
      const byBookmaker = entries.get(fixtureId)
      if (!byBookmaker || byBookmaker.size === 0) continue
      const bookmaker = pick([...byBookmaker.keys()], random)
      burst = { fixtureId, bookmaker, list: byBookmaker.get(bookmaker) as string[] }
    }
    const [marketId, outcomeId, playerId] = pick(burst.list, random).split('/') as [
      string,
      string,
      string,
    ]
    const frame = gen.movePrice({
      fixtureId: burst.fixtureId,
      bookmaker: burst.bookmaker,
      marketId,
      outcomeId,
      playerId,
    })
    out.push(describe('price', frame))
  }
  return out
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

/** Sizes and shapes of a stream, printed with the table. */
export interface StreamStats {
  readonly frames: number
  readonly bytesAvg: number
  /** Frames carrying exactly one price entry. */
  readonly singleEntryShare: number
  /** Frames with the same fixture and (one) bookmaker as the frame before. */
  readonly sameFixtureBookmakerShare: number
  /** Frames of 8 KB or more, and their share of the bytes. */
  readonly largeFrames: number
  readonly largeBytesShare: number
  /** Per kind: frames, share, bytes p50/avg/max, entries per frame. */
  readonly kinds: Readonly<
    Record<
      string,
      {
        count: number
        share: number
        bytesP50: number
        bytesAvg: number
        bytesMax: number
        entriesAvg: number
      }
    >
  >
}

const LARGE = 8192

function streamStats(stream: readonly StreamFrame[]): StreamStats {
  let bytes = 0
  let single = 0
  let same = 0
  let large = 0
  let largeBytes = 0
  const byKind = new Map<string, { sizes: number[]; entries: number }>()
  for (let i = 0; i < stream.length; i++) {
    const f = stream[i] as StreamFrame
    const size = f.text.length
    bytes += size
    if (f.entries === 1) single++
    const prev = stream[i - 1]
    if (
      prev &&
      f.bookmaker !== undefined &&
      prev.fixtureId === f.fixtureId &&
      prev.bookmaker === f.bookmaker
    ) {
      same++
    }
    if (size >= LARGE) {
      large++
      largeBytes += size
    }
    const k = byKind.get(f.kind) ?? { sizes: [], entries: 0 }
    byKind.set(f.kind, k)
    k.sizes.push(size)
    k.entries += f.entries
  }
  const n = Math.max(1, stream.length)
  const kinds: Record<string, StreamStats['kinds'][string]> = {}
  for (const [kind, { sizes, entries }] of [...byKind].sort(
    (a, b) => b[1].sizes.length - a[1].sizes.length,
  )) {
    sizes.sort((a, b) => a - b)
    const sum = sizes.reduce((a, b) => a + b, 0)
    kinds[kind] = {
      count: sizes.length,
      share: sizes.length / n,
      bytesP50: sizes[sizes.length >> 1] as number,
      bytesAvg: Math.round(sum / sizes.length),
      bytesMax: sizes[sizes.length - 1] as number,
      entriesAvg: entries / sizes.length,
    }
  }
  return {
    frames: stream.length,
    bytesAvg: Math.round(bytes / n),
    singleEntryShare: single / n,
    sameFixtureBookmakerShare: same / n,
    largeFrames: large,
    largeBytesShare: bytes === 0 ? 0 : largeBytes / bytes,
    kinds,
  }
}

/** The statistics as printable lines. */
export function formatStats(kind: CorpusKind, s: StreamStats): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`
  const lines = [
    `corpus ${kind}: ${s.frames.toLocaleString('en-US')} frames, ${s.bytesAvg} B avg; ` +
      `single-entry ${pct(s.singleEntryShare)}, same fixture+bookmaker as the previous frame ` +
      `${pct(s.sameFixtureBookmakerShare)}, frames ≥ 8 KB ${s.largeFrames} (${pct(s.largeBytesShare)} of the bytes)`,
  ]
  for (const [name, k] of Object.entries(s.kinds)) {
    lines.push(
      `  ${name.padEnd(8)} ${pct(k.share).padStart(7)}  ${String(k.count).padStart(7)} frames  ` +
        `bytes p50 ${k.bytesP50}, avg ${k.bytesAvg}, max ${k.bytesMax}; ${k.entriesAvg.toFixed(2)} entries/frame`,
    )
  }
  return lines
}
