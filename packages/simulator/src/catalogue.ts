/**
 * The world the generator draws from: sports, their leagues and teams, each team's players,
 * markets with names (the `GET /v4/markets` catalogue), and bookmakers with their margins and
 * shared price feeds ("skins").
 *
 * Market ids follow `oddspapi-facts.md` where known (soccer 101…1012); the others are ids this
 * simulator invents (marked below), since ids are data and a client must not depend on them.
 * Team, league and player names are plausible, not a claim about real rosters.
 * @module
 */

/** How a market is priced (and what its catalogue row calls it). */
export type MarketType =
  | '1x2'
  | 'winner'
  | 'btts'
  | 'totals'
  | 'handicap'
  | 'handicap3'
  | 'set-winner'
  | 'goalscorer'
  | 'player-points'

/** A market the generator can price. */
export interface MarketSpec {
  /** Market id; equals its first outcome id. */
  readonly id: number
  /** Outcome ids, in order. */
  readonly outcomes: readonly number[]
  /** Outcome names, in the order of {@link outcomes}. */
  readonly outcomeNames: readonly string[]
  /** Display name, as the catalogue's `marketName`. */
  readonly name: string
  /** How the market is priced; its catalogue row's `marketType`. */
  readonly marketType: MarketType
  /** Handicap or total line (`0` when the market has none). */
  readonly handicap: number
  /** `fulltime`, or `p1` for first-period markets. */
  readonly period: string
  /** A player prop: one entry per player under each outcome. */
  readonly players?: true
  /** Sent as REST `mainLine: true`. */
  readonly mainLine?: true
}

/** A league: its id (`tournamentId`), name and teams, strongest first. */
export interface LeagueSpec {
  /** The league's id, as fixtures carry it in `tournamentId`. */
  readonly tournamentId: number
  /** The league's name (`Premier League`). */
  readonly name: string
  /** Team names, strongest first. */
  readonly teams: readonly string[]
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
  /** The sport's leagues, each with its teams. */
  readonly leagues: readonly LeagueSpec[]
  /** Every team of every league (kept for older callers). */
  readonly teams: readonly string[]
  /** Tournament ids the generator draws from. */
  readonly tournaments: readonly number[]
  /** Whether teams have players (props); tennis participants are players themselves. */
  readonly squads: boolean
}

const m = (
  id: number,
  name: string,
  marketType: MarketType,
  outcomeNames: readonly string[],
  extra: Partial<Pick<MarketSpec, 'handicap' | 'period' | 'players' | 'mainLine'>> = {},
): MarketSpec => ({
  id,
  outcomes: outcomeNames.map((_, i) => id + i),
  outcomeNames,
  name,
  marketType,
  handicap: extra.handicap ?? 0,
  period: extra.period ?? 'fulltime',
  ...(extra.players && { players: true as const }),
  ...(extra.mainLine && { mainLine: true as const }),
})

const overUnder = (id: number, what: string, line: number, mainLine?: true): MarketSpec =>
  m(id, `Total ${what} over/under ${line}`, 'totals', [`Over ${line}`, `Under ${line}`], {
    handicap: line,
    ...(mainLine && { mainLine }),
  })

const SOCCER_MARKETS: readonly MarketSpec[] = [
  m(101, 'Full time result (1X2)', '1x2', ['1', 'X', '2'], { mainLine: true }),
  m(104, 'Both teams to score', 'btts', ['Yes', 'No']),
  overUnder(106, 'goals', 0.5),
  overUnder(108, 'goals', 1.5),
  overUnder(1010, 'goals', 2.5, true),
  overUnder(1012, 'goals', 3.5),
  // invented: anytime goalscorer (one outcome, one entry per player)
  m(1701, 'Anytime goalscorer', 'goalscorer', ['Scores'], { players: true }),
]

const BASKETBALL_MARKETS: readonly MarketSpec[] = [
  m(111, 'Winner (incl. overtime)', 'winner', ['1', '2'], { mainLine: true }),
  // invented: total points lines, point spread, player points
  overUnder(1141, 'points', 219.5),
  overUnder(1143, 'points', 224.5, true),
  m(1151, 'Point spread -4.5', 'handicap', ['1 -4.5', '2 +4.5'], { handicap: -4.5 }),
  m(1131, 'Player points over/under', 'player-points', ['Over', 'Under'], { players: true }),
]

