/**
 * One fixture: a back button, its heading, its markets named by the catalogue (a players tab for
 * player props), the chosen market's grid across bookmakers (the main market first), and a chart
 * of one outcome's price over time.
 * @module
 */
import type { Fixture } from '@oddsfeed/core'
import { mountPriceChart } from './chart.js'
import { Disposables, h, setText } from './dom.js'
import { clockTime, dayLabel, marketIdsOf, participants, scoreOf, startMs } from './fixtures.js'
import { type Line, mountMarketGrid } from './market-grid.js'
import { sportName, statusName } from './markets.js'
import type { AppState } from './state.js'

/** How often the fixture's heading and market list are refreshed at most. */
export const VIEW_REFRESH_MS = 250

/** The markets a fixture has at any bookmaker, split into plain ones and player props. */
export interface FixtureMarkets {
  readonly plain: readonly string[]
  /** Prop market id → its players (id and name), ordered by name. */
  readonly props: ReadonlyMap<string, readonly Line[]>
}

/** Finds a fixture's markets. A market is a player prop when any outcome has a player ≠ `0`. */
export function fixtureMarkets(fixture: Fixture | undefined): FixtureMarkets {
  const plain = new Set<string>()
  const props = new Map<string, Map<string, string | undefined>>()
  for (const book of Object.values(fixture?.bookmakerOdds ?? {})) {
    for (const [marketId, market] of Object.entries(book.markets ?? {})) {
      let players: Map<string, string | undefined> | undefined
      for (const outcome of Object.values(market.outcomes ?? {})) {
        for (const [playerId, entry] of Object.entries(outcome.players ?? {})) {
          if (playerId === '0') continue
          players ??= props.get(marketId) ?? new Map()
          if (!players.get(playerId)) players.set(playerId, entry.playerName ?? undefined)
        }
      }
      if (players) props.set(marketId, players)
      else plain.add(marketId)
    }
  }
  for (const id of props.keys()) plain.delete(id)
  const byId = (a: string, b: string) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0)
  return {
    plain: [...plain].sort(byId),
    props: new Map(
      [...props.entries()]
        .sort(([a], [b]) => byId(a, b))
        .map(([id, players]) => [
          id,
          [...players.entries()]
            .map(
              ([playerId, playerName]): Line =>
                playerName ? { playerId, playerName } : { playerId },
            )
            .sort((a, b) => (a.playerName ?? a.playerId).localeCompare(b.playerName ?? b.playerId)),
        ]),
    ),
  }
}

