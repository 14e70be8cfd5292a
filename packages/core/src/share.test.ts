import { describe, expect, it } from 'vitest'
import { mergeFrame } from './merge.js'
import type { OddsFrame } from './schema.js'
import { shareEqual } from './share.js'

const fixture = (prices: Record<string, number>, extra: Record<string, unknown> = {}) =>
  mergeFrame(undefined, {
    fixtureId: 'F',
    ...extra,
    bookmakerOdds: Object.fromEntries(
      Object.entries(prices).map(([bookmaker, price]) => [
        bookmaker,
        { markets: { '101': { outcomes: { '101': { players: { '0': { price } } } } } } },
      ]),
    ),
  } as OddsFrame)

describe('shareEqual', () => {
  it('returns the previous state itself when the new one deep-equals it', () => {
    const previous = fixture({ a: 1.5, b: 2 }, { tags: [1, { x: 2 }] })
    const next = fixture({ a: 1.5, b: 2 }, { tags: [1, { x: 2 }] })
    expect(next).not.toBe(previous)
    expect(shareEqual(previous, next)).toBe(previous)
  })

  it('keeps the identity of unchanged subtrees and takes the changed ones', () => {
    const previous = fixture({ a: 1.5, b: 2 })
    const next = fixture({ a: 1.6, b: 2 })
    const shared = shareEqual(previous, next)
    expect(shared).toEqual(next)
    expect(shared).not.toBe(previous)
    expect(shared.bookmakerOdds?.b).toBe(previous.bookmakerOdds?.b)
    expect(shared.bookmakerOdds?.a).toBe(next.bookmakerOdds?.a)
    expect(Object.isFrozen(shared)).toBe(true)
    expect(Object.isFrozen(shared.bookmakerOdds)).toBe(true)
  })

  it('drops keys the new state does not have and adds the new ones', () => {
    const previous = fixture({ a: 1.5, b: 2 })
    const removed = shareEqual(previous, fixture({ a: 1.5 }))
    expect(removed).toEqual(fixture({ a: 1.5 }))
    expect(removed.bookmakerOdds?.a).toBe(previous.bookmakerOdds?.a)
    const added = shareEqual(previous, fixture({ a: 1.5, b: 2, c: 3 }))
    expect(Object.keys(added.bookmakerOdds ?? {})).toEqual(['a', 'b', 'c'])
    expect(added.bookmakerOdds?.b).toBe(previous.bookmakerOdds?.b)
  })

  it('shares equal array items, whatever the lengths', () => {
    const previous = fixture({}, { list: [{ x: 1 }, { y: 2 }] })
    const same = shareEqual(previous, fixture({}, { list: [{ x: 1 }, { y: 3 }] }))
    const list = (same as unknown as { list: unknown[] }).list
    expect(list[0]).toBe((previous as unknown as { list: unknown[] }).list[0])
    expect(list[1]).toEqual({ y: 3 })
    const longer = shareEqual(previous, fixture({}, { list: [{ x: 1 }, { y: 2 }, 3] }))
    expect((longer as unknown as { list: unknown[] }).list).toEqual([{ x: 1 }, { y: 2 }, 3])
  })

  it('takes the new state when there was none, and undefined when there is none', () => {
    const next = fixture({ a: 1 })
    expect(shareEqual(undefined, next)).toBe(next)
    expect(shareEqual(next, undefined)).toBeUndefined()
  })
})