const TENNIS_MARKETS: readonly MarketSpec[] = [
  // invented: match winner, total games, first set winner
  m(121, 'Match winner', 'winner', ['1', '2'], { mainLine: true }),
  overUnder(123, 'games', 22.5),
  m(125, 'First set winner', 'set-winner', ['1', '2'], { period: 'p1' }),
]

const ESPORTS_MARKETS: readonly MarketSpec[] = [
  // invented: match winner, total maps, map 1 winner
  m(171, 'Match winner', 'winner', ['1', '2'], { mainLine: true }),
  overUnder(173, 'maps', 2.5),
  m(175, 'Map 1 winner', 'set-winner', ['1', '2'], { period: 'p1' }),
]

const PREMIER_LEAGUE = [
  'Arsenal',
  'Liverpool',
  'Manchester City',
  'Chelsea',
  'Tottenham Hotspur',
  'Newcastle United',
  'Aston Villa',
  'Manchester United',
  'Brighton & Hove Albion',
  'West Ham United',
  'Crystal Palace',
  'Fulham',
  'Brentford',
  'Bournemouth',
  'Nottingham Forest',
  'Everton',
  'Wolverhampton',
  'Leeds United',
  'Burnley',
  'Sunderland',
]
const LALIGA = [
  'Real Madrid',
  'Barcelona',
  'Atletico Madrid',
  'Athletic Bilbao',
  'Villarreal',
  'Real Sociedad',
  'Real Betis',
  'Sevilla',
  'Girona',
  'Valencia',
  'Celta Vigo',
  'Osasuna',
  'Getafe',
  'Rayo Vallecano',
]
const SERIE_A = [
  'Inter',
  'Napoli',
  'Juventus',
  'AC Milan',
  'Atalanta',
  'Roma',
  'Lazio',
  'Fiorentina',
  'Bologna',
  'Torino',
  'Udinese',
  'Genoa',
]
const BUNDESLIGA = [
  'Bayern Munich',
  'Bayer Leverkusen',
  'Borussia Dortmund',
  'RB Leipzig',
  'Eintracht Frankfurt',
  'VfB Stuttgart',
  'SC Freiburg',
  'VfL Wolfsburg',
  'Union Berlin',
  'Werder Bremen',
  'Mainz 05',
  'Borussia Monchengladbach',
]
const NBA = [
  'Boston Celtics',
  'Oklahoma City Thunder',
  'Denver Nuggets',
  'Cleveland Cavaliers',
  'New York Knicks',
  'Minnesota Timberwolves',
  'Milwaukee Bucks',
  'Dallas Mavericks',
  'Phoenix Suns',
  'Los Angeles Lakers',
  'Golden State Warriors',
  'Philadelphia 76ers',
  'Miami Heat',
  'Indiana Pacers',
  'Sacramento Kings',
  'Orlando Magic',
  'Houston Rockets',
  'Memphis Grizzlies',
  'Atlanta Hawks',
  'Chicago Bulls',
  'Toronto Raptors',
  'Utah Jazz',
  'San Antonio Spurs',
  'Portland Trail Blazers',
]
const EUROLEAGUE = [
  'Real Madrid Baloncesto',
  'Panathinaikos',
  'Olympiacos',
  'Fenerbahce',
  'FC Barcelona Basquet',
  'Anadolu Efes',
  'AS Monaco Basket',
  'Maccabi Tel Aviv',
  'Zalgiris Kaunas',
  'Partizan Belgrade',
  'Crvena Zvezda',
  'Virtus Bologna',
  'Olimpia Milano',
  'Baskonia',
  'Bayern Munich Basketball',
  'Paris Basketball',
]
const ATP = [
  'Sinner, Jannik',
  'Alcaraz, Carlos',
  'Zverev, Alexander',
  'Djokovic, Novak',
  'Fritz, Taylor',
  'Draper, Jack',
  'Medvedev, Daniil',
  'De Minaur, Alex',
  'Ruud, Casper',
  'Rune, Holger',
  'Tsitsipas, Stefanos',
  'Paul, Tommy',
  'Shelton, Ben',
  'Hurkacz, Hubert',
  'Dimitrov, Grigor',
  'Musetti, Lorenzo',
]
const WTA = [
  'Sabalenka, Aryna',
  'Swiatek, Iga',
  'Gauff, Coco',
  'Pegula, Jessica',
  'Rybakina, Elena',
  'Paolini, Jasmine',
  'Zheng, Qinwen',
  'Andreeva, Mirra',
  'Navarro, Emma',
  'Keys, Madison',
  'Badosa, Paula',
  'Svitolina, Elina',
]
const CS2 = [
  'Team Vitality',
  'Team Spirit',
  'MOUZ',
  'The MongolZ',
  'Natus Vincere',
  'FaZe Clan',
  'G2 Esports',
  'Aurora',
  'FURIA',
  'Team Falcons',
  'Astralis',
  'Heroic',
  'Team Liquid',
  '3DMAX',
  'Virtus.pro',
  'paiN Gaming',
]

