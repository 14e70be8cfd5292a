/**
 * The board: fixtures grouped by sport and start time, with the main market's best price per
 * outcome and who offers it, its direction since the board opened and a sparkline of its last
 * changes. Sortable, filterable by sport, status and bookmaker, searchable; a row opens the
 * fixture on click or Enter. Finished fixtures leave the default (live and upcoming) list.
 *
 * Cost stays flat at thousands of frames a second: the list is re-sorted at most every
 * {@link BOARD_REFRESH_MS}, only the rows shown subscribe (one `market$` each, plus one history
 * per outcome), and a price cell writes the DOM only when its text changes.
 * @module
 */
import {
  createHistory,
  type Fixture,
  formatOdds,
  type HistorySource,
  type MarketView,
  type OddsFeed,
  type Player,
  type PriceHistory,
} from '@oddsfeed/core'
import { distinctUntilChanged, map } from 'rxjs'
import { Disposables, h, setText } from './dom.js'
import { clockTime, dayLabel, marketIdsOf, participants, scoreOf, startMs } from './fixtures.js'
import { ago, SPORT_NAMES, sportName } from './markets.js'
import { createSparkline, type Sparkline } from './sparkline.js'
import { type AppState, HISTORY_LIMIT } from './state.js'

/** How often the board re-sorts and re-filters at most. */
export const BOARD_REFRESH_MS = 500
/** Rows shown per sport before "Show more". */
export const ROWS_PER_SPORT = 12

type SortKey = 'start' | 'name' | 'updated'
const STATUS_FILTERS: readonly { value: string; label: string; test: (s: number) => boolean }[] = [
  { value: 'open', label: 'Live & upcoming', test: (s) => s === 0 || s === 1 },
  { value: 'live', label: 'Live', test: (s) => s === 1 },
  { value: 'upcoming', label: 'Upcoming', test: (s) => s === 0 },
  { value: 'finished', label: 'Finished', test: (s) => s >= 2 },
  { value: 'all', label: 'All statuses', test: () => true },
]

/** The best live price of one outcome (at one bookmaker when `only` is set), as an entry. */
function bestOf(
  view: MarketView,
  outcomeId: string,
  only: string | undefined,
): { price: number; bookmakers: string[]; changedAt: string | undefined } | undefined {
  const outcome = view.outcomes.find((o) => o.outcomeId === outcomeId)
  if (!outcome) return undefined
  let price = 0
  let bookmakers: string[] = []
  let changedAt: string | undefined
  for (const p of outcome.prices) {
    if (!p.live || (only && p.bookmaker !== only)) continue
    if (p.price > price) {
      price = p.price
      bookmakers = [p.bookmaker]
      changedAt = p.changedAt ?? undefined
    } else if (p.price === price) {
      bookmakers.push(p.bookmaker)
    }
  }
  return price > 0 ? { price, bookmakers, changedAt } : undefined
}

/** The latest `changedAt` of a market's prices, epoch ms. */
function lastChange(view: MarketView): number {
  let latest = 0
  for (const outcome of view.outcomes) {
    for (const p of outcome.prices) {
      const t = p.changedAt ? Date.parse(p.changedAt) : 0
      if (t > latest) latest = t
    }
  }
  return latest
}

interface PriceSlot {
  readonly td: HTMLTableCellElement
  readonly price: HTMLSpanElement
  readonly dir: HTMLSpanElement
  readonly by: HTMLSpanElement
  readonly spark: Sparkline
  value: number | undefined
  suspended: boolean
}

/** One fixture's row. */
class BoardRow {
  readonly el: HTMLTableRowElement
  private readonly time: HTMLTableCellElement
  private readonly name: HTMLSpanElement
  private readonly sub: HTMLSpanElement
  private readonly score: HTMLSpanElement
  private readonly books: HTMLTableCellElement
  private readonly updated: HTMLTableCellElement
  private slots: PriceSlot[] = []
  private bag = new Disposables()
  private changedAt = 0
  marketId: string | undefined
  filter: string | undefined

