/**
 * Typed errors published on `feed.errors$`, and the redaction every message goes through.
 * @module
 */

/**
 * What went wrong:
 * - `parse`: a frame that looked like JSON but was not (or bytes that were not UTF-8);
 * - `schema`: valid JSON that is not a frame (no string `fixtureId`, a wrongly typed field);
 * - `merge`: a frame that validated but could not be merged (never expected; the frame is dropped);
 * - `transport`: the socket failed or closed unexpectedly (the feed reconnects);
 * - `auth`: the handshake was refused with 401/403 (fatal: no retry);
 * - `stale`: no frame (keepalives included) for `idleTimeoutMs` (the feed reconnects);
 * - `snapshot`: a REST snapshot (`GET /v4/odds`) failed; it is retried with backoff;
 * - `relay`: with `protocol: 'relay'`, the relay reported an error (`{"op":"error"}`, its code in
 *   {@link FeedError.code}) or a message went missing (`code` `seq_gap`: the fixtures are
 *   resubscribed). A relay message that is not JSON or not a relay message is `parse`/`schema`.
 */
export type FeedErrorKind =
  | 'parse'
  | 'schema'
  | 'merge'
  | 'transport'
  | 'auth'
  | 'stale'
  | 'snapshot'
  | 'relay'

/** The longest `raw` excerpt an error carries. */
export const RAW_EXCERPT_LIMIT = 1024

/** Details of a {@link FeedError}. */
export interface FeedErrorInit {
  /** For `schema`: dot path of the offending field, e.g. `bookmakerOdds.stake.markets.101`. */
  path?: string | undefined
  /** The frame's text, cut to 1 KiB (and redacted). */
  raw?: string | undefined
  /** The fixture the frame was for, when known. */
  fixtureId?: string | undefined
  /** HTTP status of a refused handshake, when known. */
  status?: number | undefined
  /** What caused it (an `Error` or a string), when known; redacted like the message. */
  cause?: unknown
  /** For `relay`: the relay's error code (`bad_message`, `forbidden`, `too_many`) or `seq_gap`. */
  code?: string | undefined
}

/**
 * The text past {@link RAW_EXCERPT_LIMIT} kept (privately) so that a key cut in two by the limit
 * is still seen whole by {@link FeedError.redacted} (any spelling of a key of 200 characters).
 */
const RAW_REDACTION_MARGIN = 4096
const rawTails = new WeakMap<FeedError, string>()

/**
 * An error of the feed. Published on `errors$` (never thrown at subscribers): the stream goes on.
 * Nothing it carries (message, stack, `raw`, `path`, `fixtureId`, `cause`) contains the API key.
 */
export class FeedError extends Error {
  /** What went wrong; see {@link FeedErrorKind}. */
  readonly kind: FeedErrorKind
  /** Dot path of the offending field (`schema` errors). */
  readonly path?: string
  /** The offending frame's text, cut to 1 KiB. */
  readonly raw?: string
  /** The fixture concerned, when known. */
  readonly fixtureId?: string
  /** HTTP status of a refused handshake, when known. */
  readonly status?: number
  /** The relay's error code (`relay` errors). */
  readonly code?: string

  constructor(kind: FeedErrorKind, message: string, init: FeedErrorInit = {}) {
    super(message, init.cause !== undefined ? { cause: init.cause } : undefined)
    this.name = 'FeedError'
    this.kind = kind
    if (init.path !== undefined) this.path = init.path
    if (init.raw !== undefined) {
      this.raw = init.raw.slice(0, RAW_EXCERPT_LIMIT)
      if (init.raw.length > RAW_EXCERPT_LIMIT) {
        rawTails.set(
          this,
          init.raw.slice(RAW_EXCERPT_LIMIT, RAW_EXCERPT_LIMIT + RAW_REDACTION_MARGIN),
        )
      }
    }
    if (init.fixtureId !== undefined) this.fixtureId = init.fixtureId
    if (init.status !== undefined) this.status = init.status
    if (init.code !== undefined) this.code = init.code
  }

