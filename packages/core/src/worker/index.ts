/**
 * `@oddsfeed/core/worker`: opt-in worker mode. The socket, decode and merge run in a Web Worker
 * (or a SharedWorker: one socket for every tab of an origin), and the page gets only the slices
 * it watches, through the same `select` API.
 *
 * - in the worker: {@link serveOddsFeed}`(options)`;
 * - in the page: {@link connectOddsFeed}`(worker)` → `select`, `market$`, `board$`, `status$`,
 *   `errors$`.
 * @module
 */
export { connectOddsFeed, type WorkerLike, type WorkerOddsFeed } from './connect.js'
export type { PortLike } from './protocol.js'
export { type ServeOptions, serveOddsFeed, servePort, type WorkerScopeLike } from './serve.js'
