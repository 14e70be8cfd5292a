/**
 * One price cell of the fixture view: it follows its own `feed.select(...)` path, so a price
 * change re-renders this cell and nothing else. It shows the price in the chosen odds format, its
 * direction since the view opened, a sparkline of its last changes (the core's `createHistory`),
 * and flashes green (up) or red (down) on a change. Nothing here is a live region: price ticks
 * are not announced.
 * @module
 */
import { formatOdds, type PlayerPath } from '@oddsfeed/core'
import { h, setText } from './dom.js'
import { createSparkline } from './sparkline.js'
import type { AppState } from './state.js'

const FLASH_MS = 700
const FLASH = {
  up: [{ backgroundColor: 'rgba(34, 197, 94, 0.55)' }, { backgroundColor: 'rgba(34, 197, 94, 0)' }],
  down: [
    { backgroundColor: 'rgba(239, 68, 68, 0.55)' },
    { backgroundColor: 'rgba(239, 68, 68, 0)' },
  ],
}

/** A mounted price cell. */
export interface PriceCell {
  readonly el: HTMLTableCellElement
  /** Marks the cell as (one of) the best live price(s) of its outcome. */
  setBest(best: boolean): void
  /** Greys the cell out when the price is not live (entry, market or bookmaker suspended). */
  setLive(live: boolean): void
  /** Writes the price again (the odds format changed). */
  repaint(): void
  dispose(): void
}

/** Test id of the cell for a price entry. */
export function priceTestId(bookmaker: string, outcomeId: string, playerId: string): string {
  return `price-${bookmaker}-${outcomeId}-${playerId}`
}

/** Creates the cell and subscribes it to its path. */
export function createPriceCell(
  state: AppState,
  path: PlayerPath,
  options: { spark?: boolean } = {},
): PriceCell {
  const bookmaker = path.bookmaker
  const outcomeId = String(path.outcomeId)
  const playerId = String(path.playerId)
  const price = h('span', { class: 'price' }, '–')
  const dir = h('span', { class: 'dir', 'aria-hidden': 'true' })
  const limit = h('span', { class: 'limit' })
  const spark = options.spark === false ? undefined : createSparkline(40, 12)
  const el = h(
    'td',
    {
      class: 'cell empty',
      testid: priceTestId(bookmaker, outcomeId, playerId),
      'data-bookmaker': bookmaker,
      'data-outcome': outcomeId,
    },
    h('span', { class: 'line' }, price, dir),
    h('span', { class: 'line' }, limit, ...(spark ? [spark.el] : [])),
  )
  let last: number | undefined
  let entryLive = true
  let marketLive = true
  const paint = () => setText(price, last === undefined ? '–' : formatOdds(last, state.format))
  const subscription = state.feed.select(path).subscribe((entry) => {
    if (!entry) {
      last = undefined
      paint()
      setText(limit, '')
      el.classList.add('empty')
      return
    }
    el.classList.remove('empty')
    el.dataset.price = String(entry.price)
    setText(limit, typeof entry.limit === 'number' ? `max ${formatLimit(entry.limit)}` : '')
    if (last !== undefined && entry.price !== last && typeof el.animate === 'function') {
      el.animate(entry.price > last ? FLASH.up : FLASH.down, {
        duration: FLASH_MS,
        easing: 'ease-out',
      })
      el.dataset.moved = entry.price > last ? 'up' : 'down'
    }
    last = entry.price
    paint()
    entryLive = entry.active !== false
    el.classList.toggle('suspended', !(entryLive && marketLive))
  })
  subscription.add(
    state.history.history$(path).subscribe((history) => {
      spark?.update(history.points)
      const d = history.direction
      setText(dir, d > 0 ? '▲' : d < 0 ? '▼' : '')
      dir.dataset.dir = d > 0 ? 'up' : d < 0 ? 'down' : ''
    }),
  )
  return {
    el,
    setBest(best) {
      if (el.classList.contains('best') !== best) el.classList.toggle('best', best)
    },
    setLive(live) {
      marketLive = live
      const suspended = !(entryLive && marketLive)
      if (el.classList.contains('suspended') !== suspended)
        el.classList.toggle('suspended', suspended)
    },
    repaint: paint,
    dispose: () => subscription.unsubscribe(),
  }
}

function formatLimit(limit: number): string {
  return limit >= 10_000 ? `${Math.round(limit / 1000)}k` : String(Math.round(limit))
}