/** Mounts the view of one fixture into `root`; `onBack` returns to the board. */
export function mountFixtureView(
  root: HTMLElement,
  state: AppState,
  fixtureId: string,
  onBack: () => void,
): Disposables {
  const feed = state.feed
  const bag = new Disposables()
  const back = h('button', { type: 'button', class: 'back', testid: 'back' }, '‹ Board')
  const title = h('h2', { testid: 'fixture-title', tabindex: -1 })
  const meta = h('div', { class: 'meta', testid: 'fixture-meta' })
  const sync = h('span', { class: 'sync', testid: 'fixture-sync', 'data-state': 'unhydrated' })
  const tabMarkets = h('button', { type: 'button', class: 'tab', testid: 'tab-markets' }, 'Markets')
  const tabPlayers = h('button', { type: 'button', class: 'tab', testid: 'tab-players' }, 'Players')
  const list = h('nav', { class: 'markets', testid: 'market-list', 'aria-label': 'Markets' })
  const gridRoot = h('section', { class: 'grid-root', testid: 'grid-root' })
  const gridTitle = h('h3', { testid: 'grid-title' })
  const chartRoot = h('section', { class: 'chart-root', testid: 'chart-root' })
  back.addEventListener('click', onBack)
  root.replaceChildren(
    h('div', { class: 'view-head' }, back, title),
    h('div', { class: 'meta-row' }, meta, sync),
    h('div', { class: 'tabs', role: 'group', 'aria-label': 'Market kind' }, tabMarkets, tabPlayers),
    h(
      'div',
      { class: 'fixture-body' },
      list,
      h('div', { class: 'market-pane' }, gridTitle, gridRoot, chartRoot),
    ),
  )
  title.focus()

  let tab: 'markets' | 'players' = 'markets'
  let chosen: string | undefined
  let markets: FixtureMarkets = { plain: [], props: new Map() }
  let listShape = ''
  let gridShape = ''
  let chartShape = ''
  let grid: Disposables | undefined
  let chart: Disposables | undefined
  let fixture: Fixture | undefined
  let dirty = true
  bag.add(
    feed.select({ fixtureId }).subscribe((next) => {
      fixture = next
      dirty = true
    }),
  )
  bag.add(
    feed.sync$(fixtureId).subscribe((s) => {
      sync.dataset.state = s.state
      setText(sync, `state: ${s.state}`)
      sync.title = s.error ? s.error.message : ''
    }),
  )
  bag.add(
    state.onChange(() => {
      listShape = ''
      gridShape = ''
      chartShape = ''
      refresh()
    }),
  )

  const choose = (marketId: string) => {
    chosen = marketId
    listShape = ''
    refresh()
  }
  const setTab = (next: 'markets' | 'players') => {
    tab = next
    chosen = undefined
    refresh()
  }
  tabMarkets.addEventListener('click', () => setTab('markets'))
  tabPlayers.addEventListener('click', () => setTab('players'))

  function refresh(): void {
    dirty = false
    const f = fixture
    const catalogue = state.catalogue
    setText(title, f ? participants(f) : fixtureId)
    const start = f ? startMs(f) : 0
    setText(
      meta,
      f
        ? [
            state.tournamentName(f.tournamentId) ?? sportName(f.sportId),
            statusName(f.statusId),
            f.statusId === 1 || f.statusId === 2 ? scoreOf(f) : '',
            start && f.statusId === 0 ? `${dayLabel(start)} ${clockTime(start)}` : '',
          ]
            .filter(Boolean)
            .join(' · ')
        : 'waiting for its first frame',
    )
    markets = fixtureMarkets(f)
    tabMarkets.setAttribute('aria-pressed', String(tab === 'markets'))
    tabPlayers.setAttribute('aria-pressed', String(tab === 'players'))
    setText(tabPlayers, `Players (${markets.props.size})`)
    tabPlayers.disabled = markets.props.size === 0 && tab !== 'players'
    const ids = tab === 'markets' ? [...markets.plain] : [...markets.props.keys()]
    if (chosen === undefined || !ids.includes(chosen)) {
      chosen = catalogue.mainMarket(ids) ?? catalogue.mainMarket(marketIdsOf(f))
      if (chosen !== undefined && !ids.includes(chosen)) chosen = ids[0]
    }
    // main market first, then the others in catalogue order (by id)
    const main = catalogue.mainMarket(ids)
    const ordered = main ? [main, ...ids.filter((id) => id !== main)] : ids

    const nextList = `${tab}:${chosen}:${ordered.join(',')}`
    if (nextList !== listShape) {
      listShape = nextList
      list.replaceChildren(
        ...ordered.map((id) => {
          const button = h(
            'button',
            {
              type: 'button',
              class: 'market',
              testid: `market-${id}`,
              'aria-pressed': String(id === chosen),
              title: `market ${id}`,
            },
            catalogue.marketName(id),
          )
          button.addEventListener('click', () => choose(id))
          return button
        }),
      )
      if (ordered.length === 0) list.append(h('p', { class: 'empty' }, 'No markets yet'))
    }

    const lines: readonly Line[] =
      chosen === undefined
        ? []
        : tab === 'players'
          ? (markets.props.get(chosen) ?? [])
          : [{ playerId: '0' }]
    const nextGrid = `${tab}:${chosen}:${lines.map((l) => `${l.playerId}=${l.playerName ?? ''}`).join(',')}`
    if (nextGrid !== gridShape) {
      gridShape = nextGrid
      grid?.dispose()
      grid = undefined
      if (chosen === undefined) {
        setText(gridTitle, '')
        gridRoot.replaceChildren()
      } else {
        setText(gridTitle, catalogue.marketName(chosen))
        grid = mountMarketGrid(gridRoot, state, fixtureId, chosen, lines)
      }
    }

    // the chart: one outcome of a plain market across its bookmakers
    const outcomeIds = new Set<string>()
    const books = new Set<string>()
    if (chosen !== undefined && tab === 'markets') {
      for (const [slug, book] of Object.entries(f?.bookmakerOdds ?? {})) {
        const market = book.markets?.[chosen]
        if (!market) continue
        books.add(slug)
        for (const o of Object.keys(market.outcomes ?? {})) outcomeIds.add(o)
      }
    }
    const nextChart = `${chosen}:${[...outcomeIds].sort()}:${[...books].sort()}`
    if (nextChart !== chartShape) {
      chartShape = nextChart
      chart?.dispose()
      chart = undefined
      if (chosen !== undefined && outcomeIds.size > 0) {
        chart = mountPriceChart(
          chartRoot,
          state,
          fixtureId,
          chosen,
          [...outcomeIds].sort((a, b) => Number(a) - Number(b)),
          [...books].sort(),
        )
      } else {
        chartRoot.replaceChildren()
      }
    }
  }

  const timer = setInterval(() => {
    if (dirty) refresh()
  }, VIEW_REFRESH_MS)
  bag.add(() => clearInterval(timer))
  bag.add(() => grid?.dispose())
  bag.add(() => chart?.dispose())
  refresh()
  return bag
}
