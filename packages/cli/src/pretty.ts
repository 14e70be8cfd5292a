/**
 * The human-readable (`--format pretty`) rendering of frames and state.
 * @module
 */
import type { OddsFrame } from '@oddsfeed/core'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const entriesOf = (v: unknown): [string, unknown][] => (isObj(v) ? Object.entries(v) : [])

const STATUS = ['not started', 'live', 'finished', 'cancelled']

/** One line per change a frame carries. */
export function prettyLines(frame: OddsFrame, now = new Date()): string[] {
  const time = now.toISOString().slice(11, 23)
  const head = `${time} ${frame.fixtureId}`
  const lines: string[] = []
  const top: string[] = []
  for (const [key, value] of Object.entries(frame)) {
    if (key === 'fixtureId' || key === 'bookmakerOdds' || key === 'scores') continue
    top.push(
      key === 'statusId' && typeof value === 'number'
        ? `status ${STATUS[value] ?? value}`
        : `${key}=${JSON.stringify(value)}`,
    )
  }
  if (top.length) lines.push(`${head}  ${top.join('  ')}`)
  for (const [period, score] of entriesOf((frame.scores as Obj | undefined)?.periods)) {
    const s = score as Obj
    lines.push(
      `${head}  score ${period}: ${s.participant1Score ?? '-'}-${s.participant2Score ?? '-'}`,
    )
  }
  for (const [bookmaker, b] of entriesOf(frame.bookmakerOdds)) {
    const info = Object.entries(b as Obj).filter(([k]) => k !== 'markets')
    if (info.length) {
      lines.push(
        `${head}  ${bookmaker}  ${info.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('  ')}`,
      )
    }
    for (const [marketId, m] of entriesOf((b as Obj).markets)) {
      for (const [outcomeId, o] of entriesOf((m as Obj).outcomes)) {
        for (const [playerId, e] of entriesOf((o as Obj).players)) {
          const entry = e as Obj
          const price = typeof entry.price === 'number' ? entry.price.toFixed(3) : '?'
          const name = typeof entry.playerName === 'string' ? ` ${entry.playerName}` : ''
          const off = entry.active === false ? '  SUSPENDED' : ''
          const limit = typeof entry.limit === 'number' ? `  limit ${entry.limit}` : ''
          lines.push(
            `${head}  ${bookmaker.padEnd(13)} ${marketId}/${outcomeId}/${playerId}${name}  ${price}${off}${limit}`,
          )
        }
      }
    }
  }
  return lines
}
