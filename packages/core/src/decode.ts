/**
 * Socket data → a validated frame, a keepalive, or a typed error. Never throws.
 * @module
 */
import * as v from 'valibot'
import { FeedError, RAW_EXCERPT_LIMIT } from './errors.js'
import { FrameSchema, MAX_FIXTURE_ID_LENGTH, type OddsFrame } from './schema.js'

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

/** Default {@link DecodeOptions.maxFrameBytes}: 4 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 4 * 1024 * 1024
/**
 * Deepest nesting a frame may have, counting the frame object as level 1 (the feed's own
 * structure goes 9 deep to a price entry, a few more with `exchangeMeta`). Deeper is a `schema`
 * error: state stays deeply frozen and every later walk (merge, freeze, `JSON.stringify`) safe.
 */
export const MAX_FRAME_DEPTH = 64

/** Limits of {@link decodeFrame}. */
export interface DecodeOptions {
  /**
   * Largest text or binary frame, in UTF-8 bytes (default {@link DEFAULT_MAX_FRAME_BYTES}).
   * Larger is a `parse` error, checked before parsing, and nothing of it is stored. Exact for
   * bytes and for text (a string is measured in UTF-8 without encoding it). Already parsed
   * objects are not measured.
   */
  readonly maxFrameBytes?: number | undefined
}

/**
 * Decodes one socket message: a string, UTF-8 bytes (`ArrayBuffer`, any typed array or Node
 * `Buffer`), or an already parsed object.
 *
 * - Text or bytes over `maxFrameBytes` (default 4 MiB) are a `parse` error, never parsed.
 * - Text that is not JSON and does not start like a JSON object is a keepalive (the real feed
 *   sends one about every 25 s). A leading byte order mark or Unicode whitespace (`\u00a0`…)
 *   is stripped first: `\uFEFF{…}` is a frame, not a keepalive.
 * - Text starting with `{` or `[` that does not parse is a `parse` error; bytes that are not
 *   UTF-8 too.
 * - JSON that fails the frame schema is a `schema` error carrying the offending field's path:
 *   a wrongly typed field, a price that is not a finite number above 0, a `fixtureId` that is
 *   empty or longer than 128 characters, nesting deeper than {@link MAX_FRAME_DEPTH}.
 * - Keys named `__proto__`, `constructor` or `prototype` are dropped at every depth, below
 *   unknown fields too: the frame never owns one.
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
export function decodeFrame(data: unknown, options?: DecodeOptions): DecodeResult {
  return decodeSeeing(data, options, undefined)
}

/**
 * @internal What {@link decodeSeeing}'s fast check saw of a frame, for its caller to take with
 * the frame: `moves` is set when the frame is a price move alone (`bookmakerOdds` and
 * `fixtureId` only, every bookmaker, market and outcome holding its container alone, none
 * empty): its entries in the order the check visited them (`Object.keys` at every level),
 * `[slug, marketId, outcomeId, playerId, entry]` for each, flat. Else `undefined`. The store
 * folds such a frame from this list without walking it again (`PendingOdds`).
 */
export interface DecodeSight {
  moves: readonly unknown[] | undefined
}

/**
 * @internal {@link decodeFrame}, and what its fast check saw of the frame, written into
 * `sight` (the caller's own; `undefined`: nothing is collected).
 */
