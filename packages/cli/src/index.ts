/**
 * `@oddsfeed/cli`: the `oddsfeed` command (simulate, tail, record, replay), usable as a library.
 * @packageDocumentation
 */
export { EXIT, UsageError } from './args.js'
export { parseFaults } from './commands/simulate.js'
export { type FrameFilter, pruneFrame, selectPath, wrapAtPath } from './filter.js'
export { type Io, processIo } from './io.js'
export { HELP, main, VERSION } from './main.js'
export { prettyLines } from './pretty.js'
