/**
 * Paths into the fixture tree, and reading them.
 * @module
 */
import type { BookmakerOdds, Fixture, Market, Outcome, Player } from './schema.js'

/** A whole fixture. */
export interface FixturePath {
  readonly fixtureId: string
}
/** One bookmaker's odds for a fixture (slug, e.g. `pinnacle`). */
export interface BookmakerPath extends FixturePath {
  readonly bookmaker: string
}
/** One market of one bookmaker. */
export interface MarketPath extends BookmakerPath {
  readonly marketId: string | number
}
/** One outcome of a market. */
export interface OutcomePath extends MarketPath {
  readonly outcomeId: string | number
}
/** One price entry; player `0` is the line with no player. */
export interface PlayerPath extends OutcomePath {
  readonly playerId: string | number
}

/** Any path `select` and `get` accept. */
export type SelectPath = FixturePath | BookmakerPath | MarketPath | OutcomePath | PlayerPath

/** What a path points at. */
export type Selected<P extends SelectPath> = P extends PlayerPath
  ? Player
  : P extends OutcomePath
    ? Outcome
    : P extends MarketPath
      ? Market
      : P extends BookmakerPath
        ? BookmakerOdds
        : Fixture

const hasOwn = Object.prototype.hasOwnProperty

function child(node: unknown, key: string, id: string | number): unknown {
  if (node === null || typeof node !== 'object') return undefined
  const container = (node as Record<string, unknown>)[key]
  if (container === null || typeof container !== 'object') return undefined
  const name = String(id)
  return hasOwn.call(container, name) ? (container as Record<string, unknown>)[name] : undefined
}

/** Reads a path from a fixture's state; `undefined` where the tree has nothing yet. */
export function readPath<P extends SelectPath>(
  fixture: Fixture | undefined,
  path: P,
): Selected<P> | undefined {
  let node: unknown = fixture
  const p = path as Partial<PlayerPath>
  if (p.bookmaker !== undefined) node = child(node, 'bookmakerOdds', p.bookmaker)
  if (p.marketId !== undefined) node = child(node, 'markets', p.marketId)
  if (p.outcomeId !== undefined) node = child(node, 'outcomes', p.outcomeId)
  if (p.playerId !== undefined) node = child(node, 'players', p.playerId)
  return node as Selected<P> | undefined
}
