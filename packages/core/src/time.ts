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
 * it. Allocates nothing for stamps of the socket's and REST's layouts.
 */
export function isOlder(
  candidate: unknown,
  stored: unknown,
  maxClockSkewMs: number = DEFAULT_MAX_CLOCK_SKEW_MS,
): boolean {
  if (typeof candidate !== 'string' || typeof stored !== 'string') return false
  if (candidate === stored) return false
  const b = toEpochMicros(stored)
  if (Number.isNaN(b) || isAhead(b, maxClockSkewMs)) return false
  const a = toEpochMicros(candidate)
  return a < b // NaN compares false
}
