/**
 * Names for ids. Markets and outcomes are named by the catalogue (`GET /v4/markets`, loaded by the
 * board; see `AppState`): ids stay data, and an id the catalogue does not know is shown as itself.
 * Sports and statuses have the few names `oddspapi-facts.md` lists.
 * @module
 */

/** Sport names for the ids the facts list; others are shown by id. */
export const SPORT_NAMES: Readonly<Record<string, string>> = {
  10: 'Soccer',
  11: 'Basketball',
  12: 'Tennis',
  13: 'Baseball',
  14: 'American football',
  16: 'Dota 2',
  17: 'Counter-Strike',
}

/** The sport's name, or `Sport <id>`. */
export function sportName(sportId: number | null | undefined): string {
  if (sportId === null || sportId === undefined) return '–'
  return SPORT_NAMES[sportId] ?? `Sport ${sportId}`
}

/** `statusId` meanings. */
export const STATUS_NAMES: Readonly<Record<string, string>> = {
  0: 'Not started',
  1: 'Live',
  2: 'Finished',
  3: 'Cancelled',
}

/** The status's name, or `Status <id>`. */
export function statusName(statusId: number | null | undefined): string {
  if (statusId === null || statusId === undefined) return '–'
  return STATUS_NAMES[statusId] ?? `Status ${statusId}`
}

/** Relative time for "Updated": `just now`, `3 s ago`, `4 min ago`, `2 h ago`. */
export function ago(ms: number): string {
  if (!Number.isFinite(ms)) return ''
  if (ms < 1000) return 'just now'
  if (ms < 60_000) return `${Math.floor(ms / 1000)} s ago`
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`
  return `${Math.floor(ms / 3_600_000)} h ago`
}
