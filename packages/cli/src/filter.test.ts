import type { OddsFrame } from '@oddsfeed/core'
import { describe, expect, it } from 'vitest'
import { parseFaults } from './commands/simulate.js'
import { pruneFrame, selectPath, wrapAtPath } from './filter.js'
import { prettyLines } from './pretty.js'

const entry = (price: number) => ({ price, active: true, playerId: 0 })
const frame: OddsFrame = {
  fixtureId: 'f1',
  statusId: 1,
  bookmakerOdds: {
    stake: {
      bookmakerFixtureId: 's1',
      markets: {
        '101': {
          outcomes: {
            '101': { players: { '0': entry(2) } },
            '102': { players: { '0': entry(3) } },
          },
        },
        '104': { outcomes: { '104': { players: { '0': entry(1.9) } } } },
      },
    },
  },
}

describe('pruneFrame', () => {
  it('passes whole frames of the fixture, drops the others', () => {
    expect(pruneFrame(frame, {})).toBe(frame)
    expect(pruneFrame(frame, { fixtureId: 'f1' })).toBe(frame)
    expect(pruneFrame(frame, { fixtureId: 'f2' })).toBeUndefined()
  })

  it('keeps only the selected market and outcome, with the fixture id', () => {
    expect(pruneFrame(frame, { marketId: '101', outcomeId: '102' })).toEqual({
      fixtureId: 'f1',
      bookmakerOdds: {
        stake: {
          bookmakerFixtureId: 's1',
          markets: { '101': { outcomes: { '102': { players: { '0': entry(3) } } } } },
        },
      },
    })
    expect(pruneFrame(frame, { bookmaker: 'pinnacle' })).toBeUndefined()
    expect(pruneFrame({ fixtureId: 'f1', statusId: 2 }, { bookmaker: 'stake' })).toBeUndefined()
    expect(pruneFrame(frame, { playerId: '7' })).toBeUndefined()
  })
})

describe('selectPath and wrapAtPath', () => {
  it('builds a select path from the top down, and refuses gaps', () => {
    expect(selectPath({ fixtureId: 'f', bookmaker: 'b', marketId: '1' })).toEqual({
      fixtureId: 'f',
      bookmaker: 'b',
      marketId: '1',
    })
    expect(() => selectPath({ bookmaker: 'b' })).toThrow(/--fixture/)
    expect(() => selectPath({ fixtureId: 'f', marketId: '1' })).toThrow(/--bookmaker/)
  })

  it('puts a selected value back in place, for pretty printing', () => {
    const path = {
      fixtureId: 'f1',
      bookmaker: 'stake',
      marketId: '104',
      outcomeId: '104',
      playerId: '0',
    }
    const wrapped = wrapAtPath(path, entry(1.9))
    expect(pruneFrame(frame, { ...path })).toEqual({
      ...wrapped,
      bookmakerOdds: { stake: { bookmakerFixtureId: 's1', ...wrapped.bookmakerOdds?.stake } },
    })
    expect(prettyLines(wrapped).join('\n')).toContain('stake')
  })
})

describe('parseFaults', () => {
  it('reads a comma list of faults', () => {
    expect(
      parseFaults(
        'drop=30000,abrupt,stall=60000:5000,malformed=100,oversized=50:4096,refuse=429,refuse-count=2',
      ),
    ).toEqual({
      dropEveryMs: 30000,
      dropMode: 'abrupt',
      stallEveryMs: 60000,
      stallForMs: 5000,
      malformedEvery: 100,
      oversizedEvery: 50,
      oversizedBytes: 4096,
      refuseHandshake: 429,
      refuseCount: 2,
    })
    expect(() => parseFaults('explode=1')).toThrow(/Unknown fault/)
    expect(() => parseFaults('refuse=404')).toThrow(/429 or 500/)
    expect(() => parseFaults('drop=soon')).toThrow(/positive integer/)
  })
})
