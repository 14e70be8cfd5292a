/**
 * A pure, deterministic frame generator: a seeded model of fixtures and prices, and the frames
 * that describe its changes. No server, no timers: `next()` advances the model by one frame.
 *
 * The world is believable: teams belong to their sport and league, players to their team; every
 * fixture's markets are priced from one model of its match (goals, points, sets), so a goal moves
 * the 1X2; bookmakers add 2–8 % margins, and skins share one price feed; all books of a market
 * reprice together, so a sure bet across books is rare. Matches last as long as real ones at the
 * time scale `speed`.
 * @module
 */
import type { OddsFrame } from '@oddsfeed/core'
import {
  BOOKMAKERS,
  bookmakerSpec,
  type CatalogueRow,
  catalogueRow,
  DEFAULT_SPORTS,
  type MarketSpec,
  marketsFor,
  type PlayerSpec,
  SPORTS,
  type SportSpec,
  squadOf,
  teamId,
  teamStrength,
} from './catalogue.js'
import { type MatchScript, scriptMatch, timeLeft } from './match.js'
import {
  type ExchangeDepth,
  type JsonObject,
  type PayloadGeneration,
  type RestRenderOptions,
  renderFixtureRow,
  renderRest,
  type SimBookmaker,
  type SimEntry,
  type SimFixture,
  type SimMarket,
  socketBookmaker,
  socketEntry,
  socketInfo,
  socketScores,
  socketTime,
} from './model.js'
import { bookPrices, fairProbabilities, type PropLine, type Situation } from './pricing.js'
import { createPrng } from './prng.js'

/** What kind of change a frame describes. */
export type FrameKind = 'price' | 'suspend' | 'info' | 'status' | 'score'

/** Options of {@link createGenerator}. */
export interface GeneratorOptions {
  /** Same seed (and options), same frames. Default `1`. */
  seed?: number | string | undefined
  /** Fixtures kept in play (a finished one is replaced by a new one). Default 12. */
  fixtures?: number | undefined
  /**
   * Sports to draw from, of 10 (soccer), 11 (basketball), 12 (tennis), 17 (Counter-Strike).
   * Default the first three.
   */
  sports?: readonly number[] | undefined
  /** How many bookmakers (the first of the known slugs) or which slugs. Default 6. */
  bookmakers?: number | readonly string[] | undefined
  /** Markets per bookmaker and fixture. Default: the sport's whole catalogue (3–7). */
  marketsPerBookmaker?: number | undefined
  /** Include player props (one entry per player). Default `true`. */
  playerProps?: boolean | undefined
  /** Players per player-prop outcome, from both teams' squads. Default 6. */
  playersPerProp?: number | undefined
  /** The model's "now" at creation, epoch ms. Default `2026-06-01T12:00:00Z`. */
  epochMs?: number | undefined
  /**
   * A clock for timestamps (epoch ms). Default: a virtual clock that advances 1–4 ms per frame,
   * which keeps frames identical per seed. With a clock, timestamps follow it (still strictly
   * increasing, whole milliseconds).
   */
  now?: (() => number) | undefined
  /**
   * Time scale: match time per unit of the clock. Default 60 (one match minute per second: a
   * soccer match lasts 1 min 50 s, a basketball game about 2 min 15 s, and pre-match fixtures
   * start within 48 minutes). `1` is real time. Statuses and scores follow the match clock.
   */
  speed?: number | undefined
  /** REST payload generation of `restOdds` and `fixtures` (`oddspapi-facts.md`). Default 2026. */
  generation?: PayloadGeneration | undefined
  /**
   * Relative weights of the frame kinds. Default price 80, score 10, suspend 5, info 3.
   * `status` is ignored: kickoffs and final whistles follow the match clock.
   */
  weights?: Partial<Record<FrameKind, number>> | undefined
}

/** A frame and what it changed. */
export interface GeneratedFrame {
  /** What changed (`create`: a new fixture). */
  readonly kind: FrameKind | 'create'
  /** The frame describing the change. */
  readonly frame: OddsFrame
}

/** A tournament as `GET /v4/tournaments` lists it. */
export interface TournamentRow {
  /** The league's id, as fixtures carry it in `tournamentId`. */
  tournamentId: number
  /** The league's name (`Premier League`). */
  tournamentName: string
  /** The sport the league belongs to (10 soccer, 11 basketball, ...). */
  sportId: number
}

/** A deterministic source of frames over a model of fixtures. */
export interface FrameGenerator {
  /** Advances the model by one change and returns the frame describing it. */
  next(): OddsFrame
  /** Like `next()`, with the kind of change. */
  nextWithKind(): GeneratedFrame
  /** Ids of every fixture of the model (finished ones included), in creation order. */
  fixtureIds(): string[]
  /** Rows of `GET /v4/fixtures`. */
  fixtures(): JsonObject[]
  /** The whole current state of one fixture in the REST `/v4/odds` shape, or `undefined`. */
  restOdds(fixtureId: string, options?: RestRenderOptions): JsonObject | undefined
  /** `GET /v4/markets`: every market this generator can send, in the provider's shape. */
  markets(): CatalogueRow[]
  /** `GET /v4/tournaments`: the leagues of the sports generated. */
  tournaments(): TournamentRow[]
  /**
   * Forces a price change of one entry (random walk, always a different price) and returns its
   * frame. Throws `RangeError` when the path does not exist.
   */
  movePrice(path: PricePath): OddsFrame
  /** Sets one entry's price (and makes it active) and returns its frame. */
  setPrice(path: PricePath, price: number): OddsFrame
  /** Frames generated so far. */
  readonly frameCount: number
}

