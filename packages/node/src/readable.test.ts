import type { OddsFrame } from '@oddsfeed/core'
import { Subject } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { toReadable } from './readable.js'
import { coalesceFrames } from './records.js'

const frame = (fixtureId: string, n: number): OddsFrame => ({ fixtureId, statusId: n })

async function readAll<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const chunk of stream) out.push(chunk)
  return out
}

describe('toReadable', () => {
  it('delivers every value in order and ends when the observable completes', async () => {
    const source = new Subject<OddsFrame>()
    const stream = toReadable(source)
    const reading = readAll<OddsFrame>(stream)
    for (let i = 0; i < 50; i++) source.next(frame('a', i))
    source.complete()
    const values = await reading
    expect(values.map((v) => v.statusId)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(stream.dropped).toBe(0)
    expect(stream.coalesced).toBe(0)
  })

  it('queues up to highWaterMark for a consumer that does not read, losing nothing below it', async () => {
    const source = new Subject<OddsFrame>()
    const stream = toReadable(source, { highWaterMark: 10 })
    for (let i = 0; i < 10; i++) source.next(frame(`f${i}`, i))
    source.complete()
    expect(stream.queued).toBeLessThanOrEqual(10)
    const values = await readAll<OddsFrame>(stream)
    expect(values).toHaveLength(10)
    expect(stream.dropped).toBe(0)
  })

  it('latest-per-fixture: keeps the queue bounded and the latest value of each fixture', async () => {
    const source = new Subject<OddsFrame>()
    const stream = toReadable(source, { highWaterMark: 4 })
    for (let i = 0; i < 300; i++) source.next(frame(`f${i % 3}`, i))
    expect(stream.queued).toBeLessThanOrEqual(4)
    source.complete()
    const values = await readAll<OddsFrame>(stream)
    expect(values.length).toBeLessThanOrEqual(4)
    for (const id of ['f0', 'f1', 'f2']) {
      const last = values.filter((v) => v.fixtureId === id).at(-1)
      expect(last?.statusId).toBe(297 + Number(id.slice(1)))
    }
    expect(stream.coalesced).toBeGreaterThan(0)
  })

  it('latest-per-fixture with coalesceFrames loses no change of a partial frame', async () => {
    const source = new Subject<OddsFrame>()
    const stream = toReadable(source, { highWaterMark: 1, coalesce: coalesceFrames })
    source.next({ fixtureId: 'a', statusId: 1 })
    source.next({ fixtureId: 'a', bookmakerOdds: { pinnacle: { bookmakerFixtureId: 'p1' } } })
    source.next({ fixtureId: 'a', bookmakerOdds: { bet365: { bookmakerFixtureId: 'b1' } } })
    source.next({ fixtureId: 'a', statusId: 2 })
    source.complete()
    const values = await readAll<OddsFrame>(stream)
    expect(values).toEqual([
      {
        fixtureId: 'a',
        statusId: 2,
        bookmakerOdds: {
          pinnacle: { bookmakerFixtureId: 'p1' },
          bet365: { bookmakerFixtureId: 'b1' },
        },
      },
    ])
  })

  it('latest-per-fixture drops the oldest value when a new fixture arrives at a full queue', async () => {
    const source = new Subject<OddsFrame>()
    const dropped: OddsFrame[] = []
    const stream = toReadable(source, {
      highWaterMark: 2,
      onDrop: (v: OddsFrame) => dropped.push(v),
    })
    source.next(frame('a', 1))
    source.next(frame('b', 2))
    source.next(frame('c', 3))
    source.complete()
    expect((await readAll<OddsFrame>(stream)).map((v) => v.fixtureId)).toEqual(['b', 'c'])
    expect(dropped.map((v) => v.fixtureId)).toEqual(['a'])
    expect(stream.dropped).toBe(1)
  })

  it('drop-oldest keeps the newest highWaterMark values', async () => {
    const source = new Subject<number>()
    const stream = toReadable(source, { highWaterMark: 3, policy: 'drop-oldest' })
    for (let i = 0; i < 10; i++) source.next(i)
    source.complete()
    expect(await readAll<number>(stream)).toEqual([7, 8, 9])
    expect(stream.dropped).toBe(7)
  })

  it('error policy destroys the stream instead of dropping, and unsubscribes', async () => {
    const source = new Subject<number>()
    const stream = toReadable(source, { highWaterMark: 2, policy: 'error' })
    for (let i = 0; i < 3; i++) source.next(i)
    await expect(readAll(stream)).rejects.toThrow(/too slow/)
    expect(source.observed).toBe(false)
  })

  it('ndjson mode writes one JSON line per value', async () => {
    const source = new Subject<OddsFrame>()
    const stream = toReadable(source, { mode: 'ndjson' })
    const reading = readAll<string>(stream)
    source.next(frame('a', 1))
    source.next(frame('b', 2))
    source.complete()
    const text = (await reading).join('')
    expect(text).toBe('{"fixtureId":"a","statusId":1}\n{"fixtureId":"b","statusId":2}\n')
  })

  it("passes the observable's error on and unsubscribes when destroyed", async () => {
    const failing = new Subject<number>()
    const a = toReadable(failing)
    failing.error(new Error('boom'))
    await expect(readAll(a)).rejects.toThrow('boom')

    const source = new Subject<number>()
    const b = toReadable(source)
    expect(source.observed).toBe(true)
    b.destroy()
    expect(source.observed).toBe(false)
  })
})
