/**
 * The messages between a page and the worker that runs its feed (`@oddsfeed/core/worker`).
 * Both ends are this package, in one origin: plain structured-clone objects, no validation.
 * @module
 */
import type { BoardRow } from '../board.js'
import type { FeedErrorInit, FeedErrorKind } from '../errors.js'
import type { MarketViewPath } from '../market.js'
import type { SelectPath } from '../select.js'
import type { FeedStatus } from '../transport.js'

/** What a page can watch through the worker. */
export type Watch =
  | { readonly kind: 'select'; readonly path: SelectPath }
  | { readonly kind: 'market'; readonly path: MarketViewPath }
  | { readonly kind: 'status' }
  | { readonly kind: 'errors' }
  /** The board, with the options the worker was served with (see {@link BoardPatch}). */
  | { readonly kind: 'board' }

/** Page → worker. */
export type ToWorker =
  | { readonly t: 'watch'; readonly id: number; readonly watch: Watch }
  | { readonly t: 'unwatch'; readonly id: number }
  /** The page is gone (or closed its view): end every watch of this port. */
  | { readonly t: 'bye' }

/** A {@link FeedError} across the boundary (errors lose their class in a structured clone). */
export interface ErrorData extends FeedErrorInit {
  readonly kind: FeedErrorKind
  readonly message: string
}

/**
 * A `board` watch's emission: the rows whose identity changed since the watch's last one (the
 * first carries every row), and the ids of the fixtures that left the board.
 */
export interface BoardPatch {
  /** New and changed rows, in the board's order. */
  readonly rows: readonly BoardRow[]
  /** Fixtures no longer on the board. */
  readonly removed: readonly string[]
}

/** A {@link FeedStatus} across the boundary. */
export type StatusData = Omit<FeedStatus, 'error'> & { readonly error?: ErrorData }

/** Worker → page: every emission of one tick in one message, in emission order. */
export interface FromWorker {
  readonly t: 'emit'
  /** `[watch id, value]` pairs; a watch that completed sends `[id, value, true]` last. */
  readonly emissions: readonly (readonly [number, unknown] | readonly [number, unknown, true])[]
}

/** The one thing both ends need of a port: a `MessagePort`, a `Worker`, a worker's global scope. */
export interface PortLike {
  postMessage(message: unknown): void
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void
  removeEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void
  start?(): void
}