  constructor(readonly fixtureId: string) {
    this.time = h('td', { class: 'col-time' })
    this.name = h('span', { class: 'teams' })
    this.sub = h('span', { class: 'league' })
    this.score = h('span', { class: 'score' })
    this.books = h('td', { class: 'col-books num' })
    this.updated = h('td', { class: 'col-updated', testid: 'updated' })
    this.el = h(
      'tr',
      {
        class: 'fixture-row',
        tabindex: 0,
        testid: `fixture-row-${fixtureId}`,
        'data-fixture-id': fixtureId,
      },
      this.time,
      h('th', { scope: 'row', class: 'col-fixture' }, this.name, this.score, this.sub),
    )
    this.el.append(this.books, this.updated)
  }

  /** (Re)subscribes to a market with `outcomeIds` columns. */
  bind(
    state: AppState,
    best: ReturnType<typeof createHistory>,
    marketId: string | undefined,
    outcomeIds: readonly string[],
    filter: string | undefined,
  ): void {
    this.bag.dispose()
    this.bag = new Disposables()
    this.marketId = marketId
    this.filter = filter
    for (const slot of this.slots) slot.td.remove()
    this.slots = outcomeIds.map((outcomeId) => {
      const spark = createSparkline(44, 14)
      const price = h('span', { class: 'price' }, '–')
      const dir = h('span', { class: 'dir', 'aria-hidden': 'true' })
      const by = h('span', { class: 'by' })
      const td = h(
        'td',
        { class: 'best-cell', testid: `best-${outcomeId}`, 'data-outcome': outcomeId },
        h('span', { class: 'line' }, price, dir),
        h('span', { class: 'line' }, by, spark.el),
      )
      return { td, price, dir, by, spark, value: undefined, suspended: false }
    })
    this.books.before(...this.slots.map((s) => s.td))
    if (marketId === undefined) return
    const feed = state.feed
    this.bag.add(
      feed.market$({ fixtureId: this.fixtureId, marketId }).subscribe((view) => {
        let books = 0
        for (const b of view.bookmakers) if (!filter || b.bookmaker === filter) books++
        setText(this.books, books > 0 ? String(books) : '')
        this.changedAt = lastChange(view)
        this.slots.forEach((slot, i) => {
          const b = bestOf(view, outcomeIds[i] as string, filter)
          slot.value = b?.price
          // priced, but nothing live: the market is suspended
          slot.suspended =
            !b && view.outcomes.some((o) => o.outcomeId === outcomeIds[i] && o.prices.length > 0)
          slot.td.dataset.price = b ? String(b.price) : ''
          setText(
            slot.by,
            b
              ? `${b.bookmakers[0]}${b.bookmakers.length > 1 ? ` +${b.bookmakers.length - 1}` : ''}`
              : '',
          )
          slot.td.title = b ? `Best: ${b.bookmakers.join(', ')}` : ''
          this.paint(state, slot)
        })
      }),
    )
    this.slots.forEach((slot, i) => {
      this.bag.add(
        best
          .history$({
            fixtureId: this.fixtureId,
            bookmaker: filter ?? '*',
            marketId,
            outcomeId: outcomeIds[i] as string,
            playerId: 0,
          })
          .subscribe((history: PriceHistory) => {
            slot.spark.update(history.points)
            const d = history.direction
            setText(slot.dir, d > 0 ? '▲' : d < 0 ? '▼' : '')
            slot.dir.dataset.dir = d > 0 ? 'up' : d < 0 ? 'down' : ''
            slot.td.dataset.moved = String(history.changes > 1)
          }),
      )
    })
  }

  paint(state: AppState, slot: PriceSlot): void {
    setText(
      slot.price,
      slot.value === undefined
        ? slot.suspended
          ? 'susp.'
          : '–'
        : formatOdds(slot.value, state.format),
    )
    slot.td.classList.toggle('suspended', slot.suspended)
  }

