/**
 * The header: connection status (state, attempt, next retry), frames per second, fixtures
 * known, and the error count with the last error.
 * @module
 */
import { type FeedStatus, ODDS_FORMATS, type OddsFeed, type OddsFormat } from '@oddsfeed/core'
import { Disposables, h, setText } from './dom.js'
import type { AppState } from './state.js'

const FORMAT_LABELS: Record<OddsFormat, string> = {
  decimal: 'Decimal',
  american: 'American',
  fractional: 'Fractional',
  implied: 'Implied %',
}

/** Mounts the header into `root`; returns its disposer. */
export function mountHeader(root: HTMLElement, state: AppState, sourceLabel: string): Disposables {
  const feed: OddsFeed = state.feed
  const bag = new Disposables()
  const format = h('select', { testid: 'odds-format', 'aria-label': 'Odds format' })
  for (const f of ODDS_FORMATS) format.append(h('option', { value: f }, FORMAT_LABELS[f]))
  format.value = state.format
  format.addEventListener('change', () => {
    state.format = format.value as OddsFormat
  })
  const badge = h('span', { class: 'badge', testid: 'status-badge', 'data-state': 'idle' }, 'idle')
  const attempt = h('span', { testid: 'status-attempt' })
  const retry = h('span', { testid: 'status-retry' })
  const fps = h('span', { class: 'figure', testid: 'frames-per-second' }, '0')
  const fixtures = h('span', { class: 'figure', testid: 'fixture-count' }, '0')
  const errorCount = h('span', { class: 'figure', testid: 'error-count' }, '0')
  const lastError = h('span', { class: 'last-error', testid: 'last-error' })

  root.replaceChildren(
    h('h1', {}, 'oddsfeed'),
    h('span', { class: 'source', testid: 'feed-source' }, sourceLabel),
    h('span', { class: 'status' }, badge, attempt, retry),
    h('span', { class: 'stat' }, fps, ' frames/s'),
    h('span', { class: 'stat' }, fixtures, ' fixtures'),
    h('span', { class: 'stat' }, errorCount, ' errors'),
    lastError,
    h('label', { class: 'format' }, 'Odds ', format),
  )

  let status: FeedStatus | undefined
  let retryAt = 0
  const showStatus = () => {
    if (!status) return
    setText(badge, status.state)
    if (badge.dataset.state !== status.state) badge.dataset.state = status.state
    setText(attempt, status.attempt > 0 ? `attempt ${status.attempt}` : '')
    const left = retryAt - Date.now()
    setText(
      retry,
      status.state === 'reconnecting' && left > 0 ? `retry in ${(left / 1000).toFixed(1)} s` : '',
    )
  }
  bag.add(
    feed.status$.subscribe((next) => {
      status = next
      retryAt = next.retryInMs !== undefined ? Date.now() + next.retryInMs : 0
      showStatus()
    }),
  )

  let frames = 0
  let since = performance.now()
  bag.add(feed.frames$.subscribe(() => frames++))

  let fixtureTotal = 0
  bag.add(feed.fixtures$.subscribe((map) => (fixtureTotal = map.size)))

  let errors = 0
  bag.add(
    feed.errors$.subscribe((error) => {
      errors++
      setText(errorCount, String(errors))
      setText(lastError, `${error.kind}: ${error.message}`)
      lastError.title = error.message
    }),
  )

  // Figures refresh on a timer, not per frame: the header costs the same at 10 or 2,000 frames/s.
  const timer = setInterval(() => {
    const now = performance.now()
    setText(fps, String(Math.round((frames * 1000) / Math.max(1, now - since))))
    frames = 0
    since = now
    setText(fixtures, String(fixtureTotal))
    showStatus()
  }, 500)
  bag.add(() => clearInterval(timer))
  return bag
}
