/**
 * Socket data → a validated frame, a keepalive, or a typed error. Never throws.
 * @module
 */
import * as v from 'valibot'
import { FeedError, RAW_EXCERPT_LIMIT } from './errors.js'
import { FrameSchema, type OddsFrame } from './schema.js'

/** What one piece of socket data turned out to be. */
export type DecodeResult =
  | { readonly type: 'frame'; readonly frame: OddsFrame }
  | { readonly type: 'keepalive' }
  | { readonly type: 'error'; readonly error: FeedError }

const KEEPALIVE: DecodeResult = Object.freeze({ type: 'keepalive' })
const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Decodes one socket message: a string, UTF-8 bytes (`ArrayBuffer`, any typed array or Node
 * `Buffer`), or an already parsed object.
 *
 * - Text that is not JSON and does not start like a JSON object is a keepalive (the real feed
 *   sends one about every 25 s).
 * - Text starting with `{` or `[` that does not parse is a `parse` error; bytes that are not
 *   UTF-8 too.
 * - JSON that fails the frame schema is a `schema` error carrying the offending field's path.
 *
 * Errors carry the text cut to 1 KiB in `raw`.
 */
export function decodeFrame(data: unknown): DecodeResult {
  let text: string
  if (typeof data === 'string') {
    text = data
  } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    try {
      text = utf8.decode(data as ArrayBuffer | ArrayBufferView)
    } catch {
      return {
        type: 'error',
        error: new FeedError('parse', 'Binary frame is not valid UTF-8'),
      }
    }
  } else if (Array.isArray(data) && data.every((part) => ArrayBuffer.isView(part))) {
    // ws with binaryType 'fragments'
    return decodeFrame(concatBytes(data as ArrayBufferView[]))
  } else if (data !== null && typeof data === 'object') {
    return validate(data, undefined)
  } else {
    return {
      type: 'error',
      error: new FeedError('parse', `Unsupported frame data of type ${typeof data}`),
    }
  }

  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    if (!looksLikeJson(text)) return KEEPALIVE
    const detail = cause instanceof Error ? `: ${cause.message}` : ''
    return {
      type: 'error',
      error: new FeedError('parse', `Frame is not valid JSON${detail}`, { raw: text }),
    }
  }
  return validate(json, text)
}

function looksLikeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue
    return c === 0x7b /* { */ || c === 0x5b /* [ */
  }
  return false
}

function validate(json: unknown, text: string | undefined): DecodeResult {
  const result = v.safeParse(FrameSchema, json, { abortEarly: true })
  if (result.success) return { type: 'frame', frame: result.output }
  const issue = result.issues[0]
  const path = v.getDotPath(issue) ?? ''
  const fixtureId =
    json !== null &&
    typeof json === 'object' &&
    typeof (json as { fixtureId?: unknown }).fixtureId === 'string'
      ? (json as { fixtureId: string }).fixtureId
      : undefined
  const where = path ? ` at ${path}` : ''
  return {
    type: 'error',
    error: new FeedError('schema', `Invalid frame${where}: ${issue.message}`, {
      path,
      raw: text ?? safeStringify(json),
      ...(fixtureId !== undefined && { fixtureId }),
    }),
  }
}

function safeStringify(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, RAW_EXCERPT_LIMIT)
  } catch {
    return String(value).slice(0, RAW_EXCERPT_LIMIT)
  }
}

function concatBytes(parts: ArrayBufferView[]): Uint8Array {
  let size = 0
  for (const p of parts) size += p.byteLength
  const out = new Uint8Array(size)
  let offset = 0
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), offset)
    offset += p.byteLength
  }
  return out
}
