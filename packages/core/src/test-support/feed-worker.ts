/**
 * The worker of `worker/worker.browser.test.ts`: a feed served to every page that connects. The feed
 * URL comes in the worker's `name` (the test server's port is known only to the test).
 */
import { serveOddsFeed } from '../worker/serve.js'

serveOddsFeed({ url: (globalThis as unknown as { name: string }).name, reconnect: false })
