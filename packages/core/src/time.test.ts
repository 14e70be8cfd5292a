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
})
