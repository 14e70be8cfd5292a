/**
 * One outcome's price over time across bookmakers: an SVG line per bookmaker, from the core's
 * price histories (the last changes of each entry since the view opened). Redrawn at most four
 * times a second.
 * @module
 */
import { formatOdds, type PriceHistory } from '@oddsfeed/core'
import { Disposables, h, setText } from './dom.js'
import { clockTime } from './fixtures.js'
import type { AppState } from './state.js'

const SVG = 'http://www.w3.org/2000/svg'
const W = 640
const H = 200
const PAD = { left: 44, right: 8, top: 8, bottom: 20 }
const COLOURS = [
  '#38bdf8',
  '#f472b6',
  '#a3e635',
  '#fb923c',
  '#c084fc',
  '#facc15',
  '#2dd4bf',
  '#f87171',
  '#94a3b8',
  '#e879f9',
  '#4ade80',
  '#fbbf24',
]
const REDRAW_MS = 250

const svg = <K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string> = {}) => {
  const el = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v)
  return el
}

/** Mounts the chart of `marketId`'s outcomes (one at a time) across `bookmakers`. */
export function mountPriceChart(
  root: HTMLElement,
  state: AppState,
  fixtureId: string,
  marketId: string,
  outcomeIds: readonly string[],
  bookmakers: readonly string[],
): Disposables {
  const bag = new Disposables()
  let outcomeId = outcomeIds[0] ?? ''
  const picker = h('div', {
    class: 'chart-picker',
    role: 'group',
    'aria-label': 'Outcome to chart',
  })
  const plot = svg('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'chart',
    role: 'img',
    'data-testid': 'price-chart',
  })
  const legend = h('ul', { class: 'legend', testid: 'chart-legend' })
  const note = h('p', { class: 'chart-note' })
  root.replaceChildren(picker, plot, legend, note)

  const buttons = outcomeIds.map((o) => {
    const b = h(
      'button',
      { type: 'button', class: 'chip', 'data-outcome': o },
      state.catalogue.outcomeName(marketId, o),
    )
    b.addEventListener('click', () => {
      outcomeId = o
      subscribe()
    })
    return b
  })
  picker.replaceChildren(...buttons)

  let series = new Map<string, PriceHistory>()
  let seriesBag = new Disposables()
  let timer: ReturnType<typeof setTimeout> | undefined
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = undefined
      draw()
    }, REDRAW_MS)
  }

  function subscribe(): void {
    seriesBag.dispose()
    seriesBag = new Disposables()
    series = new Map()
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.outcome === outcomeId))
    for (const slug of bookmakers) {
      seriesBag.add(
        state.history
          .history$({ fixtureId, bookmaker: slug, marketId, outcomeId, playerId: 0 })
          .subscribe((history) => {
            series.set(slug, history)
            schedule()
          }),
      )
    }
    draw()
  }

  function draw(): void {
    const now = Date.now()
    let t0 = Number.POSITIVE_INFINITY
    let lo = Number.POSITIVE_INFINITY
    let hi = Number.NEGATIVE_INFINITY
    for (const history of series.values()) {
      for (const p of history.points) {
        if (p.at < t0) t0 = p.at
        if (p.price < lo) lo = p.price
        if (p.price > hi) hi = p.price
      }
    }
    const name = state.catalogue.outcomeName(marketId, outcomeId)
    plot.setAttribute(
      'aria-label',
      `${state.catalogue.marketName(marketId)}, ${name}: price over time at ${series.size} bookmakers`,
    )
    const children: SVGElement[] = []
    if (!Number.isFinite(lo)) {
      setText(note, 'Waiting for prices…')
      plot.replaceChildren()
      legend.replaceChildren()
      return
    }
    if (hi - lo < 0.02) {
      hi += 0.01
      lo -= 0.01
    }
    t0 = Math.min(t0, now - 10_000)
    const x = (t: number) =>
      PAD.left + ((t - t0) / Math.max(1, now - t0)) * (W - PAD.left - PAD.right)
    const y = (p: number) => PAD.top + (1 - (p - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom)
    for (const p of [lo, (lo + hi) / 2, hi]) {
      children.push(
        svg('line', {
          x1: String(PAD.left),
          x2: String(W - PAD.right),
          y1: y(p).toFixed(1),
          y2: y(p).toFixed(1),
          class: 'grid-line',
        }),
      )
      const label = svg('text', {
        x: String(PAD.left - 4),
        y: (y(p) + 4).toFixed(1),
        class: 'axis',
        'text-anchor': 'end',
      })
      label.textContent = formatOdds(p, state.format)
      children.push(label)
    }
    for (const [t, anchor] of [
      [t0, 'start'],
      [now, 'end'],
    ] as const) {
      const label = svg('text', {
        x: x(t).toFixed(1),
        y: String(H - 4),
        class: 'axis',
        'text-anchor': anchor,
      })
      label.textContent = clockTime(t)
      children.push(label)
    }
    const items: HTMLLIElement[] = []
    ;[...series.keys()].sort().forEach((slug, i) => {
      const history = series.get(slug) as PriceHistory
      const colour = COLOURS[i % COLOURS.length] as string
      if (history.points.length > 0) {
        let d = ''
        history.points.forEach((p, k) => {
          d += `${k === 0 ? 'M' : 'H'}${x(p.at).toFixed(1)}${k === 0 ? ` ${y(p.price).toFixed(1)}` : ` V${y(p.price).toFixed(1)}`} `
        })
        d += `H${x(now).toFixed(1)}`
        children.push(
          svg('path', {
            d,
            stroke: colour,
            fill: 'none',
            'stroke-width': '1.6',
            'data-bookmaker': slug,
          }),
        )
      }
      const last = history.last
      items.push(
        h(
          'li',
          {},
          h('span', { class: 'swatch', style: `background:${colour}`, 'aria-hidden': 'true' }),
          `${slug} ${last ? formatOdds(last.price, state.format) : '–'}`,
        ),
      )
    })
    plot.replaceChildren(...children)
    legend.replaceChildren(...items)
    setText(
      note,
      `${name}: last ${state.history.limit} changes per bookmaker since this view opened`,
    )
  }

  subscribe()
  bag.add(state.onChange(() => draw()))
  bag.add(() => {
    seriesBag.dispose()
    if (timer) clearTimeout(timer)
  })
  return bag
}