export function decodeSeeing(
  data: unknown,
  options: DecodeOptions | undefined,
  sight: DecodeSight | undefined,
): DecodeResult {
  if (sight) sight.moves = undefined
  const maxBytes = options?.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES
  let text: string
  if (typeof data === 'string') {
    if (data.length * 3 > maxBytes && utf8Length(data, maxBytes) > maxBytes) {
      return tooLarge(data, maxBytes)
    }
    text = data
  } else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) {
    if (data.byteLength > maxBytes) return tooLarge(undefined, maxBytes)
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
    return decodeSeeing(concatBytes(data as ArrayBufferView[]), options, sight)
  } else if (data !== null && typeof data === 'object') {
    return validate(data, undefined)
  } else {
    return {
      type: 'error',
      error: new FeedError('parse', `Unsupported frame data of type ${typeof data}`),
    }
  }

  text = trimUnicodeSpace(text)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    if (!looksLikeJson(text)) return KEEPALIVE
    return {
      type: 'error',
      error: new FeedError('parse', `Frame is not valid JSON${parseDetail(cause)}`, { raw: text }),
    }
  }
  // Fast path: the parsed value is ours (nobody else holds it), so when it is a frame exactly as
  // valibot would output it, it is the frame. Anything else goes through valibot, which builds
  // the output (or the error message and path).
  if (checkFrame(json, sight !== undefined)) {
    if (sight) sight.moves = movesFound
    movesFound = undefined
    return { type: 'frame', frame: json }
  }
  movesFound = undefined
  return validate(json, text)
}

/**
 * The registers of {@link checkFrame}'s walk (it never nests, and nothing else reads them):
 * the entries seen so far when collecting, or `undefined` (none yet, not collecting, or the
 * frame is not a price move alone: {@link movesOk} false).
 */
let movesFound: unknown[] | undefined
/** Whether the frame is a price move alone so far (and its moves are collected). */
let movesOk = false
/** The ids on the way down to the entries {@link isPlainPlayers} checks. */
let atSlug = ''
let atMarket = ''
let atOutcome = ''

type Obj = Record<string, unknown>

function tooLarge(text: string | undefined, maxBytes: number): DecodeResult {
  return {
    type: 'error',
    error: new FeedError('parse', `Frame is larger than maxFrameBytes (${maxBytes} bytes)`, {
      ...(text !== undefined && { raw: text.slice(0, RAW_EXCERPT_LIMIT) }),
    }),
  }
}

/**
 * UTF-8 length of `text`, counted without encoding; stops counting once past `limit`. A
 * string's `length` is a lower bound of it and 3 × `length` an upper bound, so this only runs
 * for strings that may be over the limit.
 */
function utf8Length(text: string, limit: number): number {
  let bytes = 0
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}

/**
 * JSON.parse skips ASCII whitespace only: a BOM or Unicode whitespace (`\u00a0`…) around the
 * frame goes too. Copies only when there is a non-ASCII character at either end.
 */
function trimUnicodeSpace(text: string): string {
  let start = 0
  while (start < text.length && isAsciiSpace(text.charCodeAt(start))) start++
  let end = text.length - 1
  while (end > start && isAsciiSpace(text.charCodeAt(end))) end--
  if (start > end) return text
  return text.charCodeAt(start) > 0x7f || text.charCodeAt(end) > 0x7f ? text.trim() : text
}

const isAsciiSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d

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
 * `true` when `json` passes {@link FrameSchema} AND valibot's output would equal `json` itself
 * AND it needs no cleaning: every object the schema expects is a plain object (valibot also
 * takes arrays there, and turns them into objects), no object anywhere, below unknown fields
 * included, has a reserved key (`__proto__`, `prototype`, `constructor`), and nothing nests
 * deeper than {@link MAX_FRAME_DEPTH}. Same rules as the schema for prices (finite, > 0) and
 * `fixtureId` (1 to 128 characters). Allocates nothing. `false` says nothing: the slow path
 * (clean, then valibot) decides. Proven against `v.safeParse(FrameSchema, …)` by
 * `decode.property.test.ts`.
 */
export function isPlainFrame(json: unknown): json is OddsFrame {
  return checkFrame(json, false)
}

/**
 * @internal {@link isPlainFrame}, and what it saw of the frame written into `sight` (as
 * {@link decodeSeeing} does): for objects parsed by their caller, which nobody else holds (the
 * relay client's frames).
 */
export function isPlainFrameSeeing(json: unknown, sight: DecodeSight): json is OddsFrame {
  sight.moves = undefined
  const plain = checkFrame(json, true)
  if (plain) sight.moves = movesFound
  movesFound = undefined
  return plain
}

