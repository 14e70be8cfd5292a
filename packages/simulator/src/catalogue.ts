/**
 * Sports, markets, bookmakers and names the generator draws from.
 * Market ids follow `oddspapi-facts.md` where known (soccer 101…1012); the others are ids this
 * simulator invents (marked below), since ids are data and a client must not depend on them.
 * @module
 */

/** A market the generator can price. */
export interface MarketSpec {
  /** Market id; equals its first outcome id. */
  readonly id: number
  /** Outcome ids, in order. */
  readonly outcomes: readonly number[]
  /** A player prop: one entry per player under each outcome. */
  readonly players?: true
  /** Sent as REST `mainLine: true`. */
  readonly mainLine?: true
}

/** What the generator knows of one sport. */
export interface SportSpec {
  /** OddsPapi sport id (10, 11, 12). */
  readonly sportId: number
  /** Sport name. */
  readonly name: string
  /** Markets the generator offers for this sport. */
  readonly markets: readonly MarketSpec[]
  /** Period keys, in play order (`result` is kept as well). */
  readonly periods: readonly string[]
  /** Participant names the generator draws from. */
  readonly teams: readonly string[]
  /** Tournament ids the generator draws from. */
  readonly tournaments: readonly number[]
}

const SOCCER_MARKETS: readonly MarketSpec[] = [
  { id: 101, outcomes: [101, 102, 103], mainLine: true },
  { id: 104, outcomes: [104, 105] },
  { id: 106, outcomes: [106, 107] },
  { id: 108, outcomes: [108, 109] },
  { id: 1010, outcomes: [1010, 1011], mainLine: true },
  { id: 1012, outcomes: [1012, 1013] },
  // invented: anytime goalscorer (one outcome, one entry per player)
  { id: 1701, outcomes: [1701], players: true },
]

const BASKETBALL_MARKETS: readonly MarketSpec[] = [
  { id: 111, outcomes: [111, 112], mainLine: true },
  // invented: total points lines
  { id: 1141, outcomes: [1141, 1142] },
  { id: 1143, outcomes: [1143, 1144], mainLine: true },
  // invented: player points over/under
  { id: 1131, outcomes: [1131, 1132], players: true },
]

const TENNIS_MARKETS: readonly MarketSpec[] = [
  // invented: match winner, total games
  { id: 121, outcomes: [121, 122], mainLine: true },
  { id: 123, outcomes: [123, 124] },
]

/** The sports the simulator can generate: soccer 10, basketball 11, tennis 12. */
export const SPORTS: ReadonlyMap<number, SportSpec> = new Map([
  [
    10,
    {
      sportId: 10,
      name: 'soccer',
      markets: SOCCER_MARKETS,
      periods: ['1', '2'],
      teams: [
        'Arsenal',
        'Chelsea',
        'Liverpool',
        'Everton',
        'Real Madrid',
        'Sevilla',
        'Valencia',
        'Juventus',
        'Napoli',
        'Lazio',
        'Ajax',
        'PSV',
        'Benfica',
        'Porto',
        'Celtic',
        'Rangers',
      ],
      tournaments: [17, 8, 23, 35],
    },
  ],
  [
    11,
    {
      sportId: 11,
      name: 'basketball',
      markets: BASKETBALL_MARKETS,
      periods: ['1', '2', '3', '4'],
      teams: [
        'Boston Celtics',
        'Chicago Bulls',
        'Denver Nuggets',
        'Miami Heat',
        'Utah Jazz',
        'Phoenix Suns',
        'Real Madrid Baloncesto',
        'Olympiacos',
      ],
      tournaments: [132, 138],
    },
  ],
  [
    12,
    {
      sportId: 12,
      name: 'tennis',
      markets: TENNIS_MARKETS,
      periods: ['1', '2', '3'],
      teams: [
        'Sinner, Jannik',
        'Alcaraz, Carlos',
        'Zverev, Alexander',
        'Medvedev, Daniil',
        'Fritz, Taylor',
        'Ruud, Casper',
        'Rune, Holger',
        'Draper, Jack',
      ],
      tournaments: [2361, 2391],
    },
  ],
])

/**
 * Bookmaker slugs. The first eight were seen on the real feed (`oddspapi-facts.md`); the rest
 * are further slugs in the same style, used only when more than eight are asked for.
 */
export const BOOKMAKERS: readonly string[] = [
  'pinnacle',
  'bet365',
  '1xbet',
  '22bet',
  'stake',
  'starcasino.be',
  'betfair-ex',
  'polymarket',
  'williamhill',
  'unibet',
  'bwin',
  'betway',
]

/** Bookmaker margin (overround) by slug; the exchanges price close to fair. */
export function marginOf(slug: string): number {
  switch (slug) {
    case 'pinnacle':
      return 0.025
    case 'betfair-ex':
    case 'polymarket':
      return 0.005
    case 'bet365':
    case 'williamhill':
      return 0.06
    default:
      return 0.045
  }
}

/** Player names, "Last, First" as the feed sends them. */
export const PLAYER_NAMES: readonly string[] = [
  'Saka, Bukayo',
  'Palmer, Cole',
  'Salah, Mohamed',
  'Haaland, Erling',
  'Mbappe, Kylian',
  'Vinicius, Junior',
  'Kane, Harry',
  'Lautaro, Martinez',
  'Osimhen, Victor',
  'Gyokeres, Viktor',
  'Tatum, Jayson',
  'Jokic, Nikola',
  'Butler, Jimmy',
  'Booker, Devin',
  'Edwards, Anthony',
  'Doncic, Luka',
]

/**
 * The markets of one bookmaker for a sport: the sport's catalogue, cut or padded to `count`.
 * Padding adds three-way handicap lines with invented ids `3000 + 3k`.
 */
export function marketsFor(
  sport: SportSpec,
  count: number | undefined,
  props: boolean,
): MarketSpec[] {
  const base = sport.markets.filter((m) => props || !m.players)
  if (count === undefined) return [...base]
  const out = base.slice(0, count)
  for (let k = 0; out.length < count; k++) {
    const id = 3000 + 3 * k
    out.push({ id, outcomes: [id, id + 1, id + 2] })
  }
  return out
}