  repaint(state: AppState): void {
    for (const slot of this.slots) this.paint(state, slot)
  }

  show(state: AppState, fixture: Fixture, now: number): void {
    const status = fixture.statusId
    const start = startMs(fixture)
    setText(
      this.time,
      status === 1
        ? 'Live'
        : status === 2
          ? 'FT'
          : status === 3
            ? 'Off'
            : start
              ? clockTime(start)
              : '',
    )
    this.time.dataset.status = String(status ?? '')
    setText(this.name, participants(fixture))
    setText(this.score, status === 1 || status === 2 ? scoreOf(fixture) : '')
    setText(this.sub, state.tournamentName(fixture.tournamentId) ?? sportName(fixture.sportId))
    this.tick(now)
  }

  tick(now: number): void {
    setText(this.updated, this.changedAt ? ago(Math.max(0, now - this.changedAt)) : '')
  }

  dispose(): void {
    this.bag.dispose()
    this.el.remove()
  }
}

/** One sport's table. */
interface SportTable {
  readonly section: HTMLElement
  readonly heading: HTMLHeadingElement
  readonly caption: HTMLTableCaptionElement
  readonly head: HTMLTableRowElement
  readonly body: HTMLTableSectionElement
  readonly more: HTMLButtonElement
  shown: number
  outcomeIds: string[]
  marketId: string | undefined
  order: string
}

