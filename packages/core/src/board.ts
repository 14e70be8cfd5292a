/**
 * `board$`: one row per fixture (status, start, participants, scores, the main market's best
 * prices) for UIs that list many fixtures. Kept up to date by reading only the fixtures whose
 * frames touched what a row shows, decided from the frames' keys: a price move on another
 * market costs a few key lookups, and the fixture's frames stay unmerged.
 * @module
 */
import { bestPrices, marketDependencies } from './market.js'
import { createMarketCatalogue, type MarketCatalogue } from './market-catalogue.js'
import { deepEqual, mergeFrames } from './merge.js'
import type { BookmakerOdds, Fixture, OddsFrame, Scores } from './schema.js'
import type { FixtureStore } from './store.js'
import { type FixtureMap, FixtureTable } from './table.js'

/** The best live price of an outcome and every bookmaker offering it. */
export interface BoardBest {
  /** The highest live price. */
  readonly price: number
  /** Every bookmaker offering it, by slug, in slug order. */
  readonly bookmakers: readonly string[]
}

/** One outcome of a row's main market. */
export interface BoardOutcome {
  /** The outcome's id (`"101"`). */
  readonly outcomeId: string
  /** Its best live price across bookmakers; `undefined` when no bookmaker has a live one. */
  readonly best: BoardBest | undefined
}

/** A row's main market: the best price per outcome, as {@link OddsFeed.market$} has it. */
export interface BoardMain {
  /** The market's id (`"101"`). */
  readonly marketId: string
  /** Outcomes seen at any bookmaker, ordered by id. */
  readonly outcomes: readonly BoardOutcome[]
}

/**
 * One fixture on the board. Immutable: a row that did not change is the same object in the next
 * map (and so are its `scores` and `main`), so `===` is the change test.
 */
export interface BoardRow {
  /** The fixture's id. */
  readonly fixtureId: string
  /** 0 not started, 1 live, 2 finished, 3 cancelled. */
  readonly statusId: Fixture['statusId']
  /** Epoch seconds (an ISO string from REST). */
  readonly startTime: Fixture['startTime']
  /** The first (home) participant's name. */
  readonly participant1Name: Fixture['participant1Name']
  /** The second (away) participant's name. */
  readonly participant2Name: Fixture['participant2Name']
  /** The sport's id. */
  readonly sportId: Fixture['sportId']
  /** Scores by period key, as stored (`participant1Score`, `participant2Score` per period). */
  readonly scores: Scores['periods']
  /** The main market's best prices; `undefined` when the fixture has no main market (yet). */
  readonly main: BoardMain | undefined
  /** The fixture's `updatedAt`. */
  readonly updatedAt: Fixture['updatedAt']
}

/** Options of {@link OddsFeed.board$}. */
export interface BoardOptions {
  /**
   * A fixture's main market. Called when a row is first built, when a frame changes one of the
   * fixture's top-level fields other than `scores` and `updatedAt` (`sportId`, `statusId`, …),
   * and when a frame brings a bookmaker's market the stored fixture did not have: what it
   * returns must depend on nothing else. Default {@link defaultMainMarket} (of `catalogue`).
   */
  readonly mainMarket?: ((fixture: Fixture) => string | number | undefined) | undefined
  /**
   * The market catalogue (`loadMarketCatalogue`), for the default `mainMarket`: each sport's
   * main market as the catalogue's data has it. Ignored with `mainMarket`.
   */
  readonly catalogue?: MarketCatalogue | undefined
}

const NO_CATALOGUE = createMarketCatalogue([])
const hasOwn = Object.prototype.hasOwnProperty

