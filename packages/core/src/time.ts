/**
 * Timestamps as instants. The socket sends `2025-06-11T16:55:30.284055+00:00` (microseconds and
 * an offset), REST sends `2026-10-01T13:02:57.506Z`: string comparison is wrong, `Date.parse`
 * drops the microseconds. These parse to microseconds since the epoch.
 * @module
 */

/** Default of the feed's `maxClockSkewMs`: how far ahead of the local clock a stamp may be. */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5 * 60_000

/** 400 Gregorian years, in ms: `Date.UTC` reads years 0–99 as 1900–1999, so years are shifted. */
const FOUR_CENTURIES_MS = 146_097 * 86_400_000

/**
 * Microseconds since the Unix epoch for an ISO-8601 timestamp, or `NaN` when it is not one.
 * `YYYY-MM-DD(T| )HH:MM[:SS[.fraction]][Z|±HH[:MM]]` (no zone means UTC) is read without
 * allocating; fractions count to the microsecond. Anything else goes to `Date.parse`.
 */
export function toEpochMicros(text: string): number {
  const parsed = parseIso(text)
  if (parsed !== PARSE_FALLBACK) return parsed
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? Number.NaN : ms * 1000
}

/** Returned by {@link parseIso} for text that is not of its layout at all (ask `Date.parse`). */
const PARSE_FALLBACK = Number.NEGATIVE_INFINITY

function digits(t: string, at: number, n: number): number {
  let value = 0
  for (let i = at; i < at + n; i++) {
    const c = t.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    value = value * 10 + c
  }
  return value
}

/**
 * Microseconds for the ISO layout, `NaN` when it has the layout's separators but unreadable
 * or out-of-range fields (`zzzz-zz-zzTzz:zz:zz…`, month 13), {@link PARSE_FALLBACK} otherwise.
 */
function parseIso(t: string): number {
  const n = t.length
  if (n < 16 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(13) !== 58) {
    return PARSE_FALLBACK
  }
  const sep = t.charCodeAt(10)
  if (sep !== 84 /* T */ && sep !== 116 /* t */ && sep !== 32) return PARSE_FALLBACK
  const year = digits(t, 0, 4)
  const month = digits(t, 5, 2)
  const day = digits(t, 8, 2)
  const hour = digits(t, 11, 2)
  const minute = digits(t, 14, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) return Number.NaN
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN
  let i = 16
  let second = 0
  let micros = 0
  if (t.charCodeAt(i) === 58 /* : */) {
    second = digits(t, i + 1, 2)
    if (second < 0 || second > 60) return Number.NaN
    i += 3
    const dot = t.charCodeAt(i)
    if (dot === 46 /* . */ || dot === 44 /* , */) {
      i++
      const start = i
      while (i < n) {
        const c = t.charCodeAt(i) - 48
        if (c < 0 || c > 9) break
        if (i - start < 6) micros = micros * 10 + c // beyond microseconds: ignored
        i++
      }
      if (i === start) return Number.NaN
      for (let k = i - start; k < 6; k++) micros *= 10
    }
  }
  while (i < n && t.charCodeAt(i) === 32) i++
  let offsetMinutes = 0
  if (i < n) {
    const z = t.charCodeAt(i)
    if (z === 90 /* Z */ || z === 122 /* z */) {
      if (i + 1 !== n) return Number.NaN
    } else if (z === 43 /* + */ || z === 45 /* - */) {
      const oh = digits(t, i + 1, 2)
      let om = 0
      let end = i + 3
      if (end < n) {
        if (t.charCodeAt(end) === 58) end++
        om = digits(t, end, 2)
        end += 2
      }
      if (oh < 0 || oh > 23 || om < 0 || om > 59 || end !== n) return Number.NaN
      offsetMinutes = (z === 45 ? -1 : 1) * (oh * 60 + om)
    } else {
      return Number.NaN
    }
  }
  const ms =
    Date.UTC(year + 400, month - 1, day, hour, minute, second) -
    FOUR_CENTURIES_MS -
    offsetMinutes * 60_000
  return ms * 1000 + micros
}

/** A recent `Date.now()`: the clock is read again only when a stamp looks ahead of it. */
let lastNowMs = 0

/**
 * `true` when `stamp` (microseconds) is more than `maxClockSkewMs` ahead of the local clock.
 * Reads the clock only when the stamp is ahead of the last reading plus the skew.
 */
function isAhead(stampMicros: number, maxClockSkewMs: number): boolean {
  if (stampMicros <= (lastNowMs + maxClockSkewMs) * 1000) return false
  lastNowMs = Date.now()
  return stampMicros > (lastNowMs + maxClockSkewMs) * 1000
}

/** `YYYY-MM-DDTHH:MM:SS` of a recent "now + skew", and the skew it was made for. */
let horizonText = ''
let horizonSkew = Number.NaN

/**
 * For a UTC stamp already checked by {@link utcFractionDigits}: `true` when it is at most
 * `maxClockSkewMs` ahead of the local clock. Compares the seconds as text with a cached horizon,
 * so the common case (a stamp from the past) reads no clock and allocates nothing.
 */
