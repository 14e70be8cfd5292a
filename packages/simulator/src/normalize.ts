/**
 * The one normalisation the REST-vs-socket comparison may apply: only what
 * `oddspapi-facts.md` documents as differing between the two.
 * @module
 */
import { toEpochMicros } from '@oddsfeed/core'

/** Fields REST sends and the socket never does, per level of the fixture tree. */
export const REST_ONLY_FIELDS = {
  /** On a bookmaker's odds. */
  bookmaker: ['bookmakerIsActive', 'suspended'],
  /** On a market. */
  market: ['marketActive'],
  /** On a price entry. */
  entry: ['bookmakerChangedAt', 'priceAmerican', 'priceFractional', 'mainLine'],
} as const

const TIMESTAMP_KEYS: ReadonlySet<string> = new Set(['changedAt', 'updatedAt'])

/**
 * Normalises a fixture (a REST `/v4/odds` answer, a fixture merged from socket frames, or a
 * mix: REST-seeded then merged) so two of them can be compared with deep equality:
 *
 * - `changedAt` / `updatedAt` strings (any level) become epoch microseconds: the socket's
 *   `2025-06-11T16:55:30.284000+00:00` and REST's `2025-06-11T16:55:30.284Z` are one instant;
 * - `exchangeMeta` `{}` (socket) and `null` (REST) both become `null`;
 * - REST-only fields ({@link REST_ONLY_FIELDS}) are removed at their level.
 *
 * Nothing else is touched: every other difference is a real disagreement. Pure; returns a copy.
 */
export function normalizeForCompare(fixture: unknown): unknown {
  return walk(fixture, 'fixture')
}

type Level =
  | 'fixture'
  | 'bookmakers'
  | 'bookmaker'
  | 'markets'
  | 'market'
  | 'outcomes'
  | 'outcome'
  | 'players'
  | 'entry'
  | 'other'

/** Where a key leads: records (`bookmakerOdds`, ...) and then the values inside them. */
const NEXT: Readonly<Record<string, Level>> = {
  'fixture.bookmakerOdds': 'bookmakers',
  'bookmaker.markets': 'markets',
  'market.outcomes': 'outcomes',
  'outcome.players': 'players',
}
const INSIDE: Partial<Record<Level, Level>> = {
  bookmakers: 'bookmaker',
  markets: 'market',
  outcomes: 'outcome',
  players: 'entry',
}

function walk(value: unknown, level: Level): unknown {
  if (Array.isArray(value)) return value.map((v) => walk(v, 'other'))
  if (value === null || typeof value !== 'object') return value
  const drop: readonly string[] =
    level === 'bookmaker' || level === 'market' || level === 'entry' ? REST_ONLY_FIELDS[level] : []
  const inside = INSIDE[level]
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (drop.includes(key)) continue
    if (inside) {
      out[key] = walk(child, inside)
    } else if (TIMESTAMP_KEYS.has(key) && typeof child === 'string') {
      out[key] = toEpochMicros(child)
    } else if (key === 'exchangeMeta') {
      out[key] = child === null || child === undefined || isEmptyObject(child) ? null : child
    } else {
      out[key] = walk(child, NEXT[`${level}.${key}`] ?? 'other')
    }
  }
  return out
}

function isEmptyObject(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0
  )
}
