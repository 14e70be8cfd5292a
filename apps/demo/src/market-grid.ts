/**
 * A market compared across bookmakers. A plain market is bookmakers × outcomes (one row per
 * bookmaker, so it fits a phone), with each book's margin and the best price per outcome; a
 * player prop is players' outcomes × bookmakers. Each price cell follows its own `select` path;
 * `feed.market$` (one per line) only moves the best-price highlight, greys suspended prices, and
 * fills the margins and the sure-bet flag. The table is rebuilt only when the set of outcomes or
 * bookmakers changes.
 * @module
 */
import { formatOdds, type MarketView } from '@oddsfeed/core'
import { Disposables, h, safeHref, setText } from './dom.js'
import { createPriceCell, type PriceCell } from './price-cell.js'
import type { AppState } from './state.js'

/** One line of a market: player `0` (no player), or one player of a prop. */
export interface Line {
  readonly playerId: string
  readonly playerName?: string
}

/** Mounts the grid for one market into `root`. */
export function mountMarketGrid(
  root: HTMLElement,
  state: AppState,
  fixtureId: string,
  marketId: string,
  lines: readonly Line[],
): Disposables {
  const feed = state.feed
  const bag = new Disposables()
  const props = lines.some((l) => l.playerId !== '0')
  // Two players of one name (it happens) are told apart by their id.
  const named = new Map<string, number>()
  for (const l of lines)
    if (l.playerName) named.set(l.playerName, (named.get(l.playerName) ?? 0) + 1)
  const playerLabel = (l: Line) =>
    !l.playerName
      ? `Player ${l.playerId}`
      : (named.get(l.playerName) ?? 0) > 1
        ? `${l.playerName} (${l.playerId})`
        : l.playerName
  const views = new Map<string, MarketView>()
  let cells = new Map<string, PriceCell>()
  let cellBag = new Disposables()
  let shape = ''
  const margins = new Map<string, HTMLTableCellElement>()
  const bests = new Map<string, HTMLTableCellElement>()
  const summary = h('div', { class: 'summary', testid: 'market-summary' })
  const sure = h('span', { class: 'sure-bet', testid: 'sure-bet', hidden: true }, 'Sure bet')
  const book = h('span', { testid: 'best-book' })
  summary.append(book, sure)
  const table = h('table', {
    class: props ? 'grid props' : 'grid',
    testid: 'market-grid',
    'data-market': marketId,
  })
  root.replaceChildren(summary, h('div', { class: 'grid-scroll' }, table))

  const bookHeader = (slug: string, scope: 'col' | 'row') => {
    const href = safeHref(feed.get({ fixtureId, bookmaker: slug })?.fixturePath)
    return h(
      'th',
      { scope, testid: `bookmaker-${slug}` },
      href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, slug) : slug,
    )
  }

  const cellFor = (slug: string, outcomeId: string, playerId: string) => {
    const cell = createPriceCell(state, {
      fixtureId,
      bookmaker: slug,
      marketId,
      outcomeId,
      playerId,
    })
    cells.set(key(slug, outcomeId, playerId), cell)
    cellBag.add(cell.dispose)
    return cell.el
  }

  const rebuild = () => {
    cellBag.dispose()
    cellBag = new Disposables()
    cells = new Map()
    margins.clear()
    bests.clear()
    const bookmakers = [
      ...new Set([...views.values()].flatMap((v) => v.bookmakers.map((b) => b.bookmaker))),
    ].sort()
    const catalogue = state.catalogue
    if (!props) {
      const outcomes = views.get('0')?.outcomes.map((o) => o.outcomeId) ?? []
      const head = h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Bookmaker'),
        ...outcomes.map((o) =>
          h(
            'th',
            { scope: 'col', testid: `outcome-head-${o}` },
            catalogue.outcomeName(marketId, o),
          ),
        ),
        h('th', { scope: 'col', class: 'num' }, 'Margin'),
      )
      const body = h('tbody')
      for (const slug of bookmakers) {
        const margin = h('td', { class: 'margin num', testid: `margin-${slug}` })
        margins.set(slug, margin)
        body.append(
          h(
            'tr',
            { testid: `book-row-${slug}` },
            bookHeader(slug, 'row'),
            ...outcomes.map((o) => cellFor(slug, o, '0')),
            margin,
          ),
        )
      }
      const bestRow = h('tr', {}, h('th', { scope: 'row' }, 'Best'))
      for (const o of outcomes) {
        const td = h('td', { class: 'best-price', testid: `best-price-${o}` })
        bests.set(o, td)
        bestRow.append(td)
      }
      bestRow.append(h('td'))
      table.replaceChildren(h('thead', {}, head), body, h('tfoot', {}, bestRow))
      return
    }
    const head = h('tr', {}, h('th', { scope: 'col' }, 'Player · outcome'))
    for (const slug of bookmakers) head.append(bookHeader(slug, 'col'))
    const body = h('tbody')
    for (const line of lines) {
      const view = views.get(line.playerId)
      for (const outcome of view?.outcomes ?? []) {
        const label = `${playerLabel(line)} · ${catalogue.outcomeName(marketId, outcome.outcomeId)}`
        body.append(
          h(
            'tr',
            { testid: `outcome-${outcome.outcomeId}-${line.playerId}` },
            h('th', { scope: 'row' }, label),
            ...bookmakers.map((slug) => cellFor(slug, outcome.outcomeId, line.playerId)),
          ),
        )
      }
    }
    table.replaceChildren(h('thead', {}, head), body)
  }

  const decorate = () => {
    let bestBook: number | undefined
    let sureBet = false
    for (const view of views.values()) {
      for (const outcome of view.outcomes) {
        const best = outcome.best?.bookmakers
        for (const p of outcome.prices) {
          const cell = cells.get(key(p.bookmaker, outcome.outcomeId, view.playerId))
          if (!cell) continue
          cell.setBest(best?.includes(p.bookmaker) === true)
          cell.setLive(p.live)
        }
        const td = bests.get(outcome.outcomeId)
        if (td) {
          setText(
            td,
            outcome.best
              ? `${formatOdds(outcome.best.price, state.format)} ${outcome.best.bookmakers.join(', ')}`
              : '–',
          )
        }
      }
      if (!props) {
        for (const b of view.bookmakers) {
          const td = margins.get(b.bookmaker)
          if (td) setText(td, b.margin === undefined ? '–' : `${(b.margin * 100).toFixed(1)}%`)
        }
        bestBook = view.bestBook
      }
      sureBet ||= view.sureBet
    }
    setText(
      book,
      bestBook === undefined ? '' : `Best prices together: ${(bestBook * 100).toFixed(1)}% book`,
    )
    sure.hidden = !sureBet
    table.dataset.sureBet = String(sureBet)
  }

  for (const line of lines) {
    bag.add(
      feed.market$({ fixtureId, marketId, playerId: line.playerId }).subscribe((view) => {
        views.set(line.playerId, view)
        const next = [...views.values()]
          .map(
            (v) =>
              `${v.playerId}:${v.outcomes.map((o) => o.outcomeId)}/${v.bookmakers.map((b) => b.bookmaker)}`,
          )
          .join('|')
        if (next !== shape) {
          shape = next
          rebuild()
        }
        decorate()
      }),
    )
  }
  bag.add(
    state.onChange(() => {
      for (const cell of cells.values()) cell.repaint()
      decorate()
    }),
  )
  bag.add(() => cellBag.dispose())
  return bag
}

function key(bookmaker: string, outcomeId: string, playerId: string): string {
  return `${bookmaker}\u0000${outcomeId}\u0000${playerId}`
}
