/**
 * Fair probabilities of a market from the state of its match: Poisson goals for soccer, normal
 * margins and totals for basketball, set-by-set chances for tennis and Counter-Strike. Every
 * market of a fixture comes from the same model, so its prices agree with each other (over 0.5
 * goals is short when over 3.5 is long; a goal moves the 1X2).
 * @module
 */
import type { MarketSpec } from './catalogue.js'
import { setChance, soccerRates } from './match.js'

/** What the published score says, and how much of the match is left. */
export interface Situation {
  readonly sportId: number
  /** Share of playing time left, `1` before kickoff, `0` at the end. */
  readonly left: number
  /** `result` score so far (goals, points, sets or maps won). */
  readonly score1: number
  readonly score2: number
  /** The current period's key and score (games or rounds in tennis and Counter-Strike). */
  readonly period: number
  readonly current1: number
  readonly current2: number
  /** Every period's points together (all games or rounds played so far). */
  readonly total: number
  /** Market opinion: a slowly drifting shift of side 1's strength. */
  readonly strength1: number
  readonly strength2: number
  /** Basketball: expected points per team over a whole match. */
  readonly pointsPerTeam: number
  /** Points or goals of each listed player so far. */
  readonly playerScores: ReadonlyMap<number, number>
}

/** A player line of a prop market. */
export interface PropLine {
  readonly playerId: number
  readonly share: number
  readonly side: 1 | 2
  /** Basketball points line (fixed per fixture). */
  readonly line: number
}

const MAX_GOALS = 12
/** Books cap long shots (a price above this is quoted as this). */
const MAX_PRICE = 251

function poissonPmf(mean: number): number[] {
  const out: number[] = []
  let p = Math.exp(-mean)
  for (let k = 0; k <= MAX_GOALS; k++) {
    out.push(p)
    p = (p * mean) / (k + 1)
  }
  return out
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x / Math.SQRT2))
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-(x * x) / 2)
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2
}

/** Soccer: the distribution of final goals per side. */
function soccerFinal(s: Situation): { p1: number[]; p2: number[] } {
  const [r1, r2] = soccerRates(s.strength1, s.strength2)
  return { p1: poissonPmf(r1 * s.left), p2: poissonPmf(r2 * s.left) }
}

/** Sums `f(g1, g2)` over the final-score distribution. */
function soccerSum(s: Situation, f: (g1: number, g2: number) => boolean): number {
  const { p1, p2 } = soccerFinal(s)
  let sum = 0
  for (let x = 0; x <= MAX_GOALS; x++) {
    for (let y = 0; y <= MAX_GOALS; y++) {
      if (f(s.score1 + x, s.score2 + y)) sum += (p1[x] as number) * (p2[y] as number)
    }
  }
  return sum
}

/** Final margin and total of a basketball match, as normals. */
function basketball(s: Situation) {
  const d = s.strength1 - s.strength2
  const perTeam = s.pointsPerTeam
  const margin = s.score1 - s.score2 + (0.12 * d * perTeam + 2) * s.left
  const total = s.score1 + s.score2 + 2 * perTeam * s.left
  const root = Math.sqrt(Math.max(s.left, 1e-4))
  return { margin, marginSd: 12 * root, total, totalSd: 17 * root }
}

/**
 * Side 1's chance of winning a best-of-three from `(sets1, sets2)` when the current set is won
 * with chance `q` and every later one with `p`.
 */
function bestOfThree(sets1: number, sets2: number, q: number, p: number): number {
  const after = (a: number, b: number, chance: number): number => {
    if (a >= 2) return 1
    if (b >= 2) return 0
    return chance * after(a + 1, b, p) + (1 - chance) * after(a, b + 1, p)
  }
  return after(sets1, sets2, q)
}

/** Tennis and Counter-Strike: the chance of winning the current set or map. */
function currentSet(s: Situation): { p: number; q: number } {
  const p = setChance(s.strength1, s.strength2)
  const target = s.sportId === 12 ? 6 : 13
  const lead = s.current1 - s.current2
  const progress = Math.max(s.current1, s.current2) / target
  const q = Math.min(0.97, Math.max(0.03, p + ((0.6 * lead) / target) * (1 + 2 * progress)))
  return { p, q }
}

const clampProb = (p: number) => Math.min(0.995, Math.max(0.005, p))

/**
 * The fair probabilities of a market's outcomes (in the order of `spec.outcomes`), or
 * `undefined` when the market is settled (a player has scored, a set is over) and should be
 * suspended.
 */
