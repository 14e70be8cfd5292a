/**
 * One fixture: its heading, its markets grouped and named (a players tab for player props), and
 * the chosen market's grid across bookmakers.
 * @module
 */
import type { Fixture, OddsFeed } from '@oddsfeed/core'
import { Disposables, h, setText } from './dom.js'
import { participants, scoreOf } from './fixture-list.js'
import { type Line, mountMarketGrid } from './market-grid.js'
import { MARKET_NAMES, marketGroup, marketName, sportName, statusName } from './markets.js'

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

/** Mounts the view of one fixture into `root`. */
export function mountFixtureView(
  root: HTMLElement,
  feed: OddsFeed,
  fixtureId: string,
): Disposables {
  const bag = new Disposables()
  const title = h('h2', { testid: 'fixture-title' })
  const meta = h('div', { class: 'meta', testid: 'fixture-meta' })
  const sync = h('span', { class: 'sync', testid: 'fixture-sync', 'data-state': 'unhydrated' })
  const tabMarkets = h('button', { type: 'button', class: 'tab', testid: 'tab-markets' }, 'Markets')
  const tabPlayers = h('button', { type: 'button', class: 'tab', testid: 'tab-players' }, 'Players')
  const list = h('nav', { class: 'markets', testid: 'market-list' })
  const gridRoot = h('section', { class: 'grid-root', testid: 'grid-root' })
  const gridTitle = h('h3', { testid: 'grid-title' })
  root.replaceChildren(
    title,
    h('div', { class: 'meta-row' }, meta, sync),
    h('div', { class: 'tabs' }, tabMarkets, tabPlayers),
    h('div', { class: 'fixture-body' }, list, h('div', {}, gridTitle, gridRoot)),
  )

  let tab: 'markets' | 'players' = 'markets'
  let chosen: string | undefined
  let markets: FixtureMarkets = { plain: [], props: new Map() }
  let listShape = ''
  let gridShape = ''
  let grid: Disposables | undefined
  let fixture: Fixture | undefined
  let dirty = true
  bag.add(
    feed.select({ fixtureId }).subscribe((next) => {
      fixture = next
      dirty = true
    }),
  )

  // How far this fixture's state can be trusted (REST snapshot merged, socket open since, …).
  bag.add(
    feed.sync$(fixtureId).subscribe((state) => {
      sync.dataset.state = state.state
      setText(sync, `state: ${state.state}`)
      sync.title = state.error ? state.error.message : ''
    }),
  )

  const choose = (marketId: string) => {
    chosen = marketId
    listShape = ''
    refresh()
  }
  tabMarkets.addEventListener('click', () => {
    tab = 'markets'
    chosen = undefined
    refresh()
  })
  tabPlayers.addEventListener('click', () => {
    tab = 'players'
    chosen = undefined
    refresh()
  })

  function refresh(): void {
    dirty = false
    const f = fixture
    setText(title, f ? participants(f) : fixtureId)
    setText(
      meta,
      f
        ? [sportName(f.sportId), statusName(f.statusId), scoreOf(f), fixtureId]
            .filter(Boolean)
            .join(' · ')
        : `${fixtureId} · waiting for its first frame`,
    )
    markets = fixtureMarkets(f)
    tabMarkets.classList.toggle('active', tab === 'markets')
    tabPlayers.classList.toggle('active', tab === 'players')
    setText(tabPlayers, `Players (${markets.props.size})`)
    const ids = tab === 'markets' ? markets.plain : [...markets.props.keys()]
    if (chosen === undefined || !ids.includes(chosen)) {
      chosen = ids.includes('101') ? '101' : ids[0]
    }

    const nextList = `${tab}:${chosen}:${ids.join(',')}`
    if (nextList !== listShape) {
      listShape = nextList
      const groups = new Map<string, string[]>()
      for (const id of ids) {
        const group = tab === 'players' ? 'Player props' : marketGroup(id)
        groups.set(group, [...(groups.get(group) ?? []), id])
      }
      const order = ['Main', 'Totals', 'Other', 'Player props']
      list.replaceChildren(
        ...[...groups.entries()]
          .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
          .map(([group, idsOfGroup]) =>
            h(
              'div',
              { class: 'group' },
              h('h4', {}, group),
              ...idsOfGroup.map((id) => {
                const button = h(
                  'button',
                  {
                    type: 'button',
                    class: id === chosen ? 'market active' : 'market',
                    testid: `market-${id}`,
                    title: MARKET_NAMES[id] ? `market ${id}` : undefined,
                  },
                  marketName(id),
                )
                button.addEventListener('click', () => choose(id))
                return button
              }),
            ),
          ),
      )
      if (ids.length === 0) list.append(h('p', { class: 'empty' }, 'No markets yet'))
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
        setText(gridTitle, `${marketName(chosen)}${MARKET_NAMES[chosen] ? ` (${chosen})` : ''}`)
        grid = mountMarketGrid(gridRoot, feed, fixtureId, chosen, lines)
      }
    }
  }

  const timer = setInterval(() => {
    if (dirty) refresh()
  }, VIEW_REFRESH_MS)
  bag.add(() => clearInterval(timer))
  bag.add(() => grid?.dispose())
  refresh()
  return bag
}
