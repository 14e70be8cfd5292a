/**
 * A fixture's merged state packed into bytes (the `compact` store, {@link StoreOptions}), and
 * unpacked again into exactly the frozen plain objects it was made of: same keys in the same
 * order, same values (`-0`, `{}` vs `null`, a string `"109"` vs a number, unknown fields, …).
 *
 * One `Uint8Array` per fixture: a tag byte per value, integers as varints, decimals as a
 * mantissa and an exponent when that gives back the very same double (else the 8 bytes), the
 * feed's two timestamp layouts as instants, id-like strings (`"214799768"`) as integers,
 * field names and the key lists of objects (`{ price, active, … }`) as indexes into tables
 * of the {@link Packer} (bounded: past them, names are written out). What cannot be packed
 * exactly (a value JSON cannot hold: a function, a `Map`, a sparse array, …) is not: then
 * {@link Packer.pack} returns `undefined` and the store keeps the objects.
 * @module
 */
import { isArrayIndex, isCanonicalDigits, skeletonOf } from './keys.js'
import type { Fixture } from './schema.js'

type Obj = Record<string, unknown>

/**
 * One bookmaker of a fixture (`bookmakerOdds[slug]`), packed: the bytes of its whole subtree.
 * Only ever found inside a {@link PackedFixture}'s `hollow`, never in a state anybody reads.
 */
export class PackedNode {
  constructor(
    /** The packed subtree. */
    readonly bytes: Uint8Array,
  ) {
    Object.freeze(this)
  }
}

/**
 * A packed fixture: its state with each bookmaker's odds packed ({@link PackedNode}), the rest
 * (the fixture's fields, scores, the `bookmakerOdds` record itself) kept as it is. A frame
 * that changes no bookmaker (a score, a status) merges into it without unpacking anything; one
 * that does needs only its bookmakers unpacked ({@link Packer.open}).
 */
export class PackedFixture {
  constructor(
    /**
     * The fixture as stored, with {@link PackedNode}s for bookmakers: frozen, typed `Fixture`
     * for the merge ({@link Packer.open}); never handed to a reader.
     */
    readonly hollow: Fixture,
  ) {
    Object.freeze(this)
  }
}

// Tags (one byte before every value).
const NULL = 0
const FALSE = 1
const TRUE = 2
const UNDEFINED = 3
const INT = 4
const NEG_INT = 5
/** A decimal `m / 10^e`: the exponent byte, then the mantissa. */
const DECIMAL = 6
const NEG_DECIMAL = 7
/** Any other number: 8 bytes. */
const FLOAT = 8
/** A string of char codes below 256: its length, then one byte a char. */
const BYTES = 9
/** Any other string: its length, then two bytes a UTF-16 code unit. */
const WIDE = 10
/** A canonical non-negative integer written as a string (`"214799768"`). */
const DIGITS = 11
/** The same string as the last string written (`bookmakerChangedAt` then `changedAt`). */
const SAME = 12
/** `2026-06-01T11:58:13.394Z`: the instant in ms. */
const STAMP_MS = 13
/** `2026-06-01T12:00:00.001000+00:00`: the instant in µs. */
const STAMP_US = 14
const ARRAY = 15
/** An object whose key list is in the shape table: the shape's index, then the values. */
const SHAPED = 16
/** Any other object: its key count, then each key ({@link writeKey}) and value. */
const KEYED = 17

/** Names and shapes a {@link Packer} keeps at most (then they are written out). */
const MAX_NAMES = 4096
const MAX_SHAPES = 4096

/** A key list of the shape table, with what unpacking needs. */
interface Shape {
  readonly keys: readonly string[]
  /** `{"a":null,…}`: parsed, it gives an object laid out for these keys, as `JSON.parse` does. */
  readonly skeleton: string
  /**
   * Whether a key is an id (`"101"`): then the object is parsed from the skeleton, so ids
   * get a backing store of their own size, never a holey array up to the largest.
   */
  readonly ids: boolean
}

/** Records of ids (`{ "101": …, "102": … }`) get a shape up to this many keys (outcomes, players). */
const MAX_SHAPED_IDS = 4