  /**
   * A copy with the key masked everywhere: message, stack, `raw` (redacted before it is cut to
   * 1 KiB, so a key straddling the cut is masked too), `path` (each dot-separated segment is a
   * token), `fixtureId` and `cause` (an `Error` cause becomes a redacted `Error`, anything else
   * a redacted string).
   */
  redacted(redact: Redactor): FeedError {
    const path = this.path !== undefined ? redact(this.path, 'path') : undefined
    // the message and stack quote the path: mask it there the way the path itself is masked
    const text = (s: string) =>
      redact(this.path && path !== this.path ? s.split(this.path).join(path) : s)
    const raw = this.raw !== undefined ? this.raw + (rawTails.get(this) ?? '') : undefined
    const copy = new FeedError(this.kind, text(this.message), {
      ...(path !== undefined && { path }),
      ...(raw !== undefined && { raw: redact(raw) }),
      ...(this.fixtureId !== undefined && { fixtureId: redact(this.fixtureId) }),
      ...(this.status !== undefined && { status: this.status }),
      ...(this.cause !== undefined && { cause: redactCause(this.cause, redact, 0) }),
      ...(this.code !== undefined && { code: redact(this.code) }),
    })
    rawTails.delete(copy)
    if (this.stack) copy.stack = text(this.stack)
    return copy
  }
}

function redactCause(cause: unknown, redact: Redactor, depth: number): unknown {
  if (cause instanceof FeedError) return cause.redacted(redact)
  if (cause instanceof Error) {
    const nested = depth < 4 && cause.cause !== undefined
    const copy = new Error(
      redact(cause.message),
      nested ? { cause: redactCause(cause.cause, redact, depth + 1) } : undefined,
    )
    copy.name = cause.name
    if (cause.stack === undefined) delete copy.stack
    else copy.stack = redact(cause.stack)
    return copy
  }
  return redact(typeof cause === 'string' ? cause : safeString(cause))
}

function safeString(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    try {
      return String(value)
    } catch {
      return '[unprintable]'
    }
  }
}

/**
 * Masks secrets in a string. `as: 'path'` says the text is a dot path (`a.b.c`): its dots
 * separate tokens too. A redactor of your own may ignore `as`.
 */
export type Redactor = (text: string, as?: 'path') => string

/** What a masked key (or `apiKey` value) becomes. */
const MASK = '***'

/**
 * Characters that end a token: whitespace and control characters, quotes, brackets, and the
 * separators of URLs, query strings, JSON and lists. Everything else (letters and digits of any
 * script, emoji, `-`, `_`, `.`, `:`, `%`, `@`, `~`, `*`, ...) is inside a token.
 */
const DELIMITERS = ' \t\n\v\f\r"\'`()[]{}<>,;=&?#/\\|+'
/** Where `.`, `:` or `!` end a sentence (`bad key KEY.`) rather than sit inside a token. */
const SENTENCE = `\\s\\x00-\\x1f\\x7f-\\x9f${classEscape('"\'`()[]{}<>,;')}`

/** A RegExp source: a delimiter, plain, percent-encoded (once or twice) or JSON-escaped. */
function delimiterSource(path: boolean): string {
  const chars = path ? `${DELIMITERS}.` : DELIMITERS
  const encoded = new Set<string>()
  for (const ch of chars) {
    const hex = ch.charCodeAt(0).toString(16).padStart(2, '0')
    encoded.add(hexInsensitive(`%${hex}`))
    encoded.add(hexInsensitive(`%25${hex}`))
    encoded.add(hexInsensitive(`\\u00${hex}`))
    for (const short of JSON_ESCAPES[ch] ?? []) encoded.add(escapeRegExp(short))
  }
  return `[\\s\\x00-\\x1f\\x7f-\\x9f${classEscape(chars)}]|${[...encoded].join('|')}`
}

/** The boundary before a token: the start, a delimiter, or a sentence's `.:!` run. */
function tokenStart(path: boolean): string {
  return `(?<=^|${delimiterSource(path)}|(?:^|[${SENTENCE}])[.:!]+)`
}

