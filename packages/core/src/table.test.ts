import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extra, type Fixture } from './schema.js'
import { FixtureTable } from './table.js'

const fixture = (id: string, n: number): Fixture => Object.freeze({ fixtureId: id, n }) as Fixture

type Op = { kind: 'set'; id: number; n: number } | { kind: 'delete'; id: number } | { kind: 'snap' }

const ops = fc.array(
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ kind: fc.constant('set' as const), id: fc.nat(80), n: fc.nat() }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), id: fc.nat(80) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('snap' as const) }) },
  ),
  { maxLength: 600 },
)

describe('FixtureTable', () => {
  it('every snapshot keeps the content of its moment, whatever happens after', () => {
    fc.assert(
      fc.property(ops, (list: Op[]) => {
        const table = new FixtureTable()
        const reference = new Map<string, Fixture>()
        const taken: [ReadonlyMap<string, Fixture>, Map<string, Fixture>][] = []
        for (const op of list) {
          if (op.kind === 'set') {
            const id = `f${op.id}`
            const value = fixture(id, op.n)
            table.set(id, value)
            reference.set(id, value)
          } else if (op.kind === 'delete') {
            expect(table.delete(`f${op.id}`)).toBe(reference.delete(`f${op.id}`))
          } else {
            taken.push([table.snapshot(), new Map(reference)])
          }
          expect(table.size).toBe(reference.size)
        }
        taken.push([table.snapshot(), new Map(reference)])
        for (const [snapshot, expected] of taken) {
          expect(snapshot.size).toBe(expected.size)
          expect(new Map(snapshot)).toEqual(expected)
          for (let i = 0; i <= 80; i++) {
            expect(snapshot.get(`f${i}`)).toBe(expected.get(`f${i}`))
            expect(snapshot.has(`f${i}`)).toBe(expected.has(`f${i}`))
          }
        }
        for (const [id, value] of reference) expect(table.get(id)).toBe(value)
      }),
      { numRuns: 300 },
    )
  })

  it('is the same snapshot until something changes, and iterates in first-stored order', () => {
    const table = new FixtureTable()
    for (const id of ['c', 'a', 'b']) table.set(id, fixture(id, 1))
    const first = table.snapshot()
    expect(table.snapshot()).toBe(first)
    table.set('a', fixture('a', 1) /* another object */)
    const second = table.snapshot()
    expect(second).not.toBe(first)
    expect([...second.keys()]).toEqual(['c', 'a', 'b'])
    expect([...second.values()].map((f) => f.fixtureId)).toEqual(['c', 'a', 'b'])
    const seen: string[] = []
    second.forEach((f, id, map) => {
      expect(map).toBe(second)
      expect(f.fixtureId).toBe(id)
      seen.push(id)
    })
    expect(seen).toEqual(['c', 'a', 'b'])
    expect(Object.isFrozen(second)).toBe(true)
  })

  it('shares the chunks a batch did not touch (copies 16 slots, not the board)', () => {
    const table = new FixtureTable()
    for (let i = 0; i < 1000; i++) table.set(`f${i}`, fixture(`f${i}`, 0))
    const before = table.snapshot()
    table.set('f500', fixture('f500', 1))
    const after = table.snapshot()
    const chunksOf = (map: ReadonlyMap<string, Fixture>) =>
      (map as unknown as { chunks: readonly unknown[] }).chunks
    const shared = chunksOf(after).filter((chunk, i) => chunk === chunksOf(before)[i]).length
    expect(chunksOf(after).length).toBe(Math.ceil(1000 / 16))
    expect(shared).toBe(chunksOf(after).length - 1)
    expect(extra(before.get('f500') ?? {}).n).toBe(0)
    expect(extra(after.get('f500') ?? {}).n).toBe(1)
  })
})
