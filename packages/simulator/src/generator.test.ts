import { decodeFrame, deepEqual, type Fixture, mergeFrame, type OddsFrame } from '@oddsfeed/core'
import { describe, expect, it } from 'vitest'
import { createGenerator } from './generator.js'
import { normalizeForCompare } from './normalize.js'

const SOCKET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/
const REST_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const ENTRY_FIELDS = [
  'active',
  'betslip',
  'bookmakerOutcomeId',
  'changedAt',
  'exchangeMeta',
  'limit',
  'oddsId',
  'playerId',
  'playerName',
  'price',
]

type Entry = Record<string, unknown>
/** Every price entry of a frame, with its path. */
function entries(
  frame: OddsFrame,
): { path: string; bookmaker: string; market: string; entry: Entry }[] {
  const out = []
  for (const [bookmaker, b] of Object.entries(frame.bookmakerOdds ?? {})) {
    for (const [market, m] of Object.entries(b.markets ?? {})) {
      for (const [outcome, o] of Object.entries(m.outcomes ?? {})) {
        for (const [player, entry] of Object.entries(o.players ?? {})) {
          out.push({
            path: `${frame.fixtureId}/${bookmaker}/${market}/${outcome}/${player}`,
            bookmaker,
            market,
            entry: entry as Entry,
          })
        }
      }
    }
  }
  return out
}