export function fairProbabilities(
  spec: MarketSpec,
  s: Situation,
  prop?: PropLine,
): number[] | undefined {
  const done = s.left <= 0
  switch (spec.marketType) {
    case '1x2': {
      const home = soccerSum(s, (a, b) => a > b)
      const draw = soccerSum(s, (a, b) => a === b)
      return [home, draw, Math.max(0, 1 - home - draw)]
    }
    case 'btts': {
      if (s.score1 > 0 && s.score2 > 0) return undefined
      const yes = soccerSum(s, (a, b) => a > 0 && b > 0)
      return [yes, 1 - yes]
    }
    case 'totals': {
      const line = spec.handicap
      if (s.sportId === 10) {
        if (s.score1 + s.score2 > line) return undefined
        const over = soccerSum(s, (a, b) => a + b > line)
        return [over, 1 - over]
      }
      if (s.sportId === 11) {
        const b = basketball(s)
        if (done || s.score1 + s.score2 > line) return undefined
        const over = 1 - normalCdf((line - b.total) / b.totalSd)
        return [over, 1 - over]
      }
      if (s.sportId === 12) {
        // total games: those played, the rest of this set, about ten for each set still to come
        const { p, q } = currentSet(s)
        const future =
          s.score1 + s.score2 === 0
            ? 1 + q * (1 - p) + (1 - q) * p
            : s.score1 + s.score2 === 1
              ? s.score1 === 1
                ? 1 - q
                : q
              : 0
        const mean = s.total + Math.max(1, 9.7 - (s.current1 + s.current2)) + future * 9.7
        const over = 1 - normalCdf((line - mean) / (1 + 2.2 * Math.sqrt(future + 0.5)))
        return [over, 1 - over]
      }
      // Counter-Strike total maps: three maps unless one side takes the first two
      if (s.score1 + s.score2 >= 2) return undefined
      const { p, q } = currentSet(s)
      const third =
        s.score1 === s.score2 && s.score1 === 0
          ? q * (1 - p) + (1 - q) * p
          : s.score1 === 1
            ? 1 - q
            : q
      return [third, 1 - third]
    }
    case 'winner': {
      if (s.sportId === 11) {
        const b = basketball(s)
        if (done) return undefined
        const home = normalCdf(b.margin / Math.max(0.5, b.marginSd))
        return [home, 1 - home]
      }
      if (s.score1 >= 2 || s.score2 >= 2) return undefined
      const { p, q } = currentSet(s)
      const home = bestOfThree(s.score1, s.score2, q, p)
      return [home, 1 - home]
    }
    case 'set-winner': {
      if (s.period > 1 || s.score1 + s.score2 > 0) return undefined
      const { q } = currentSet(s)
      return [q, 1 - q]
    }
    case 'handicap': {
      const b = basketball(s)
      if (done) return undefined
      const home = 1 - normalCdf((-spec.handicap - b.margin) / Math.max(0.5, b.marginSd))
      return [home, 1 - home]
    }
    case 'handicap3': {
      const h = spec.handicap
      if (s.sportId === 10) {
        const home = soccerSum(s, (a, b) => a - b + h > 0)
        const draw = soccerSum(s, (a, b) => a - b + h === 0)
        return [home, draw, Math.max(0, 1 - home - draw)]
      }
      // other sports: a normal margin with a one-point draw band
      const margin =
        s.sportId === 11
          ? basketball(s)
          : { margin: (setChance(s.strength1, s.strength2) - 0.5) * 6, marginSd: 3 }
      const sd = Math.max(0.5, margin.marginSd)
      const home = 1 - normalCdf((0.5 - h - margin.margin) / sd)
      const away = normalCdf((-0.5 - h - margin.margin) / sd)
      return [home, Math.max(0, 1 - home - away), away]
    }
    case 'goalscorer': {
      if (!prop) return undefined
      if ((s.playerScores.get(prop.playerId) ?? 0) > 0 || done) return undefined
      const [r1, r2] = soccerRates(s.strength1, s.strength2)
      const rate = (prop.side === 1 ? r1 : r2) * prop.share * s.left
      return [1 - Math.exp(-rate)]
    }
    case 'player-points': {
      if (!prop || done) return undefined
      const now = s.playerScores.get(prop.playerId) ?? 0
      if (now > prop.line) return undefined
      const mean = now + prop.share * s.pointsPerTeam * s.left
      const sd = 5 * Math.sqrt(Math.max(s.left, 1e-4)) + 0.3
      const over = 1 - normalCdf((prop.line - mean) / sd)
      return [over, 1 - over]
    }
    default:
      return undefined
  }
}

/**
 * A bookmaker's price for each outcome: the fair probabilities shifted by the feed's own opinion
 * (`bias`, log-odds per outcome), normalised, raised by the margin, rounded down to the book's
 * decimals (as books do). `undefined` when the market is settled or all but decided (an outcome above 98.5 %).
 */
export function bookPrices(
  probs: readonly number[],
  bias: readonly number[],
  margin: number,
  decimals: number,
): number[] | undefined {
  const single = probs.length === 1
  let shifted: number[]
  if (single) {
    const p = clampProb(probs[0] as number)
    const logit = Math.log(p / (1 - p)) + (bias[0] ?? 0)
    shifted = [1 / (1 + Math.exp(-logit))]
  } else {
    const weights = probs.map((p, i) => Math.max(1e-4, p) * Math.exp(bias[i] ?? 0))
    const sum = weights.reduce((a, b) => a + b, 0)
    shifted = weights.map((w) => w / sum)
    // all but decided: books take such markets down rather than quote 1.01
    if (shifted.some((p) => p > 0.985)) return undefined
  }
  const f = 10 ** decimals
  return shifted.map((p) => {
    const raw = 1 / (p * (1 + margin))
    return Math.min(MAX_PRICE, Math.max(1.01, Math.floor(raw * f + 1e-9) / f))
  })
}