/** {@link isPlainFrame}; with `collect`, the moves of a price move alone in {@link movesFound}. */
function checkFrame(json: unknown, collect: boolean): json is OddsFrame {
  if (!isObject(json)) return false
  const fixtureId = json.fixtureId
  if (typeof fixtureId !== 'string' || fixtureId.length === 0) return false
  if (fixtureId.length > MAX_FIXTURE_ID_LENGTH) return false
  movesFound = undefined
  movesOk = collect
  for (const key in json) {
    const value = json[key]
    // the frequent keys first: a switch compares in order
    switch (key) {
      case 'fixtureId':
        break
      case 'bookmakerOdds':
        if (value !== undefined && !isPlainOdds(value)) return false
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
        movesOk = false
        if (!isNullishNumber(value)) return false
        break
      case 'startTime':
        movesOk = false
        if (!isNullishNumberOrString(value)) return false
        break
      case 'participant1Name':
      case 'participant2Name':
      case 'flashscoreId':
      case 'updatedAt':
        movesOk = false
        if (!isNullishString(value)) return false
        break
      case 'scores':
        movesOk = false
        if (value !== undefined && !isPlainScores(value)) return false
        break
      default:
        movesOk = false
        // unknown keys: valibot keeps their values as they are, so they must be clean
        if (!isCleanJson(value, 2)) return false
    }
  }
  if (!movesOk) movesFound = undefined
  return true
}

const isReserved = (key: string): boolean =>
  key === '__proto__' || key === 'prototype' || key === 'constructor'

/**
 * `true` when `value`, found at nesting level `depth`, has no reserved key anywhere and no
 * level past {@link MAX_FRAME_DEPTH}. Recursion is bounded by that limit. Allocates nothing.
 */
function isCleanJson(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return true
  if (depth > MAX_FRAME_DEPTH) return false
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isCleanJson(value[i], depth + 1)) return false
    return true
  }
  const node = value as Obj
  for (const key in node) if (isReserved(key) || !isCleanJson(node[key], depth + 1)) return false
  return true
}

function isRecordOf(value: unknown, entry: (value: unknown) => boolean): boolean {
  if (!isObject(value)) return false
  for (const key in value) if (isReserved(key) || !entry(value[key])) return false
  return true
}

// The records of the known tree, each its own loop: one call target per loop (monomorphic),
// where `isRecordOf`'s `entry(…)` sees five. Their keys are ids (`101`), which objects keep as
// elements: `for…in` over elements takes V8's slow path, `Object.keys` is faster (measured:
// parse + check 0.72–0.74 × `JSON.parse` with `for…in`, 0.77–0.78 with `Object.keys`).

function isPlainOdds(value: unknown): boolean {
  if (!isObject(value)) return false
  const keys = Object.keys(value)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    atSlug = key
    if (isReserved(key) || !isPlainBookmaker(value[key])) return false
  }
  return true
}

function isPlainMarkets(value: unknown): boolean {
  if (!isObject(value)) return false
  const keys = Object.keys(value)
  if (keys.length === 0) movesOk = false
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    atMarket = key
    if (isReserved(key) || !isPlainMarket(value[key])) return false
  }
  return true
}

function isPlainOutcomes(value: unknown): boolean {
  if (!isObject(value)) return false
  const keys = Object.keys(value)
  if (keys.length === 0) movesOk = false
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    atOutcome = key
    if (isReserved(key) || !isPlainOutcome(value[key])) return false
  }
  return true
}

function isPlainPlayers(value: unknown): boolean {
  if (!isObject(value)) return false
  const keys = Object.keys(value)
  if (keys.length === 0) movesOk = false
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string
    const entry = value[key]
    if (isReserved(key) || !isPlainPlayer(entry)) return false
    if (movesOk) {
      if (movesFound === undefined) movesFound = [atSlug, atMarket, atOutcome, key, entry]
      else movesFound.push(atSlug, atMarket, atOutcome, key, entry)
    }
  }
  return true
}