/**
 * The board's default main market of a fixture, as the demo picks it:
 * 1. with a catalogue that has markets of the fixture's sport, the sport's main market
 *    (`catalogue.mainMarket` over them: a full-time winner or 1X2 with no line and no player),
 *    so every fixture of a sport shows the same market;
 * 2. else the catalogue's main market among the fixture's markets, when it knows that one;
 * 3. else the market the most bookmakers quote (the catalogue's pick among those tied: the
 *    lowest id without one). Never just the lowest id: ids are data.
 *
 * Depends on `sportId` and on which bookmakers have which markets only (see
 * {@link BoardOptions.mainMarket}).
 *
 * @example
 * ```ts
 * const pick = defaultMainMarket(await loadMarketCatalogue({ apiKey }))
 * feed.board$({ mainMarket: (fixture) => (fixture.sportId === 12 ? '121' : pick(fixture)) })
 * ```
 */
export function defaultMainMarket(
  catalogue: MarketCatalogue = NO_CATALOGUE,
): (fixture: Fixture) => string | undefined {
  const bySport = new Map<number, string | undefined>()
  return (fixture) => {
    const sportId = fixture.sportId
    if (typeof sportId === 'number' && catalogue.size > 0) {
      let main = bySport.get(sportId)
      if (!bySport.has(sportId)) {
        main = catalogue.mainMarket(catalogue.rows(sportId).map((row) => row.marketId))
        bySport.set(sportId, main)
      }
      if (main !== undefined) return main
    }
    const quotes = new Map<string, number>()
    let most = 0
    const books = fixture.bookmakerOdds ?? {}
    for (const slug in books) {
      const markets = books[slug]?.markets
      for (const marketId in markets) {
        const n = (quotes.get(marketId) ?? 0) + 1
        quotes.set(marketId, n)
        if (n > most) most = n
      }
    }
    if (catalogue.size > 0) {
      const known = catalogue.mainMarket(quotes.keys())
      if (known !== undefined && catalogue.market(known)) return known
    }
    const tied: string[] = []
    for (const [marketId, n] of quotes) if (n === most) tied.push(marketId)
    return catalogue.mainMarket(tied)
  }
}

/** What a batch's frames touched of a row (bits). */
const SCORES = 1
/** A top-level field other than `scores`/`updatedAt`: the main market is picked again. */
const TOP = 2
/** A bookmaker's market the stored fixture did not have: the main market is picked again. */
const PAIRS = 4
/** The main market's prices, or a bookmaker's `suspended` (what {@link bestPrices} reads). */
const MAIN = 8
/** Read the row whole. */
const WHOLE = 16

/** A row with what it was computed from. */
interface Entry {
  readonly row: BoardRow
  /** The main market picked, as a `markets` key. */
  readonly marketId: string | undefined
  /** {@link marketDependencies} of it when the row was computed. */
  readonly deps: readonly unknown[]
  /**
   * The fixture seen through the row ({@link project}): its top-level fields and scores, and
   * per bookmaker only `suspended` and the main market. Frames that touch those are merged into
   * it (the same `mergeFrames`, projected the same way), so a main-market price move never
   * makes the store merge the fixture's other frames.
   */
  readonly view: Fixture
}

const NO_DEPS: readonly unknown[] = []

/**
 * @internal The rows of one `board$` subscription: built from every stored fixture, then kept
 * up to date batch by batch from the frames' keys ({@link FixtureStore.watchBatches}).
 */
export class Board {
  private readonly entries = new Map<string, Entry>()
  private readonly rows = new FixtureTable<BoardRow>()
  private readonly pick: (fixture: Fixture) => string | number | undefined

  constructor(
    private readonly store: FixtureStore,
    options: BoardOptions = {},
  ) {
    this.pick = options.mainMarket ?? defaultMainMarket(options.catalogue)
    for (const [fixtureId] of store.all()) this.update(fixtureId, WHOLE)
  }

  /** The rows now: the same map until a row changes. */
  map(): FixtureMap<BoardRow> {
    return this.rows.snapshot()
  }

