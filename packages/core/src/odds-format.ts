/**
 * Odds formats: decimal prices (what the feed sends) shown as American, fractional or implied
 * probability. American odds are rounded to whole units and fractions are the closest with a
 * denominator of at most 100, the way the provider's 2026 REST payloads write `priceAmerican`
 * (`"-417"`, `"100"`) and `priceFractional` (`"111/97"`, `"99/100"`).
 * @module
 */

/** How a price is shown. */
export type OddsFormat = 'decimal' | 'american' | 'fractional' | 'implied'

/** Every {@link OddsFormat}, in the order a format switch lists them. */
export const ODDS_FORMATS: readonly OddsFormat[] = ['decimal', 'american', 'fractional', 'implied']

/** Largest denominator of a fractional price. */
export const MAX_FRACTION_DENOMINATOR = 100

const isPrice = (decimal: number) => Number.isFinite(decimal) && decimal > 1

/**
 * Decimal → American odds, whole units: `2.5` → `150`, `1.24` → `-417`, `2` → `100`.
 * @throws RangeError when `decimal` is not a finite price above 1.
 */
export function toAmerican(decimal: number): number {
  if (!isPrice(decimal)) throw new RangeError(`Not a decimal price: ${decimal}`)
  return decimal >= 2 ? Math.round((decimal - 1) * 100) : -Math.round(100 / (decimal - 1))
}

/**
 * Decimal → the closest fraction `[numerator, denominator]` of `decimal − 1` with a denominator
 * of at most `maxDenominator` (ties go to the smaller denominator): `2.144` → `[111, 97]`.
 * @throws RangeError when `decimal` is not a finite price above 1.
 */
export function toFractional(
  decimal: number,
  maxDenominator = MAX_FRACTION_DENOMINATOR,
): [numerator: number, denominator: number] {
  if (!isPrice(decimal)) throw new RangeError(`Not a decimal price: ${decimal}`)
  const target = decimal - 1
  let bestNum = Math.round(target)
  let bestDen = 1
  let bestErr = Math.abs(target - bestNum)
  for (let den = 2; den <= maxDenominator && bestErr > 1e-12; den++) {
    const num = Math.round(target * den)
    const err = Math.abs(target - num / den)
    if (err < bestErr - 1e-12) {
      bestNum = num
      bestDen = den
      bestErr = err
    }
  }
  return [bestNum, bestDen]
}

/** Decimal → implied probability `1 / decimal` (the bookmaker's margin included). */
export function impliedProbability(decimal: number): number {
  if (!isPrice(decimal)) throw new RangeError(`Not a decimal price: ${decimal}`)
  return 1 / decimal
}

/** The provider's `priceAmerican` string for a decimal price: `"-417"`, `"150"` (no plus sign). */
export function formatAmerican(decimal: number): string {
  return String(toAmerican(decimal))
}

/** The provider's `priceFractional` string for a decimal price: `"111/97"`. */
export function formatFractional(decimal: number): string {
  const [num, den] = toFractional(decimal)
  return `${num}/${den}`
}

/** American odds (number or string, `"+150"` allowed) → decimal price. `NaN` when unreadable. */
export function fromAmerican(american: number | string): number {
  const value = typeof american === 'number' ? american : Number(american.trim())
  if (!Number.isFinite(value) || Math.abs(value) < 100) return Number.NaN
  return value > 0 ? 1 + value / 100 : 1 + 100 / -value
}

/** Fractional odds (`"111/97"`, `"evens"`) → decimal price. `NaN` when unreadable. */
export function fromFractional(fractional: string): number {
  const text = fractional.trim().toLowerCase()
  if (text === 'evens' || text === 'evs') return 2
  const m = /^(\d+)\s*\/\s*(\d+)$/.exec(text)
  if (!m || Number(m[2]) === 0) return Number.NaN
  return 1 + Number(m[1]) / Number(m[2])
}

/** Options of {@link formatOdds}. */
export interface FormatOddsOptions {
  /** Decimals of a decimal price. Default 2 (3 below 1.1). */
  decimals?: number | undefined
  /** Decimals of an implied probability in percent. Default 1. */
  percentDecimals?: number | undefined
}

/**
 * A decimal price as text in a format, for display: `2.50`, `+150` / `-417` (American with its
 * sign, as bettors read it), `3/2`, `40.0%`. A value that is not a price shows as `–`.
 */
export function formatOdds(
  decimal: number,
  format: OddsFormat,
  options: FormatOddsOptions = {},
): string {
  if (!isPrice(decimal)) return '–'
  switch (format) {
    case 'american': {
      const american = toAmerican(decimal)
      return american > 0 ? `+${american}` : String(american)
    }
    case 'fractional':
      return formatFractional(decimal)
    case 'implied':
      return `${(impliedProbability(decimal) * 100).toFixed(options.percentDecimals ?? 1)}%`
    default:
      return decimal.toFixed(options.decimals ?? (decimal < 1.1 ? 3 : 2))
  }
}
