/**
 * Timestamps as instants. The socket sends `2025-06-11T16:55:30.284055+00:00` (microseconds and
 * an offset), REST sends `2026-10-01T13:02:57.506Z`: string comparison is wrong, `Date.parse`
 * drops the microseconds. These parse to microseconds since the epoch.
 * @module
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/**
 * Microseconds since the Unix epoch for an ISO-8601 timestamp, or `NaN` when it is not one.
 * No offset means UTC.
 */
export function toEpochMicros(text: string): number {
  const m = ISO.exec(text)
  if (!m) {
    const ms = Date.parse(text)
    return Number.isNaN(ms) ? Number.NaN : ms * 1000
  }
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, m[6] ? +m[6] : 0)
  const fraction = m[7] ? +`${m[7]}000000`.slice(0, 6) : 0
  let offsetMinutes = 0
  const zone = m[8]
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    offsetMinutes =
      sign * (+digits.slice(0, 2) * 60 + (digits.length > 2 ? +digits.slice(2, 4) : 0))
  }
  return (ms - offsetMinutes * 60_000) * 1000 + fraction
}

/**
 * `true` when `candidate` is strictly older than `stored`, both read as instants. When either
 * is missing or unreadable the answer is `false`: an update is never dropped on a guess.
 */
export function isOlder(candidate: unknown, stored: unknown): boolean {
  if (typeof candidate !== 'string' || typeof stored !== 'string') return false
  if (candidate === stored) return false
  // Fast path (the common case: both from the socket, or both from REST): same layout, same
  // length and the same zone suffix make string order the order of the instants.
  if (sameLayout(candidate, stored)) return candidate < stored
  // Next most common: socket vs REST, both UTC (`+00:00` and `Z`), told apart without parsing.
  const utc = compareUtc(candidate, stored)
  if (!Number.isNaN(utc)) return utc < 0
  const a = toEpochMicros(candidate)
  const b = toEpochMicros(stored)
  return a < b
}

/** Both `YYYY-MM-DDTHH:MM:SS…` of one length with one zone suffix (`Z` or `±HH:MM`). */
function sameLayout(a: string, b: string): boolean {
  const n = a.length
  if (n !== b.length || n < 20 || !skeleton(a) || !skeleton(b)) return false
  const z = a.charCodeAt(n - 1)
  if (z === 90 /* Z */) return b.charCodeAt(n - 1) === 90
  const sign = a.charCodeAt(n - 6)
  if ((sign !== 43 /* + */ && sign !== 45) /* - */ || a.charCodeAt(n - 3) !== 58 /* : */)
    return false
  return a.endsWith(b.slice(n - 6))
}

/**
 * Order of two UTC timestamps `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+00:00)` of any fraction
 * lengths: negative, zero or positive; `NaN` when either is not of that form. No allocation.
 */
function compareUtc(a: string, b: string): number {
  const la = utcFractionDigits(a)
  const lb = utcFractionDigits(b)
  if (la < 0 || lb < 0) return Number.NaN
  for (let i = 0; i < 19; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i)
    if (d !== 0) return d
  }
  // fractions (from index 20), digit by digit, the shorter one padded with zeros
  const n = Math.max(la, lb)
  for (let i = 0; i < n; i++) {
    const da = i < la ? a.charCodeAt(20 + i) : 48
    const db = i < lb ? b.charCodeAt(20 + i) : 48
    if (da !== db) return da - db
  }
  return 0
}

/**
 * For `YYYY-MM-DDTHH:MM:SS[.digits](Z|+00:00|-00:00)`: how many fraction digits (0 without a
 * fraction), else -1.
 */
function utcFractionDigits(t: string): number {
  if (t.length < 20 || !skeleton(t)) return -1
  for (let i = 0; i < 19; i++) {
    if (i === 4 || i === 7 || i === 10 || i === 13 || i === 16) continue
    if (!isDigit(t.charCodeAt(i))) return -1
  }
  let digits = 0
  let zone = 19
  if (t.charCodeAt(19) === 46 /* . */) {
    while (isDigit(t.charCodeAt(20 + digits))) digits++
    if (digits === 0) return -1
    zone = 20 + digits
  }
  const sign = t.charCodeAt(zone)
  if (t.length - zone === 1 && sign === 90 /* Z */) return digits
  if (t.length - zone === 6 && (sign === 43 || sign === 45) && t.endsWith('00:00')) return digits
  return -1
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/** The separators of `YYYY-MM-DDTHH:MM:SS` where they belong. */
function skeleton(t: string): boolean {
  return (
    t.charCodeAt(4) === 45 &&
    t.charCodeAt(7) === 45 &&
    t.charCodeAt(10) === 84 &&
    t.charCodeAt(13) === 58 &&
    t.charCodeAt(16) === 58
  )
}