describe('createGenerator', { timeout: 60_000 }, () => {
  it('gives the same frames for the same seed, and other frames for another seed', () => {
    const run = (seed: number) => {
      const gen = createGenerator({ seed, fixtures: 8 })
      return Array.from({ length: 3000 }, () => JSON.stringify(gen.next()))
    }
    const a = run(42)
    expect(run(42)).toEqual(a)
    expect(run(43)).not.toEqual(a)
    const rest = (seed: number) => {
      const gen = createGenerator({ seed, fixtures: 8 })
      for (let i = 0; i < 500; i++) gen.next()
      return gen.fixtureIds().map((id) => gen.restOdds(id))
    }
    expect(rest(42)).toEqual(rest(42))
  })

  it('sends valid partial frames: one bookmaker each, entries whole, socket timestamps strictly increasing per entry', () => {
    const gen = createGenerator({ seed: 5, fixtures: 10, speed: 3000 })
    const lastChange = new Map<string, string>()
    const kinds = new Set<string>()
    for (let i = 0; i < 5000; i++) {
      const { kind, frame } = gen.nextWithKind()
      kinds.add(kind)
      const decoded = decodeFrame(JSON.stringify(frame))
      expect(decoded.type).toBe('frame')
      expect(typeof frame.fixtureId).toBe('string')
      if (frame.bookmakerOdds) expect(Object.keys(frame.bookmakerOdds)).toHaveLength(1)
      if (frame.updatedAt) expect(frame.updatedAt).toMatch(SOCKET_TIME)
      for (const { path, entry } of entries(frame)) {
        expect(Object.keys(entry).sort()).toEqual(ENTRY_FIELDS)
        expect(entry.changedAt).toMatch(SOCKET_TIME)
        const before = lastChange.get(path)
        if (before) expect((entry.changedAt as string) > before).toBe(true)
        lastChange.set(path, entry.changedAt as string)
      }
      if (kind === 'price' || kind === 'suspend') {
        // only what changed: no fixture fields, no bookmaker info
        expect(Object.keys(frame).sort()).toEqual(['bookmakerOdds', 'fixtureId'])
      }
    }
    expect([...kinds].sort()).toEqual(['create', 'info', 'price', 'score', 'status', 'suspend'])
  })

  it('models what the feed carries: markets, props, suspensions, limits, exchange depth, statuses, scores, info', () => {
    const gen = createGenerator({ seed: 9, fixtures: 12, bookmakers: 8, speed: 3000 })
    const seen = {
      markets: new Set<string>(),
      suspended: 0,
      limits: 0,
      depth: 0,
      propNames: new Set<string>(),
      statuses: [] as number[],
      scores: 0,
      info: 0,
      sports: new Set<number>(),
    }
    for (const id of gen.fixtureIds()) seen.sports.add(gen.restOdds(id)?.sportId as number)
    for (let i = 0; i < 6000; i++) {
      const frame = gen.next()
      for (const { market, bookmaker, entry } of entries(frame)) {
        seen.markets.add(market)
        if (entry.active === false) seen.suspended++
        if (typeof entry.limit === 'number') seen.limits++
        if (bookmaker === 'betfair-ex') {
          expect(entry.exchangeMeta).toMatchObject({
            back: expect.any(Array),
            lay: expect.any(Array),
          })
          seen.depth++
        } else {
          expect(entry.exchangeMeta).toEqual({})
        }
        if (typeof entry.playerName === 'string') seen.propNames.add(entry.playerName)
      }
      if (typeof frame.statusId === 'number') seen.statuses.push(frame.statusId)
      if (frame.scores) seen.scores++
      const b = Object.values(frame.bookmakerOdds ?? {})[0]
      if (b && !b.markets && b.bookmakerFixtureId && b.fixturePath) seen.info++
    }
    expect([...seen.sports].sort()).toEqual([10, 11, 12])
    for (const m of ['101', '104', '106', '108', '1010', '1012']) expect(seen.markets).toContain(m)
    expect(seen.suspended).toBeGreaterThan(0)
    expect(seen.limits).toBeGreaterThan(0)
    expect(seen.depth).toBeGreaterThan(0)
    for (const name of seen.propNames) expect(name).toMatch(/^[^,]+, [^,]+$/)
    expect(seen.propNames.size).toBeGreaterThan(3)
    expect(seen.statuses).toContain(1)
    expect(seen.statuses).toContain(2)
    expect(seen.scores).toBeGreaterThan(0)
    expect(seen.info).toBeGreaterThan(0)
  })

  it('renders REST with REST timestamps and REST-only fields, exchangeMeta null where the socket has {}', () => {
    const gen = createGenerator({ seed: 2, fixtures: 3 })
    const rest = gen.restOdds(gen.fixtureIds()[0] as string) as Record<string, unknown>
    expect(rest.updatedAt).toMatch(REST_TIME)
    const bookmakers = rest.bookmakerOdds as Record<string, Record<string, unknown>>
    const pinnacle = bookmakers.pinnacle as Record<string, unknown>
    expect(pinnacle).toMatchObject({ bookmakerIsActive: true, suspended: false })
    const market = Object.values(pinnacle.markets as Record<string, Record<string, unknown>>)[0]
    expect(market?.marketActive).toBe(true)
    const entry = entries(rest as OddsFrame).find((e) => e.bookmaker === 'pinnacle')?.entry as Entry
    expect(entry.changedAt).toMatch(REST_TIME)
    expect(entry.bookmakerChangedAt).toMatch(REST_TIME)
    expect(entry.exchangeMeta).toBeNull()
    expect(entry.priceAmerican).toMatch(/^-?\d+$/)
    expect(entry.priceFractional).toMatch(/^\d+\/\d+$/)
    expect(typeof entry.mainLine).toBe('boolean')
    expect(gen.restOdds('id-unknown')).toBeUndefined()
    expect(gen.fixtures().map((f) => f.fixtureId)).toEqual(gen.fixtureIds())
  })

  it.each([2025, 2026] as const)(
    'is the ground truth (%s payloads): REST state plus frames merged by core equals REST state later',
    (generation) => {
      const gen = createGenerator({ seed: 11, fixtures: 15, speed: 3000, generation })
      const state = new Map<string, Fixture>()
      for (const id of gen.fixtureIds()) {
        const decoded = decodeFrame(gen.restOdds(id))
        if (decoded.type !== 'frame') throw new Error('REST answer is not a valid frame')
        state.set(id, mergeFrame(undefined, decoded.frame))
      }
      for (let i = 0; i < 8000; i++) {
        const decoded = decodeFrame(JSON.stringify(gen.next()))
        if (decoded.type !== 'frame') throw new Error('invalid frame')
        state.set(
          decoded.frame.fixtureId,
          mergeFrame(state.get(decoded.frame.fixtureId), decoded.frame),
        )
      }
      const ids = gen.fixtureIds()
      expect(ids.length).toBeGreaterThan(15) // finished fixtures were replaced by new ones
      for (const id of ids) {
        const ok = deepEqual(
          normalizeForCompare(gen.restOdds(id)),
          normalizeForCompare(state.get(id)),
        )
        expect(ok, id).toBe(true)
      }
      // and the comparison is not vacuous: one moved price breaks it
      const id = ids[0] as string
      const [, bookmaker, marketId, outcomeId, playerId] = (
        entries(gen.restOdds(id) as OddsFrame)[0]?.path ?? ''
      ).split('/') as string[]
      const frame = gen.movePrice({
        fixtureId: id,
        bookmaker: bookmaker as string,
        marketId: marketId as string,
        outcomeId: outcomeId as string,
        playerId: playerId as string,
      })
      expect(normalizeForCompare(gen.restOdds(id))).not.toEqual(normalizeForCompare(state.get(id)))
      state.set(id, mergeFrame(state.get(id), frame))
      expect(normalizeForCompare(gen.restOdds(id))).toEqual(normalizeForCompare(state.get(id)))
    },
  )

  it('movePrice and setPrice change one entry and return its frame; unknown paths throw', () => {
    const gen = createGenerator({ seed: 4, fixtures: 2, sports: [10] })
    const fixtureId = gen.fixtureIds()[0] as string
    const path = { fixtureId, bookmaker: 'bet365', marketId: '101', outcomeId: '102' }
    const price = () =>
      entries(gen.restOdds(fixtureId) as OddsFrame).find((e) =>
        e.path.endsWith('/bet365/101/102/0'),
      )?.entry.price as number
    const before = price()
    const moved = gen.movePrice(path)
    expect(entries(moved)).toHaveLength(1)
    expect(entries(moved)[0]?.entry.price).not.toBe(before)
    expect(price()).toBe(entries(moved)[0]?.entry.price)
    gen.setPrice(path, 3.21)
    expect(price()).toBe(3.21)
    expect(() => gen.movePrice({ ...path, marketId: 999 })).toThrow(RangeError)
  })

  it('builds the benchmark shape: fixtures × bookmakers × markets × outcomes, with player props', () => {
    const gen = createGenerator({ seed: 1, fixtures: 50, bookmakers: 10, marketsPerBookmaker: 20 })
    expect(gen.fixtureIds()).toHaveLength(50)
    const rest = gen.restOdds(gen.fixtureIds()[0] as string) as OddsFrame
    expect(Object.keys(rest.bookmakerOdds ?? {})).toHaveLength(10)
    for (const b of Object.values(rest.bookmakerOdds ?? {})) {
      expect(Object.keys(b.markets ?? {})).toHaveLength(20)
    }
    const withPlayers = gen
      .fixtureIds()
      .flatMap((id) => entries(gen.restOdds(id) as OddsFrame))
      .filter((e) => e.entry.playerId !== 0)
    expect(withPlayers.length).toBeGreaterThan(0)
  })
})