const POW10 = Array.from({ length: 16 }, (_, i) => 10 ** i)

/**
 * Packs fixtures and unpacks them; one per store. Its tables (field names, objects' key lists)
 * only grow, up to {@link MAX_NAMES} and {@link MAX_SHAPES}: a fixture packed by one packer is
 * unpacked by the same one.
 */
export class Packer {
  private readonly nameIndex = new Map<string, number>()
  private readonly names: string[] = []
  private readonly shapeIndex = new Map<string, number>()
  private readonly shapes: Shape[] = []
  /** By key count: the shape last found of that many keys. */
  private readonly recent: (number | undefined)[] = []
  // the writer's state (packing never nests)
  private buf = new Uint8Array(1 << 16)
  private pos = 0
  private lastString: string | undefined
  // the reader's state
  private bytes: Uint8Array = this.buf
  private at = 0
  private lastRead = ''

  /**
   * The fixture with every bookmaker whose odds are plain objects packed (those packed already
   * stay as they are); `undefined` when none is packed (no `bookmakerOdds` record, or nothing in
   * it that can be packed exactly): then the fixture is kept as it is.
   */
  pack(fixture: Fixture): PackedFixture | undefined {
    const odds = (fixture as Obj).bookmakerOdds
    if (!isPlain(odds)) return undefined
    const slugs = Object.keys(odds)
    let changed = false
    let packedAny = false
    const values: unknown[] = new Array(slugs.length)
    for (let i = 0; i < slugs.length; i++) {
      const value = odds[slugs[i] as string]
      let next = value
      if (isPlain(value)) {
        const bytes = this.bytesOf(value)
        if (bytes !== undefined) {
          next = new PackedNode(bytes)
          changed = true
        }
      }
      if (next instanceof PackedNode) packedAny = true
      values[i] = next
    }
    if (!packedAny) return undefined
    if (!changed) return new PackedFixture(fixture)
    return new PackedFixture(withOdds(fixture, rebuilt(slugs, values)))
  }

  /** The fixture as it was packed: new, deeply frozen plain objects (what the hollow shares stays). */
  unpack(packed: PackedFixture): Fixture {
    return this.unpackSome(packed.hollow, undefined)
  }

  /** A fixture with the bookmakers still packed in it unpacked (the rest shared). */
  full(fixture: Fixture): Fixture {
    return this.unpackSome(fixture, undefined)
  }

  /**
   * What frames merge into: the hollow with every bookmaker a frame names unpacked (the merge
   * reaches no other: it merges objects key by key and keeps what a frame does not name as it
   * is). A frame whose `bookmakerOdds` is not a plain object replaces the record whole: then
   * everything is unpacked.
   */
  open(packed: PackedFixture, frames: readonly unknown[]): Fixture {
    const named = new Set<string>()
    for (let f = 0; f < frames.length; f++) {
      const frame = frames[f] as Obj
      if (!Object.hasOwn(frame, 'bookmakerOdds')) continue
      const odds = frame.bookmakerOdds
      if (!isPlain(odds)) return this.unpack(packed)
      for (const slug in odds) if (Object.hasOwn(odds, slug)) named.add(slug)
    }
    return named.size === 0 ? packed.hollow : this.unpackSome(packed.hollow, named)
  }

  /** `fixture` with the packed bookmakers in `slugs` (all, without) unpacked. */
  private unpackSome(fixture: Fixture, slugs: ReadonlySet<string> | undefined): Fixture {
    const odds = (fixture as Obj).bookmakerOdds
    if (!isPlain(odds)) return fixture
    const keys = Object.keys(odds)
    const values: unknown[] = new Array(keys.length)
    let changed = false
    for (let i = 0; i < keys.length; i++) {
      const slug = keys[i] as string
      const value = odds[slug]
      if (value instanceof PackedNode && (slugs === undefined || slugs.has(slug))) {
        values[i] = this.unpackNode(value)
        changed = true
      } else values[i] = value
    }
    return changed ? withOdds(fixture, rebuilt(keys, values)) : fixture
  }