const sport = (
  sportId: number,
  name: string,
  markets: readonly MarketSpec[],
  periods: readonly string[],
  leagues: readonly LeagueSpec[],
  squads: boolean,
): SportSpec => ({
  sportId,
  name,
  markets,
  periods,
  leagues,
  teams: leagues.flatMap((l) => l.teams),
  tournaments: leagues.map((l) => l.tournamentId),
  squads,
})

/**
 * The sports the simulator can generate: soccer 10, basketball 11, tennis 12 (the default
 * three) and Counter-Strike 17 (opt in with `sports`).
 */
export const SPORTS: ReadonlyMap<number, SportSpec> = new Map([
  [
    10,
    sport(
      10,
      'soccer',
      SOCCER_MARKETS,
      ['1', '2'],
      [
        { tournamentId: 17, name: 'Premier League', teams: PREMIER_LEAGUE },
        { tournamentId: 8, name: 'LaLiga', teams: LALIGA },
        { tournamentId: 23, name: 'Serie A', teams: SERIE_A },
        { tournamentId: 35, name: 'Bundesliga', teams: BUNDESLIGA },
      ],
      true,
    ),
  ],
  [
    11,
    sport(
      11,
      'basketball',
      BASKETBALL_MARKETS,
      ['1', '2', '3', '4'],
      [
        { tournamentId: 132, name: 'NBA', teams: NBA },
        { tournamentId: 138, name: 'EuroLeague', teams: EUROLEAGUE },
      ],
      true,
    ),
  ],
  [
    12,
    sport(
      12,
      'tennis',
      TENNIS_MARKETS,
      ['1', '2', '3'],
      [
        { tournamentId: 2361, name: 'ATP Finals', teams: ATP },
        { tournamentId: 2391, name: 'WTA Finals', teams: WTA },
      ],
      false,
    ),
  ],
  [
    17,
    sport(
      17,
      'counter-strike',
      ESPORTS_MARKETS,
      ['1', '2', '3'],
      [{ tournamentId: 16026, name: 'ESL Pro League', teams: CS2 }],
      false,
    ),
  ],
])

/** Sports generated when `sports` is not given. */
export const DEFAULT_SPORTS: readonly number[] = [10, 11, 12]

/** A team's stable id (`participant1Id`): unique across sports and leagues. */
export function teamId(sportId: number, league: number, index: number): number {
  return sportId * 10_000 + league * 100 + index
}

/** A team's strength in `[0, 1]`: listed strongest first, with a fixed per-team wobble. */
export function teamStrength(index: number, count: number, id: number): number {
  const wobble = (((id * 2654435761) >>> 0) % 1000) / 1000 - 0.5
  return Math.min(1, Math.max(0, 1 - index / Math.max(1, count - 1) + wobble * 0.25))
}

