/**
 * The NDJSON recording format, and reading NDJSON back as records or frames.
 *
 * One line per message received, in arrival order:
 *
 * ```
 * {"t":1767268800123,"frame":{"fixtureId":"id1000…","statusId":1,"updatedAt":"…"}}
 * {"t":1767268825002,"frame":"ping"}
 * ```
 *
 * - `t`: receive time, epoch milliseconds (may have a fraction).
 * - `frame`: the message as received: the parsed JSON value when the text was JSON (a frame,
 *   or whatever the server sent), otherwise the text itself (keepalives, malformed frames, and
 *   JSON nested too deep to be written back by `JSON.stringify`).
 *
 * A replay re-sends `JSON.stringify(frame)` for JSON values and the text as is for strings.
 * @module
 */
import type { Readable } from 'node:stream'
import { decodeFrame, mergeFrame, type OddsFrame } from '@oddsfeed/core'

/** One line of a recording. */
export interface FrameRecord {
  /** Receive time, epoch ms. */
  readonly t: number
  /** The parsed JSON message, or the message's text when it was not JSON. */
  readonly frame: unknown
}

/** Makes a record from one socket message's text and its receive time. */
export function toRecord(text: string, t: number): FrameRecord {
  let frame: unknown = text
  try {
    frame = JSON.parse(text)
  } catch {
    // not JSON: kept as text (keepalive or malformed frame)
  }
  return { t, frame }
}

/** One record as an NDJSON line (with its `\n`). */
export function formatRecord(record: FrameRecord): string {
  return `${JSON.stringify({ t: record.t, frame: record.frame })}\n`
}

/** The text a replay sends for a record: JSON for values, the text itself for strings. */
export function recordText(record: FrameRecord): string {
  return typeof record.frame === 'string' ? record.frame : JSON.stringify(record.frame)
}

/** A line that is not a record. */
export class NdjsonLineError extends Error {
  /** 1-based line number. */
  readonly line: number
  constructor(line: number, message: string) {
    super(`Line ${line}: ${message}`)
    this.name = 'NdjsonLineError'
    this.line = line
  }
}

/** Text lines of a byte or string stream; a last line without `\n` counts. */
export async function* ndjsonLines(
  input: Readable | AsyncIterable<string | Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder()
  let rest = ''
  for await (const chunk of input as AsyncIterable<string | Uint8Array>) {
    rest += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true })
    let nl = rest.indexOf('\n')
    while (nl >= 0) {
      yield rest.slice(0, nl).replace(/\r$/, '')
      rest = rest.slice(nl + 1)
      nl = rest.indexOf('\n')
    }
  }
  rest += decoder.decode()
  if (rest.length > 0) yield rest.replace(/\r$/, '')
}

/**
 * Reads a recording. Blank lines are skipped.
 * @throws NdjsonLineError on a line that is not `{"t": number, "frame": …}`.
 */
export async function* readRecords(
  input: Readable | AsyncIterable<string | Uint8Array>,
): AsyncGenerator<FrameRecord> {
  let n = 0
  for await (const line of ndjsonLines(input)) {
    n++
    if (line.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      throw new NdjsonLineError(n, 'not JSON')
    }
    if (!isRecord(value)) throw new NdjsonLineError(n, 'not a {"t","frame"} record')
    yield { t: value.t, frame: value.frame }
  }
}

function isRecord(value: unknown): value is FrameRecord {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { t?: unknown }).t === 'number' &&
    'frame' in value
  )
}

/** Options of {@link framesFromNdjson}. */
export interface FramesFromNdjsonOptions {
  /**
   * Called for a line that is neither a valid frame nor a record holding one (keepalives are
   * skipped silently). Default: throw an {@link NdjsonLineError}.
   */
  onInvalid?: ((error: NdjsonLineError) => void) | undefined
}

/**
 * NDJSON → validated frames, through core's `decodeFrame`. Each line is either a bare frame
 * (`oddsfeed tail` output) or a record (`oddsfeed record` output); keepalive records are skipped.
 * Wrap it with RxJS `from(...)` for an observable.
 */
export async function* framesFromNdjson(
  input: Readable | AsyncIterable<string | Uint8Array>,
  options: FramesFromNdjsonOptions = {},
): AsyncGenerator<OddsFrame> {
  let n = 0
  const invalid = (message: string) => {
    const error = new NdjsonLineError(n, message)
    if (options.onInvalid) options.onInvalid(error)
    else throw error
  }
  for await (const line of ndjsonLines(input)) {
    n++
    if (line.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      invalid('not JSON')
      continue
    }
    const payload = isRecord(value) && !('fixtureId' in value) ? value.frame : value
    const result = decodeFrame(payload)
    if (result.type === 'frame') yield result.frame
    else if (result.type === 'error') invalid(result.error.message)
  }
}

/**
 * Folds a newer partial frame of a fixture into an older one (core's merge rules): the result
 * carries every change of both. For `toReadable(feed.frames$, { coalesce: coalesceFrames })`.
 * The result may hold several bookmakers (unlike a socket frame).
 */
export function coalesceFrames(queued: OddsFrame, incoming: OddsFrame): OddsFrame {
  if (queued.fixtureId !== incoming.fixtureId) return incoming
  // A merged fixture is a valid frame; the double cast skips a deep (TS2589) Immutable comparison.
  return mergeFrame(queued, incoming) as unknown as OddsFrame
}
