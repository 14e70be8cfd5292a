/**
 * A market compared across bookmakers: outcomes (per player, for props) × bookmakers. Each price
 * cell follows its own `select` path; `feed.market$` (one per line) only moves the best-price
 * highlight, greys suspended prices, and fills the margins and the sure-bet flag. The table is
 * rebuilt only when the set of outcomes or bookmakers changes.
 * @module
 */
import type { MarketView, OddsFeed } from '@oddsfeed/core'
import { Disposables, h, safeHref, setText } from './dom.js'
import { outcomeName } from './markets.js'
import { createPriceCell, type PriceCell } from './price-cell.js'

/** One line of a market: player `0` (no player), or one player of a prop. */
export interface Line {
  readonly playerId: string
  readonly playerName?: string
}

/** Mounts the grid for one market into `root`. */
export function mountMarketGrid(
  root: HTMLElement,
  feed: OddsFeed,
  fixtureId: string,
  marketId: string,
  lines: readonly Line[],
): Disposables {
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
  const summary = h('div', { class: 'summary', testid: 'market-summary' })
  const sure = h('span', { class: 'sure-bet', testid: 'sure-bet', hidden: true }, 'SURE BET')
  const book = h('span', { testid: 'best-book' })
  summary.append(book, sure)
  const table = h('table', { class: 'grid', testid: 'market-grid', 'data-market': marketId })
  root.replaceChildren(summary, table)

  const rebuild = () => {
    cellBag.dispose()
    cellBag = new Disposables()
    cells = new Map()
    margins.clear()
    const bookmakers = [
      ...new Set([...views.values()].flatMap((v) => v.bookmakers.map((b) => b.bookmaker))),
    ].sort()
    const head = h('tr', {}, h('th', {}, props ? 'Player / outcome' : 'Outcome'))
    for (const slug of bookmakers) {
      const href = safeHref(feed.get({ fixtureId, bookmaker: slug })?.fixturePath)
      head.append(
        h(
          'th',
          { testid: `bookmaker-${slug}` },
          href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, slug) : slug,
        ),
      )
    }
    const body = h('tbody')
    for (const line of lines) {
      const view = views.get(line.playerId)
      for (const outcome of view?.outcomes ?? []) {
        const label = props
          ? `${playerLabel(line)} · ${outcomeName(marketId, outcome.outcomeId)}`
          : outcomeName(marketId, outcome.outcomeId)
        const row = h(
          'tr',
          { testid: `outcome-${outcome.outcomeId}-${line.playerId}` },
          h('th', {}, label),
        )
        for (const slug of bookmakers) {
          const cell = createPriceCell(feed, {
            fixtureId,
            bookmaker: slug,
            marketId,
            outcomeId: outcome.outcomeId,
            playerId: line.playerId,
          })
          cells.set(key(slug, outcome.outcomeId, line.playerId), cell)
          cellBag.add(cell.dispose)
          row.append(cell.el)
        }
        body.append(row)
      }
    }
    const foot = h('tfoot')
    if (!props) {
      const marginRow = h('tr', {}, h('th', {}, 'Margin'))
      for (const slug of bookmakers) {
        const td = h('td', { class: 'margin', testid: `margin-${slug}` })
        margins.set(slug, td)
        marginRow.append(td)
      }
      foot.append(marginRow)
    }
    table.replaceChildren(h('thead', {}, head), body, foot)
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
      bestBook === undefined
        ? ''
        : `Best prices across books: ${(bestBook * 100).toFixed(1)}% book`,
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
  bag.add(() => cellBag.dispose())
  return bag
}

function key(bookmaker: string, outcomeId: string, playerId: string): string {
  return `${bookmaker}\u0000${outcomeId}\u0000${playerId}`
}