/** Mounts the board into `root`; `onOpen` is called with the fixture to open. */
export function mountBoard(
  root: HTMLElement,
  state: AppState,
  onOpen: (fixtureId: string) => void,
): Disposables & { focusRow(fixtureId: string): void } {
  const feed: OddsFeed = state.feed
  const bag = new Disposables()
  const sport = h('select', { testid: 'filter-sport', 'aria-label': 'Sport' })
  const status = h('select', { testid: 'filter-status', 'aria-label': 'Status' })
  const bookmaker = h('select', { testid: 'filter-bookmaker', 'aria-label': 'Bookmaker' })
  const sortBy = h('select', { testid: 'sort', 'aria-label': 'Sort by' })
  const search = h('input', {
    type: 'search',
    placeholder: 'Search team, player or id',
    testid: 'search',
    'aria-label': 'Search fixtures',
  })
  const summary = h('p', { class: 'summary', testid: 'board-summary' })
  const sportsRoot = h('div', { class: 'sports', testid: 'board-sports' })
  const empty = h('p', { class: 'empty', testid: 'board-empty' }, 'Waiting for fixtures…')

  sport.append(h('option', { value: '' }, 'All sports'))
  for (const f of STATUS_FILTERS) status.append(h('option', { value: f.value }, f.label))
  bookmaker.append(h('option', { value: '' }, 'Best of all bookmakers'))
  for (const [value, label] of [
    ['start', 'Start time'],
    ['name', 'Name'],
    ['updated', 'Recently active'],
  ])
    sortBy.append(h('option', { value: value as string }, label as string))

  root.replaceChildren(
    h('div', { class: 'filters', role: 'search' }, sport, status, bookmaker, sortBy, search),
    summary,
    empty,
    sportsRoot,
  )

  // A history of the best price per outcome: the core's history over a source of "entries" that
  // are the best live price of the market (or one bookmaker's, with the bookmaker filter).
  const bestSource: HistorySource = {
    select: (path) =>
      feed.market$({ fixtureId: path.fixtureId, marketId: path.marketId }).pipe(
        map((view) => {
          const b = bestOf(
            view,
            String(path.outcomeId),
            path.bookmaker === '*' ? undefined : path.bookmaker,
          )
          return b
            ? ({ price: b.price, active: true, changedAt: b.changedAt } as Player)
            : undefined
        }),
        distinctUntilChanged((a, b) => a?.price === b?.price),
      ),
  }
  const best = createHistory(bestSource, { limit: HISTORY_LIMIT })

  // on a phone the board drops two columns (CSS): group rows must not span them
  const narrow = matchMedia('(max-width: 700px)')
  const onNarrow = () => {
    for (const table of tables.values()) table.order = ''
    render()
  }
  narrow.addEventListener('change', onNarrow)
  bag.add(() => narrow.removeEventListener('change', onNarrow))
  const tables = new Map<string, SportTable>()
  const rows = new Map<string, BoardRow>()
  const lastSeen = new Map<string, number>()
  const sportsSeen = new Set<string>()
  const booksSeen = new Set<string>()
  let fixtures: ReadonlyMap<string, Fixture> = new Map()
  let dirty = true
  let sortKey: SortKey = 'start'

  bag.add(
    feed.fixtures$.subscribe((next) => {
      fixtures = next
      dirty = true
    }),
  )
  bag.add(
    feed.frames$.subscribe((frame) => {
      lastSeen.set(frame.fixtureId, Date.now())
      const odds = frame.bookmakerOdds
      if (odds) {
        for (const slug in odds) {
          if (!booksSeen.has(slug)) {
            booksSeen.add(slug)
            dirty = true
          }
        }
      }
    }),
  )
  bag.add(
    state.onChange(() => {
      for (const row of rows.values()) row.repaint(state)
      for (const table of tables.values()) table.order = ''
      dirty = true
      render()
    }),
  )

  const rerender = () => {
    for (const table of tables.values()) table.shown = ROWS_PER_SPORT
    dirty = true
    render()
  }
  for (const control of [sport, status, bookmaker, sortBy])
    control.addEventListener('change', rerender)
  sortBy.addEventListener('change', () => {
    sortKey = sortBy.value as SortKey
  })
  search.addEventListener('input', rerender)

  const open = (target: EventTarget | null) => {
    const row = (target as HTMLElement | null)?.closest?.(
      'tr[data-fixture-id]',
    ) as HTMLElement | null
    const id = row?.dataset.fixtureId
    if (id) onOpen(id)
  }
  sportsRoot.addEventListener('click', (event) => {
    if ((event.target as HTMLElement).closest('button')) return
    open(event.target)
  })
  sportsRoot.addEventListener('keydown', (event) => {
    const row = (event.target as HTMLElement).closest?.('tr[data-fixture-id]') as HTMLElement | null
    if (!row || event.target !== row) return
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault()
      open(row)
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const all = [...sportsRoot.querySelectorAll<HTMLElement>('tr[data-fixture-id]')]
      const next = all[all.indexOf(row) + (event.key === 'ArrowDown' ? 1 : -1)]
      next?.focus()
    }
  })

  const sortHeader = (key: SortKey, label: string) => {
    const button = h('button', { type: 'button', class: 'sort', 'data-sort': key }, label)
    button.addEventListener('click', () => {
      sortKey = key
      sortBy.value = key
      rerender()
    })
    return button
  }

  const tableFor = (sportId: string): SportTable => {
    const table = tables.get(sportId)
    if (table) return table
    const heading = h('h2', {}, SPORT_NAMES[sportId] ?? `Sport ${sportId}`)
    const caption = h('caption', { class: 'sr-only' })
    const head = h('tr')
    const body = h('tbody')
    const more = h(
      'button',
      { type: 'button', class: 'more', testid: `more-${sportId}` },
      'Show more',
    )
    const section = h(
      'section',
      { class: 'sport', testid: `sport-${sportId}`, 'data-sport': sportId },
      heading,
      h(
        'table',
        { class: 'board-table', testid: `board-table-${sportId}` },
        caption,
        h('thead', {}, head),
        body,
      ),
      more,
    )
    const created: SportTable = {
      section,
      heading,
      caption,
      head,
      body,
      more,
      shown: ROWS_PER_SPORT,
      outcomeIds: [],
      marketId: undefined,
      order: '',
    }
    more.addEventListener('click', () => {
      created.shown += ROWS_PER_SPORT
      dirty = true
      render()
    })
    tables.set(sportId, created)
    return created
  }

  /** The sport's main market, from the catalogue (or the fixture's own markets). */
  const mainMarketOf = (sportId: number, fixture: Fixture | undefined) => {
    const catalogue = state.catalogue
    const fromCatalogue = catalogue.mainMarket(catalogue.rows(sportId).map((r) => r.marketId))
    return fromCatalogue ?? catalogue.mainMarket(marketIdsOf(fixture))
  }

  const setHead = (table: SportTable, sportId: number) => {
    const marketId = table.marketId
    const catalogue = state.catalogue
    const shape = `${marketId}:${table.outcomeIds}:${sortKey}:${catalogue.size}`
    if (table.head.dataset.shape === shape) return
    table.head.dataset.shape = shape
    const cols = [
      h('th', { scope: 'col', class: 'col-time' }, sortHeader('start', 'Time')),
      h('th', { scope: 'col', class: 'col-fixture' }, sortHeader('name', 'Fixture')),
      ...table.outcomeIds.map((o) =>
        h(
          'th',
          {
            scope: 'col',
            class: 'col-price',
            title: marketId ? catalogue.marketName(marketId) : '',
          },
          marketId ? catalogue.outcomeName(marketId, o) : `#${o}`,
        ),
      ),
      h('th', { scope: 'col', class: 'col-books num' }, 'Books'),
      h('th', { scope: 'col', class: 'col-updated' }, 'Updated'),
    ]
    for (const th of cols) {
      const key = th.querySelector('button')?.dataset.sort
      if (key) th.setAttribute('aria-sort', key === sortKey ? 'ascending' : 'none')
    }
    table.head.replaceChildren(...cols)
    setText(
      table.caption,
      `${sportName(sportId)}: ${marketId ? catalogue.marketName(marketId) : 'main market'}, best price per outcome`,
    )
    table.head.dataset.market = marketId ?? ''
  }

  function render(): void {
    dirty = false
    const now = Date.now()
    for (const slug of [...booksSeen].sort()) {
      if (!bookmaker.querySelector(`option[value="${CSS.escape(slug)}"]`)) {
        bookmaker.append(h('option', { value: slug }, slug))
      }
    }
    const wantSport = sport.value
    const wantStatus = STATUS_FILTERS.find((f) => f.value === status.value) ?? STATUS_FILTERS[0]
    const filterBook = bookmaker.value || undefined
    const query = search.value.trim().toLowerCase()
    const bySport = new Map<string, Fixture[]>()
    let total = 0
    for (const fixture of fixtures.values()) {
      const sportKey = String(fixture.sportId ?? '')
      if (sportKey && !sportsSeen.has(sportKey)) {
        sportsSeen.add(sportKey)
        sport.append(h('option', { value: sportKey }, SPORT_NAMES[sportKey] ?? `Sport ${sportKey}`))
      }
      if (wantSport && sportKey !== wantSport) continue
      if (!wantStatus?.test(fixture.statusId ?? 0)) continue
      if (filterBook && fixture.bookmakerOdds && !fixture.bookmakerOdds[filterBook]) continue
      if (
        query &&
        !fixture.fixtureId.toLowerCase().includes(query) &&
        !participants(fixture).toLowerCase().includes(query)
      ) {
        continue
      }
      let list = bySport.get(sportKey)
      if (!list) {
        list = []
        bySport.set(sportKey, list)
      }
      list.push(fixture)
      total++
    }
    const compare = (a: Fixture, b: Fixture): number => {
      if (sortKey === 'name') return participants(a).localeCompare(participants(b))
      if (sortKey === 'updated')
        return (lastSeen.get(b.fixtureId) ?? 0) - (lastSeen.get(a.fixtureId) ?? 0)
      const live = (f: Fixture) => (f.statusId === 1 ? 0 : f.statusId === 0 ? 1 : 2)
      return (
        live(a) - live(b) ||
        startMs(a) - startMs(b) ||
        (a.fixtureId < b.fixtureId ? -1 : a.fixtureId > b.fixtureId ? 1 : 0)
      )
    }
    setText(summary, `${total} fixture${total === 1 ? '' : 's'}`)
    empty.hidden = total > 0
    const wanted = new Set<string>()
    const sections: HTMLElement[] = []
    for (const sportKey of [...bySport.keys()].sort((a, b) => Number(a) - Number(b))) {
      const list = (bySport.get(sportKey) as Fixture[]).sort(compare)
      const table = tableFor(sportKey)
      const sportId = Number(sportKey)
      const marketId = mainMarketOf(sportId, list[0])
      const row = marketId ? state.catalogue.market(marketId) : undefined
      const outcomeIds = row
        ? row.outcomes.map((o) => String(o.outcomeId))
        : ['', '', ''].slice(0, 2)
      if (marketId !== table.marketId || outcomeIds.join() !== table.outcomeIds.join()) {
        table.marketId = marketId
        table.outcomeIds = outcomeIds
        table.order = ''
        for (const r of list) rows.get(r.fixtureId)?.dispose()
        for (const r of list) rows.delete(r.fixtureId)
      }
      setHead(table, sportId)
      setText(table.heading, `${sportName(sportId)} · ${list.length}`)
      const shown = list.slice(0, table.shown)
      table.more.hidden = list.length <= table.shown
      const nodes: HTMLTableRowElement[] = []
      let group = ''
      let created = false
      for (const fixture of shown) {
        if (sortKey === 'start') {
          const label =
            fixture.statusId === 1
              ? 'Live now'
              : fixture.statusId === 0
                ? `${dayLabel(startMs(fixture), now)} ${clockTime(startMs(fixture)).slice(0, 2)}:00`
                : 'Finished'
          if (label !== group) {
            group = label
            nodes.push(
              h(
                'tr',
                { class: 'group' },
                h(
                  'th',
                  { scope: 'colgroup', colspan: outcomeIds.length + (narrow.matches ? 2 : 4) },
                  label,
                ),
              ),
            )
          }
        }
        let r = rows.get(fixture.fixtureId)
        if (!r || r.marketId !== marketId || r.filter !== filterBook) {
          r?.dispose()
          r = new BoardRow(fixture.fixtureId)
          r.bind(state, best, marketId, outcomeIds, filterBook)
          rows.set(fixture.fixtureId, r)
          created = true
        }
        wanted.add(fixture.fixtureId)
        r.show(state, fixture, now)
        nodes.push(r.el)
      }
      const order = nodes.map((n) => n.dataset.fixtureId ?? n.textContent).join('|')
      if (created || order !== table.order) {
        table.order = order
        const focused = document.activeElement
        table.body.replaceChildren(...nodes)
        if (focused instanceof HTMLElement && table.body.contains(focused)) focused.focus()
      }
      sections.push(table.section)
    }
    for (const [id, r] of rows) {
      if (!wanted.has(id)) {
        r.dispose()
        rows.delete(id)
      }
    }
    if (
      sections.map((s) => s.dataset.sport).join() !==
      [...sportsRoot.children].map((c) => (c as HTMLElement).dataset.sport).join()
    ) {
      sportsRoot.replaceChildren(...sections)
    }
  }

  const timer = setInterval(() => {
    if (dirty) render()
    else {
      const now = Date.now()
      for (const r of rows.values()) r.tick(now)
    }
  }, BOARD_REFRESH_MS)
  bag.add(() => clearInterval(timer))
  bag.add(() => {
    for (const r of rows.values()) r.dispose()
    rows.clear()
  })
  render()
  return Object.assign(bag, {
    focusRow(fixtureId: string) {
      ;(
        sportsRoot.querySelector(
          `tr[data-fixture-id="${CSS.escape(fixtureId)}"]`,
        ) as HTMLElement | null
      )?.focus()
    },
  })
}