  /**
   * A batch (see {@link BatchWatcher.batch}): reads the fixtures whose frames touched what
   * their rows show. Returns whether any row changed.
   */
  batch(
    frames: ReadonlyMap<string, readonly OddsFrame[]>,
    before: (fixtureId: string) => Fixture | undefined,
    whole: ReadonlySet<string>,
  ): boolean {
    let changed = false
    for (const fixtureId of whole) if (this.update(fixtureId, WHOLE)) changed = true
    frames.forEach((list, fixtureId) => {
      if (whole.size > 0 && whole.has(fixtureId)) return
      const touched = this.touched(fixtureId, list, before(fixtureId))
      if (touched !== 0 && this.update(fixtureId, touched, list)) changed = true
    })
    return changed
  }

  /** What `frames` touched of a row, from their keys (`stored`: the state before them). */
  private touched(
    fixtureId: string,
    frames: readonly OddsFrame[],
    stored: Fixture | undefined,
  ): number {
    const entry = this.entries.get(fixtureId)
    if (entry === undefined || stored === undefined) return WHOLE
    const main = entry.marketId
    const storedBooks = stored.bookmakerOdds
    let touched = 0
    for (let i = 0; i < frames.length; i++) {
      const frame = frames[i] as OddsFrame
      for (const key in frame) {
        if (key === 'fixtureId') continue
        if (key !== 'bookmakerOdds') {
          touched |= key === 'scores' || key === 'updatedAt' ? SCORES : TOP
          continue
        }
        const books = frame.bookmakerOdds
        for (const slug in books) {
          const book = books[slug]
          const storedMarkets = storedBooks?.[slug]?.markets
          if (book?.suspended !== undefined) touched |= MAIN
          const markets = book?.markets
          for (const marketId in markets) {
            if (marketId === main) touched |= MAIN
            if (storedMarkets === undefined || !hasOwn.call(storedMarkets, marketId)) {
              touched |= PAIRS
            }
          }
        }
      }
    }
    return touched
  }

  /**
   * Recomputes a row: from the fixture's state (merging its frames left unmerged) when the
   * main market may change, else from its view with `frames` merged into it.
   */
  private update(fixtureId: string, touched: number, frames?: readonly OddsFrame[]): boolean {
    const entry = this.entries.get(fixtureId)
    let marketId = entry?.marketId
    let fixture: Fixture | undefined
    if (entry === undefined || frames === undefined || (touched & (TOP | PAIRS | WHOLE)) !== 0) {
      const full = this.store.get(fixtureId)
      if (full === undefined) {
        if (entry === undefined) return false
        this.entries.delete(fixtureId)
        this.rows.delete(fixtureId)
        return true
      }
      const picked = this.pick(full)
      marketId = picked === undefined ? undefined : String(picked)
      fixture = project(full, marketId)
    } else {
      const projected: OddsFrame[] = []
      for (let i = 0; i < frames.length; i++) {
        const frame = projectFrame(frames[i] as OddsFrame, marketId)
        if (frame !== undefined) projected.push(frame)
      }
      fixture =
        projected.length === 0
          ? entry.view
          : mergeFrames(entry.view, projected, this.store.mergeOptions)
      if (fixture === entry.view) return false
    }
    let main = entry?.row.main
    let deps = entry?.deps ?? NO_DEPS
    if (entry === undefined || marketId !== entry.marketId || (touched & (MAIN | WHOLE)) !== 0) {
      deps = marketId === undefined ? NO_DEPS : marketDependencies(fixture, marketId)
      if (entry === undefined || marketId !== entry.marketId || !sameElements(deps, entry.deps)) {
        main = marketId === undefined ? undefined : mainOf(fixture, marketId, main)
      }
    }
    const old = entry?.row
    let scores = fixture.scores?.periods
    // a view built again from the store has equal scores in other objects: keep the row's
    if (old !== undefined && old.scores !== scores && deepEqual(old.scores, scores)) {
      scores = old.scores
    }
    const row: BoardRow =
      old !== undefined &&
      old.main === main &&
      old.scores === scores &&
      old.statusId === fixture.statusId &&
      old.startTime === fixture.startTime &&
      old.participant1Name === fixture.participant1Name &&
      old.participant2Name === fixture.participant2Name &&
      old.sportId === fixture.sportId &&
      old.updatedAt === fixture.updatedAt
        ? old
        : Object.freeze({
            fixtureId,
            statusId: fixture.statusId,
            startTime: fixture.startTime,
            participant1Name: fixture.participant1Name,
            participant2Name: fixture.participant2Name,
            sportId: fixture.sportId,
            scores,
            main,
            updatedAt: fixture.updatedAt,
          })
    this.entries.set(fixtureId, { row, marketId, deps, view: fixture })
    if (row === old) return false
    this.rows.set(fixtureId, row)
    return true
  }
}

