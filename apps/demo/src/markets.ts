/**
 * Names for the common market and outcome ids (`oddspapi-facts.md`). Ids are data: anything not
 * listed here is shown by its raw id, and no behaviour depends on an id.
 * @module
 */

/** A market's display name, group, and its outcomes' names. */
export interface MarketName {
  readonly name: string
  readonly group: 'Main' | 'Totals'
  readonly outcomes: Readonly<Record<string, string>>
}

const total = (line: string, over: number): MarketName => ({
  name: `Total goals o/u ${line}`,
  group: 'Totals',
  outcomes: { [over]: `Over ${line}`, [over + 1]: `Under ${line}` },
})

/** Soccer's well-known markets; the rest are shown by id. */
export const MARKET_NAMES: Readonly<Record<string, MarketName>> = {
  '101': { name: '1X2 (full time)', group: 'Main', outcomes: { 101: '1', 102: 'X', 103: '2' } },
  '104': { name: 'Both teams to score', group: 'Main', outcomes: { 104: 'Yes', 105: 'No' } },
  '106': total('0.5', 106),
  '108': total('1.5', 108),
  '1010': total('2.5', 1010),
  '1012': total('3.5', 1012),
}

/** The market's name, or `Market <id>`. */
export function marketName(marketId: string): string {
  return MARKET_NAMES[marketId]?.name ?? `Market ${marketId}`
}

/** The outcome's name within its market, or `#<id>`. */
export function outcomeName(marketId: string, outcomeId: string): string {
  return MARKET_NAMES[marketId]?.outcomes[outcomeId] ?? `#${outcomeId}`
}

/** Where a market is listed in the fixture view. */
export function marketGroup(marketId: string): string {
  return MARKET_NAMES[marketId]?.group ?? 'Other'
}

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