const FIRST_SOCCER = [
  'Lucas',
  'Mateo',
  'Jonas',
  'Marco',
  'Diego',
  'Tom',
  'Luca',
  'Nico',
  'Hugo',
  'Jan',
  'Pablo',
  'Kai',
  'Rafael',
  'Emil',
  'Bruno',
  'Oliver',
  'Sander',
  'Adrien',
  'Theo',
]
const LAST_SOCCER = [
  'Moreno',
  'Keller',
  'Rossi',
  'Silva',
  'Novak',
  'Brandt',
  'Laurent',
  'Okafor',
  'Castro',
  'Lindqvist',
  'Ferreira',
  'Hughes',
  'Vidal',
  'Kovac',
  'Marin',
  'Schmidt',
  'Romero',
  'Dupont',
  'Mensah',
  'Berg',
  'Costa',
  'Walsh',
  'Duarte',
]
const FIRST_BASKETBALL = [
  'Jalen',
  'Marcus',
  'Tyrese',
  'Devin',
  'Andre',
  'Jamal',
  'Nikola',
  'Luka',
  'Bogdan',
  'Kevin',
  'Darius',
  'Malik',
  'Isaiah',
  'Vasilije',
  'Evan',
  'Trey',
  'Mikal',
]
const LAST_BASKETBALL = [
  'Johnson',
  'Williams',
  'Brooks',
  'Carter',
  'Harris',
  'Mitchell',
  'Jovic',
  'Petrovic',
  'Walker',
  'Coleman',
  'Bryant',
  'Hayes',
  'Micic',
  'Reed',
  'Sanders',
  'Vucevic',
  'Moore',
  'Grant',
  'Tucker',
]

/** One player of a team's squad (props). */
export interface PlayerSpec {
  /** Stable across fixtures: one name per id. */
  readonly id: number
  /** "Last, First", as the feed sends it. */
  readonly name: string
  /** Share of the team's goals or points. */
  readonly share: number
}

/** Players per team squad. */
export const SQUAD_SIZE = 5

/**
 * A team's squad: five players with stable ids and names (one name per id, no name shared by
 * two ids of one sport), best scorers first.
 */
export function squadOf(sportId: number, team: number): PlayerSpec[] {
  const basketball = sportId === 11
  const firsts = basketball ? FIRST_BASKETBALL : FIRST_SOCCER
  const lasts = basketball ? LAST_BASKETBALL : LAST_SOCCER
  const space = firsts.length * lasts.length
  const shares = basketball ? [0.26, 0.2, 0.16, 0.12, 0.09] : [0.3, 0.18, 0.12, 0.08, 0.05]
  return shares.map((share, k) => {
    // a bijection of [0, space): the team's k-th player gets a name no other id of this sport has
    const serial = (denseTeamIndex(sportId, team) * SQUAD_SIZE + k) % space
    const slot = (serial * 7919) % space
    const last = lasts[slot % lasts.length] as string
    const first = firsts[Math.floor(slot / lasts.length)] as string
    return { id: team * 10 + k, name: `${last}, ${first}`, share }
  })
}

/** The team's position among all teams of its sport (leagues in order). */
function denseTeamIndex(sportId: number, team: number): number {
  const leagues = SPORTS.get(sportId)?.leagues ?? []
  const league = Math.floor((team % 10_000) / 100)
  let before = 0
  for (let l = 0; l < league && l < leagues.length; l++) before += leagues[l]?.teams.length ?? 0
  return before + (team % 100)
}

/** Every player name of the soccer and basketball squads, "Last, First". */
export const PLAYER_NAMES: readonly string[] = [10, 11].flatMap((sportId) => {
  const spec = SPORTS.get(sportId) as SportSpec
  return spec.leagues.flatMap((league, l) =>
    league.teams.flatMap((_, i) => squadOf(sportId, teamId(sportId, l, i)).map((p) => p.name)),
  )
})

/**
 * A bookmaker: the price feed it takes its prices from (skins share one) and its margin.
 * Margins are like real books': 2–8 %.
 */
export interface BookmakerSpec {
  /** The bookmaker's slug, its key in `bookmakerOdds` (`pinnacle`, `bet365`). */
  readonly slug: string
  /** Books with the same feed show identical prices (Kambi skins, 1xBet skins). */
  readonly feed: string
  /** Overround, e.g. `0.045` for a 4.5 % book. */
  readonly margin: number
}

