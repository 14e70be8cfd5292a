/** The provider page's five examples, verbatim (seed/websocket-api.zh.txt). */
const player = {
  active: true,
  betslip: null,
  bookmakerOutcomeId: '2535416646',
  changedAt: '2025-06-11T16:55:30.284055+00:00',
  limit: null,
  playerName: null,
  price: 1.345,
  exchangeMeta: {},
  playerId: 0,
}

export const seedExamples = [
  {
    fixtureId: 'id2704726161008023',
    statusId: 1,
    updatedAt: '2025-06-11T16:55:28.415401+00:00',
  },
  {
    fixtureId: 'id1100097561092987',
    bookmakerOdds: {
      'starcasino.be': {
        markets: { '111': { outcomes: { '111': { players: { '0': { ...player } } } } } },
      },
    },
  },
  {
    fixtureId: 'id1100023561139799',
    bookmakerOdds: {
      '22bet': {
        bookmakerFixtureId: '265591179',
        fixturePath:
          'https://22bets.com/line/basketball/5226-e/265591179-kk-partizan-buducnost-podgorica',
      },
    },
  },
  {
    fixtureId: 'id1001509158796975',
    bookmakerOdds: {
      stake: {
        markets: {
          '101': {
            outcomes: {
              '101': { players: { '0': { ...player } } },
              '102': { players: { '0': { ...player } } },
            },
          },
        },
      },
    },
  },
  {
    fixtureId: 'id1000085362245214',
    scores: {
      periods: {
        '2': {
          participant1Score: 0,
          participant2Score: 0,
          updatedAt: '2025-07-23T16:56:37.122614+00:00',
        },
      },
    },
  },
] as const
