/**
 * The cross-bookmaker view of one market: every bookmaker's price per outcome, the best live
 * price and who offers it, each bookmaker's margin, and the best-price book.
 * @module
 */
import type { Fixture, Market, Player } from './schema.js'

/** Which market to compare across bookmakers. */
export interface MarketViewPath {
  /** The fixture's id. */
  readonly fixtureId: string
  /** The market's id (`101`). */
  readonly marketId: string | number
  /** Which line of each outcome (`players` key) to compare. Default `0`: the line with no player. */
  readonly playerId?: string | number | undefined
}

/** One bookmaker's price for one outcome. */
export interface BookPrice {
  /** The bookmaker's slug. */
  readonly bookmaker: string
  /** Its decimal price. */
  readonly price: number
  /**
   * Live: entry `active`, market not `marketActive: false`, bookmaker not `suspended`, price
   * finite and above 1. Only live prices count toward best prices, margins and sure bets.
   */
  readonly live: boolean
  /** The entry's `limit` (largest stake), when the bookmaker sends one. */
  readonly limit: number | null | undefined
  /** The entry's `changedAt`. */
  readonly changedAt: string | null | undefined
  /** The stored entry itself. */
  readonly entry: Player
}

/** One outcome across bookmakers. */
export interface OutcomeComparison {
  /** The outcome's id (`"101"`), as a `players`/`outcomes` key. */
  readonly outcomeId: string
  /** Every bookmaker's price, in bookmaker order. */
  readonly prices: readonly BookPrice[]
  /** The highest live price, and every bookmaker offering it; absent when none is live. */
  readonly best?: {
    /** The highest live price. */
    readonly price: number
    /** Every bookmaker offering it, by slug. */
    readonly bookmakers: readonly string[]
  }
}

/** One bookmaker on this market. */
export interface BookmakerMargin {
  /** The bookmaker's slug. */
  readonly bookmaker: string
  /** Overround `Σ 1/price − 1` over the market's outcomes, when it has a live price for each. */
  readonly margin?: number
  /** The bookmaker's stored market. */
  readonly market: Market
}

/** A market compared across bookmakers. */
export interface MarketView {
  /** The fixture's id. */
  readonly fixtureId: string
  /** The market's id, as a `markets` key (`"101"`). */
  readonly marketId: string
  /** The line compared, as a `players` key (`"0"`: no player). */
  readonly playerId: string
  /** Outcomes seen at any bookmaker, ordered by id. */
  readonly outcomes: readonly OutcomeComparison[]
  /** Bookmakers that have this market, ordered by slug. */
  readonly bookmakers: readonly BookmakerMargin[]
  /**
   * `Σ 1/best` over the outcomes, when there are at least two and each has a live best price.
   * Below 1 is a sure bet across bookmakers. Computed over the outcomes the feed has shown for
   * this market: an outcome no bookmaker has priced yet is not counted.
   */
  readonly bestBook?: number
  /** `bestBook < 1`. */
  readonly sureBet: boolean
}

const hasOwn = Object.prototype.hasOwnProperty
const byId = (a: string, b: string) => {
  const na = Number(a)
  const nb = Number(b)
  return Number.isFinite(na) && Number.isFinite(nb) && na !== nb
    ? na - nb
    : a < b
      ? -1
      : a > b
        ? 1
        : 0
}

/**
 * What the view of a market depends on: for each bookmaker with the market, its `suspended`
 * flag and its market object. Equal dependencies (element-wise `===`) mean an equal view.
 */
export function marketDependencies(fixture: Fixture | undefined, marketId: string): unknown[] {
  const deps: unknown[] = []
  const books = fixture?.bookmakerOdds
  if (!books) return deps
  for (const slug in books) {
    const book = books[slug]
    const markets = book?.markets
    if (!markets || !hasOwn.call(markets, marketId)) continue
    deps.push(slug, book.suspended, markets[marketId])
  }
  return deps
}

/**
 * Walks one line of a market across a fixture's bookmakers, in slug order: `book` for each
 * bookmaker that has the market, then `price` for each of its outcomes with a numeric price on
 * that line (`live`: see {@link BookPrice.live}). What {@link compareMarket} and
 * {@link bestPrices} both read, so they can never disagree on what counts.
 */
