import { describe, expect, it } from 'vitest'
import { mergeFrame } from './merge.js'
import type { Fixture, OddsFrame } from './schema.js'
import { PathReader, readPath } from './select.js'

const NO = PathReader.NO_CHANGE
const frame = (bookmaker: string, market: string, price: number, player = '0'): OddsFrame => ({
  fixtureId: 'F',
  bookmakerOdds: {
    [bookmaker]: {
      markets: { [market]: { outcomes: { '1': { players: { [player]: { price } } } } } },
    },
  },
})

describe('PathReader', () => {
  it('answers the slice, then NO_CHANGE until that slice is a new object', () => {
    const path = { fixtureId: 'F', bookmaker: 'a', marketId: 101, outcomeId: 1, playerId: 0 }
    const reader = new PathReader(path)
    let f: Fixture | undefined
    expect(reader.next(f)).toBeUndefined()
    expect(reader.next(f)).toBe(NO)
    f = mergeFrame(f, frame('b', '101', 2)) // another bookmaker: stops at level 1
    expect(reader.next(f)).toBe(NO)
    f = mergeFrame(f, frame('a', '101', 2.5))
    expect(reader.next(f)).toEqual({ price: 2.5 })
    f = mergeFrame(f, frame('a', '104', 3)) // same bookmaker, other market
    expect(reader.next(f)).toBe(NO)
    f = mergeFrame(f, frame('a', '101', 2.5, '7')) // same market, other player
    expect(reader.next(f)).toBe(NO)
    f = mergeFrame(f, frame('a', '101', 2.6))
    expect(reader.next(f)).toEqual({ price: 2.6 })
    expect(reader.next(undefined)).toBeUndefined() // evicted
    expect(reader.next(undefined)).toBe(NO)
  })

  it('agrees with readPath at every depth, and never walks into Object.prototype', () => {
    let f: Fixture | undefined
    for (const [b, m, p] of [
      ['a', '101', 2],
      ['constructor', '__proto__', 3],
      ['b', 'toString', 4],
    ] as const) {
      f = mergeFrame(f, frame(b, m, p))
    }
    const paths = [
      { fixtureId: 'F' },
      { fixtureId: 'F', bookmaker: 'a' },
      { fixtureId: 'F', bookmaker: 'a', marketId: '101' },
      { fixtureId: 'F', bookmaker: 'a', marketId: '101', outcomeId: 1 },
      { fixtureId: 'F', bookmaker: 'zz', marketId: '101' },
      { fixtureId: 'F', bookmaker: '__proto__' },
      { fixtureId: 'F', bookmaker: 'hasOwnProperty' },
      { fixtureId: 'F', bookmaker: 'b', marketId: 'toString', outcomeId: 'valueOf' },
      { fixtureId: 'F', bookmaker: 'constructor' },
    ]
    for (const path of paths) {
      expect(new PathReader(path).next(f), JSON.stringify(path)).toBe(readPath(f, path))
    }
    expect(new PathReader({ fixtureId: 'F', bookmaker: '__proto__' }).next(f)).toBeUndefined()
    expect(new PathReader({ fixtureId: 'F', bookmaker: 'hasOwnProperty' }).next(f)).toBeUndefined()
  })
})
