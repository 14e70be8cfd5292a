/**
 * `board$` across the worker boundary: the worker posts the rows whose identity changed (every
 * row at first) and the ids removed; the page applies them to its own copy of the board, so
 * unchanged rows keep their identity there too.
 * @module
 */
import { Observable, ReplaySubject, share } from 'rxjs'
import type { BoardOptions, BoardRow } from '../board.js'
import type { OddsFeed } from '../feed.js'
import { deepEqual } from '../merge.js'
import { FixtureMap, FixtureTable } from '../table.js'
import type { BoardPatch } from './protocol.js'

/** One shared board per feed and options: every watch of every page reads the same rows. */
const shared = new WeakMap<OddsFeed, Map<BoardOptions | undefined, Observable<Board>>>()

type Board = ReadonlyMap<string, BoardRow>

/**
 * The feed's `board$(options)`, shared by every watch of it (the rows are computed once, the
 * latest map replayed to a new watch) while one is subscribed.
 */
export function sharedBoard(feed: OddsFeed, options: BoardOptions | undefined): Observable<Board> {
  let boards = shared.get(feed)
  if (boards === undefined) {
    boards = new Map()
    shared.set(feed, boards)
  }
  let board$ = boards.get(options)
  if (board$ === undefined) {
    board$ = feed
      .board$(options)
      .pipe(share({ connector: () => new ReplaySubject<Board>(1), resetOnRefCountZero: true }))
    boards.set(options, board$)
  }
  return board$
}

/**
 * A board's emissions as patches: the first one every row, each later one the rows whose
 * identity changed and the ids removed; a map that changed no row posts nothing.
 */
export function boardPatches(board$: Observable<Board>): Observable<BoardPatch> {
  return new Observable<BoardPatch>((subscriber) => {
    let previous: Board | undefined
    return board$.subscribe({
      next: (board) => {
        const patch = changes(previous, board)
        const first = previous === undefined
        previous = board
        if (first || patch.rows.length > 0 || patch.removed.length > 0) subscriber.next(patch)
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    })
  })
}

/** The rows of `next` that are not (the same object) in `previous`, and the ids it lost. */
function changes(previous: Board | undefined, next: Board): BoardPatch {
  const rows: BoardRow[] = []
  const removed: string[] = []
  const visit = (fixtureId: string, row: BoardRow | undefined) => {
    if (row === undefined) removed.push(fixtureId)
    else rows.push(row)
  }
  if (next instanceof FixtureMap && (previous === undefined || previous instanceof FixtureMap)) {
    // the board's own maps: only the chunks a batch touched are read
    next.changesSince(previous, visit)
  } else {
    if (previous !== undefined) for (const [id] of previous) if (!next.has(id)) visit(id, undefined)
    for (const [id, row] of next) if (previous?.get(id) !== row) visit(id, row)
  }
  return { rows, removed }
}

/**
 * The page's copy of a worker's board: {@link BoardReplica.apply} each patch of one watch, in
 * order, and emit the map it returns.
 */
export class BoardReplica {
  private readonly table = new FixtureTable<BoardRow>()

  /**
   * Applies a patch (a structured clone: its rows are this page's own objects) and returns the
   * board after it: a new immutable map that shares every row the patch did not name, and
   * within a new row, the `scores`, `main` and outcomes equal to the old row's.
   */
  apply(patch: BoardPatch): Board {
    for (const fixtureId of patch.removed) this.table.delete(fixtureId)
    for (const row of patch.rows) {
      // frozen: this very object came in an earlier patch of the same message (applied then)
      if (!Object.isFrozen(row)) {
        const old = this.table.get(row.fixtureId)
        const fresh = row as { scores: unknown; main: unknown }
        if (old !== undefined) {
          fresh.scores = keepEqual(old.scores, row.scores)
          fresh.main = keepEqual(old.main, row.main)
        }
        deepFreeze(row)
      }
      this.table.set(row.fixtureId, row)
    }
    return this.table.snapshot()
  }
}

/**
 * `next` with every part deep-equal to `previous`'s replaced by `previous`'s (all of it, when
 * equal). `next` is a fresh clone: it is changed in place, unless frozen (a part an earlier
 * patch of the same message shared, structured clone keeping it one object: final already).
 */
function keepEqual<T>(previous: T, next: T): T {
  if (previous === next || deepEqual(previous, next)) return previous
  if (
    Object.isFrozen(next) ||
    previous === null ||
    next === null ||
    typeof previous !== 'object' ||
    typeof next !== 'object' ||
    Array.isArray(previous) !== Array.isArray(next)
  ) {
    return next
  }
  const before = previous as Record<string, unknown>
  const after = next as Record<string, unknown>
  for (const key in after) {
    if (Object.hasOwn(before, key)) after[key] = keepEqual(before[key], after[key])
  }
  return next
}

/** Freezes a structured clone in place (parts kept from an older row are frozen already). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key])
  }
  return value
}