  /** The bytes of one subtree, or `undefined` when it cannot be packed exactly. */
  private bytesOf(node: Obj): Uint8Array | undefined {
    this.pos = 0
    this.lastString = undefined
    return this.write(node) ? this.buf.slice(0, this.pos) : undefined
  }

  private unpackNode(node: PackedNode): unknown {
    this.bytes = node.bytes
    this.at = 0
    this.lastRead = ''
    return this.read()
  }

  // —— writing ——

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n))
    next.set(this.buf.subarray(0, this.pos))
    this.buf = next
  }

  private byte(b: number): void {
    this.room(1)
    this.buf[this.pos++] = b
  }

  /** A non-negative safe integer, 7 bits a byte. */
  private varint(n: number): void {
    this.room(8)
    const buf = this.buf
    while (n >= 128) {
      buf[this.pos++] = (n % 128) | 128
      n = Math.floor(n / 128)
    }
    buf[this.pos++] = n
  }

  private write(value: unknown): boolean {
    switch (typeof value) {
      case 'string':
        this.string(value)
        return true
      case 'number':
        this.number(value)
        return true
      case 'boolean':
        this.byte(value ? TRUE : FALSE)
        return true
      case 'undefined':
        this.byte(UNDEFINED)
        return true
      case 'object':
        if (value === null) {
          this.byte(NULL)
          return true
        }
        return Array.isArray(value) ? this.array(value) : this.object(value)
      default:
        return false
    }
  }

  private number(n: number): void {
    if (Number.isSafeInteger(n) && !Object.is(n, -0)) {
      this.byte(n < 0 ? NEG_INT : INT)
      this.varint(Math.abs(n))
      return
    }
    // (-0 is written as a float: a decimal has no sign of zero)
    if (Number.isFinite(n) && n !== 0) {
      const abs = Math.abs(n)
      for (let e = 1; e < POW10.length; e++) {
        const scale = POW10[e] as number
        const m = Math.round(abs * scale)
        if (m > Number.MAX_SAFE_INTEGER) break
        if (m / scale === abs) {
          this.byte(n < 0 ? NEG_DECIMAL : DECIMAL)
          this.byte(e)
          this.varint(m)
          return
        }
      }
    }
    this.byte(FLOAT)
    this.room(8)
    FLOAT_VIEW[0] = n
    this.buf.set(FLOAT_BYTES, this.pos)
    this.pos += 8
  }

  private string(s: string): void {
    if (s === this.lastString) {
      this.byte(SAME)
      return
    }
    this.lastString = s
    if (isDigits(s)) {
      this.byte(DIGITS)
      this.varint(Number(s))
      return
    }
    const stamp = stampOf(s)
    if (stamp !== undefined) {
      this.byte(stamp.micros ? STAMP_US : STAMP_MS)
      this.varint(stamp.value)
      return
    }
    this.text(s)
  }

  /** A string as it is: one byte a char when it can, else two. */
  private text(s: string): void {
    let narrow = true
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) > 255) {
        narrow = false
        break
      }
    }
    this.byte(narrow ? BYTES : WIDE)
    this.varint(s.length)
    this.room(narrow ? s.length : s.length * 2)
    const buf = this.buf
    let pos = this.pos
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      if (narrow) buf[pos++] = c
      else {
        buf[pos++] = c & 255
        buf[pos++] = c >>> 8
      }
    }
    this.pos = pos
  }

  private array(list: readonly unknown[]): boolean {
    if (Object.getPrototypeOf(list) !== Array.prototype) return false
    this.byte(ARRAY)
    this.varint(list.length)
    for (let i = 0; i < list.length; i++) {
      if (!(i in list) || !this.write(list[i])) return false
    }
    return true
  }

  private object(node: object): boolean {
    if (Object.getPrototypeOf(node) !== Object.prototype) return false
    const obj = node as Obj
    const keys = Object.keys(obj)
    if (Object.getOwnPropertySymbols(obj).length > 0) return false
    const shape = this.shapeOf(keys)
    if (shape !== undefined) {
      this.byte(SHAPED)
      this.varint(shape)
      for (let i = 0; i < keys.length; i++) if (!this.write(obj[keys[i] as string])) return false
      return true
    }
    this.byte(KEYED)
    this.varint(keys.length)
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as string
      this.key(key)
      if (!this.write(obj[key])) return false
    }
    return true
  }

  /**
   * The index of a key list (of names, or of up to {@link MAX_SHAPED_IDS} ids: records of more
   * ids, such as markets, are {@link KEYED}), added to the table while there is room.
   */
  private shapeOf(keys: readonly string[]): number | undefined {
    if (keys.length === 0) return undefined
    let ids = false
    for (let i = 0; i < keys.length; i++) {
      if (isArrayIndex(keys[i] as string)) {
        ids = true
        break
      }
    }
    if (ids && keys.length > MAX_SHAPED_IDS) return undefined
    // most objects have the key list of the last one of their size (price entries, levels)
    const recent = this.recent[keys.length]
    if (recent !== undefined && sameKeys((this.shapes[recent] as Shape).keys, keys)) return recent
    const id = keys.join('\u0000')
    const known = this.shapeIndex.get(id)
    if (known !== undefined) this.recent[keys.length] = known
    if (known !== undefined || this.shapes.length >= MAX_SHAPES) return known
    const index = this.shapes.length
    const skeleton = skeletonOf(keys)
    this.shapes.push({ keys, skeleton, ids })
    this.shapeIndex.set(id, index)
    this.recent[keys.length] = index
    return index
  }

  /** A key: `2i + 2` for array index `i`, `2n + 1` for name `n`, `0` and the text otherwise. */
  private key(key: string): void {
    if (isArrayIndex(key)) {
      this.varint(Number(key) * 2 + 2)
      return
    }
    let name = this.nameIndex.get(key)
    if (name === undefined && this.names.length < MAX_NAMES) {
      name = this.names.length
      this.names.push(key)
      this.nameIndex.set(key, name)
    }
    if (name !== undefined) this.varint(name * 2 + 1)
    else {
      this.varint(0)
      this.text(key)
    }
  }

  // —— reading ——

  private readVarint(): number {
    const bytes = this.bytes
    let b = bytes[this.at++] as number
    if (b < 128) return b
    let n = b & 127
    let scale = 128
    for (;;) {
      b = bytes[this.at++] as number
      n += (b & 127) * scale
      if (b < 128) return n
      scale *= 128
    }
  }

  private read(): unknown {
    const tag = this.bytes[this.at++]
    switch (tag) {
      case NULL:
        return null
      case FALSE:
        return false
      case TRUE:
        return true
      case UNDEFINED:
        return undefined
      case INT:
        return this.readVarint()
      case NEG_INT:
        return -this.readVarint()
      case DECIMAL:
      case NEG_DECIMAL: {
        const scale = POW10[this.bytes[this.at++] as number] as number
        const abs = this.readVarint() / scale
        return tag === DECIMAL ? abs : -abs
      }
      case FLOAT:
        FLOAT_BYTES.set(this.bytes.subarray(this.at, this.at + 8))
        this.at += 8
        return FLOAT_VIEW[0]
      case SAME:
        return this.lastRead
      case DIGITS:
        return this.remember(String(this.readVarint()))
      case STAMP_MS:
        return this.remember(formatMillis(this.readVarint()))
      case STAMP_US:
        return this.remember(formatMicros(this.readVarint()))
      case BYTES:
      case WIDE:
        return this.remember(this.readText(tag === WIDE))
      case ARRAY: {
        const length = this.readVarint()
        const list: unknown[] = new Array(length)
        for (let i = 0; i < length; i++) list[i] = this.read()
        return Object.freeze(list)
      }
      case SHAPED: {
        const shape = this.shapes[this.readVarint()] as Shape
        const keys = shape.keys
        // names: assigned into `{}` (then frozen: several times faster than into a parsed
        // skeleton or a spread copy, for a few fields of slack); ids: parsed from the skeleton
        const node = shape.ids ? (JSON.parse(shape.skeleton) as Obj) : {}
        for (let i = 0; i < keys.length; i++) set(node, keys[i] as string, this.read())
        return Object.freeze(node)
      }
      case KEYED: {
        const count = this.readVarint()
        if (count === 0) return EMPTY
        const keys: string[] = new Array(count)
        const values: unknown[] = new Array(count)
        for (let i = 0; i < count; i++) {
          keys[i] = this.readKey()
          values[i] = this.read()
        }
        const node = blank(keys)
        for (let i = 0; i < count; i++) set(node, keys[i] as string, values[i])
        return Object.freeze(node)
      }
      default:
        throw new TypeError(`Corrupt packed fixture: tag ${tag} at ${this.at - 1}`)
    }
  }

  private remember(s: string): string {
    this.lastRead = s
    return s
  }

  private readText(wide: boolean): string {
    const length = this.readVarint()
    const bytes = this.bytes
    let at = this.at
    let s = ''
    if (!wide && length <= SHORT) {
      // short strings concatenated char by char come out flat
      for (let i = 0; i < length; i++) s += String.fromCharCode(bytes[at + i] as number)
      this.at = at + length
      return s
    }
    if (!wide) {
      for (let i = 0; i < length; i += CHUNK) {
        const end = Math.min(length, i + CHUNK)
        s += String.fromCharCode.apply(
          null,
          bytes.subarray(at + i, at + end) as unknown as number[],
        )
      }
      this.at = at + length
      return s
    }
    const units: number[] = new Array(length)
    for (let i = 0; i < length; i++) {
      units[i] = (bytes[at] as number) | ((bytes[at + 1] as number) << 8)
      at += 2
    }
    for (let i = 0; i < length; i += CHUNK) {
      s += String.fromCharCode.apply(null, units.slice(i, i + CHUNK))
    }
    this.at = at
    return s
  }

  private readKey(): string {
    const code = this.readVarint()
    if (code === 0) {
      const tag = this.bytes[this.at++]
      return this.readText(tag === WIDE)
    }
    if (code % 2 === 1) return this.names[(code - 1) / 2] as string
    return String((code - 2) / 2)
  }
}

