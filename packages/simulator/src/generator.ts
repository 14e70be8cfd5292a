/**
 * A pure, deterministic frame generator: a seeded model of fixtures and prices, and the frames
 * that describe its changes. No server, no timers: `next()` advances the model by one frame.
 * @module
 */
import type { OddsFrame } from '@oddsfeed/core'
import {
  BOOKMAKERS,
  type MarketSpec,
  marginOf,
  marketsFor,
  PLAYER_NAMES,
  SPORTS,
} from './catalogue.js'
import {
  type ExchangeDepth,
  type JsonObject,
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
import { createPrng } from './prng.js'

/** What kind of change a frame describes. */
export type FrameKind = 'price' | 'suspend' | 'info' | 'status' | 'score'

/** Options of {@link createGenerator}. */
export interface GeneratorOptions {
  /** Same seed (and options), same frames. Default `1`. */
  seed?: number | string | undefined
  /** Fixtures kept in play (a finished one is replaced by a new one). Default 12. */
  fixtures?: number | undefined
  /** Sports to draw from, of 10 (soccer), 11 (basketball), 12 (tennis). Default all three. */
  sports?: readonly number[] | undefined
  /** How many bookmakers (the first of the known slugs) or which slugs. Default 6. */
  bookmakers?: number | readonly string[] | undefined
  /** Markets per bookmaker and fixture. Default: the sport's whole catalogue (2–7). */
  marketsPerBookmaker?: number | undefined
  /** Include player props (one entry per player). Default `true`. */
  playerProps?: boolean | undefined
  /** Players per player-prop outcome. Default 6. */
  playersPerProp?: number | undefined
  /** The model's "now" at creation, epoch ms. Default `2026-06-01T12:00:00Z`. */
  epochMs?: number | undefined
  /**
   * A clock for timestamps (epoch ms). Default: a virtual clock that advances 1–4 ms per frame,
   * which keeps frames identical per seed. With a clock, timestamps follow it (still strictly
   * increasing, whole milliseconds).
   */
  now?: (() => number) | undefined
  /** Relative weights of the frame kinds. Default price 80, score 6, suspend 5, info 3, status 1. */
  weights?: Partial<Record<FrameKind, number>> | undefined
}

/** A frame and what it changed. */
export interface GeneratedFrame {
  /** What changed (`create`: a new fixture). */
  readonly kind: FrameKind | 'create'
  /** The frame describing the change. */
  readonly frame: OddsFrame
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
  playerId?: string | number
}

const DEFAULT_EPOCH = Date.UTC(2026, 5, 1, 12, 0, 0)
const DEFAULT_WEIGHTS: Record<FrameKind, number> = {
  price: 80,
  score: 6,
  suspend: 5,
  info: 3,
  status: 1,
}

interface MarketState {
  spec: MarketSpec
  /** Fair log-weights per outcome (outcome markets), or per player × outcome (props). */
  logits: Map<string, number[]>
}

interface FixtureState {
  model: SimFixture
  markets: Map<string, MarketState>
  players: { id: number; name: string }[]
  /** Current period index into the sport's periods. */
  period: number
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
  const sports = (options.sports ?? [10, 11, 12]).map((id) => {
    const spec = SPORTS.get(id)
    if (!spec) throw new RangeError(`Unknown sportId ${id}: use 10, 11 or 12`)
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
  const weights = { ...DEFAULT_WEIGHTS, ...options.weights }
  const kinds = Object.keys(weights) as FrameKind[]
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
  const pending: GeneratedFrame[] = []
  let fixtureSerial = 0
  let frameCount = 0

  // ---- building ---------------------------------------------------------------------------

  const newFixtureId = (): string => {
    fixtureSerial++
    return `id${String(1_000_000_000_000_000 + fixtureSerial * 7_919 + rng.int(0, 999)).slice(0, 16)}`
  }

  const priceOf = (prob: number, slug: string, noise: boolean): number => {
    const p = Math.min(0.99, Math.max(0.001, prob * (1 + marginOf(slug))))
    const raw = 1 / (p * (noise ? Math.exp(rng.normal() * 0.01) : 1))
    const decimals = slug === 'pinnacle' || slug === 'betfair-ex' ? 3 : 2
    const f = 10 ** decimals
    return Math.min(1000, Math.max(1.01, Math.round(raw * f) / f))
  }

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

  const probabilities = (logits: readonly number[]): number[] => {
    if (logits.length === 1) return [1 / (1 + Math.exp(-(logits[0] as number)))]
    const exps = logits.map(Math.exp)
    const sum = exps.reduce((a, b) => a + b, 0)
    return exps.map((e) => e / sum)
  }

  const makeEntry = (
    slug: string,
    prob: number,
    playerId: number,
    playerName: string | null,
    mainLine: boolean,
    changedAtMs: number,
  ): SimEntry => {
    const price = priceOf(prob, slug, true)
    const exchangeMeta = slug === 'betfair-ex' ? depthFor(price) : null
    return {
      price,
      active: true,
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

  const buildFixture = (statusId: number, createdMs: number): FixtureState => {
    const sport = rng.pick(sports)
    const teams = sport.teams
    const i1 = rng.int(0, teams.length - 1)
    let i2 = rng.int(0, teams.length - 2)
    if (i2 >= i1) i2++
    const fixtureId = newFixtureId()
    const startTime =
      Math.floor(createdMs / 1000) +
      (statusId === 0 ? rng.int(10, 48 * 60) * 60 : -rng.int(5, 80) * 60)
    const model: SimFixture = {
      fixtureId,
      betradarId: rng.int(50_000_000, 69_999_999),
      startTime,
      participant1Id: 1000 + i1 * 37 + sport.sportId,
      participant2Id: 1000 + i2 * 37 + sport.sportId,
      participant1Name: teams[i1] as string,
      participant2Name: teams[i2] as string,
      sportId: sport.sportId,
      tournamentId: rng.pick(sport.tournaments),
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
    const players = Array.from({ length: playersPerProp }, (_, k) => ({
      id: 100_000 + rng.int(0, 899_999) + k,
      name: rng.pick(PLAYER_NAMES),
    }))
    const markets = new Map<string, MarketState>()
    for (const spec of marketsFor(sport, options.marketsPerBookmaker, playerProps)) {
      const logits = new Map<string, number[]>()
      if (spec.players) {
        for (const player of players) {
          logits.set(
            String(player.id),
            spec.outcomes.length === 1
              ? [rng.float(-2.5, -0.5)]
              : spec.outcomes.map(() => rng.normal() * 0.3),
          )
        }
      } else {
        logits.set(
          '0',
          spec.outcomes.map(() => rng.normal() * 0.7),
        )
      }
      markets.set(String(spec.id), { spec, logits })
    }
    const state: FixtureState = { model, markets, players, period: 0 }
    if (statusId === 1) {
      state.period = rng.int(0, sport.periods.length - 1)
      let total1 = 0
      let total2 = 0
      for (let k = 0; k <= state.period; k++) {
        const a = rng.int(0, 2)
        const b = rng.int(0, 2)
        total1 += a
        total2 += b
        model.periods.set(sport.periods[k] as string, {
          participant1Score: a,
          participant2Score: b,
          updatedAtMs: createdMs - rng.int(1, 600_000),
        })
      }
      model.periods.set('result', {
        participant1Score: total1,
        participant2Score: total2,
        updatedAtMs: createdMs - rng.int(1, 600_000),
      })
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
      for (const [marketId, market] of markets) {
        const simMarket: SimMarket = {
          bookmakerMarketId: rng.chance(0.5) ? String(rng.int(1000, 999_999)) : null,
          marketActive: true,
          outcomes: new Map(),
        }
        for (const [o, outcomeId] of market.spec.outcomes.entries()) {
          const players = new Map<string, SimEntry>()
          for (const [playerKey, logits] of market.logits) {
            const prob = probabilities(logits)[o] as number
            const player = market.spec.players
              ? state.players.find((p) => String(p.id) === playerKey)
              : undefined
            players.set(
              playerKey,
              makeEntry(
                slug,
                prob,
                player?.id ?? 0,
                player?.name ?? null,
                market.spec.mainLine === true,
                createdMs - rng.int(1, 120_000),
              ),
            )
          }
          simMarket.outcomes.set(String(outcomeId), { players })
        }
        bookmaker.markets.set(marketId, simMarket)
      }
      model.bookmakers.set(slug, bookmaker)
    }
    return state
  }

  const pathFor = (slug: string, fixture: SimFixture, id: string | null): string =>
    `https://${slug.replace(/-ex$/, '')}.example/${SPORTS.get(fixture.sportId)?.name}/${slugify(fixture.participant1Name)}-v-${slugify(fixture.participant2Name)}/${id}`

  const addFixture = (state: FixtureState) => {
    states.set(state.model.fixtureId, state)
    order.push(state.model.fixtureId)
    inPlay.push(state.model.fixtureId)
  }

  for (let i = 0; i < fixtureCount; i++) {
    addFixture(buildFixture(rng.chance(0.4) ? 1 : 0, epochMs))
  }

  // ---- frames -----------------------------------------------------------------------------

  const frameFor = (fixtureId: string, slug: string, markets: JsonObject): OddsFrame =>
    ({ fixtureId, bookmakerOdds: { [slug]: { markets } } }) as OddsFrame

  /** Re-prices (or suspends) entries of one market and returns the frame's `markets` part. */
  const touchMarket = (
    state: FixtureState,
    slug: string,
    marketId: string,
    change: (entry: SimEntry, prob: number, playerKey: string) => SimEntry | undefined,
    onlyPlayers?: ReadonlySet<string>,
  ): JsonObject | undefined => {
    const market = state.markets.get(marketId)
    const simMarket = state.model.bookmakers.get(slug)?.markets.get(marketId)
    if (!market || !simMarket) return undefined
    const outcomes: JsonObject = {}
    let any = false
    for (const [o, outcomeId] of market.spec.outcomes.entries()) {
      const outcome = simMarket.outcomes.get(String(outcomeId))
      if (!outcome) continue
      const players: JsonObject = {}
      let anyHere = false
      for (const [playerKey, logits] of market.logits) {
        if (onlyPlayers && !onlyPlayers.has(playerKey)) continue
        const entry = outcome.players.get(playerKey)
        if (!entry) continue
        const next = change(entry, probabilities(logits)[o] as number, playerKey)
        if (!next) continue
        outcome.players.set(playerKey, next)
        players[playerKey] = socketEntry(next)
        anyHere = true
      }
      if (anyHere) {
        outcomes[String(outcomeId)] = { players }
        any = true
      }
    }
    return any ? { [marketId]: { outcomes } } : undefined
  }

  const repriced = (slug: string, entry: SimEntry, prob: number, at: number): SimEntry => {
    let price = priceOf(prob, slug, true)
    if (price === entry.price && entry.active) {
      price = Math.round((price + (rng.chance(0.5) ? 0.01 : -0.01)) * 100) / 100
      if (price < 1.01) price = 1.02
    }
    const exchangeMeta = entry.exchangeMeta ? depthFor(price) : null
    return {
      ...entry,
      price,
      active: true,
      limit: entry.exchangeMeta ? (exchangeMeta?.back[0]?.size ?? null) : entry.limit,
      exchangeMeta,
      changedAtMs: at,
    }
  }

  const walk = (market: MarketState, keys: readonly string[]) => {
    for (const key of keys) {
      const logits = market.logits.get(key)
      if (!logits) continue
      for (let i = 0; i < logits.length; i++)
        logits[i] = (logits[i] as number) + rng.normal() * 0.06
    }
  }

  const pickInPlay = (): FixtureState => states.get(rng.pick(inPlay)) as FixtureState

  const priceFrame = (): GeneratedFrame => {
    const state = pickInPlay()
    const slug = rng.pick([...state.model.bookmakers.keys()])
    const marketId = rng.pick([...state.markets.keys()])
    const market = state.markets.get(marketId) as MarketState
    const keys = [...market.logits.keys()]
    const chosen = market.spec.players
      ? new Set(Array.from({ length: rng.int(1, Math.min(3, keys.length)) }, () => rng.pick(keys)))
      : undefined
    walk(market, chosen ? [...chosen] : keys)
    const at = tick()
    const markets = touchMarket(
      state,
      slug,
      marketId,
      (entry, prob) => repriced(slug, entry, prob, at),
      chosen,
    ) as JsonObject
    return { kind: 'price', frame: frameFor(state.model.fixtureId, slug, markets) }
  }

  const suspendFrame = (): GeneratedFrame => {
    const state = pickInPlay()
    const slug = rng.pick([...state.model.bookmakers.keys()])
    const marketId = rng.pick([...state.markets.keys()])
    const simMarket = state.model.bookmakers.get(slug)?.markets.get(marketId)
    let anyActive = false
    for (const outcome of simMarket?.outcomes.values() ?? []) {
      for (const entry of outcome.players.values()) anyActive ||= entry.active
    }
    const at = tick()
    const markets = touchMarket(state, slug, marketId, (entry, prob) =>
      anyActive ? { ...entry, active: false, changedAtMs: at } : repriced(slug, entry, prob, at),
    ) as JsonObject
    return { kind: 'suspend', frame: frameFor(state.model.fixtureId, slug, markets) }
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

  const statusFrame = (): GeneratedFrame => {
    const state = pickInPlay()
    const model = state.model
    const at = tick()
    model.statusId = model.statusId === 0 ? 1 : 2
    model.updatedAtMs = at
    if (model.statusId === 2) {
      inPlay = inPlay.filter((id) => id !== model.fixtureId)
      queueNewFixture(at)
    }
    return {
      kind: 'status',
      frame: {
        fixtureId: model.fixtureId,
        statusId: model.statusId,
        updatedAt: socketTime(at),
      } as OddsFrame,
    }
  }

  const scoreFrame = (): GeneratedFrame | undefined => {
    const live = inPlay.filter((id) => states.get(id)?.model.statusId === 1)
    if (live.length === 0) return undefined
    const state = states.get(rng.pick(live)) as FixtureState
    const sport = SPORTS.get(state.model.sportId)
    if (!sport) return undefined
    const at = tick()
    const periods = state.model.periods
    if (periods.size > 0 && rng.chance(0.15) && state.period < sport.periods.length - 1) {
      state.period++
    }
    const key = sport.periods[state.period] as string
    const period = periods.get(key) ?? {
      participant1Score: 0,
      participant2Score: 0,
      updatedAtMs: at,
    }
    const result = periods.get('result') ?? {
      participant1Score: 0,
      participant2Score: 0,
      updatedAtMs: at,
    }
    const side = rng.chance(0.5) ? 'participant1Score' : 'participant2Score'
    const goals = sport.sportId === 11 ? rng.int(1, 3) : 1
    period[side] += goals
    result[side] += goals
    period.updatedAtMs = at
    result.updatedAtMs = at
    periods.set(key, period)
    periods.set('result', result)
    return {
      kind: 'score',
      frame: {
        fixtureId: state.model.fixtureId,
        scores: socketScores(state.model, [key, 'result']),
      } as OddsFrame,
    }
  }

  /** A new fixture appears: its first frame has its fields and one bookmaker, then one frame per bookmaker. */
  const queueNewFixture = (at: number) => {
    const built = buildFixture(0, at)
    const model = built.model
    const bookmakers = [...model.bookmakers]
    model.bookmakers = new Map()
    model.updatedAtMs = at
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
          if (i === bookmakers.length - 1) inPlay.push(model.fixtureId)
        },
      } as GeneratedFrame & { apply: () => void })
    })
  }

  const nextWithKind = (): GeneratedFrame => {
    frameCount++
    const queued = pending.shift() as (GeneratedFrame & { apply?: () => void }) | undefined
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
      case 'status':
        return statusFrame()
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

  return {
    next: () => nextWithKind().frame,
    nextWithKind,
    fixtureIds: () => [...order],
    fixtures: () => order.map((id) => renderFixtureRow((states.get(id) as FixtureState).model)),
    restOdds(fixtureId, renderOptions) {
      const state = states.get(fixtureId)
      return state ? renderRest(state.model, renderOptions) : undefined
    },
    movePrice(path) {
      const { market, entry, outcomeIndex, playerKey } = findEntry(path)
      walk(market, [playerKey])
      const prob = probabilities(market.logits.get(playerKey) as number[])[outcomeIndex] as number
      let next = repriced(path.bookmaker, entry, prob, tick())
      if (next.price === entry.price)
        next = { ...next, price: Math.round((entry.price + 0.01) * 100) / 100 }
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
