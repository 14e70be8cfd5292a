/**
 * How a match unfolds, per sport: a script of scoring events drawn once at creation (goals,
 * baskets, games, rounds), its periods and its end, on the simulator's time scale. A soccer match
 * lasts 110 minutes of match time, basketball about 2 h 15 (4 × 12 min of play), tennis and
 * Counter-Strike until a player or team has won two sets or maps. `speed` compresses that:
 * at 60 a soccer match lasts 1 min 50 s of wall time.
 * @module
 */
import type { PlayerSpec } from './catalogue.js'
import type { Prng } from './prng.js'

/** One scoring event of a script. */
export interface ScoreEvent {
  /** Epoch ms (wall clock of the simulator). */
  readonly atMs: number
  /** Period key (`'1'`, `'2'`, …). */
  readonly period: string
  /** Who scores: `1` the first participant (home), `2` the second. */
  readonly side: 1 | 2
  /** Added to the period's score: goals, points, games or rounds. */
  readonly points: number
  /** Added to the `result` score: the same points (soccer, basketball) or a won set or map. */
  readonly result: number
  /** The scorer (soccer and basketball), when one of the squad's listed players. */
  readonly playerId?: number
}

/** A whole match, drawn in advance. */
export interface MatchScript {
  /** Kick-off, epoch ms (wall clock of the simulator); may lie in the past. */
  readonly kickoffMs: number
  /** When the match ends, epoch ms: the last event is before it. */
  readonly endMs: number
  /** Sorted by time. */
  readonly events: readonly ScoreEvent[]
  /** Length of the whole match in wall-clock ms, breaks included. */
  readonly playMs: number
  /** Match time per wall-clock time the script was drawn with. */
  readonly speed: number
}

/** Periods of play of soccer and basketball, in match minutes from kick-off: `[from, to]`. */
const PLAY: Readonly<Record<number, readonly (readonly [number, number])[]>> = {
  10: [
    [0, 47],
    [62, 111],
  ],
  11: [
    [0, 28],
    [30, 58],
    [73, 101],
    [103, 131],
  ],
}

/**
 * Share of the playing time left (breaks do not count) `elapsedMs` of wall clock after kick-off:
 * `1` at kick-off, `0` at the end. Sports played in sets or maps have no clock: `undefined`.
 */
export function timeLeft(
  script: MatchScript,
  sportId: number,
  elapsedMs: number,
): number | undefined {
  const periods = PLAY[sportId]
  if (!periods) return undefined
  const minutes = (elapsedMs * script.speed) / MINUTE
  let played = 0
  let total = 0
  for (const [from, to] of periods) {
    total += to - from
    played += Math.min(to - from, Math.max(0, minutes - from))
  }
  return Math.min(1, Math.max(0, 1 - played / total))
}

/** What a script needs to know about the two sides. */
export interface MatchSides {
  /** Strengths in `[0, 1]`. */
  readonly strength1: number
  readonly strength2: number
  readonly squad1: readonly PlayerSpec[]
  readonly squad2: readonly PlayerSpec[]
  /** Basketball league scale: expected points per team (NBA ≈ 114, EuroLeague ≈ 82). */
  readonly pointsPerTeam?: number
}

const MINUTE = 60_000

/** Expected goals per team in soccer, home advantage included. */
export function soccerRates(strength1: number, strength2: number): [number, number] {
  const d = strength1 - strength2
  return [
    Math.min(3.0, Math.max(0.35, 1.45 + 0.9 * d)),
    Math.min(2.6, Math.max(0.3, 1.1 - 0.8 * d)),
  ]
}

/** Chance that side 1 wins a set (tennis) or a map (Counter-Strike). */
export function setChance(strength1: number, strength2: number): number {
  return Math.min(0.85, Math.max(0.15, 0.5 + 0.33 * (strength1 - strength2)))
}

function poisson(rng: Prng, mean: number): number {
  const limit = Math.exp(-mean)
  let k = 0
  let p = rng.next()
  while (p > limit) {
    k++
    p *= rng.next()
  }
  return k
}

function scorer(rng: Prng, squad: readonly PlayerSpec[]): number | undefined {
  let roll = rng.next()
  for (const player of squad) {
    roll -= player.share
    if (roll < 0) return player.id
  }
  return undefined
}

/**
 * Draws a match. `kickoffMs` may lie in the past (a fixture created live); `speed` is match time
 * per wall-clock time.
 */
