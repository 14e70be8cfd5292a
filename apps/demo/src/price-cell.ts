/**
 * One price cell: it subscribes to its own `feed.select(...)` path, so a price change re-renders
 * this cell and nothing else. A change flashes the cell green (up) or red (down).
 * @module
 */
import type { OddsFeed, PlayerPath } from '@oddsfeed/core'
import { formatPrice, h, setText } from './dom.js'

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
  dispose(): void
}

/** Test id of the cell for a price entry. */
export function priceTestId(bookmaker: string, outcomeId: string, playerId: string): string {
  return `price-${bookmaker}-${outcomeId}-${playerId}`
}

/** Creates the cell and subscribes it to its path. */
export function createPriceCell(feed: OddsFeed, path: PlayerPath): PriceCell {
  const bookmaker = path.bookmaker
  const outcomeId = String(path.outcomeId)
  const playerId = String(path.playerId)
  const price = h('span', { class: 'price' }, '–')
  const limit = h('span', { class: 'limit' })
  const el = h(
    'td',
    {
      class: 'cell empty',
      testid: priceTestId(bookmaker, outcomeId, playerId),
      'data-bookmaker': bookmaker,
      'data-outcome': outcomeId,
    },
    price,
    limit,
  )
  let last: number | undefined
  let entryLive = true
  let marketLive = true
  const subscription = feed.select(path).subscribe((entry) => {
    if (!entry) {
      setText(price, '–')
      setText(limit, '')
      el.classList.add('empty')
      last = undefined
      return
    }
    el.classList.remove('empty')
    setText(price, formatPrice(entry.price))
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
    entryLive = entry.active !== false
    el.classList.toggle('suspended', !(entryLive && marketLive))
  })
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
    dispose: () => subscription.unsubscribe(),
  }
}

function formatLimit(limit: number): string {
  return limit >= 10_000 ? `${Math.round(limit / 1000)}k` : String(Math.round(limit))
}
