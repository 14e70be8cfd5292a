import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { extra, type Fixture } from './schema.js'
import { type FixtureMap, FixtureTable } from './table.js'

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

  it('changesSince names exactly the ids whose value is another object', () => {
    fc.assert(
      fc.property(ops, (list: Op[]) => {
        const table = new FixtureTable()
        let previous: FixtureMap<Fixture> | undefined
        const check = () => {
          const next = table.snapshot()
          const applied = new Map(previous ?? [])
          const visited = new Set<string>()
          next.changesSince(previous, (id, value) => {
            expect(visited.has(id)).toBe(false)
            visited.add(id)
            expect(value).not.toBe(previous?.get(id))
            if (value === undefined) applied.delete(id)
            else applied.set(id, value)
          })
          expect(applied).toEqual(new Map(next))
          for (const [id, value] of next) {
            if (!visited.has(id)) expect(previous?.get(id)).toBe(value)
          }
          previous = next
        }
        for (const op of list) {
          if (op.kind === 'set') table.set(`f${op.id}`, fixture(`f${op.id}`, op.n))
          else if (op.kind === 'delete') table.delete(`f${op.id}`)
          else check()
        }
        check()
      }),
      { numRuns: 300 },
    )
  })

  it('changesSince reads only the chunks a change touched; after a rebuild, every id', () => {
    const table = new FixtureTable()
    for (let i = 0; i < 1000; i++) table.set(`f${i}`, fixture(`f${i}`, 0))
    const before = table.snapshot()
    const replaced = fixture('f500', 1)
    table.set('f500', replaced)
    table.delete('f7')
    const visited: [string, Fixture | undefined][] = []
    table.snapshot().changesSince(before, (id, value) => visited.push([id, value]))
    expect(visited).toEqual([
      ['f7', undefined],
      ['f500', replaced],
    ])
    // holes past 64 and past the fixtures left: the table is rebuilt (new slots)
    const full = table.snapshot()
    for (let i = 0; i < 990; i++) table.delete(`f${i}`)
    const removed: string[] = []
    table.snapshot().changesSince(full, (id, value) => {
      expect(value).toBeUndefined()
      removed.push(id)
    })
    expect(removed).toEqual([...full.keys()].filter((id) => !table.get(id)))
    expect(removed.length).toBe(989)
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