function utcWithinSkew(stamp: string, maxClockSkewMs: number): boolean {
  if (horizonSkew === maxClockSkewMs && before19(stamp, horizonText)) return true
  if (!Number.isFinite(maxClockSkewMs)) return maxClockSkewMs > 0
  const horizonMs = Date.now() + maxClockSkewMs
  lastNowMs = horizonMs - maxClockSkewMs
  horizonSkew = maxClockSkewMs
  horizonText = new Date(horizonMs).toISOString() // allocates: only when the horizon moved
  if (before19(stamp, horizonText)) return true
  return !isAhead(toEpochMicros(stamp), maxClockSkewMs)
}

/** The first 19 characters of `a` sort strictly before those of `b`. */
function before19(a: string, b: string): boolean {
  if (b.length < 19) return false
  for (let i = 0; i < 19; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i)
    if (d !== 0) return d < 0
  }
  return false
}

/**
 * `true` when `candidate` is strictly older than `stored`, both read as instants (to the
 * microsecond): the out-of-order guard's question. The answer is `false`, so the update goes
 * through, whenever the guard cannot trust `stored`:
 *
 * - either stamp missing, not a string or unreadable (an update is never dropped on a guess);
 * - `stored` more than `maxClockSkewMs` (default 5 min) ahead of the local clock: such a stamp
 *   (`9999-12-31…`) would make every later update "older" and freeze the entry.
 *
 * So an unreadable or far-future stamp never wins the guard: the next readable update replaces
 * it. Allocates nothing for the socket's and REST's UTC layouts (the common case) and reads the
 * clock only now and then.
 */
export function isOlder(
  candidate: unknown,
  stored: unknown,
  maxClockSkewMs: number = DEFAULT_MAX_CLOCK_SKEW_MS,
): boolean {
  if (typeof candidate !== 'string' || typeof stored !== 'string') return false
  if (candidate === stored) return false
  // Fast path: both UTC (`Z`, `+00:00`) with readable fields, any fraction lengths.
  const ls = utcFractionDigits(stored)
  if (ls >= 0) {
    if (!utcWithinSkew(stored, maxClockSkewMs)) return false
    const lc = utcFractionDigits(candidate)
    if (lc >= 0) return compareUtc(candidate, lc, stored, ls) < 0
  }
  const b = toEpochMicros(stored)
  if (Number.isNaN(b) || isAhead(b, maxClockSkewMs)) return false
  const a = toEpochMicros(candidate)
  return a < b // NaN compares false
}

/**
 * @internal {@link isOlder} when both stamps are readable UTC stamps (`Z`, `±00:00`) at most
 * `maxClockSkewMs` ahead of the local clock, else `undefined`. Among such stamps the guard is a
 * plain order of instants, so it is transitive: what folding pending price moves relies on.
 */
export function isOlderTrusted(
  candidate: unknown,
  stored: unknown,
  maxClockSkewMs: number,
): boolean | undefined {
  if (typeof candidate !== 'string' || typeof stored !== 'string') return undefined
  const lc = utcFractionDigits(candidate)
  const ls = utcFractionDigits(stored)
  if (lc < 0 || ls < 0) return undefined
  if (!utcWithinSkew(candidate, maxClockSkewMs) || !utcWithinSkew(stored, maxClockSkewMs)) {
    return undefined
  }
  return candidate !== stored && compareUtc(candidate, lc, stored, ls) < 0
}

/**
 * Order of two UTC timestamps `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±00:00)` with `la` and `lb`
 * fraction digits: negative, zero or positive. Fractions count to the microsecond, like
 * {@link toEpochMicros}. No allocation.
 */
function compareUtc(a: string, la: number, b: string, lb: number): number {
  for (let i = 0; i < 19; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i)
    if (d !== 0) return d
  }
  // fractions (from index 20), digit by digit, the shorter one padded with zeros
  const n = Math.min(Math.max(la, lb), 6)
  for (let i = 0; i < n; i++) {
    const da = i < la ? a.charCodeAt(20 + i) : 48
    const db = i < lb ? b.charCodeAt(20 + i) : 48
    if (da !== db) return da - db
  }
  return 0
}

/**
 * For `YYYY-MM-DDTHH:MM:SS[.digits](Z|+00:00|-00:00)` with fields in range: how many fraction
 * digits (0 without a fraction), else -1.
 */
function utcFractionDigits(t: string): number {
  if (t.length < 20 || !skeleton(t)) return -1
  for (let i = 0; i < 19; i++) {
    if (i === 4 || i === 7 || i === 10 || i === 13 || i === 16) continue
    if (!isDigit(t.charCodeAt(i))) return -1
  }
  if (!inRange(t, 5, 1, 12) || !inRange(t, 8, 1, 31) || !inRange(t, 11, 0, 23)) return -1
  if (!inRange(t, 14, 0, 59) || !inRange(t, 17, 0, 60)) return -1
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

/** The two digits at `at` read as a number within `[min, max]`. */
function inRange(t: string, at: number, min: number, max: number): boolean {
  const value = (t.charCodeAt(at) - 48) * 10 + (t.charCodeAt(at + 1) - 48)
  return value >= min && value <= max
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