const isPlain = (value: unknown): value is Obj =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** A frozen object of these keys and values, in this order. */
function rebuilt(keys: readonly string[], values: readonly unknown[]): Obj {
  const node = blank(keys)
  for (let i = 0; i < keys.length; i++) set(node, keys[i] as string, values[i])
  return Object.freeze(node)
}

/** A frozen copy of `fixture` (same keys, same order) with `odds` for its `bookmakerOdds`. */
function withOdds(fixture: Fixture, odds: Obj): Fixture {
  const source = fixture as Obj
  const keys = Object.keys(source)
  const values = keys.map((key) => (key === 'bookmakerOdds' ? odds : source[key]))
  return rebuilt(keys, values) as Fixture
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Strings up to this long are read char by char. */
const SHORT = 12

/** Chars per `String.fromCharCode` call. */
const CHUNK = 4096

const FLOAT_VIEW = new Float64Array(1)
const FLOAT_BYTES = new Uint8Array(FLOAT_VIEW.buffer)

/** The one frozen `{}` unpacked empty objects share (as merged state's `exchangeMeta: {}` do). */
const EMPTY: Obj = Object.freeze({})

/** Sets an own value; `__proto__` is defined, not assigned (which would set the prototype). */
function set(node: Obj, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(node, key, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    })
  } else node[key] = value
}

