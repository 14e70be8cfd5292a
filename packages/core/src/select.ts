/**
 * Paths into the fixture tree, and reading them.
 * @module
 */
import type { BookmakerOdds, Fixture, Market, Outcome, Player } from './schema.js'

/** A bookmaker's slug (`pinnacle`), a market, outcome or player id (`101` or `"101"`). */
type Id = string | number

/**
 * A whole fixture. Every path names the levels above its own and leaves the ones below out: the
 * paths form a discriminated set, so a path with an optional level (`bookmaker?: string`) is
 * none of them and a type error, never silently a whole fixture.
 */
export interface FixturePath {
  /** The fixture's id. */
  readonly fixtureId: string
  /** Absent at this level. */
  readonly bookmaker?: undefined
  /** Absent at this level. */
  readonly marketId?: undefined
  /** Absent at this level. */
  readonly outcomeId?: undefined
  /** Absent at this level. */
  readonly playerId?: undefined
}
/** One bookmaker's odds for a fixture (slug, e.g. `pinnacle`). */
export interface BookmakerPath {
  /** The fixture's id. */
  readonly fixtureId: string
  /** The bookmaker's slug (`pinnacle`). */
  readonly bookmaker: string
  /** Absent at this level. */
  readonly marketId?: undefined
  /** Absent at this level. */
  readonly outcomeId?: undefined
  /** Absent at this level. */
  readonly playerId?: undefined
}
/** One market of one bookmaker. */
export interface MarketPath {
  /** The fixture's id. */
  readonly fixtureId: string
  /** The bookmaker's slug (`pinnacle`). */
  readonly bookmaker: string
  /** The market's id (`101`). */
  readonly marketId: Id
  /** Absent at this level. */
  readonly outcomeId?: undefined
  /** Absent at this level. */
  readonly playerId?: undefined
}
/** One outcome of a market. */
export interface OutcomePath {
  /** The fixture's id. */
  readonly fixtureId: string
  /** The bookmaker's slug (`pinnacle`). */
  readonly bookmaker: string
  /** The market's id (`101`). */
  readonly marketId: Id
  /** The outcome's id (`101`). */
  readonly outcomeId: Id
  /** Absent at this level. */
  readonly playerId?: undefined
}
/** One price entry; player `0` is the line with no player. */
export interface PlayerPath {
  /** The fixture's id. */
  readonly fixtureId: string
  /** The bookmaker's slug (`pinnacle`). */
  readonly bookmaker: string
  /** The market's id (`101`). */
  readonly marketId: Id
  /** The outcome's id (`101`). */
  readonly outcomeId: Id
  /** The player's id; `0` is the line with no player. */
  readonly playerId: Id
}

/** Any path `select` and `get` accept. */
export type SelectPath = FixturePath | BookmakerPath | MarketPath | OutcomePath | PlayerPath

/** The fields a path may have. */
export type SelectPathKey = keyof PlayerPath

/**
 * `P` with every field no path has mapped to `never`, so a typo (`marketID`) is a type error even
 * where `P` is inferred (object literals passed to a generic escape excess-property checks).
 * Take a path as `path: P & ExactPath<P>` with `P extends SelectPath`.
 */
export type ExactPath<P> = { readonly [K in Exclude<keyof P, SelectPathKey>]: never }

/**
 * What a path points at. Distributes over unions: `Selected<SelectPath>` is any node.
 */
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

/** The containers a path walks through, below the fixture, in order. */
const LEVELS = [
  ['bookmakerOdds', 'bookmaker'],
  ['markets', 'marketId'],
  ['outcomes', 'outcomeId'],
  ['players', 'playerId'],
] as const

/**
 * Reads one path again and again, cheaply: keys are computed once, and the walk stops at the
 * first node that is the same object as last time (state is immutable, so everything below it
 * is unchanged too). `next` answers `NO_CHANGE` then, without reading further.
 */
export class PathReader<P extends SelectPath> {
  /** What `next` answers when the slice is the same as last time. */
  static readonly NO_CHANGE: unique symbol = Symbol('no change')
  /** Per level below the fixture: the record's name (`markets`) and the key in it (`101`). */
  private readonly containers: string[] = []
  private readonly keys: string[] = []
  private readonly seen: unknown[]
  private valid = false

  constructor(path: P) {
    const p = path as Partial<PlayerPath>
    for (const [container, field] of LEVELS) {
      const id = p[field]
      if (id === undefined) break
      this.containers.push(container)
      this.keys.push(String(id))
    }
    this.seen = new Array(this.keys.length + 1)
  }

  /** The slice of `fixture`, or `NO_CHANGE` when it is the same as at the previous call. */
  next(fixture: Fixture | undefined): Selected<P> | undefined | typeof PathReader.NO_CHANGE {
    let node: unknown = fixture
    const last = this.keys.length
    for (let i = 0; ; i++) {
      // The same object at any level: everything below it, the slice included, is unchanged.
      if (this.valid && node === this.seen[i]) return PathReader.NO_CHANGE
      this.seen[i] = node
      if (i === last) break
      node =
        node === undefined
          ? undefined
          : childOf(node, this.containers[i] as string, this.keys[i] as string)
    }
    this.valid = true
    return node as Selected<P> | undefined
  }
}

/** `node[container][key]` when both are own objects of the tree; `undefined` otherwise. */
function childOf(node: unknown, container: string, key: string): unknown {
  const records = (node as Record<string, unknown>)[container]
  if (records === null || typeof records !== 'object') return undefined
  // Inherited members of Object.prototype are functions, except `__proto__`: both excluded.
  const value = key === '__proto__' ? undefined : (records as Record<string, unknown>)[key]
  return value !== null && typeof value === 'object' ? value : undefined
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