/** One price entry of the model. `playerId` defaults to `"0"` (no player). */
export interface PricePath {
  /** The fixture's id. */
  fixtureId: string
  /** The bookmaker's slug. */
  bookmaker: string
  /** The market's id. */
  marketId: string | number
  /** The outcome's id. */
  outcomeId: string | number
  /** The player's id; default `0` (no player). */
  playerId?: string | number | undefined
}

const DEFAULT_EPOCH = Date.UTC(2026, 5, 1, 12, 0, 0)
const DEFAULT_WEIGHTS: Record<FrameKind, number> = {
  price: 80,
  score: 10,
  suspend: 5,
  info: 3,
  status: 0,
}
const MINUTE = 60_000

/** One line of a market: `"0"`, or a player of a prop. */
interface Line {
  readonly key: string
  readonly prop?: PropLine
}

interface MarketState {
  spec: MarketSpec
  lines: Line[]
  /** Each price feed's own opinion: feed → line key → log-odds shift per outcome. */
  bias: Map<string, Map<string, number[]>>
}

interface FixtureState {
  model: SimFixture
  sport: SportSpec
  markets: Map<string, MarketState>
  players: (PlayerSpec & { side: 1 | 2 })[]
  script: MatchScript
  /** Script events published so far. */
  applied: number
  playerScores: Map<number, number>
  strengths: [number, number]
  /** Market opinion: a slow drift of side 1's strength. */
  opinion: number
  pointsPerTeam: number
  teams: [number, number]
}

/** One bookmaker's changes of one market, published when its frame is sent. */
interface Change {
  outcomeId: string
  playerKey: string
  /** New price, or `undefined` to suspend. */
  price: number | undefined
}

/**
 * Creates a generator. Building the model is synchronous and fast (about a second for
 * 1,000 fixtures × 10 bookmakers × 20 markets).
 *
 * @example
 * ```ts
 * const gen = createGenerator({ seed: 7, fixtures: 5 })
 * const frame = gen.next()
 * const state = gen.restOdds(frame.fixtureId)
 * ```
 */