/** The boundary after a token: the end, a delimiter, or a sentence's `.:!` run. */
function tokenEnd(path: boolean): string {
  return `(?=$|${delimiterSource(path)}|[.:!]+(?:$|[${SENTENCE}]))`
}

/** Values of `apiKey` parameters: in a query string (also percent-encoded) and in JSON. */
const API_KEY_PARAM = /(apiKey(?:=|%3D|%253D))[^&#\s"'<>]*/gi
const API_KEY_JSON = /("apiKey"\s*:\s*")(?:[^"\\]|\\.)*(")/gi

/**
 * Builds the redactor of one API key. What it masks (as `***`):
 *
 * 1. **Every `apiKey` parameter's value**, whatever key it holds: `apiKey=…` in a URL or query
 *    string (also `apiKey%3D…`), and `"apiKey":"…"` in JSON.
 * 2. **The key as a whole token, in every spelling**: raw; percent-encoded as
 *    `encodeURIComponent` writes it, or as `URLSearchParams` does (the URL the SDK itself
 *    builds: spaces as `+`, `~` as `%7E`), with either hex case, or percent-encoded twice;
 *    JSON-escaped (`JSON.stringify(key).slice(1, -1)`, also with `\/` and `\uXXXX` escapes of
 *    any character, as other JSON encoders write them), JSON-escaped twice, and these mixed
 *    (e.g. the JSON escape of a quote, percent-encoded: `%5C%22`).
 *
 * **What a whole token is.** Tokens are separated by *delimiters*: whitespace and control
 * characters, quotes `"'\``, brackets `()[]{}<>`, and `,;=&?#/\|+`; also a delimiter
 * percent-encoded (`%20`, `%22`) or JSON-escaped (`\n`, `\"`, `\u0020`). Everything else is part
 * of a token: letters and digits of any script, emoji, `-_.:%@~*`, so a short key is never
 * masked inside a word, a number, a host or an IP address (key `1`: `127.0.0.1:9` stays; key `e`:
 * `WebSocket error` stays). An occurrence of the key is masked when there is a token boundary
 * at both of its ends: the neighbouring character is a delimiter, the start or end of the text,
 * or `.`, `:`, `!` ending a sentence (`key KEY.`: followed by whitespace, a quote, a bracket,
 * `,`, `;` or the end; `ws://` is no sentence's end); a key that itself
 * starts (or ends) with a delimiter needs no boundary on that side. Delimiters *inside* the key
 * (a key with spaces, `&` or quotes) are simply part of what must match. In a dot path
 * (`redact(path, 'path')`), dots are delimiters too, so `bookmakerOdds.KEY.markets` is masked.
 *
 * A piece of the key where an excerpt was cut is masked too: its start right before an
 * ellipsis (`...`, `…`, as in V8's `Unexpected token 'k', "{"a": my key"... is not valid JSON`)
 * and its end right after one.
 *
 * The rule masks every token that equals the key, even one that is not the key: with key `1`,
 * `attempt 1` becomes `attempt ***`. An empty or missing key masks only `apiKey` values.
 *
 * @example
 * ```ts
 * const redact = createRedactor('my key+1')
 * redact('GET /v4/odds?apiKey=my+key%2B1 failed') // 'GET /v4/odds?apiKey=*** failed'
 * redact('{"error":"bad key: my key+1"}')          // '{"error":"bad key: ***"}'
 * ```
 */
export function createRedactor(apiKey: string | undefined): Redactor {
  const patterns = apiKey ? [false, true].map((path) => keyPatterns(apiKey, path)) : undefined
  return (text, as) => {
    let masked = text
    const key = patterns?.[as === 'path' ? 1 : 0]
    if (key) {
      masked = masked.replace(key.whole, MASK)
      if (masked.includes('...') || masked.includes('\u2026'))
        masked = masked.replace(key.cut, MASK)
    }
    return masked.replace(API_KEY_PARAM, `$1${MASK}`).replace(API_KEY_JSON, `$1${MASK}$2`)
  }
}

/** An ellipsis where an excerpt was cut (`...`, `…`), with the quote V8's JSON errors put there. */
const ELLIPSIS = '(?:\\.\\.\\.|\u2026)'

/**
 * The key in every spelling, as a whole token (see {@link createRedactor}); and a piece of it
 * cut by an ellipsis: its start before `...` (`"{"a": my key"... is not valid JSON`), its end
 * after one.
 */
function keyPatterns(key: string, path: boolean): KeyPatterns {
  const chars = Array.from(key)
  const parts = spellings(chars)
  const delimiter = new RegExp(`^(?:${delimiterSource(path)})$`)
  // a key that starts (ends) with a delimiter is bounded on that side by itself; the lookahead
  // for its first character first spares the lookbehind at most positions
  const start = delimiter.test(chars[0] as string) ? '' : `(?=${parts[0]})${tokenStart(path)}`
  const end = delimiter.test(chars[chars.length - 1] as string) ? '' : tokenEnd(path)
  // P = p1(?:p2(?:p3)?)? matches every start of the key; S = (?:(?:p1)?p2)?p3 every end
  const prefix = parts.reduceRight((inner, part) => (inner ? `${part}(?:${inner})?` : part), '')
  const suffix = parts.reduce((inner, part) => (inner ? `(?:${inner})?${part}` : part), '')
  return {
    whole: new RegExp(`${start}${parts.join('')}${end}`, 'g'),
    cut: new RegExp(`${start}${prefix}(?="?${ELLIPSIS})|(?<=${ELLIPSIS}"?)${suffix}${end}`, 'g'),
  }
}

interface KeyPatterns {
  /** The key, whole. */
  whole: RegExp
  /** A start of the key before an ellipsis, an end of it after one. */
  cut: RegExp
}

/** JSON's short escapes, and JavaScript's `\'` (as `util.inspect` quotes a string). */
const JSON_ESCAPES: Record<string, string[]> = {
  '"': ['\\"'],
  "'": ["\\'"],
  '\\': ['\\\\'],
  '/': ['\\/'],
  '\b': ['\\b'],
  '\f': ['\\f'],
  '\n': ['\\n'],
  '\r': ['\\r'],
  '\t': ['\\t'],
}

/** One RegExp source per character of `key`: that character in every spelling. */
function spellings(key: readonly string[]): string[] {
  const parts: string[] = []
  for (const ch of key) {
    // one character: as is, `+` for a space, JSON-escaped (short escape, \uXXXX of each unit)
    const base = new Set<string>([ch, ...(JSON_ESCAPES[ch] ?? [])])
    base.add(Array.from({ length: ch.length }, (_, i) => unicodeEscape(ch.charCodeAt(i))).join(''))
    if (ch === ' ') base.add('+')
    // ... then percent-encoded (three ways), each once more encoded, or JSON-escaped again
    const spelled = new Set<string>(base)
    for (const atom of base) {
      spelled.add(JSON.stringify(atom).slice(1, -1))
      for (const once of [encodeURIComponent(atom), formEncode(atom), percentEncode(atom)]) {
        spelled.add(once)
        spelled.add(encodeURIComponent(once))
        spelled.add(formEncode(once))
      }
    }
    spelled.delete(ch)
    const alternatives = [escapeRegExp(ch), ...[...spelled].map(hexInsensitive)]
    parts.push(
      alternatives.length === 1 ? (alternatives[0] as string) : `(?:${alternatives.join('|')})`,
    )
  }
  return parts
}

function unicodeEscape(unit: number): string {
  return `\\u${unit.toString(16).padStart(4, '0')}`
}

/** As `URLSearchParams` writes a value (`application/x-www-form-urlencoded`). */
function formEncode(text: string): string {
  return new URLSearchParams({ k: text }).toString().slice(2)
}

/** Every UTF-8 byte as `%XX`. */
function percentEncode(text: string): string {
  return [...new TextEncoder().encode(text)]
    .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
    .join('')
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
}

/** Escaped for a RegExp character class. */
function classEscape(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&')
}

/** Escaped for a RegExp; its hex letters (`%XX`, `\uXXXX`) match in either case. */
function hexInsensitive(text: string): string {
  return escapeRegExp(text).replace(/[a-f]/gi, (d) => `[${d.toLowerCase()}${d.toUpperCase()}]`)
}
