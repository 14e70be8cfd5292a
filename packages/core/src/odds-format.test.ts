import { describe, expect, it } from 'vitest'
import {
  formatAmerican,
  formatFractional,
  formatOdds,
  fromAmerican,
  fromFractional,
  impliedProbability,
  toAmerican,
  toFractional,
} from './odds-format.js'

/**
 * `price` / `priceAmerican` / `priceFractional` as the provider's 2026 REST payloads carry them.
 * The first two rows are whole triples from captured payloads in public client code. The last
 * two hold the strings `oddspapi-facts.md` quotes without their decimal (`"-417"`, `"111/97"`):
 * the decimal is the price they stand for, and the other string is what this module writes
 * for it (not a provider string).
 */
const PROVIDER = [
  { price: 1.99, american: '-101', fractional: '99/100' },
  { price: 2, american: '100', fractional: '1/1' },
  { price: 1.24, american: '-417', fractional: '6/25' },
  { price: 2.144, american: '114', fractional: '111/97' },
] as const

describe('odds formats', () => {
  it.each(PROVIDER)('writes $price as the provider does: $american, $fractional', (row) => {
    expect(formatAmerican(row.price)).toBe(row.american)
    expect(formatFractional(row.price)).toBe(row.fractional)
    // and reads them back to (about) the same decimal
    expect(fromAmerican(row.american)).toBeCloseTo(row.price, 2)
    expect(fromFractional(row.fractional)).toBeCloseTo(row.price, 3)
  })

  it('rounds American odds to whole units on both sides of evens', () => {
    expect(toAmerican(2.5)).toBe(150)
    expect(toAmerican(1.5)).toBe(-200)
    expect(toAmerican(1.01)).toBe(-10000)
    expect(toAmerican(11)).toBe(1000)
    expect(fromAmerican('+150')).toBe(2.5)
    expect(fromAmerican(-200)).toBe(1.5)
    expect(fromAmerican('50')).toBeNaN()
  })

  it('finds the closest fraction with a denominator of at most 100', () => {
    expect(toFractional(2.5)).toEqual([3, 2])
    expect(toFractional(1.333)).toEqual([1, 3])
    expect(toFractional(5.3)).toEqual([43, 10])
    expect(toFractional(1.01)).toEqual([1, 100])
    expect(toFractional(1.587)).toEqual([27, 46])
    for (const price of [1.07, 1.587, 2.144, 3.3, 17.5]) {
      const [num, den] = toFractional(price)
      expect(den).toBeLessThanOrEqual(100)
      for (let d = 1; d <= 100; d++) {
        // nothing with a denominator ≤ 100 is closer
        const best = Math.abs(price - 1 - num / den)
        expect(Math.abs(price - 1 - Math.round((price - 1) * d) / d)).toBeGreaterThanOrEqual(
          best - 1e-12,
        )
      }
    }
    expect(fromFractional('evens')).toBe(2)
    expect(fromFractional('3/0')).toBeNaN()
  })

  it('formats for display in every format; anything not a price is a dash', () => {
    expect(formatOdds(2.5, 'decimal')).toBe('2.50')
    expect(formatOdds(1.05, 'decimal')).toBe('1.050')
    expect(formatOdds(2.5, 'american')).toBe('+150')
    expect(formatOdds(1.24, 'american')).toBe('-417')
    expect(formatOdds(2.5, 'fractional')).toBe('3/2')
    expect(formatOdds(2.5, 'implied')).toBe('40.0%')
    expect(impliedProbability(4)).toBe(0.25)
    expect(formatOdds(Number.NaN, 'american')).toBe('–')
    expect(formatOdds(1, 'decimal')).toBe('–')
    expect(() => toAmerican(0.5)).toThrow(RangeError)
  })
})
