/**
 * Small statistics for the benchmark: median with min–max over repetitions, percentiles.
 * @module
 */

/** A figure measured several times. */
export interface Summary {
  readonly median: number
  readonly min: number
  readonly max: number
  /** Every measurement, in the order taken. */
  readonly samples: readonly number[]
}

/** Median (mean of the middle two for an even count), min and max of `samples`. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('summarize needs at least one sample')
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
  return {
    median,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    samples: [...samples],
  }
}

/** The `p`-th percentile (0–100) by nearest rank, or `NaN` for no values. Sorts `values` in place. */
export function percentile(values: Float64Array, count: number, p: number): number {
  if (count === 0) return Number.NaN
  const view = values.subarray(0, count).sort()
  const rank = Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1))
  return view[rank] as number
}

/** Wall-clock time in milliseconds with sub-millisecond resolution, comparable across threads. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now()
}

/** A tiny seeded PRNG (mulberry32) for picking selector paths reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
