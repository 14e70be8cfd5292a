/**
 * Client-side filtering of frames (the feed has no subscriptions): keep the part of a frame under
 * a fixture / bookmaker / market / outcome / player.
 * @module
 */
import type { OddsFrame, SelectPath } from '@oddsfeed/core'

/** What `tail` keeps; every part optional, each narrowing one level. */
export interface FrameFilter {
  /** `--fixture`. */
  fixtureId?: string
  /** `--bookmaker`. */
  bookmaker?: string
  /** `--market`. */
  marketId?: string
  /** `--outcome`. */
  outcomeId?: string
  /** `--player`. */
  playerId?: string
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * The part of `frame` the filter selects, or `undefined` when nothing is left. Without a
 * bookmaker/market/outcome/player filter, a frame of the fixture passes whole. With one, only
 * the matching price data is kept (top-level fields and scores are dropped).
 */
export function pruneFrame(frame: OddsFrame, filter: FrameFilter): OddsFrame | undefined {
  if (filter.fixtureId !== undefined && frame.fixtureId !== filter.fixtureId) return undefined
  const levels = [filter.bookmaker, filter.marketId, filter.outcomeId, filter.playerId]
  if (levels.every((l) => l === undefined)) return frame
  const keys = ['bookmakerOdds', 'markets', 'outcomes', 'players'] as const
  const prune = (node: unknown, depth: number): Obj | undefined => {
    if (!isObj(node)) return undefined
    if (depth === keys.length) return node
    const key = keys[depth] as string
    const record = node[key]
    if (!isObj(record)) return undefined
    const wanted = levels[depth]
    const kept: Obj = {}
    let any = false
    for (const [id, child] of Object.entries(record)) {
      if (wanted !== undefined && id !== wanted) continue
      const deeper = levels.slice(depth + 1).some((l) => l !== undefined)
      const value = deeper ? prune(child, depth + 1) : child
      if (value === undefined) continue
      kept[id] = value
      any = true
    }
    if (!any) return undefined
    const rest =
      depth === 0 ? {} : Object.fromEntries(Object.entries(node).filter(([k]) => k !== key))
    return { ...rest, [key]: kept }
  }
  const kept = prune(frame, 0)
  return kept ? ({ ...kept, fixtureId: frame.fixtureId } as OddsFrame) : undefined
}

/**
 * The `select` path of a filter (for `--state`). Levels must be given from the top down.
 * @throws Error naming the missing level.
 */
export function selectPath(filter: FrameFilter): SelectPath {
  if (filter.fixtureId === undefined) throw new Error('--state needs --fixture')
  const order = [
    ['bookmaker', filter.bookmaker],
    ['market', filter.marketId],
    ['outcome', filter.outcomeId],
    ['player', filter.playerId],
  ] as const
  let gap: string | undefined
  for (const [name, value] of order) {
    if (value === undefined) gap ??= name
    else if (gap) throw new Error(`--state with --${name} needs --${gap} too`)
  }
  return {
    fixtureId: filter.fixtureId,
    ...(filter.bookmaker !== undefined && { bookmaker: filter.bookmaker }),
    ...(filter.marketId !== undefined && { marketId: filter.marketId }),
    ...(filter.outcomeId !== undefined && { outcomeId: filter.outcomeId }),
    ...(filter.playerId !== undefined && { playerId: filter.playerId }),
  } as SelectPath
}

/** Puts a selected value back at its place in a fixture-shaped object (for pretty printing). */
export function wrapAtPath(path: SelectPath, value: unknown): OddsFrame {
  const p = path as FrameFilter & { fixtureId: string; marketId?: string | number }
  const steps: [string, string | number | undefined][] = [
    ['bookmakerOdds', p.bookmaker],
    ['markets', p.marketId],
    ['outcomes', p.outcomeId],
    ['players', p.playerId],
  ]
  const defined = steps.filter(([, id]) => id !== undefined)
  let node: unknown = value
  for (let i = defined.length - 1; i >= 0; i--) {
    const [key, id] = defined[i] as [string, string | number]
    node = { [key]: { [String(id)]: node } }
  }
  return { ...(node as Obj), fixtureId: p.fixtureId } as OddsFrame
}