const BOOKMAKER_SPECS: readonly BookmakerSpec[] = [
  { slug: 'pinnacle', feed: 'pinnacle', margin: 0.028 },
  { slug: 'bet365', feed: 'bet365', margin: 0.06 },
  { slug: '1xbet', feed: '1xbet', margin: 0.05 },
  { slug: '22bet', feed: '1xbet', margin: 0.05 },
  { slug: 'stake', feed: 'stake', margin: 0.045 },
  { slug: 'starcasino.be', feed: 'kambi', margin: 0.065 },
  { slug: 'betfair-ex', feed: 'betfair-ex', margin: 0.022 },
  { slug: 'polymarket', feed: 'polymarket', margin: 0.03 },
  { slug: 'williamhill', feed: 'williamhill', margin: 0.075 },
  { slug: 'unibet', feed: 'kambi', margin: 0.065 },
  { slug: 'bwin', feed: 'bwin', margin: 0.07 },
  { slug: 'betway', feed: 'betway', margin: 0.06 },
]

/**
 * Bookmaker slugs. The first eight were seen on the real feed (`oddspapi-facts.md`); the rest
 * are further slugs in the same style, used only when more than eight are asked for.
 */
export const BOOKMAKERS: readonly string[] = BOOKMAKER_SPECS.map((b) => b.slug)

/** A bookmaker's spec; unknown slugs get their own feed and a 5 % margin. */
export function bookmakerSpec(slug: string): BookmakerSpec {
  return BOOKMAKER_SPECS.find((b) => b.slug === slug) ?? { slug, feed: slug, margin: 0.05 }
}

/** Bookmaker margin (overround) by slug: 2–8 %. */
export function marginOf(slug: string): number {
  return bookmakerSpec(slug).margin
}

/**
 * The markets of one bookmaker for a sport: the sport's catalogue, cut or padded to `count`.
 * Padding adds three-way handicap lines with invented ids `sportId · 10 000 + 3k`.
 */
export function marketsFor(
  sport: SportSpec,
  count: number | undefined,
  props: boolean,
): MarketSpec[] {
  const base = sport.markets.filter((spec) => props || !spec.players)
  if (count === undefined) return [...base]
  const out = base.slice(0, count)
  for (let k = 0; out.length < count; k++) out.push(paddingMarket(sport.sportId, k))
  return out
}

/** The `k`-th padding market of a sport: a three-way handicap line. */
export function paddingMarket(sportId: number, k: number): MarketSpec {
  const line = (k % 2 === 0 ? -1 : 1) * (Math.floor(k / 2) + 1)
  const shown = line > 0 ? `+${line}` : String(line)
  return m(
    sportId * 10_000 + 3 * k,
    `Handicap 3-way ${shown}`,
    'handicap3',
    [`1 (${shown})`, 'X', `2 (${line > 0 ? -line : `+${-line}`})`],
    { handicap: line },
  )
}

/** One row of `GET /v4/markets`, in the provider's shape. */
export interface CatalogueRow {
  /** The market's id, as `bookmakerOdds.{bookmaker}.markets` keys it. */
  marketId: number
  /** The market's display name (`Full time result (1X2)`). */
  marketName: string
  /** How many outcomes the market has. */
  marketLength: number
  /** Whether the market is a player prop (one price entry per player under each outcome). */
  playerProp: boolean
  /** The sport whose fixtures carry the market. */
  sportId: number
  /** The handicap or total line, `0` when the market has none. */
  handicap: number
  /** `fulltime`, or `p1` for first-period markets. */
  period: string
  /** How the market is priced (a {@link MarketType}). */
  marketType: string
  /** The market's outcomes, in order. */
  outcomes: {
    /** The outcome's id, as `markets.{marketId}.outcomes` keys it. */
    outcomeId: number
    /** The outcome's display name (`1`, `X`, `Over 2.5`). */
    outcomeName: string
  }[]
}

/** A market's catalogue row. */
export function catalogueRow(sportId: number, spec: MarketSpec): CatalogueRow {
  return {
    marketId: spec.id,
    marketName: spec.name,
    marketLength: spec.outcomes.length,
    playerProp: spec.players === true,
    sportId,
    handicap: spec.handicap,
    period: spec.period,
    marketType: spec.marketType,
    outcomes: spec.outcomes.map((outcomeId, i) => ({
      outcomeId,
      outcomeName: spec.outcomeNames[i] as string,
    })),
  }
}