/**
 * An object laid out for `keys` as `JSON.parse` lays out the source (see `compactCopy` in
 * merge.ts): parsed from a skeleton `{"101":null,…}`, so ids such as `100036` get a backing
 * store of their own size, not a holey array up to the largest.
 */
function blank(keys: readonly string[]): Obj {
  return JSON.parse(skeletonOf(keys)) as Obj
}

/** A canonical non-negative integer of up to 15 digits (exact as a double). */
const isDigits = (s: string): boolean => isCanonicalDigits(s, 15)

/**
 * The instant of a timestamp in one of the feed's two layouts, when formatting it back gives
 * the very same text: `2026-06-01T11:58:13.394Z` (REST; in ms) and
 * `2026-06-01T12:00:00.001000+00:00` (the socket; in µs). Years 1970 to 9999.
 */
function stampOf(s: string): { value: number; micros: boolean } | undefined {
  const length = s.length
  if (length !== 24 && length !== 32) return undefined
  const ms = millisOf(s)
  if (ms === undefined) return undefined
  if (length === 24) {
    return s.charCodeAt(23) === 90 /* Z */ && formatMillis(ms) === s
      ? { value: ms, micros: false }
      : undefined
  }
  const extra = number3(s, 23)
  if (extra === undefined) return undefined
  const value = ms * 1000 + extra
  return formatMicros(value) === s ? { value, micros: true } : undefined
}