export function createGenerator(options: GeneratorOptions = {}): FrameGenerator {
  const rng = createPrng(options.seed ?? 1)
  const sports = (options.sports ?? DEFAULT_SPORTS).map((id) => {
    const spec = SPORTS.get(id)
    if (!spec) throw new RangeError(`Unknown sportId ${id}: use 10, 11, 12 or 17`)
    return spec
  })
  if (sports.length === 0) throw new RangeError('sports must not be empty')
  const slugs =
    typeof options.bookmakers === 'object'
      ? [...options.bookmakers]
      : BOOKMAKERS.slice(0, Math.max(1, Math.min(BOOKMAKERS.length, options.bookmakers ?? 6)))
  const fixtureCount = Math.max(1, options.fixtures ?? 12)
  const playerProps = options.playerProps ?? true
  const playersPerProp = Math.max(1, options.playersPerProp ?? 6)
  const speed = options.speed ?? 60
  if (!(speed > 0)) throw new RangeError(`speed must be positive, got ${speed}`)
  const generation = options.generation ?? 2026
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights, status: 0 }
  const kinds = (Object.keys(weights) as FrameKind[]).filter((k) => weights[k] > 0)
  const totalWeight = kinds.reduce((sum, k) => sum + Math.max(0, weights[k]), 0)

  let lastMs = options.epochMs ?? options.now?.() ?? DEFAULT_EPOCH
  lastMs = Math.floor(lastMs)
  const epochMs = lastMs
  const tick = (): number => {
    const now = options.now ? Math.floor(options.now()) : lastMs + rng.int(1, 4)
    lastMs = Math.max(now, lastMs + 1)
    return lastMs
  }

  const states = new Map<string, FixtureState>()
  const order: string[] = []
  /** Fixtures not finished: those that get frames. */
  let inPlay: string[] = []
  const pending: (GeneratedFrame & { apply?: () => void })[] = []
  /** Teams in a fixture not finished, and the pairings of those fixtures. */
  const busyTeams = new Map<number, number>()
  const pairings = new Set<string>()
  let fixtureSerial = 0
  let frameCount = 0
  let nextStatusAt = Number.POSITIVE_INFINITY

  // ---- building ---------------------------------------------------------------------------

  const newFixtureId = (): string => {
    fixtureSerial++
    return `id${String(1_000_000_000_000_000 + fixtureSerial * 7_919 + rng.int(0, 999)).slice(0, 16)}`
  }

  const decimalsOf = (slug: string) => (slug === 'pinnacle' || slug === 'betfair-ex' ? 3 : 2)

  const depthFor = (price: number): ExchangeDepth => {
    const back = []
    const lay = []
    for (let i = 0, n = rng.int(1, 3); i < n; i++) {
      const size = Math.round(rng.float(5, 900) * 100) / 100
      back.push({ price: Math.round((price - i * 0.02) * 1000) / 1000, limit: size, size })
    }
    for (let i = 0, n = rng.int(0, 3); i < n; i++) {
      const size = Math.round(rng.float(5, 900) * 100) / 100
      lay.push({ price: Math.round((price + 0.02 + i * 0.02) * 1000) / 1000, limit: size, size })
    }
    return { back, lay }
  }

  const limitFor = (slug: string, depth: ExchangeDepth | null): number | null => {
    if (depth) return depth.back[0]?.size ?? null
    if (slug === 'pinnacle') return rng.int(5, 50) * 100
    if (slug === 'stake') return rng.int(1, 20) * 50
    return null
  }

  const pairKey = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`)

  /** Two teams of one league: free ones while there are, never a pairing already listed. */
  const pickTeams = (sport: SportSpec) => {
    const free = sport.leagues.map((league, l) =>
      league.teams.map((_, i) => i).filter((i) => !busyTeams.get(teamId(sport.sportId, l, i))),
    )
    const open = free.map((list) => (list.length >= 2 ? list.length : 0))
    const total = open.reduce((a, b) => a + b, 0)
    if (total > 0) {
      let roll = rng.int(0, total - 1)
      let league = 0
      while (roll >= (open[league] as number)) roll -= open[league++] as number
      const list = [...(free[league] as number[])]
      const i1 = list.splice(rng.int(0, list.length - 1), 1)[0] as number
      const i2 = rng.pick(list)
      return { league, i1, i2 }
    }
    // every team is playing: any two of one league, a pairing not listed if possible
    const sizes = sport.leagues.map((l) => l.teams.length)
    let best = { league: 0, i1: 0, i2: 1 }
    for (let attempt = 0; attempt < 40; attempt++) {
      const league = rng.int(0, sizes.length - 1)
      const n = sizes[league] as number
      const i1 = rng.int(0, n - 1)
      let i2 = rng.int(0, n - 2)
      if (i2 >= i1) i2++
      best = { league, i1, i2 }
      const key = pairKey(teamId(sport.sportId, league, i1), teamId(sport.sportId, league, i2))
      if (!pairings.has(key)) break
    }
    return best
  }

  const situation = (state: FixtureState): Situation => {
    const model = state.model
    const sport = state.sport
    const sets = sport.sportId === 12 || sport.sportId === 17
    let left = 1
    if (model.statusId === 1) {
      left = sets
        ? 0.5
        : (timeLeft(state.script, sport.sportId, lastMs - state.script.kickoffMs) ?? 0.5)
    } else if (model.statusId !== 0) {
      left = 0
    }
    let period = 1
    let current1 = 0
    let current2 = 0
    let total = 0
    sport.periods.forEach((key, i) => {
      const p = model.periods.get(key)
      if (!p) return
      period = i + 1
      current1 = p.participant1Score
      current2 = p.participant2Score
      total += current1 + current2
    })
    const result = model.periods.get('result')
    const score1 = result?.participant1Score ?? 0
    const score2 = result?.participant2Score ?? 0
    if (sets && model.periods.size > 0 && score1 + score2 >= period) {
      // the last set or map is over: the next one has not started yet
      period++
      current1 = 0
      current2 = 0
    }
    const shift = state.opinion / 2
    return {
      sportId: sport.sportId,
      left,
      score1,
      score2,
      period,
      current1,
      current2,
      total,
      strength1: state.strengths[0] + shift,
      strength2: state.strengths[1] - shift,
      pointsPerTeam: state.pointsPerTeam,
      playerScores: state.playerScores,
    }
  }

  /** Applies the script's events up to `untilMs` to the model's periods; returns their keys. */
  const applyEvents = (state: FixtureState, untilMs: number, stampMs?: number): Set<string> => {
    const touched = new Set<string>()
    const periods = state.model.periods
    const events = state.script.events
    while (state.applied < events.length && (events[state.applied]?.atMs ?? 0) <= untilMs) {
      const event = events[state.applied++]
      if (!event) break
      const at = stampMs ?? event.atMs
      const period = periods.get(event.period) ?? {
        participant1Score: 0,
        participant2Score: 0,
        updatedAtMs: at,
      }
      const result = periods.get('result') ?? {
        participant1Score: 0,
        participant2Score: 0,
        updatedAtMs: at,
      }
      const side = event.side === 1 ? 'participant1Score' : 'participant2Score'
      period[side] += event.points
      result[side] += event.result
      period.updatedAtMs = at
      result.updatedAtMs = at
      periods.set(event.period, period)
      periods.set('result', result)
      touched.add(event.period).add('result')
      if (event.playerId !== undefined) {
        state.playerScores.set(
          event.playerId,
          (state.playerScores.get(event.playerId) ?? 0) + event.points,
        )
      }
    }
    return touched
  }

  const makeEntry = (
    slug: string,
    price: number,
    playerId: number,
    playerName: string | null,
    mainLine: boolean,
    changedAtMs: number,
    active: boolean,
  ): SimEntry => {
    const exchangeMeta = slug === 'betfair-ex' ? depthFor(price) : null
    return {
      price,
      active,
      limit: limitFor(slug, exchangeMeta),
      oddsId: String(rng.int(100_000_000, 999_999_999)),
      betslip: null,
      playerId,
      playerName,
      exchangeMeta,
      bookmakerOutcomeId: String(rng.int(1_000_000, 9_999_999)),
      changedAtMs,
      mainLine,
    }
  }

  /** The feed's opinion of one line, walked a step (mean-reverting). */
  const walkBias = (market: MarketState, feed: string, key: string, step: boolean): number[] => {
    let byLine = market.bias.get(feed)
    if (!byLine) {
      byLine = new Map()
      market.bias.set(feed, byLine)
    }
    let bias = byLine.get(key)
    if (!bias) {
      bias = market.spec.outcomes.map(() => rng.normal() * 0.012)
      byLine.set(key, bias)
    } else if (step) {
      for (let i = 0; i < bias.length; i++)
        bias[i] = (bias[i] as number) * 0.9 + rng.normal() * 0.006
    }
    return bias
  }

  /** Prices of one line at one bookmaker now, or `undefined` (settled: suspend). */
  const linePrices = (
    market: MarketState,
    line: Line,
    slug: string,
    fair: number[] | undefined,
  ): number[] | undefined => {
    if (!fair) return undefined
    const spec = bookmakerSpec(slug)
    const bias = walkBias(market, spec.feed, line.key, false)
    return bookPrices(fair, bias, spec.margin, decimalsOf(slug))
  }

  /** Whether a sport still has two teams of one league not playing. */
  const hasFreePair = (sport: SportSpec) =>
    sport.leagues.some(
      (league, l) =>
        league.teams.filter((_, i) => !busyTeams.get(teamId(sport.sportId, l, i))).length >= 2,
    )

  const buildFixture = (statusId: number, createdMs: number): FixtureState => {
    let sport = rng.pick(sports)
    if (!hasFreePair(sport)) sport = rng.pick(sports.filter(hasFreePair).concat([sport]))
    const { league, i1, i2 } = pickTeams(sport)
    const leagueSpec = sport.leagues[league] as (typeof sport.leagues)[number]
    const id1 = teamId(sport.sportId, league, i1)
    const id2 = teamId(sport.sportId, league, i2)
    const n = leagueSpec.teams.length
    const strengths: [number, number] = [teamStrength(i1, n, id1), teamStrength(i2, n, id2)]
    const fixtureId = newFixtureId()
    // pre-match: kick-off in 10 min to 48 h of match time; live: somewhere into the match
    const worldMinutes = rng.chance(0.7) ? rng.int(10, 360) : rng.int(360, 48 * 60)
    const pointsPerTeam = sport.sportId === 11 ? (leagueSpec.tournamentId === 132 ? 114 : 82) : 0
    const squad = (team: number, size: number) =>
      sport.squads ? squadOf(sport.sportId, team).slice(0, size) : []
    const perSide = Math.ceil(playersPerProp / 2)
    const squad1 = squad(id1, 5)
    const squad2 = squad(id2, 5)
    const sides = {
      strength1: strengths[0],
      strength2: strengths[1],
      squad1,
      squad2,
      pointsPerTeam,
    }
    let kickoffMs: number
    let script: MatchScript
    if (statusId === 0) {
      kickoffMs = Math.ceil((createdMs + (worldMinutes * MINUTE) / speed) / 1000) * 1000
      script = scriptMatch(sport.sportId, rng, kickoffMs, speed, sides)
    } else {
      const probe = scriptMatch(sport.sportId, rng, 0, speed, sides)
      const into = probe.endMs * rng.float(0.05, 0.9)
      kickoffMs = Math.floor((createdMs - into) / 1000) * 1000
      script = scriptMatch(sport.sportId, rng, kickoffMs, speed, sides)
      if (script.endMs <= createdMs) script = { ...script, endMs: createdMs + 1000 }
    }
    const model: SimFixture = {
      fixtureId,
      betradarId: rng.int(50_000_000, 69_999_999),
      startTime: kickoffMs / 1000,
      participant1Id: id1,
      participant2Id: id2,
      participant1Name: leagueSpec.teams[i1] as string,
      participant2Name: leagueSpec.teams[i2] as string,
      sportId: sport.sportId,
      tournamentId: leagueSpec.tournamentId,
      seasonId: rng.chance(0.9) ? rng.int(60_000, 70_000) : null,
      sofascoreId: rng.chance(0.8) ? rng.int(12_000_000, 13_999_999) : null,
      betgeniusId: rng.chance(0.5) ? rng.int(11_000_000, 11_999_999) : null,
      flashscoreId: rng.chance(0.7)
        ? rng
            .int(0, 2 ** 40)
            .toString(36)
            .slice(0, 8)
        : null,
      statusId,
      updatedAtMs: createdMs - rng.int(1, 60_000),
      periods: new Map(),
      bookmakers: new Map(),
    }
    const players = [
      ...squad1.slice(0, perSide).map((p) => ({ ...p, side: 1 as const })),
      ...squad2.slice(0, playersPerProp - perSide).map((p) => ({ ...p, side: 2 as const })),
    ]
    const state: FixtureState = {
      model,
      sport,
      markets: new Map(),
      players,
      script,
      applied: 0,
      playerScores: new Map(),
      strengths,
      opinion: 0,
      pointsPerTeam,
      teams: [id1, id2],
    }
    if (statusId === 1) {
      applyEvents(state, createdMs - 1)
      for (const key of [sport.periods[0] as string, 'result']) {
        if (model.periods.has(key)) continue
        model.periods.set(key, {
          participant1Score: 0,
          participant2Score: 0,
          updatedAtMs: kickoffMs,
        })
      }
    }
    for (const spec of marketsFor(sport, options.marketsPerBookmaker, playerProps)) {
      const lines: Line[] = spec.players
        ? players.map((p) => ({
            key: String(p.id),
            prop: {
              playerId: p.id,
              share: p.share,
              side: p.side,
              line: Math.max(3, Math.round(p.share * pointsPerTeam)) + 0.5,
            },
          }))
        : [{ key: '0' }]
      state.markets.set(String(spec.id), { spec, lines, bias: new Map() })
    }
    const sit = situation(state)
    const fair = new Map<string, Map<string, number[] | undefined>>()
    for (const [marketId, market] of state.markets) {
      const byLine = new Map<string, number[] | undefined>()
      for (const line of market.lines) {
        byLine.set(line.key, fairProbabilities(market.spec, sit, line.prop))
      }
      fair.set(marketId, byLine)
    }
    for (const slug of slugs) {
      const hasInfo = rng.chance(0.6)
      const bookmaker: SimBookmaker = {
        bookmakerFixtureId: hasInfo ? String(rng.int(10_000_000, 99_999_999)) : null,
        fixturePath: null,
        bookmakerIsActive: true,
        suspended: false,
        markets: new Map(),
      }
      if (hasInfo) bookmaker.fixturePath = pathFor(slug, model, bookmaker.bookmakerFixtureId)
      for (const [marketId, market] of state.markets) {
        const simMarket: SimMarket = {
          bookmakerMarketId: rng.chance(0.5) ? String(rng.int(1000, 999_999)) : null,
          marketActive: true,
          outcomes: new Map(),
        }
        const prices = new Map<string, number[] | undefined>()
        for (const line of market.lines) {
          prices.set(line.key, linePrices(market, line, slug, fair.get(marketId)?.get(line.key)))
        }
        for (const [o, outcomeId] of market.spec.outcomes.entries()) {
          const entries = new Map<string, SimEntry>()
          for (const line of market.lines) {
            const price = prices.get(line.key)?.[o]
            const player = line.prop ? players.find((p) => p.id === line.prop?.playerId) : undefined
            entries.set(
              line.key,
              makeEntry(
                slug,
                price ?? 1.01,
                player?.id ?? 0,
                player?.name ?? null,
                market.spec.mainLine === true,
                createdMs - rng.int(1, 120_000),
                price !== undefined,
              ),
            )
          }
          simMarket.outcomes.set(String(outcomeId), { players: entries })
        }
        bookmaker.markets.set(marketId, simMarket)
      }
      model.bookmakers.set(slug, bookmaker)
    }
    return state
  }

  const pathFor = (slug: string, fixture: SimFixture, id: string | null): string =>
    `https://${slug.replace(/-ex$/, '')}.example/${SPORTS.get(fixture.sportId)?.name}/${slugify(fixture.participant1Name)}-v-${slugify(fixture.participant2Name)}/${id}`

  const statusDue = (state: FixtureState): number =>
    state.model.statusId === 0
      ? state.script.kickoffMs
      : state.model.statusId === 1
        ? state.script.endMs
        : Number.POSITIVE_INFINITY

  const refreshStatusAt = () => {
    nextStatusAt = Number.POSITIVE_INFINITY
    for (const id of inPlay) {
      const due = statusDue(states.get(id) as FixtureState)
      if (due < nextStatusAt) nextStatusAt = due
    }
  }

  const hold = (state: FixtureState) => {
    for (const team of state.teams) busyTeams.set(team, (busyTeams.get(team) ?? 0) + 1)
    pairings.add(pairKey(state.teams[0], state.teams[1]))
  }
  const release = (state: FixtureState) => {
    for (const team of state.teams) busyTeams.set(team, (busyTeams.get(team) ?? 1) - 1)
    pairings.delete(pairKey(state.teams[0], state.teams[1]))
  }

  const addFixture = (state: FixtureState) => {
    states.set(state.model.fixtureId, state)
    order.push(state.model.fixtureId)
    inPlay.push(state.model.fixtureId)
    hold(state)
  }

  for (let i = 0; i < fixtureCount; i++) {
    addFixture(buildFixture(rng.chance(0.4) ? 1 : 0, epochMs))
  }
  refreshStatusAt()

  // ---- frames -----------------------------------------------------------------------------

  const frameFor = (fixtureId: string, slug: string, markets: JsonObject): OddsFrame =>
    ({ fixtureId, bookmakerOdds: { [slug]: { markets } } }) as OddsFrame

  /** Writes one bookmaker's changes of a market into the model; returns the frame's `markets`. */
  const publish = (
    state: FixtureState,
    slug: string,
    marketId: string,
    changes: readonly Change[],
    at: number,
  ): JsonObject => {
    const simMarket = state.model.bookmakers.get(slug)?.markets.get(marketId)
    const outcomes: Record<string, { players: JsonObject }> = {}
    for (const change of changes) {
      const outcome = simMarket?.outcomes.get(change.outcomeId)
      const entry = outcome?.players.get(change.playerKey)
      if (!outcome || !entry) continue
      const price = change.price ?? entry.price
      const exchangeMeta =
        entry.exchangeMeta && change.price !== undefined ? depthFor(price) : entry.exchangeMeta
      const next: SimEntry = {
        ...entry,
        price,
        active: change.price !== undefined,
        limit: entry.exchangeMeta ? (exchangeMeta?.back[0]?.size ?? null) : entry.limit,
        exchangeMeta,
        changedAtMs: at,
      }
      outcome.players.set(change.playerKey, next)
      let out = outcomes[change.outcomeId]
      if (!out) {
        out = { players: {} }
        outcomes[change.outcomeId] = out
      }
      out.players[change.playerKey] = socketEntry(next)
    }
    return { [marketId]: { outcomes } }
  }

  /** One bookmaker's changes of a market, to the prices it would quote now. */
  const changesFor = (
    state: FixtureState,
    market: MarketState,
    slug: string,
    fair: ReadonlyMap<string, number[] | undefined>,
  ): Change[] => {
    const simMarket = state.model.bookmakers.get(slug)?.markets.get(String(market.spec.id))
    const changes: Change[] = []
    if (!simMarket) return changes
    for (const line of market.lines) {
      if (!fair.has(line.key)) continue
      const prices = linePrices(market, line, slug, fair.get(line.key))
      for (const [o, outcomeId] of market.spec.outcomes.entries()) {
        const entry = simMarket.outcomes.get(String(outcomeId))?.players.get(line.key)
        if (!entry) continue
        const price = prices?.[o]
        if (price === undefined ? !entry.active : entry.active && entry.price === price) continue
        changes.push({ outcomeId: String(outcomeId), playerKey: line.key, price })
      }
    }
    return changes
  }

  /**
   * Every bookmaker reprices one market (all its lines, or `only`): the first frame now, the
   * others queued right behind it. `undefined` when no price changed.
   */
  const burst = (
    state: FixtureState,
    marketId: string,
    only?: ReadonlySet<string>,
    defer = false,
  ): GeneratedFrame | undefined => {
    const kind: FrameKind = 'price'
    const market = state.markets.get(marketId)
    if (!market) return undefined
    const sit = situation(state)
    const fair = new Map<string, number[] | undefined>()
    for (const line of market.lines) {
      if (only && !only.has(line.key)) continue
      fair.set(line.key, fairProbabilities(market.spec, sit, line.prop))
    }
    const feedsWalked = new Set<string>()
    const plans: { slug: string; changes: Change[] }[] = []
    const books = [...state.model.bookmakers.keys()]
    for (let i = books.length - 1; i > 0; i--) {
      const j = rng.int(0, i)
      ;[books[i], books[j]] = [books[j] as string, books[i] as string]
    }
    for (const slug of books) {
      const feed = bookmakerSpec(slug).feed
      if (!feedsWalked.has(feed)) {
        feedsWalked.add(feed)
        for (const key of fair.keys()) walkBias(market, feed, key, true)
      }
      const changes = changesFor(state, market, slug, fair)
      if (changes.length > 0) plans.push({ slug, changes })
    }
    const fixtureId = state.model.fixtureId
    const [first, ...rest] = defer ? [undefined, ...plans] : plans
    for (const plan of rest) {
      if (!plan) continue
      const frame = { fixtureId, bookmakerOdds: {} } as OddsFrame
      pending.push({
        kind,
        frame,
        apply: () => {
          // priced when queued, stamped and written when sent
          const markets = publish(state, plan.slug, marketId, plan.changes, tick())
          Object.assign(frame, frameFor(fixtureId, plan.slug, markets))
        },
      })
    }
    if (!first) return undefined
    const markets = publish(state, first.slug, marketId, first.changes, tick())
    return { kind, frame: frameFor(fixtureId, first.slug, markets) }
  }

  /** The bookmakers of a fixture that take the same price feed as `slug` (itself first). */
  const skinsOf = (state: FixtureState, slug: string): string[] => {
    const feed = bookmakerSpec(slug).feed
    return [
      slug,
      ...[...state.model.bookmakers.keys()].filter(
        (other) => other !== slug && bookmakerSpec(other).feed === feed,
      ),
    ]
  }

  /** The same changes at every skin of `slug`'s feed: the first frame now, the others queued. */
  const atSkins = (
    state: FixtureState,
    slug: string,
    marketId: string,
    changes: readonly Change[],
    kind: FrameKind,
  ): GeneratedFrame => {
    const fixtureId = state.model.fixtureId
    const [first, ...others] = skinsOf(state, slug)
    for (const other of others) {
      const frame = { fixtureId, bookmakerOdds: {} } as OddsFrame
      pending.push({
        kind,
        frame,
        apply: () => {
          const markets = publish(state, other, marketId, changes, tick())
          Object.assign(frame, frameFor(fixtureId, other, markets))
        },
      })
    }
    const markets = publish(state, first as string, marketId, changes, tick())
    return { kind, frame: frameFor(fixtureId, first as string, markets) }
  }

  /** One entry nudged one tick (when a burst had nothing to change). */
  const nudge = (state: FixtureState): GeneratedFrame => {
    const slug = rng.pick([...state.model.bookmakers.keys()])
    // only a live price moves: a suspended market stays suspended
    const live: { marketId: string; outcomeId: string; key: string; entry: SimEntry }[] = []
    for (const [marketId, market] of state.model.bookmakers.get(slug)?.markets ?? []) {
      for (const [outcomeId, outcome] of market.outcomes) {
        for (const [key, entry] of outcome.players) {
          if (entry.active) live.push({ marketId, outcomeId, key, entry })
        }
      }
    }
    if (live.length === 0) {
      // nothing live at this book (every market settled): it re-sends its fixture info
      const book = state.model.bookmakers.get(slug) as SimBookmaker
      tick()
      return {
        kind: 'info',
        frame: {
          fixtureId: state.model.fixtureId,
          bookmakerOdds: {
            [slug]: { bookmakerFixtureId: book.bookmakerFixtureId, fixturePath: book.fixturePath },
          },
        } as OddsFrame,
      }
    }
    const { marketId, outcomeId, key, entry } = rng.pick(live)
    const line = { key }
    const f = 10 ** decimalsOf(slug)
    let price = Math.round((entry.price + (rng.chance(0.5) ? 1 : -1) / f) * f) / f
    if (price < 1.01 || price === entry.price) price = Math.round((entry.price + 1 / f) * f) / f
    return atSkins(state, slug, marketId, [{ outcomeId, playerKey: line.key, price }], 'price')
  }

  const pickInPlay = (): FixtureState => states.get(rng.pick(inPlay)) as FixtureState

  const priceFrame = (): GeneratedFrame => {
    const state = pickInPlay()
    // main lines move most often, as on real books
    const main = [...state.markets.values()].find((m) => m.spec.mainLine)
    const marketId =
      main && rng.chance(0.35) ? String(main.spec.id) : rng.pick([...state.markets.keys()])
    const market = state.markets.get(marketId) as MarketState
    const keys = market.lines.map((l) => l.key)
    const chosen = market.spec.players
      ? new Set(Array.from({ length: rng.int(1, Math.min(3, keys.length)) }, () => rng.pick(keys)))
      : undefined
    // the market's view of the match drifts a little with every move
    state.opinion = Math.max(-0.3, Math.min(0.3, state.opinion * 0.995 + rng.normal() * 0.008))
    return burst(state, marketId, chosen) ?? nudge(state)
  }

  const suspendFrame = (): GeneratedFrame => {
    const state = pickInPlay()
    const slug = rng.pick([...state.model.bookmakers.keys()])
    const marketId = rng.pick([...state.markets.keys()])
    const market = state.markets.get(marketId) as MarketState
    const simMarket = state.model.bookmakers.get(slug)?.markets.get(marketId)
    let anyActive = false
    for (const outcome of simMarket?.outcomes.values() ?? []) {
      for (const entry of outcome.players.values()) anyActive ||= entry.active
    }
    let changes: Change[]
    if (anyActive) {
      changes = []
      for (const [outcomeId, outcome] of simMarket?.outcomes ?? []) {
        for (const playerKey of outcome.players.keys()) {
          changes.push({ outcomeId, playerKey, price: undefined })
        }
      }
    } else {
      const sit = situation(state)
      const fair = new Map(
        market.lines.map((l) => [l.key, fairProbabilities(market.spec, sit, l.prop)] as const),
      )
      changes = changesFor(state, market, slug, fair)
      if (changes.length === 0) return priceFrame()
    }
    // skins take their feed's suspensions too
    return atSkins(state, slug, marketId, changes, 'suspend')
  }

  const infoFrame = (): GeneratedFrame | undefined => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const state = pickInPlay()
      const missing = [...state.model.bookmakers].filter(([, b]) => b.bookmakerFixtureId === null)
      if (missing.length === 0) continue
      const [slug, bookmaker] = rng.pick(missing)
      tick()
      bookmaker.bookmakerFixtureId = String(rng.int(10_000_000, 99_999_999))
      bookmaker.fixturePath = pathFor(slug, state.model, bookmaker.bookmakerFixtureId)
      return {
        kind: 'info',
        frame: {
          fixtureId: state.model.fixtureId,
          bookmakerOdds: {
            [slug]: {
              bookmakerFixtureId: bookmaker.bookmakerFixtureId,
              fixturePath: bookmaker.fixturePath,
            },
          },
        } as OddsFrame,
      }
    }
    return undefined
  }

  /** Reprices what a score changed: every market after a goal, the main ones after a set. */
  const afterScore = (state: FixtureState, touched: ReadonlySet<string>, goals: boolean) => {
    if (touched.size === 0) return
    const sportId = state.sport.sportId
    if (sportId === 11) return
    if (sportId !== 10 && !goals) return
    for (const [marketId, market] of state.markets) {
      if (sportId !== 10 && !market.spec.mainLine && market.spec.marketType !== 'set-winner')
        continue
      burst(state, marketId, undefined, true)
    }
  }

  /** The kick-off or the final whistle of the fixture that is due. */
  const statusFrame = (): GeneratedFrame | undefined => {
    const state = inPlay
      .map((id) => states.get(id) as FixtureState)
      .find((s) => statusDue(s) <= lastMs)
    if (!state) {
      refreshStatusAt()
      return undefined
    }
    const model = state.model
    const at = tick()
    const frame: JsonObject = { fixtureId: model.fixtureId }
    if (model.statusId === 0) {
      // kick-off: the first period and the result open at 0–0
      model.statusId = 1
      const opened = [state.sport.periods[0] as string, 'result']
      for (const key of opened) {
        model.periods.set(key, { participant1Score: 0, participant2Score: 0, updatedAtMs: at })
      }
      frame.scores = socketScores(model, opened)
    } else {
      model.statusId = 2
      const touched = applyEvents(state, Number.POSITIVE_INFINITY, at)
      if (state.sport.sportId === 10 || state.sport.sportId === 11) {
        // every period was played, scoreless or not
        for (const key of [...state.sport.periods, 'result']) {
          if (model.periods.has(key)) continue
          model.periods.set(key, { participant1Score: 0, participant2Score: 0, updatedAtMs: at })
          touched.add(key)
        }
      }
      if (touched.size > 0) frame.scores = socketScores(model, touched)
      inPlay = inPlay.filter((id) => id !== model.fixtureId)
      release(state)
      queueNewFixture(at)
    }
    model.updatedAtMs = at
    frame.statusId = model.statusId
    frame.updatedAt = socketTime(at)
    refreshStatusAt()
    return { kind: 'status', frame: frame as OddsFrame }
  }

  /** The live fixture whose script is furthest behind publishes its score up to now. */
  const scoreFrame = (): GeneratedFrame | undefined => {
    let due: FixtureState | undefined
    let dueAt = Number.POSITIVE_INFINITY
    for (const id of inPlay) {
      const state = states.get(id) as FixtureState
      if (state.model.statusId !== 1) continue
      const event = state.script.events[state.applied]
      if (event && event.atMs <= lastMs && event.atMs < dueAt) {
        due = state
        dueAt = event.atMs
      }
    }
    if (!due) return undefined
    const at = tick()
    const before = due.model.periods.get('result')
    const sets = (before?.participant1Score ?? 0) + (before?.participant2Score ?? 0)
    const touched = applyEvents(due, at, at)
    const after = due.model.periods.get('result')
    const setsAfter = (after?.participant1Score ?? 0) + (after?.participant2Score ?? 0)
    const frame = {
      kind: 'score' as const,
      frame: {
        fixtureId: due.model.fixtureId,
        scores: socketScores(due.model, touched),
      } as OddsFrame,
    }
    afterScore(due, touched, setsAfter !== sets)
    return frame
  }

  /** A new fixture appears: its first frame has its fields and one bookmaker, then one frame per bookmaker. */
  const queueNewFixture = (at: number) => {
    const built = buildFixture(0, at)
    const model = built.model
    const bookmakers = [...model.bookmakers]
    model.bookmakers = new Map()
    model.updatedAtMs = at
    hold(built)
    bookmakers.forEach(([slug, bookmaker], i) => {
      const frame: JsonObject =
        i === 0
          ? { ...socketInfo(model), bookmakerOdds: { [slug]: socketBookmaker(bookmaker) } }
          : { fixtureId: model.fixtureId, bookmakerOdds: { [slug]: socketBookmaker(bookmaker) } }
      pending.push({
        kind: 'create',
        frame: frame as OddsFrame,
        apply: () => {
          if (i === 0) {
            states.set(model.fixtureId, built)
            order.push(model.fixtureId)
          }
          model.bookmakers.set(slug, bookmaker)
          if (i === bookmakers.length - 1) {
            inPlay.push(model.fixtureId)
            refreshStatusAt()
          }
        },
      })
    })
  }

  const nextWithKind = (): GeneratedFrame => {
    frameCount++
    const queued = pending.shift()
    if (queued) {
      queued.apply?.()
      return { kind: queued.kind, frame: queued.frame }
    }
    if (inPlay.length === 0) {
      // Everything finished and nothing queued (cannot happen with status replacement, but be safe).
      queueNewFixture(tick())
      frameCount--
      return nextWithKind()
    }
    if (lastMs >= nextStatusAt) {
      const status = statusFrame()
      if (status) return status
    }
    let roll = rng.next() * totalWeight
    let kind: FrameKind = 'price'
    for (const k of kinds) {
      roll -= Math.max(0, weights[k])
      if (roll < 0) {
        kind = k
        break
      }
    }
    switch (kind) {
      case 'suspend':
        return suspendFrame()
      case 'info':
        return infoFrame() ?? priceFrame()
      case 'score':
        return scoreFrame() ?? priceFrame()
      default:
        return priceFrame()
    }
  }

  const findEntry = (path: PricePath) => {
    const state = states.get(path.fixtureId)
    const market = state?.markets.get(String(path.marketId))
    const outcomeIndex = market?.spec.outcomes.indexOf(Number(path.outcomeId)) ?? -1
    const playerKey = String(path.playerId ?? '0')
    const entry = state?.model.bookmakers
      .get(path.bookmaker)
      ?.markets.get(String(path.marketId))
      ?.outcomes.get(String(path.outcomeId))
      ?.players.get(playerKey)
    if (!state || !market || !entry || outcomeIndex < 0) {
      throw new RangeError(
        `No price entry at ${path.fixtureId}/${path.bookmaker}/${path.marketId}/${path.outcomeId}/${playerKey}`,
      )
    }
    return { state, market, entry, outcomeIndex, playerKey }
  }

  const singleEntryFrame = (path: PricePath, playerKey: string, entry: SimEntry): OddsFrame =>
    frameFor(path.fixtureId, path.bookmaker, {
      [String(path.marketId)]: {
        outcomes: { [String(path.outcomeId)]: { players: { [playerKey]: socketEntry(entry) } } },
      },
    })

  const store = (path: PricePath, playerKey: string, entry: SimEntry) => {
    states
      .get(path.fixtureId)
      ?.model.bookmakers.get(path.bookmaker)
      ?.markets.get(String(path.marketId))
      ?.outcomes.get(String(path.outcomeId))
      ?.players.set(playerKey, entry)
  }

  const catalogue = (): CatalogueRow[] => {
    const rows: CatalogueRow[] = []
    for (const sport of sports) {
      for (const spec of marketsFor(sport, options.marketsPerBookmaker, true)) {
        rows.push(catalogueRow(sport.sportId, spec))
      }
      if (options.marketsPerBookmaker === undefined) continue
    }
    return rows
  }

  return {
    next: () => nextWithKind().frame,
    nextWithKind,
    fixtureIds: () => [...order],
    fixtures: () =>
      order.map((id) => renderFixtureRow((states.get(id) as FixtureState).model, generation)),
    restOdds(fixtureId, renderOptions) {
      const state = states.get(fixtureId)
      return state ? renderRest(state.model, { generation, ...renderOptions }) : undefined
    },
    markets: catalogue,
    tournaments: () =>
      sports.flatMap((sport) =>
        sport.leagues.map((l) => ({
          tournamentId: l.tournamentId,
          tournamentName: l.name,
          sportId: sport.sportId,
        })),
      ),
    movePrice(path) {
      const { state, market, entry, outcomeIndex, playerKey } = findEntry(path)
      const feed = bookmakerSpec(path.bookmaker).feed
      const bias = walkBias(market, feed, playerKey, true)
      const line = market.lines.find((l) => l.key === playerKey) ?? { key: playerKey }
      const fair = fairProbabilities(market.spec, situation(state), line.prop)
      let price =
        (fair && bookPrices(fair, bias, bookmakerSpec(path.bookmaker).margin, 2)?.[outcomeIndex]) ??
        entry.price
      if (price === entry.price) price = Math.round((entry.price + 0.01) * 100) / 100
      const next: SimEntry = { ...entry, price, active: true, changedAtMs: tick() }
      store(path, playerKey, next)
      frameCount++
      return singleEntryFrame(path, playerKey, next)
    },
    setPrice(path, price) {
      const { entry, playerKey } = findEntry(path)
      if (!(price >= 1)) throw new RangeError(`Invalid decimal price ${price}`)
      const next: SimEntry = { ...entry, price, active: true, changedAtMs: tick() }
      store(path, playerKey, next)
      frameCount++
      return singleEntryFrame(path, playerKey, next)
    },
    get frameCount() {
      return frameCount
    },
  }
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}
