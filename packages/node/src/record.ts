/**
 * Recording a live feed to an NDJSON file (format: see `records.ts`).
 * @module
 */
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import {
  createOddsFeed,
  type OddsFeed,
  type OddsFeedOptions,
  type WebSocketConstructor,
} from '@oddsfeed/core'
import WebSocket from 'ws'
import { type FrameRecord, formatRecord, toRecord } from './records.js'

/**
 * A `WebSocket` constructor (the `ws` one) that hands every message's text, as received, to
 * `tap` before the feed decodes it: keepalives and malformed frames included. Pass it as the
 * `WebSocket` option of `createOddsFeed`.
 */
export function createTappedWebSocket(
  tap: (text: string, receivedAt: number) => void,
): WebSocketConstructor {
  class TappedWebSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols)
      this.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
        const at = Date.now()
        const text = isBinary ? Buffer.from(rawBytes(data)).toString('base64') : rawText(data)
        tap(text, at)
      })
    }
  }
  return TappedWebSocket as unknown as WebSocketConstructor
}

function rawBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return data
}

function rawText(data: WebSocket.RawData): string {
  return Buffer.from(rawBytes(data)).toString('utf8')
}

/** Options of {@link recordTo}: the feed's, plus what to record. */
export interface RecordOptions extends Omit<OddsFeedOptions, 'WebSocket' | 'autoConnect'> {
  /** Keep keepalives and other non-JSON messages (default `true`). */
  keepalives?: boolean | undefined
  /** Write at most this many records; later messages are ignored (call `stop()` to end). */
  limit?: number | undefined
  /** Called after each record is written (e.g. progress on stderr). */
  onRecord?: ((record: FrameRecord, count: number) => void) | undefined
}

/** A running recording. */
export interface Recording {
  /** The feed the recording listens to (its `status$` and `errors$` tell how it goes). */
  readonly feed: OddsFeed
  /** Records written so far. */
  readonly count: number
  /** Closes the feed, flushes and closes the file. Resolves with the number of records. */
  stop(): Promise<number>
}

/**
 * Records every message of a feed (with its receive time) to an NDJSON file, reconnecting as
 * the feed does. The file is created (truncated) at once; the socket opens at once.
 *
 * @example
 * ```ts
 * const rec = recordTo('capture.ndjson', { url, apiKey })
 * process.once('SIGINT', () => rec.stop())
 * ```
 */
export function recordTo(file: string, options: RecordOptions = {}): Recording {
  const out = createWriteStream(file, { flags: 'w' })
  let count = 0
  let stopping: Promise<number> | undefined
  const keepalives = options.keepalives ?? true
  const limit = options.limit ?? Number.POSITIVE_INFINITY
  const { onRecord, keepalives: _k, limit: _l, ...feedOptions } = options
  const WebSocketCtor = createTappedWebSocket((text, at) => {
    if (stopping || count >= limit) return
    const record = toRecord(text, at)
    if (!keepalives && typeof record.frame === 'string') return
    let line: string
    try {
      line = formatRecord(record)
    } catch {
      // JSON that parses but cannot be written back (nested too deep for JSON.stringify): kept
      // as the text received, which a replay sends as is
      line = formatRecord({ t: at, frame: text })
    }
    out.write(line)
    count++
    onRecord?.(record, count)
  })
  const feed = createOddsFeed({ ...feedOptions, WebSocket: WebSocketCtor, autoConnect: false })
  feed.connect()
  return {
    feed,
    get count() {
      return count
    },
    stop() {
      stopping ??= (async () => {
        feed.close()
        out.end()
        if (!out.closed) await once(out, 'close')
        return count
      })()
      return stopping
    },
  }
}
