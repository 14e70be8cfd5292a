import type { Fixture, OddsFrame } from '@oddsfeed/core'
import { describe, expect, it } from 'vitest'
import { ClientScope } from './scope.js'

const frame = (bookmakers: string[], extra: Record<string, unknown> = {}) =>
  ({
    fixtureId: 'f1',
    ...extra,
    bookmakerOdds: Object.fromEntries(bookmakers.map((b) => [b, { markets: {} }])),
  }) as unknown as OddsFrame

describe('ClientScope', () => {
  const scope = new ClientScope({ bookmakers: ['pinnacle'], fixtures: ['f1'] })

  it('keeps a frame within scope as it is (same object)', () => {
    const f = frame(['pinnacle'])
    expect(scope.frame(f)).toBe(f)
    expect(ClientScope.ALL.frame(f)).toBe(f)
  })

  it('cuts other bookmakers; drops a frame left with nothing', () => {
    expect(Object.keys(scope.frame(frame(['pinnacle', 'bet365']))?.bookmakerOdds ?? {})).toEqual([
      'pinnacle',
    ])
    expect(scope.frame(frame(['bet365']))).toBeUndefined()
    const withScore = scope.frame(frame(['bet365'], { statusId: 1 }))
    expect(withScore).toMatchObject({ statusId: 1, bookmakerOdds: {} })
  })

  it('skips fixtures outside the scope, and cuts snapshots the same way', () => {
    expect(scope.frame({ ...frame(['pinnacle']), fixtureId: 'f2' } as OddsFrame)).toBeUndefined()
    expect(scope.allowsFixture('f2')).toBe(false)
    const fixture = frame(['pinnacle', 'bet365'], { statusId: 1 }) as unknown as Fixture
    expect(scope.fixture(fixture)).toEqual({
      fixtureId: 'f1',
      statusId: 1,
      bookmakerOdds: { pinnacle: { markets: {} } },
    })
    expect(scope.fixture(undefined)).toBeNull()
  })
})
