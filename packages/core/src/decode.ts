/**
 * Socket data → a validated frame, a keepalive, or a typed error. Never throws.
 * @module
 */
import * as v from 'valibot'
import { FeedError, RAW_EXCERPT_LIMIT } from './errors.js'
import { FrameSchema, type OddsFrame } from './schema.js'

/** What one piece of socket data turned out to be. */
export type DecodeResult =
  | {
      /** A valid frame. */
      readonly type: 'frame'
      /** The validated frame. */
      readonly frame: OddsFrame
    }
  | {
      /** Text that is not JSON (the feed's `ping`): proves the connection alive. */
      readonly type: 'keepalive'
    }
  | {
      /** Bad input: applied nowhere, reported on `errors$`. */
      readonly type: 'error'
      /** A `parse` or `schema` error. */
      readonly error: FeedError
    }

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
 *
 * @example
 * ```ts
 * const result = decodeFrame(message.data)
 * if (result.type === 'frame') fixture = mergeFrame(fixture, result.frame)
 * else if (result.type === 'error') console.error(result.error.kind, result.error.path)
 * // 'keepalive': the connection is alive, nothing to apply
 * ```
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
  // Fast path: the parsed value is ours (nobody else holds it), so when it is a frame exactly as
  // valibot would output it, it is the frame. Anything else goes through valibot, which builds
  // the output (or the error message and path).
  if (isPlainFrame(json)) return { type: 'frame', frame: json }
  return validate(json, text)
}

type Obj = Record<string, unknown>

const isObject = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
const isNumber = (value: unknown): boolean => typeof value === 'number' && !Number.isNaN(value)
const isNullishNumber = (value: unknown): boolean =>
  value === null || value === undefined || isNumber(value)
const isNullishString = (value: unknown): boolean =>
  value === null || value === undefined || typeof value === 'string'
const isNullishBoolean = (value: unknown): boolean =>
  value === null || value === undefined || typeof value === 'boolean'
const isNullishNumberOrString = (value: unknown): boolean =>
  value === null || value === undefined || typeof value === 'string' || isNumber(value)

/**
 * `true` when `json` passes {@link FrameSchema} AND valibot's output would equal `json` itself:
 * every object the schema expects is a plain object (valibot also takes arrays there, and turns
 * them into objects) and no object anywhere has a key valibot drops (`__proto__`, `prototype`,
 * `constructor`). Allocates nothing. `false` says nothing: valibot then decides. Proven against
 * `v.safeParse(FrameSchema, …)` by `decode.property.test.ts`.
 */
export function isPlainFrame(json: unknown): json is OddsFrame {
  if (!isObject(json) || typeof json.fixtureId !== 'string') return false
  for (const key in json) {
    const value = json[key]
    switch (key) {
      case 'fixtureId':
        break
      case '__proto__':
      case 'prototype':
      case 'constructor':
        return false
      case 'betradarId':
      case 'participant1Id':
      case 'participant2Id':
      case 'sportId':
      case 'tournamentId':
      case 'seasonId':
      case 'sofascoreId':
      case 'betgeniusId':
      case 'statusId':
        if (!isNullishNumber(value)) return false
        break
      case 'startTime':
        if (!isNullishNumberOrString(value)) return false
        break
      case 'participant1Name':
      case 'participant2Name':
      case 'flashscoreId':
      case 'updatedAt':
        if (!isNullishString(value)) return false
        break
      case 'scores':
        if (value !== undefined && !isPlainScores(value)) return false
        break
      case 'bookmakerOdds':
        if (value !== undefined && !isRecordOf(value, isPlainBookmaker)) return false
        break
      // unknown keys: valibot keeps their values as they are
    }
  }
  return true
}

const isReserved = (key: string): boolean =>
  key === '__proto__' || key === 'prototype' || key === 'constructor'

function isRecordOf(value: unknown, entry: (value: unknown) => boolean): boolean {
  if (!isObject(value)) return false
  for (const key in value) if (isReserved(key) || !entry(value[key])) return false
  return true
}

function isPlainBookmaker(value: unknown): boolean {
  if (!isObject(value)) return false
  for (const key in value) {
    const field = value[key]
    switch (key) {
      case 'bookmakerFixtureId':
      case 'fixturePath':
        if (!isNullishString(field)) return false
        break
      case 'bookmakerIsActive':
      case 'suspended':
        if (!isNullishBoolean(field)) return false
        break
      case 'markets':
        if (field !== undefined && !isRecordOf(field, isPlainMarket)) return false
        break
      default:
        if (isReserved(key)) return false
    }
  }
  return true
}

function isPlainMarket(value: unknown): boolean {
  if (!isObject(value)) return false
  for (const key in value) {
    const field = value[key]
    switch (key) {
      case 'bookmakerMarketId':
        if (!isNullishString(field)) return false
        break
      case 'marketActive':
        if (!isNullishBoolean(field)) return false
        break
      case 'outcomes':
        if (field !== undefined && !isRecordOf(field, isPlainOutcome)) return false
        break
      default:
        if (isReserved(key)) return false
    }
  }
  return true
}

function isPlainOutcome(value: unknown): boolean {
  if (!isObject(value)) return false
  for (const key in value) {
    if (key === 'players') {
      const field = value[key]
      if (field !== undefined && !isRecordOf(field, isPlainPlayer)) return false
    } else if (isReserved(key)) {
      return false
    }
  }
  return true
}

function isPlainPlayer(value: unknown): boolean {
  if (!isObject(value) || !isNumber(value.price)) return false
  for (const key in value) {
    const field = value[key]
    switch (key) {
      case 'active':
        if (field !== undefined && typeof field !== 'boolean') return false
        break
      case 'limit':
      case 'playerId':
        if (!isNullishNumber(field)) return false
        break
      case 'oddsId':
      case 'changedAt':
      case 'playerName':
        if (!isNullishString(field)) return false
        break
      case 'bookmakerOutcomeId':
        if (!isNullishNumberOrString(field)) return false
        break
      default:
        if (isReserved(key)) return false
    }
  }
  return true
}

function isPlainScores(value: unknown): boolean {
  if (!isObject(value)) return false
  for (const key in value) {
    if (key === 'periods') {
      const field = value[key]
      if (field !== undefined && !isRecordOf(field, isPlainPeriod)) return false
    } else if (isReserved(key)) {
      return false
    }
  }
  return true
}

function isPlainPeriod(value: unknown): boolean {
  if (!isObject(value)) return false
  for (const key in value) {
    const field = value[key]
    switch (key) {
      case 'participant1Score':
      case 'participant2Score':
        if (!isNullishNumber(field)) return false
        break
      case 'updatedAt':
        if (!isNullishString(field)) return false
        break
      default:
        if (isReserved(key)) return false
    }
  }
  return true
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
