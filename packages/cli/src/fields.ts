/**
 * `tail --json FIELDS`: one line per price entry with only the fields asked for (like `gh --json`).
 * @module
 */
import type { OddsFrame } from '@oddsfeed/core'

/** The path fields a `--json` row can carry besides the entry's own. */
export const PATH_FIELDS = ['fixtureId', 'bookmaker', 'marketId', 'outcomeId', 'playerId'] as const

/**
 * Parses `--json price,active,changedAt`: names, comma-separated, each once.
 * @throws Error on an empty list or an empty name.
 */
export function parseFields(spec: string): readonly string[] {
  const names = spec.split(',').map((name) => name.trim())
  if (names.some((name) => name === '')) {
    throw new Error(
      `--json needs comma-separated field names (e.g. price,active,changedAt), got "${spec}"`,
    )
  }
  return [...new Set(names)]
}

type Obj = Record<string, unknown>
const isObj = (value: unknown): value is Obj =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
const own = (node: Obj, key: string): Obj => (isObj(node[key]) ? (node[key] as Obj) : {})

/**
 * Every price entry of a frame (or of a fixture's state) as a row of `fields`: a path field
 * (`bookmaker`, `marketId`...) gives the entry's place, any other name the entry's own field;
 * an absent field is `null`, so every row has every field, in the order asked.
 */
export function entryRows(frame: OddsFrame, fields: readonly string[]): Obj[] {
  const rows: Obj[] = []
  const books = own(frame as unknown as Obj, 'bookmakerOdds')
  for (const bookmaker of Object.keys(books)) {
    const markets = own(own(books, bookmaker), 'markets')
    for (const marketId of Object.keys(markets)) {
      const outcomes = own(own(markets, marketId), 'outcomes')
      for (const outcomeId of Object.keys(outcomes)) {
        const players = own(own(outcomes, outcomeId), 'players')
        for (const playerId of Object.keys(players)) {
          const entry = own(players, playerId)
          const place: Obj = {
            fixtureId: frame.fixtureId,
            bookmaker,
            marketId,
            outcomeId,
            playerId,
          }
          const row: Obj = {}
          for (const name of fields) {
            const value = (PATH_FIELDS as readonly string[]).includes(name)
              ? place[name]
              : entry[name]
            row[name] = value === undefined ? null : value
          }
          rows.push(row)
        }
      }
    }
  }
  return rows
}