function walkMarket(
  fixture: Fixture | undefined,
  marketId: string,
  playerId: string,
  book: ((slug: string, market: Market) => void) | undefined,
  price: (slug: string, outcomeId: string, entry: Player, live: boolean) => void,
): void {
  const books = fixture?.bookmakerOdds ?? {}
  for (const slug of Object.keys(books).sort()) {
    const odds = books[slug]
    const market =
      odds?.markets && hasOwn.call(odds.markets, marketId) ? odds.markets[marketId] : undefined
    if (!odds || !market) continue
    const usable = odds.suspended !== true && market.marketActive !== false
    for (const outcomeId in market.outcomes ?? {}) {
      const players = market.outcomes?.[outcomeId]?.players
      if (!players || !hasOwn.call(players, playerId)) continue
      const entry = players[playerId]
      if (!entry || typeof entry.price !== 'number') continue
      // A price must be finite and above 1 to count (decode rejects non-finite ones already;
      // state built by other means, mergeFrame with an object, may still hold one).
      const value = entry.price
      price(
        slug,
        outcomeId,
        entry,
        usable && entry.active !== false && value > 1 && Number.isFinite(value),
      )
    }
    book?.(slug, market)
  }
}

/** The highest live price of an outcome so far, and every bookmaker offering it, in walk order. */
interface Best {
  price: number
  bookmakers: string[]
}

/** Offers `price` from `slug` to `best` (bookmakers come in slug order: ties keep that order). */
function offer(best: Best, slug: string, price: number): void {
  if (price > best.price) {
    best.price = price
    best.bookmakers = [slug]
  } else if (price === best.price) best.bookmakers.push(slug)
}

/** One outcome's best live price ({@link bestPrices}). */
export interface OutcomeBest {
  /** The outcome's id (`"101"`). */
  readonly outcomeId: string
  /** The highest live price and every bookmaker offering it, by slug; `undefined` when none is live. */
  readonly best: { readonly price: number; readonly bookmakers: readonly string[] } | undefined
}

/**
 * The best live price of each outcome of one market line: exactly {@link compareMarket}'s
 * `outcomes` (same order, same `best`), without the per-bookmaker prices and margins. What
 * `board$` reads for a row's main market.
 */
export function bestPrices(fixture: Fixture | undefined, path: MarketViewPath): OutcomeBest[] {
  const perOutcome = new Map<string, Best>()
  walkMarket(
    fixture,
    String(path.marketId),
    String(path.playerId ?? 0),
    undefined,
    (slug, outcomeId, entry, live) => {
      let best = perOutcome.get(outcomeId)
      if (!best) {
        best = { price: 0, bookmakers: [] }
        perOutcome.set(outcomeId, best)
      }
      if (live) offer(best, slug, entry.price as number)
    },
  )
  return [...perOutcome]
    .sort(([a], [b]) => byId(a, b))
    .map(([outcomeId, best]) => ({
      outcomeId,
      best: best.bookmakers.length > 0 ? best : undefined,
    }))
}

/** Builds the cross-bookmaker view of one market of a fixture. Pure. */
export function compareMarket(fixture: Fixture | undefined, path: MarketViewPath): MarketView {
  const marketId = String(path.marketId)
  const playerId = String(path.playerId ?? 0)
  const perOutcome = new Map<string, BookPrice[]>()
  const bookmakers: BookmakerMargin[] = []
  walkMarket(
    fixture,
    marketId,
    playerId,
    (slug, market) => bookmakers.push({ bookmaker: slug, market }),
    (slug, outcomeId, entry, live) => {
      let list = perOutcome.get(outcomeId)
      if (!list) {
        list = []
        perOutcome.set(outcomeId, list)
      }
      list.push({
        bookmaker: slug,
        price: entry.price as number,
        live,
        limit: entry.limit,
        changedAt: entry.changedAt,
        entry,
      })
    },
  )

  const outcomeIds = [...perOutcome.keys()].sort(byId)
  const outcomes: OutcomeComparison[] = outcomeIds.map((outcomeId) => {
    const prices = perOutcome.get(outcomeId) ?? []
    const best: Best = { price: 0, bookmakers: [] }
    for (const p of prices) if (p.live) offer(best, p.bookmaker, p.price)
    return best.bookmakers.length > 0 ? { outcomeId, prices, best } : { outcomeId, prices }
  })

  const withMargins = bookmakers.map((b): BookmakerMargin => {
    let sum = 0
    for (const outcomeId of outcomeIds) {
      const p = perOutcome.get(outcomeId)?.find((x) => x.bookmaker === b.bookmaker)
      if (!p?.live) return b
      sum += 1 / p.price
    }
    return outcomeIds.length >= 2 ? { ...b, margin: sum - 1 } : b
  })

  let bestBook: number | undefined
  if (outcomes.length >= 2 && outcomes.every((o) => o.best)) {
    bestBook = outcomes.reduce((sum, o) => sum + 1 / (o.best?.price ?? 1), 0)
  }
  return {
    fixtureId: path.fixtureId,
    marketId,
    playerId,
    outcomes,
    bookmakers: withMargins,
    ...(bestBook !== undefined && { bestBook }),
    sureBet: bestBook !== undefined && bestBook < 1,
  }
}