function isPlainBookmaker(value: unknown): boolean {
  if (!isObject(value)) return false
  let holds = false
  for (const key in value) {
    const field = value[key]
    switch (key) {
      case 'markets':
        holds = true
        if (field !== undefined && !isPlainMarkets(field)) return false
        break
      case 'bookmakerFixtureId':
      case 'fixturePath':
        movesOk = false
        if (!isNullishString(field)) return false
        break
      case 'bookmakerIsActive':
      case 'suspended':
        movesOk = false
        if (!isNullishBoolean(field)) return false
        break
      default:
        movesOk = false
        if (isReserved(key) || !isCleanJson(field, 4)) return false
    }
  }
  // (a bookmaker without markets is no price move: what folds it is its fields)
  if (!holds) movesOk = false
  return true
}

function isPlainMarket(value: unknown): boolean {
  if (!isObject(value)) return false
  let holds = false
  for (const key in value) {
    const field = value[key]
    switch (key) {
      case 'outcomes':
        holds = true
        if (field !== undefined && !isPlainOutcomes(field)) return false
        break
      case 'bookmakerMarketId':
        movesOk = false
        if (!isNullishString(field)) return false
        break
      case 'marketActive':
        movesOk = false
        if (!isNullishBoolean(field)) return false
        break
      default:
        movesOk = false
        if (isReserved(key) || !isCleanJson(field, 6)) return false
    }
  }
  if (!holds) movesOk = false
  return true
}

function isPlainOutcome(value: unknown): boolean {
  if (!isObject(value)) return false
  let holds = false
  for (const key in value) {
    if (key === 'players') {
      holds = true
      const field = value[key]
      if (field !== undefined && !isPlainPlayers(field)) return false
    } else {
      movesOk = false
      if (isReserved(key) || !isCleanJson(value[key], 8)) return false
    }
  }
  if (!holds) movesOk = false
  return true
}

/** What the schema takes for a price: finite and above 0 (`1e400` parses to `Infinity`). */
const isPrice = (value: unknown): boolean =>
  typeof value === 'number' && value > 0 && value < Number.POSITIVE_INFINITY

function isPlainPlayer(value: unknown): boolean {
  if (!isObject(value) || !isPrice(value.price)) return false
  // Fast path, specialised for the known tree: the known fields read by name (monomorphic
  // loads: JSON.parse gives the entries of a feed one shape), the same checks as the switch
  // below; when they are all the keys the entry has, the switch is not needed.
  let known = 1
  const active = value.active
  if (active !== undefined) {
    if (typeof active !== 'boolean') return false
    known++
  }
  const limit = value.limit
  if (limit !== undefined) {
    if (limit !== null && (typeof limit !== 'number' || Number.isNaN(limit))) return false
    known++
  }
  const playerId = value.playerId
  if (playerId !== undefined) {
    if (playerId !== null && (typeof playerId !== 'number' || Number.isNaN(playerId))) return false
    known++
  }
  const oddsId = value.oddsId
  if (oddsId !== undefined) {
    if (oddsId !== null && typeof oddsId !== 'string') return false
    known++
  }
  const changedAt = value.changedAt
  if (changedAt !== undefined) {
    if (changedAt !== null && typeof changedAt !== 'string') return false
    known++
  }
  const playerName = value.playerName
  if (playerName !== undefined) {
    if (playerName !== null && typeof playerName !== 'string') return false
    known++
  }
  const outcomeId = value.bookmakerOutcomeId
  if (outcomeId !== undefined) {
    if (
      outcomeId !== null &&
      typeof outcomeId !== 'string' &&
      (typeof outcomeId !== 'number' || Number.isNaN(outcomeId))
    ) {
      return false
    }
    known++
  }
  // the socket's two opaque fields, as they mostly come: `{}` (or null) and null
  const meta = value.exchangeMeta
  if (meta !== undefined) {
    if (meta !== null && !isCleanJson(meta, 10)) return false
    known++
  }
  const betslip = value.betslip
  if (betslip !== undefined) {
    if (betslip !== null && !isCleanJson(betslip, 10)) return false
    known++
  }
  let count = 0
  for (const _ in value) count++
  if (count === known) return true
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
        if (isReserved(key) || !isCleanJson(field, 10)) return false
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
    } else if (isReserved(key) || !isCleanJson(value[key], 3)) {
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
        if (isReserved(key) || !isCleanJson(field, 5)) return false
    }
  }
  return true
}

