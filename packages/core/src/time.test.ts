import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isOlder, toEpochMicros } from './time.js'

describe('toEpochMicros', () => {
  it('keeps the microseconds of socket timestamps', () => {
    const a = toEpochMicros('2025-06-11T16:55:30.284055+00:00')
    const b = toEpochMicros('2025-06-11T16:55:30.284Z')
    expect(a - b).toBe(55)
  })

  it('applies offsets: the same instant in two zones is equal', () => {
    expect(toEpochMicros('2025-06-11T18:55:30.5+02:00')).toBe(
      toEpochMicros('2025-06-11T16:55:30.500Z'),
    )
    expect(toEpochMicros('2025-06-11T11:25:30-0530')).toBe(toEpochMicros('2025-06-11T16:55:30Z'))
  })

  it('matches Date.parse to the millisecond', () => {
    const text = '2026-10-01T13:02:57.506Z'
    expect(toEpochMicros(text)).toBe(Date.parse(text) * 1000)
  })

  it('answers NaN for text that is no timestamp', () => {
    expect(toEpochMicros('yesterday-ish')).toBeNaN()
  })

  it('answers NaN for the socket layout with unreadable fields', () => {
    expect(toEpochMicros('zzzz-zz-zzTzz:zz:zz.zzzzzz+00:00')).toBeNaN()
    expect(toEpochMicros('2025-13-11T16:55:30.284055+00:00')).toBeNaN()
    expect(toEpochMicros('2025-06-11T16:55:30.28x055+00:00')).toBeNaN()
    expect(toEpochMicros('2025-06-11T16:55:30.+00:00')).toBeNaN()
  })

  it('reads years below 100 as they are (Date.UTC would add 1900)', () => {
    expect(toEpochMicros('0050-01-01T00:00:00Z')).toBe(
      new Date('0050-01-01T00:00:00Z').getTime() * 1000,
    )
  })
})

describe('isOlder', () => {
  it('compares instants, not strings', () => {
    // As strings '...30.284055+00:00' > '...30.284Z' would be wrong the other way round too.
    expect(isOlder('2025-06-11T16:55:30.284Z', '2025-06-11T16:55:30.284055+00:00')).toBe(true)
    expect(isOlder('2025-06-11T16:55:30.284055+00:00', '2025-06-11T16:55:30.284Z')).toBe(false)
    expect(isOlder('2025-06-11T18:55:30.000+02:00', '2025-06-11T16:55:30.001Z')).toBe(true)
  })

  it('never drops an update on a guess', () => {
    expect(isOlder(undefined, '2025-06-11T16:55:30Z')).toBe(false)
    expect(isOlder('2025-06-11T16:55:30Z', null)).toBe(false)
    expect(isOlder('garbage', '2025-06-11T16:55:30Z')).toBe(false)
    expect(isOlder('2025-06-11T16:55:30Z', '2025-06-11T16:55:30Z')).toBe(false)
  })

  it('an unreadable stored stamp never wins: every readable update is newer than it', () => {
    const socketLayout = 'zzzz-zz-zzTzz:zz:zz.zzzzzz+00:00'
    // as strings, every digit sorts below 'z': the same-layout fast path called these older
    expect(isOlder('2025-06-11T16:55:30.284055+00:00', socketLayout)).toBe(false)
    expect(isOlder('2025-06-11T16:55:30.284Z', 'zzzz-zz-zzTzz:zz:zz.zzzZ')).toBe(false)
    expect(isOlder('2025-06-11T16:55:30Z', 'garbage')).toBe(false)
    expect(isOlder('2025-06-11T16:55:30.284055+00:00', '9999-99-99T99:99:99.999999+00:00')).toBe(
      false,
    )
  })

  it('an out-of-range field makes the stored stamp unreadable, in the UTC fast path too', () => {
    // as strings '2025-06' < '2025-13': a month 13 would have frozen the entry until 2026
    expect(isOlder('2025-06-11T16:55:30Z', '2025-13-11T16:55:30Z')).toBe(false)
    expect(isOlder('2025-06-11T16:55:30.1+00:00', '2025-06-11T25:55:30.1+00:00')).toBe(false)
    expect(isOlder('2025-06-11T16:55:30Z', '2025-06-11T16:61:30Z')).toBe(false)
  })

  it('agrees with "older, and the stored stamp at most maxClockSkewMs ahead" near now', () => {
    const now = Date.now()
    const skew = 60_000
    const stamp = fc
      .record({
        ms: fc.integer({ min: now - 600_000, max: now + 600_000 }),
        us: fc.integer({ min: 0, max: 999 }),
        zone: fc.constantFrom('Z', '+00:00', '+02:00'),
      })
      .filter(({ ms }) => Math.abs(ms - (now + skew)) > 5_000) // far from the horizon: no flake
      .map(({ ms, us, zone }) => {
        const utc = new Date(zone === '+02:00' ? ms + 7_200_000 : ms).toISOString().slice(0, 23)
        return { text: `${utc}${String(us).padStart(3, '0')}${zone}`, micros: ms * 1000 + us }
      })
    fc.assert(
      fc.property(stamp, stamp, (a, b) => {
        const trusted = b.micros <= (now + skew) * 1000
        expect(isOlder(a.text, b.text, skew)).toBe(trusted && a.micros < b.micros)
      }),
      { numRuns: 3000 },
    )
  })

  it('a stored stamp far ahead of the local clock never wins', () => {
    const now = Date.now()
    const iso = (ms: number) => new Date(ms).toISOString()
    expect(isOlder(iso(now), '9999-12-31T23:59:59.999999+00:00')).toBe(false)
    expect(isOlder(iso(now), iso(now + 6 * 60_000))).toBe(false) // beyond the 5 min default
    expect(isOlder(iso(now), iso(now + 4 * 60_000))).toBe(true) // within it: a real order
    expect(isOlder(iso(now), iso(now + 60_000), 1_000)).toBe(false) // the skew is an option
    expect(isOlder(iso(now), iso(now + 60_000), 120_000)).toBe(true)
  })

  it('a future or unreadable candidate is not "older" either (it goes through)', () => {
    expect(isOlder('9999-12-31T23:59:59.999999+00:00', '2025-06-11T16:55:30Z')).toBe(false)
    expect(isOlder('zzzz-zz-zzTzz:zz:zz.zzzzzz+00:00', '2025-06-11T16:55:30.284055+00:00')).toBe(
      false,
    )
    // separators in place, digits lower than any real stamp as strings: still unreadable
    expect(isOlder('!!!!-!!-!!T!!:!!:!!.!!!!!!+00:00', '2025-06-11T16:55:30.284055+00:00')).toBe(
      false,
    )
  })
})

