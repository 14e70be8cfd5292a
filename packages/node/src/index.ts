/**
 * `@oddsfeed/node`: Node-only helpers for oddsfeed scripts. Observables as bounded `Readable`
 * streams (object mode or NDJSON), NDJSON recordings in and out, recording a live feed to a file.
 * Never imported by the isomorphic `@oddsfeed/core`.
 * @packageDocumentation
 */

export {
  type ObservableReadable,
  type OverflowPolicy,
  type SubscribableLike,
  type ToReadableOptions,
  toReadable,
} from './readable.js'
export {
  createTappedWebSocket,
  type Recording,
  type RecordOptions,
  recordTo,
} from './record.js'
export {
  coalesceFrames,
  type FrameRecord,
  type FramesFromNdjsonOptions,
  formatRecord,
  framesFromNdjson,
  NdjsonLineError,
  ndjsonLines,
  readRecords,
  recordText,
  toRecord,
} from './records.js'