/**
 * Where `JSON.parse` stopped, without the excerpt of the text V8 quotes in its message (the text
 * is in `raw`; a quoted excerpt could carry a cut piece of a secret that no redactor recognises).
 */
function parseDetail(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : ''
  const at = /position (\d+)/.exec(message)
  if (at) return ` (at position ${at[1]})`
  if (/end of JSON input|Unterminated/i.test(message)) return ' (unexpected end of input)'
  return ''
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
  const cleaned = cleanJson(json, 1)
  if (cleaned instanceof TooDeep) {
    const path = cleaned.path.join('.')
    return schemaError(json, text, path, `nested deeper than ${MAX_FRAME_DEPTH} levels`)
  }
  const result = v.safeParse(FrameSchema, cleaned, { abortEarly: true })
  if (result.success) return { type: 'frame', frame: result.output }
  const issue = result.issues[0]
  return schemaError(json, text, v.getDotPath(issue) ?? '', issue.message)
}

function schemaError(
  json: unknown,
  text: string | undefined,
  path: string,
  message: string,
): DecodeResult {
  const fixtureId =
    json !== null &&
    typeof json === 'object' &&
    typeof (json as { fixtureId?: unknown }).fixtureId === 'string'
      ? (json as { fixtureId: string }).fixtureId
      : undefined
  const where = path ? ` at ${path}` : ''
  return {
    type: 'error',
    error: new FeedError('schema', `Invalid frame${where}: ${message}`, {
      path,
      raw: text ?? safeStringify(json),
      ...(fixtureId !== undefined && { fixtureId }),
    }),
  }
}

/** Where a value nests past {@link MAX_FRAME_DEPTH}: the keys down to it. */
class TooDeep {
  readonly path: string[] = []
}

/**
 * `value` (at nesting level `depth`) without reserved keys at any depth: itself when it has
 * none, else a copy of what holds them. {@link TooDeep} when it nests past the limit. Recursion
 * is bounded by the limit, so no frame can overflow the stack.
 */
function cleanJson(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value
  if (depth > MAX_FRAME_DEPTH) return new TooDeep()
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      const next = cleanJson(item, depth + 1)
      if (next instanceof TooDeep) {
        next.path.unshift(String(i))
        return next
      }
      if (next !== item && !copy) copy = value.slice(0, i)
      if (copy) copy.push(next)
    }
    return copy ?? value
  }
  const node = value as Obj
  let copy: Obj | undefined
  for (const key in node) {
    if (!hasOwn.call(node, key)) continue
    if (isReserved(key)) {
      copy ??= copyUntil(node, key)
      continue
    }
    const item = node[key]
    const next = cleanJson(item, depth + 1)
    if (next instanceof TooDeep) {
      next.path.unshift(key)
      return next
    }
    if (next !== item) copy ??= copyUntil(node, key)
    if (copy) copy[key] = next
  }
  return copy ?? node
}

const hasOwn = Object.prototype.hasOwnProperty

/** A copy of `node`'s own non-reserved keys that come before `stop`, in order. */
function copyUntil(node: Obj, stop: string): Obj {
  const copy: Obj = {}
  for (const key in node) {
    if (key === stop) break
    if (hasOwn.call(node, key) && !isReserved(key)) copy[key] = node[key]
  }
  return copy
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
