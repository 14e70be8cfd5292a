/**
 * A small SVG sparkline of a price's recent changes (a step line: a price holds until it moves).
 * @module
 */
import type { PricePoint } from '@oddsfeed/core'

const SVG = 'http://www.w3.org/2000/svg'

/** A mounted sparkline. */
export interface Sparkline {
  readonly el: SVGSVGElement
  /** Redraws from the points, oldest first. */
  update(points: readonly PricePoint[]): void
}

/** Creates a sparkline of `width` × `height` CSS pixels; decorative (hidden from readers). */
export function createSparkline(width = 48, height = 14): Sparkline {
  const el = document.createElementNS(SVG, 'svg')
  el.setAttribute('class', 'spark')
  el.setAttribute('width', String(width))
  el.setAttribute('height', String(height))
  el.setAttribute('viewBox', `0 0 ${width} ${height}`)
  el.setAttribute('aria-hidden', 'true')
  el.setAttribute('focusable', 'false')
  const line = document.createElementNS(SVG, 'polyline')
  line.setAttribute('fill', 'none')
  line.setAttribute('stroke', 'currentColor')
  line.setAttribute('stroke-width', '1.2')
  el.append(line)
  let drawn = ''
  return {
    el,
    update(points) {
      el.dataset.points = String(points.length)
      if (points.length < 2) {
        if (drawn !== '') line.setAttribute('points', '')
        drawn = ''
        return
      }
      let min = Number.POSITIVE_INFINITY
      let max = Number.NEGATIVE_INFINITY
      for (const p of points) {
        if (p.price < min) min = p.price
        if (p.price > max) max = p.price
      }
      const span = max - min || 1
      const step = width / (points.length - 1)
      const y = (price: number) => (height - 1 - ((price - min) / span) * (height - 2)).toFixed(1)
      let text = ''
      for (let i = 0; i < points.length; i++) {
        const p = points[i] as PricePoint
        const x = (i * step).toFixed(1)
        if (i > 0) text += `${x},${y((points[i - 1] as PricePoint).price)} `
        text += `${x},${y(p.price)} `
      }
      if (text !== drawn) {
        drawn = text
        line.setAttribute('points', text)
      }
    },
  }
}