/** The instant of `YYYY-MM-DDTHH:MM:SS.mmm` (the first 23 chars), unchecked beyond digits. */
function millisOf(s: string): number | undefined {
  const y = digitsAt(s, 0, 4)
  const m = digitsAt(s, 5, 2)
  const d = digitsAt(s, 8, 2)
  const h = digitsAt(s, 11, 2)
  const mi = digitsAt(s, 14, 2)
  const sec = digitsAt(s, 17, 2)
  const ms = digitsAt(s, 20, 3)
  if (
    y === undefined ||
    m === undefined ||
    d === undefined ||
    h === undefined ||
    mi === undefined ||
    sec === undefined ||
    ms === undefined ||
    y < 1970
  ) {
    return undefined
  }
  // days from civil (H. Hinnant); a field out of range fails the formatting check after
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  const days = era * 146097 + doe - 719468
  return days * 86_400_000 + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms
}

function digitsAt(s: string, at: number, width: number): number | undefined {
  let n = 0
  for (let i = at; i < at + width; i++) {
    const c = s.charCodeAt(i) - 48
    if (!(c >= 0 && c <= 9)) return undefined
    n = n * 10 + c
  }
  return n
}

function number3(s: string, at: number): number | undefined {
  return digitsAt(s, at, 3)
}

/** Char codes of a stamp being formatted. */
const CODES: number[] = new Array(32).fill(0)

/** Writes `n` as `width` digits at `at` of {@link CODES}. */
function putDigits(at: number, n: number, width: number): void {
  for (let i = width - 1; i >= 0; i--) {
    CODES[at + i] = 48 + (n % 10)
    n = Math.floor(n / 10)
  }
}

/** Fills {@link CODES} with `YYYY-MM-DDTHH:MM:SS.mmm` of an instant (ms, 1970 to 9999). */
function putMillis(ms: number): void {
  const days = Math.floor(ms / 86_400_000)
  let rem = ms - days * 86_400_000
  // civil from days (H. Hinnant)
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0)
  const h = Math.floor(rem / 3_600_000)
  rem -= h * 3_600_000
  const mi = Math.floor(rem / 60_000)
  rem -= mi * 60_000
  const sec = Math.floor(rem / 1000)
  rem -= sec * 1000
  putDigits(0, y, 4)
  CODES[4] = 45
  putDigits(5, m, 2)
  CODES[7] = 45
  putDigits(8, d, 2)
  CODES[10] = 84
  putDigits(11, h, 2)
  CODES[13] = 58
  putDigits(14, mi, 2)
  CODES[16] = 58
  putDigits(17, sec, 2)
  CODES[19] = 46
  putDigits(20, rem, 3)
}

/** `2026-06-01T11:58:13.394Z` (what `Date#toISOString` gives, faster), from an instant in ms. */
function formatMillis(ms: number): string {
  putMillis(ms)
  CODES[23] = 90
  return String.fromCharCode.apply(null, CODES.slice(0, 24))
}

/** `2026-06-01T12:00:00.001000+00:00` from an instant in µs. */
function formatMicros(us: number): string {
  const ms = Math.floor(us / 1000)
  putMillis(ms)
  putDigits(23, us - ms * 1000, 3)
  // +00:00
  CODES[26] = 43
  CODES[27] = 48
  CODES[28] = 48
  CODES[29] = 58
  CODES[30] = 48
  CODES[31] = 48
  return String.fromCharCode.apply(null, CODES)
}
