import { describe, expect, it } from 'vitest'
import { decodeFrame } from './decode.js'
import { mergeFrame, mergeFrames } from './merge.js'
import { extra, type Fixture, type OddsFrame } from './schema.js'
import { seedExamples } from './test-support/seed-examples.js'

const T0 = '2025-06-11T16:55:30.284055+00:00'
const T1 = '2025-06-11T16:55:31.000001+00:00'

function priceFrame(
  price: number,
  changedAt = T0,
  extra: Record<string, unknown> = {},
  where: { bookmaker?: string; market?: string; outcome?: string; player?: string } = {},
): OddsFrame {
  const { bookmaker = 'pinnacle', market = '101', outcome = '101', player = '0' } = where
  return {
    fixtureId: 'f1',
    bookmakerOdds: {
      [bookmaker]: {
        markets: {
          [market]: {
            outcomes: {
              [outcome]: { players: { [player]: { price, active: true, changedAt, ...extra } } },
            },
          },
        },
      },
    },
  }
}

function player(f: Fixture, bookmaker = 'pinnacle', market = '101', outcome = '101', id = '0') {
  return f.bookmakerOdds?.[bookmaker]?.markets?.[market]?.outcomes?.[outcome]?.players?.[id]
}

describe('mergeFrame', () => {
  it('applies the five seed examples in sequence', () => {
    const states = new Map<string, Fixture>()
    for (const example of seedExamples) {
      const decoded = decodeFrame(JSON.stringify(example))
      if (decoded.type !== 'frame') throw new Error('seed example did not decode')
      const { frame } = decoded
      states.set(frame.fixtureId, mergeFrame(states.get(frame.fixtureId), frame))
    }
    expect(states.size).toBe(5)
    expect(states.get('id2704726161008023')).toEqual(seedExamples[0])
    expect(
      player(states.get('id1100097561092987')!, 'starcasino.be', '111', '111')?.bookmakerOutcomeId,
    ).toBe('2535416646')
    expect(states.get('id1100023561139799')?.bookmakerOdds?.['22bet']?.bookmakerFixtureId).toBe(
      '265591179',
    )
    const stake = states.get('id1001509158796975')!
    expect(player(stake, 'stake', '101', '101')?.price).toBe(1.345)
    expect(player(stake, 'stake', '101', '102')?.price).toBe(1.345)
    expect(states.get('id1000085362245214')?.scores?.periods?.['2']?.participant1Score).toBe(0)
  })

  it('merges objects key by key and keeps what a frame does not mention', () => {
    let f = mergeFrame(undefined, { fixtureId: 'f1', statusId: 0, sportId: 10 })
    f = mergeFrame(f, {
      fixtureId: 'f1',
      bookmakerOdds: { bet365: { bookmakerFixtureId: 'b1', fixturePath: 'https://x/1' } },
    })
    f = mergeFrame(f, { fixtureId: 'f1', statusId: 1 })
    f = mergeFrame(f, { fixtureId: 'f1', bookmakerOdds: { bet365: { fixturePath: null } } })
    expect(f).toEqual({
      fixtureId: 'f1',
      statusId: 1,
      sportId: 10,
      bookmakerOdds: { bet365: { bookmakerFixtureId: 'b1', fixturePath: null } },
    })
  })

  it('replaces a player entry whole', () => {
    let f = mergeFrame(undefined, priceFrame(1.9, T0, { limit: 500, oddsId: 'o1' }))
    f = mergeFrame(f, priceFrame(2.0, T1))
    expect(player(f)).toEqual({ price: 2.0, active: true, changedAt: T1 })
  })

  it('replaces exchangeMeta and arrays whole (opaque values)', () => {
    const depth = { back: [{ price: 1.5, limit: 10, size: 20 }], lay: [{ price: 1.6 }] }
    let f = mergeFrame(undefined, priceFrame(1.5, T0, { exchangeMeta: depth }))
    // `extra` is a field the schema does not list: frames with one come from the socket untyped
    f = mergeFrame(f, {
      fixtureId: 'f1',
      extra: { list: [1, 2, 3], exchangeMeta: { back: [], lay: [] } },
    } as OddsFrame)
    f = mergeFrame(f, {
      fixtureId: 'f1',
      extra: { list: [4], exchangeMeta: { back: [] } },
    } as OddsFrame)
    expect(extra(f).extra).toEqual({ list: [4], exchangeMeta: { back: [] } })
  })

  it('merges scores generically, named period keys included', () => {
    let f = mergeFrame(undefined, {
      fixtureId: 'f1',
      scores: { periods: { p1: { participant1Score: 1, participant2Score: 0 } } },
    })
    f = mergeFrame(f, {
      fixtureId: 'f1',
      scores: { periods: { result: { participant1Score: 2 }, p1: { participant2Score: 1 } } },
    })
    expect(f.scores).toEqual({
      periods: {
        p1: { participant1Score: 1, participant2Score: 1 },
        result: { participant1Score: 2 },
      },
    })
  })

  it('keeps the identity of every untouched subtree', () => {
    let f = mergeFrame(undefined, priceFrame(1.9))
    f = mergeFrame(f, priceFrame(3.1, T0, {}, { outcome: '103' }))
    f = mergeFrame(f, priceFrame(2.2, T0, {}, { bookmaker: 'bet365' }))
    const before = f
    const after = mergeFrame(before, priceFrame(1.95, T1, {}, { outcome: '101' }))
    expect(after).not.toBe(before)
    expect(after.bookmakerOdds?.bet365).toBe(before.bookmakerOdds?.bet365)
    const m0 = before.bookmakerOdds?.pinnacle?.markets?.['101']
    const m1 = after.bookmakerOdds?.pinnacle?.markets?.['101']
    expect(m1).not.toBe(m0)
    expect(m1?.outcomes?.['103']).toBe(m0?.outcomes?.['103'])
    expect(player(after)?.price).toBe(1.95)
  })

  it('returns the same object for a frame that changes nothing', () => {
    const f = mergeFrame(undefined, {
      ...priceFrame(1.9, T0, { exchangeMeta: { back: [{ price: 1.9 }] } }),
      statusId: 1,
    })
    expect(mergeFrame(f, priceFrame(1.9, T0, { exchangeMeta: { back: [{ price: 1.9 }] } }))).toBe(f)
    expect(mergeFrame(f, { fixtureId: 'f1', statusId: 1 })).toBe(f)
    expect(mergeFrame(f, { fixtureId: 'f1' })).toBe(f)
  })

  it('ignores a player entry older than the stored one, comparing instants', () => {
    const f = mergeFrame(undefined, priceFrame(1.9, '2025-06-11T16:55:30.284055+00:00'))
    // 284 ms < 284.055 ms: older, although the string sorts after nothing in particular
    expect(mergeFrame(f, priceFrame(1.5, '2025-06-11T16:55:30.284Z'))).toBe(f)
    expect(mergeFrame(f, priceFrame(1.5, '2025-06-11T18:55:30.284+02:00'))).toBe(f)
    const newer = mergeFrame(f, priceFrame(1.5, '2025-06-11T16:55:30.284056+00:00'))
    expect(player(newer)?.price).toBe(1.5)
  })

  it('applies the guard inside one batch too', () => {
    const f = mergeFrames(undefined, [
      priceFrame(2.0, T1),
      priceFrame(1.0, T0), // late arrival
    ])
    expect(player(f)?.price).toBe(2.0)
  })

  it('deep-freezes the state', () => {
    const f = mergeFrame(undefined, priceFrame(1.9, T0, { exchangeMeta: { back: [] } }))
    expect(Object.isFrozen(f)).toBe(true)
    expect(Object.isFrozen(f.bookmakerOdds?.pinnacle?.markets?.['101'])).toBe(true)
    expect(Object.isFrozen(player(f))).toBe(true)
    expect(Object.isFrozen(player(f)?.exchangeMeta)).toBe(true)
  })

  it('does not change its input fixture', () => {
    const f = mergeFrame(undefined, priceFrame(1.9))
    const copy = structuredClone(f)
    mergeFrame(f, priceFrame(2.5, T1))
    expect(f).toEqual(copy)
  })

  it('refuses a frame of another fixture', () => {
    const f = mergeFrame(undefined, { fixtureId: 'a' })
    expect(() => mergeFrame(f, { fixtureId: 'b' })).toThrow(TypeError)
  })

  it('never sets a prototype from a __proto__ key', () => {
    const hostile = JSON.parse(
      '{"fixtureId":"f1","__proto__":{"polluted":true},"a":{"__proto__":{"x":1}}}',
    )
    const f = mergeFrame(undefined, hostile)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(f)).toBe(Object.prototype)
    expect((f as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('no prototype from a __proto__ key, at any depth', () => {
  const steps = (where: (inner: string) => string) => [
    where('{"1":1,"__proto__":{"isAdmin":true}}'),
    where('{"2":2}'),
  ]
  const places: Record<string, [(inner: string) => string, (f: Fixture) => unknown]> = {
    'an unknown top-level field': [
      (x) => `{"fixtureId":"f","extra":${x}}`,
      (f) => (f as Record<string, unknown>).extra,
    ],
    'an unknown market field': [
      (x) => `{"fixtureId":"f","bookmakerOdds":{"b":{"markets":{"1":{"meta":${x}}}}}}`,
      (f) => (f.bookmakerOdds?.b?.markets?.['1'] as Record<string, unknown> | undefined)?.meta,
    ],
    'a score period': [
      (x) => `{"fixtureId":"f","scores":{"periods":{"1":{"participant1Score":1,"x":${x}}}}}`,
      (f) => (f.scores?.periods?.['1'] as Record<string, unknown> | undefined)?.x,
    ],
  }
  for (const [where, [frame, pick]] of Object.entries(places)) {
    it(`below ${where}: through decodeFrame, and through mergeFrame given the raw JSON`, () => {
      const [first, second] = steps(frame) as [string, string]
      const viaDecode = [first, second].map((text) => {
        const result = decodeFrame(text)
        if (result.type !== 'frame') throw new Error(`not a frame: ${text}`)
        return result.frame
      })
      const viaJson = [first, second].map((text) => JSON.parse(text) as OddsFrame)
      for (const frames of [viaDecode, viaJson]) {
        let f: Fixture | undefined
        for (const one of frames) f = mergeFrame(f, one)
        const node = pick(f as Fixture) as Record<string, unknown>
        expect(Object.getPrototypeOf(node)).toBe(Object.prototype)
        expect(node.isAdmin).toBeUndefined()
        expect(node).toMatchObject({ '1': 1, '2': 2 })
      }
      // one batch (one produce) too
      const batched = pick(mergeFrames(undefined, viaJson)) as Record<string, unknown>
      expect(Object.getPrototypeOf(batched)).toBe(Object.prototype)
    })
  }
})

describe('older frames never take the fixture back (updatedAt)', () => {
  const NEW = '2025-06-11T16:55:31.000001+00:00'
  const OLD = '2025-06-11T16:55:30.284Z'
  const period = (p1: number, updatedAt: string) => ({
    participant1Score: p1,
    participant2Score: 0,
    updatedAt,
  })

  it('an older frame changes no top-level field, and its prices still merge by changedAt', () => {
    let f = mergeFrame(undefined, {
      fixtureId: 'f1',
      statusId: 2,
      updatedAt: NEW,
      participant1Name: 'Home',
      scores: { periods: { result: period(2, NEW) } },
    })
    const older = {
      ...priceFrame(1.95, T1),
      statusId: 1,
      updatedAt: OLD,
      participant1Name: 'Old name',
      startTime: 1,
      extra: { a: 1 },
      scores: { periods: { result: period(0, OLD) } },
    }
    f = mergeFrame(f, older)
    expect(f.statusId).toBe(2)
    expect(f.updatedAt).toBe(NEW)
    expect(f.participant1Name).toBe('Home')
    expect(f.startTime).toBeUndefined()
    expect((f as Record<string, unknown>).extra).toBeUndefined()
    expect(f.scores?.periods?.result?.participant1Score).toBe(2)
    expect(player(f)?.price).toBe(1.95) // the prices are newer: they merge
    // in one batch too
    const batch = mergeFrames(undefined, [
      { fixtureId: 'f1', statusId: 2, updatedAt: NEW },
      { fixtureId: 'f1', statusId: 1, updatedAt: OLD },
    ])
    expect(batch.statusId).toBe(2)
  })

  it("an older frame's score periods still merge, each under its own updatedAt", () => {
    // the stored fixture had its status change (NEWER) but missed a goal (NEW) that a snapshot
    // taken before the status change (updatedAt OLD) carries
    const NEWER = '2025-06-11T16:55:32.000000+00:00'
    let f = mergeFrame(undefined, {
      fixtureId: 'f1',
      statusId: 2,
      updatedAt: NEWER,
      scores: { periods: { result: period(5, OLD), '1': period(1, NEW) } },
    })
    f = mergeFrame(f, {
      fixtureId: 'f1',
      statusId: 1,
      updatedAt: OLD,
      scores: {
        extra: 'old',
        periods: { result: period(6, NEW), '1': period(0, OLD), '2': period(2, OLD) },
      } as never,
    })
    expect(f.statusId).toBe(2)
    expect(f.updatedAt).toBe(NEWER)
    expect(f.scores?.periods?.result).toEqual(period(6, NEW)) // newer than the stored period
    expect(f.scores?.periods?.['1']).toEqual(period(1, NEW)) // older: ignored
    expect(f.scores?.periods?.['2']).toEqual(period(2, OLD)) // nothing stored
    expect((f.scores as Record<string, unknown>).extra).toBeUndefined() // not a period
  })

  it('a newer or undated frame changes them', () => {
    let f = mergeFrame(undefined, { fixtureId: 'f1', statusId: 1, updatedAt: OLD })
    f = mergeFrame(f, { fixtureId: 'f1', statusId: 2, updatedAt: NEW })
    expect(f.statusId).toBe(2)
    f = mergeFrame(f, { fixtureId: 'f1', statusId: 3 })
    expect(f.statusId).toBe(3)
  })

  it('a score period older than the stored one is ignored, whatever the frame', () => {
    let f = mergeFrame(undefined, {
      fixtureId: 'f1',
      scores: { periods: { '1': period(1, NEW), '2': period(0, OLD) } },
    })
    f = mergeFrame(f, {
      fixtureId: 'f1',
      scores: { periods: { '1': period(0, OLD), '2': period(3, NEW) } },
    })
    expect(f.scores?.periods?.['1']).toEqual(period(1, NEW))
    expect(f.scores?.periods?.['2']).toEqual(period(3, NEW))
  })

  it('a far-future or unreadable updatedAt never freezes the fixture', () => {
    for (const poison of ['9999-12-31T23:59:59.999999+00:00', 'zzzz-zz-zzTzz:zz:zz.zzzzzz+00:00']) {
      let f = mergeFrame(undefined, { fixtureId: 'f1', statusId: 1, updatedAt: poison })
      f = mergeFrame(f, { fixtureId: 'f1', statusId: 2, updatedAt: NEW })
      expect(f.statusId, poison).toBe(2)
      expect(f.updatedAt).toBe(NEW)
    }
  })
})

describe('timestamps cannot freeze a price entry', () => {
  for (const poison of ['9999-12-31T23:59:59.999999+00:00', 'zzzz-zz-zzTzz:zz:zz.zzzzzz+00:00']) {
    it(`a stored changedAt of ${poison} loses to the next readable update`, () => {
      let f = mergeFrame(undefined, priceFrame(9.99, poison))
      f = mergeFrame(f, priceFrame(1.9, T0))
      expect(player(f)?.price).toBe(1.9)
      f = mergeFrame(f, priceFrame(1.8, T1))
      expect(player(f)?.price).toBe(1.8)
      f = mergeFrame(f, priceFrame(1.7, T0)) // and the guard works again once readable
      expect(player(f)?.price).toBe(1.8)
    })
  }

  it('maxClockSkewMs sets how far ahead of the clock a stored stamp may be', () => {
    const soon = new Date(Date.now() + 60_000).toISOString()
    const now = new Date().toISOString()
    const stored = mergeFrame(undefined, priceFrame(9.99, soon))
    expect(player(mergeFrame(stored, priceFrame(1.9, now)))?.price).toBe(9.99) // within 5 min
    const strict = { maxClockSkewMs: 1_000 }
    expect(player(mergeFrame(stored, priceFrame(1.9, now), strict))?.price).toBe(1.9)
  })
})