describe('isOlder fast path', () => {
  it('agrees with instant comparison for same-layout timestamps', () => {
    const base = Date.UTC(2025, 5, 11, 16, 55, 30)
    const socket = (ms: number, us = 0) =>
      `${new Date(ms).toISOString().slice(0, 23)}${String(us).padStart(3, '0')}+00:00`
    const rest = (ms: number) => new Date(ms).toISOString()
    for (let i = 0; i < 500; i++) {
      const a = base + Math.floor(Math.random() * 5_000_000)
      const b = base + Math.floor(Math.random() * 5_000_000)
      const ua = Math.floor(Math.random() * 1000)
      const ub = Math.floor(Math.random() * 1000)
      expect(isOlder(socket(a, ua), socket(b, ub))).toBe(a * 1000 + ua < b * 1000 + ub)
      expect(isOlder(rest(a), rest(b))).toBe(a < b)
    }
  })

  it('falls back to instants when layouts differ (zones, precision)', () => {
    expect(isOlder('2025-06-11T18:55:30.000000+02:00', '2025-06-11T16:55:30.000001+00:00')).toBe(
      true,
    )
    expect(isOlder('2025-06-11T16:55:31.000000+01:00', '2025-06-11T16:55:30.000000+00:00')).toBe(
      true,
    )
    expect(isOlder('2025-06-11T16:55:30.9Z', '2025-06-11T16:55:30.10Z')).toBe(false)
  })
})

describe('isOlder across layouts (socket vs REST, both UTC)', () => {
  it('agrees with toEpochMicros for any fraction lengths and either UTC suffix', () => {
    const stamp = fc
      .record({
        ms: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.now() }),
        fraction: fc.stringMatching(/^\d{0,9}$/),
        zone: fc.constantFrom('Z', '+00:00', '-00:00'),
      })
      .map(({ ms, fraction, zone }) => {
        const seconds = new Date(ms).toISOString().slice(0, 19)
        return `${seconds}${fraction ? `.${fraction}` : ''}${zone}`
      })
    fc.assert(
      fc.property(stamp, stamp, (a, b) => {
        expect(isOlder(a, b)).toBe(toEpochMicros(a) < toEpochMicros(b))
      }),
      { numRuns: 2000 },
    )
  })

  it('still orders a REST millisecond stamp against a socket microsecond stamp', () => {
    expect(isOlder('2026-06-01T11:59:04.541Z', '2026-06-01T11:59:04.541001+00:00')).toBe(true)
    expect(isOlder('2026-06-01T11:59:04.541001+00:00', '2026-06-01T11:59:04.541Z')).toBe(false)
    expect(isOlder('2026-06-01T11:59:04Z', '2026-06-01T11:59:04.000+00:00')).toBe(false)
    expect(isOlder('2026-06-01T11:59:03.999999+00:00', '2026-06-01T11:59:04Z')).toBe(true)
  })
})