export function scriptMatch(
  sportId: number,
  rng: Prng,
  kickoffMs: number,
  speed: number,
  sides: MatchSides,
): MatchScript {
  const at = (worldMinutes: number) => kickoffMs + Math.round((worldMinutes * MINUTE) / speed)
  const events: {
    atMs: number
    period: string
    side: 1 | 2
    points: number
    result: number
    playerId?: number
  }[] = []
  const squadOf = (side: 1 | 2) => (side === 1 ? sides.squad1 : sides.squad2)
  let endMinutes: number
  let playMinutes: number
  switch (sportId) {
    case 10: {
      // two halves of 45 + stoppage, 15 min half time
      const rates = soccerRates(sides.strength1, sides.strength2)
      const halves = [
        { key: '1', from: 0, to: 47 },
        { key: '2', from: 62, to: 111 },
      ]
      for (const half of halves) {
        for (const side of [1, 2] as const) {
          const n = poisson(rng, (rates[side - 1] as number) / 2)
          for (let i = 0; i < n; i++) {
            const playerId = scorer(rng, squadOf(side))
            events.push({
              atMs: at(rng.float(half.from + 1, half.to)),
              period: half.key,
              side,
              points: 1,
              result: 1,
              ...(playerId !== undefined && { playerId }),
            })
          }
        }
      }
      endMinutes = 111
      playMinutes = 96
      break
    }
    case 11: {
      // 4 quarters of 12 min play (≈ 28 min each), 2 min breaks, 15 min half time
      const perTeam = sides.pointsPerTeam ?? 114
      const d = sides.strength1 - sides.strength2
      const targets = [perTeam * (1 + 0.06 * d) + 2, perTeam * (1 - 0.06 * d)]
      const starts = [0, 30, 73, 103]
      const totals = [0, 0]
      for (let q = 0; q < 4; q++) {
        for (const side of [1, 2] as const) {
          const goal = (targets[side - 1] as number) / 4 + rng.normal() * 4.5
          let points = 0
          while (points < goal) {
            const roll = rng.next()
            const value = roll < 0.58 ? 2 : roll < 0.9 ? 3 : 1
            points += value
            const playerId = scorer(rng, squadOf(side))
            events.push({
              atMs: at((starts[q] as number) + rng.float(0.2, 27.8)),
              period: String(q + 1),
              side,
              points: value,
              result: value,
              ...(playerId !== undefined && { playerId }),
            })
          }
          totals[side - 1] = (totals[side - 1] as number) + points
        }
      }
      if (totals[0] === totals[1]) {
        // no draws: a last basket decides (overtime folded into the fourth quarter)
        events.push({
          atMs: at(131),
          period: '4',
          side: rng.chance(0.5) ? 1 : 2,
          points: 2,
          result: 2,
        })
      }
      endMinutes = 131.5
      playMinutes = 131
      break
    }
    case 12:
    case 17: {
      // tennis: games of ≈ 4.5 min to 6 with two clear or a tiebreak at 6–6, best of three sets;
      // Counter-Strike: rounds of ≈ 1.9 min to 13 (overtime to 16), best of three maps
      const tennis = sportId === 12
      const p = setChance(sides.strength1, sides.strength2)
      const unit = tennis ? 0.5 + (p - 0.5) * 0.3 : 0.5 + (p - 0.5) * 0.22
      let minutes = 0
      const won = [0, 0]
      for (let set = 1; (won[0] ?? 0) < 2 && (won[1] ?? 0) < 2; set++) {
        const score = [0, 0]
        for (;;) {
          minutes += tennis ? rng.float(3, 6) : rng.float(1.4, 2.4)
          const side: 1 | 2 = rng.next() < unit ? 1 : 2
          score[side - 1] = (score[side - 1] as number) + 1
          const [a, b] = score as [number, number]
          const done = tennis
            ? (Math.max(a, b) >= 6 && Math.abs(a - b) >= 2) || Math.max(a, b) === 7
            : (Math.max(a, b) >= 13 && Math.abs(a - b) >= 2 && Math.max(a, b) <= 16) ||
              Math.max(a, b) === 16
          if (done) won[side - 1] = (won[side - 1] ?? 0) + 1
          events.push({
            atMs: at(minutes),
            period: String(set),
            side,
            points: 1,
            result: done ? 1 : 0,
          })
          if (done) break
        }
        minutes += tennis ? 2 : 6
      }
      endMinutes = minutes - (tennis ? 2 : 6) + 0.5
      playMinutes = endMinutes
      break
    }
    default:
      throw new RangeError(`No match model for sportId ${sportId}`)
  }
  events.sort((a, b) => a.atMs - b.atMs)
  return { kickoffMs, endMs: at(endMinutes), events, playMs: at(playMinutes) - kickoffMs, speed }
}