/** A fixture as a row sees it: everything but the bookmakers' other markets. */
function project(fixture: Fixture, marketId: string | undefined): Fixture {
  const books = fixture.bookmakerOdds
  if (books === undefined) return fixture
  const seen: Record<string, BookmakerOdds> = {}
  for (const slug in books) {
    const book = books[slug] as BookmakerOdds
    const part = projectBook(book, marketId)
    if (part !== undefined) seen[slug] = deepFreezeShallow(part)
  }
  return Object.freeze({ ...fixture, bookmakerOdds: Object.freeze(seen) }) as Fixture
}

/** Freezes a projected bookmaker and its `markets` (their values are stored state: frozen). */
function deepFreezeShallow(part: BookmakerOdds): BookmakerOdds {
  if (part.markets) Object.freeze(part.markets)
  return Object.freeze(part)
}

/** A frame as a row sees it ({@link project}); `undefined` when it touches none of that. */
function projectFrame(frame: OddsFrame, marketId: string | undefined): OddsFrame | undefined {
  let top = false
  for (const key in frame) {
    if (key !== 'fixtureId' && key !== 'bookmakerOdds') {
      top = true
      break
    }
  }
  const books = frame.bookmakerOdds
  let seen: Record<string, BookmakerOdds> | undefined
  for (const slug in books) {
    const part = projectBook(books[slug] as BookmakerOdds, marketId)
    if (part === undefined) continue
    seen ??= {}
    seen[slug] = part
  }
  if (seen === undefined) {
    if (!top) return undefined
    if (books === undefined) return frame
    const { bookmakerOdds: _, ...rest } = frame
    return rest as OddsFrame
  }
  return { ...frame, bookmakerOdds: seen } as OddsFrame
}

/** A bookmaker's `suspended` and main market, or `undefined` when it has neither. */
function projectBook(book: BookmakerOdds, marketId: string | undefined): BookmakerOdds | undefined {
  const markets = book.markets
  const market =
    marketId !== undefined && markets !== undefined && hasOwn.call(markets, marketId)
      ? markets[marketId]
      : undefined
  const suspended = hasOwn.call(book, 'suspended')
  if (market === undefined && !suspended) return undefined
  const part: { suspended?: boolean | null | undefined; markets?: BookmakerOdds['markets'] } = {}
  if (suspended) part.suspended = book.suspended
  if (market !== undefined) part.markets = { [marketId as string]: market }
  return part as BookmakerOdds
}

/** The main market's best prices, sharing what equals the previous ones. */
function mainOf(fixture: Fixture, marketId: string, previous: BoardMain | undefined): BoardMain {
  const view = bestPrices(fixture, { fixtureId: fixture.fixtureId, marketId })
  const before = previous?.marketId === marketId ? previous.outcomes : []
  let same = previous?.marketId === marketId && before.length === view.length
  const outcomes = view.map((o, i): BoardOutcome => {
    const old = before[i]
    if (old && old.outcomeId === o.outcomeId && sameBest(old.best, o.best)) return old
    same = false
    const best =
      o.best &&
      Object.freeze({ price: o.best.price, bookmakers: Object.freeze([...o.best.bookmakers]) })
    return Object.freeze({ outcomeId: o.outcomeId, best })
  })
  if (same && previous) return previous
  return Object.freeze({ marketId, outcomes: Object.freeze(outcomes) })
}

function sameBest(a: BoardBest | undefined, b: BoardBest | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return a.price === b.price && sameElements(a.bookmakers, b.bookmakers)
}

function sameElements(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
