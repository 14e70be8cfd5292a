/**
 * Reading a fixture for display: participants, score, start time, its markets.
 * @module
 */
import type { Fixture } from '@oddsfeed/core'

/** The score as `home–away`: the `result` period if sent, else the sum of the numbered ones. */
export function scoreOf(fixture: Fixture): string {
  const periods = fixture.scores?.periods
  if (!periods) return ''
  const result = periods.result ?? periods.fulltime
  if (result && typeof result.participant1Score === 'number') {
    return `${result.participant1Score}–${result.participant2Score ?? 0}`
  }
  let home = 0
  let away = 0
  let any = false
  for (const [key, period] of Object.entries(periods)) {
    if (!/^\d+$/.test(key)) continue
    any = true
    home += period.participant1Score ?? 0
    away += period.participant2Score ?? 0
  }
  return any ? `${home}–${away}` : ''
}

/** The fixture's participants, `Home – Away`. */
export function participants(fixture: Fixture): string {
  const home = fixture.participant1Name ?? fixture.participant1Id ?? '?'
  const away = fixture.participant2Name ?? fixture.participant2Id ?? '?'
  return `${home} – ${away}`
}

/** Start time in epoch ms (the socket sends seconds, REST may send an ISO string); 0 unknown. */
export function startMs(fixture: Fixture): number {
  const t = fixture.startTime
  if (typeof t === 'number') return t < 1e12 ? t * 1000 : t
  if (typeof t === 'string') return Date.parse(t) || 0
  return 0
}

/** Every market id any bookmaker has for the fixture. */
export function marketIdsOf(fixture: Fixture | undefined): string[] {
  const ids = new Set<string>()
  for (const book of Object.values(fixture?.bookmakerOdds ?? {})) {
    for (const id of Object.keys(book.markets ?? {})) ids.add(id)
  }
  return [...ids]
}

/** `HH:MM`, local time. */
export function clockTime(ms: number): string {
  const d = new Date(ms)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/** A day heading: `Today`, `Tomorrow`, or a date. */
export function dayLabel(ms: number, now = Date.now()): string {
  const day = (t: number) => {
    const d = new Date(t)
    return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate())
  }
  const diff = Math.round((day(ms) - day(now)) / 86_400_000)
  if (diff === 0) return 'Today'
  if (diff === 1) return 'Tomorrow'
  return new Date(ms).toLocaleDateString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  })
}
