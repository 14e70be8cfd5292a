import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import {
  formatRecord,
  framesFromNdjson,
  NdjsonLineError,
  readRecords,
  recordText,
  toRecord,
} from './records.js'

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const v of source) out.push(v)
  return out
}

/** Splits text into chunks at awkward places, as a file or pipe may. */
const chunked = (text: string, size = 7) =>
  Readable.from(
    Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
      Buffer.from(text.slice(i * size, i * size + size)),
    ),
  )

describe('records', () => {
  it('round-trips JSON frames and keepalive text exactly', async () => {
    const frameText = '{"fixtureId":"id1","bookmakerOdds":{"stake":{"bookmakerFixtureId":"x"}}}'
    const records = [
      toRecord(frameText, 1000),
      toRecord('ping', 1500.5),
      toRecord('{"fixtureId":', 2000),
    ]
    expect(records[0]?.frame).toEqual(JSON.parse(frameText))
    expect(records[1]?.frame).toBe('ping')
    expect(records[2]?.frame).toBe('{"fixtureId":')
    const text = records.map(formatRecord).join('')
    const back = await collect(readRecords(chunked(text)))
    expect(back).toEqual(records)
    expect(back.map(recordText)).toEqual([frameText, 'ping', '{"fixtureId":'])
  })

  it('rejects a line that is not a record, naming the line', async () => {
    const text = `${formatRecord({ t: 1, frame: 'ping' })}\n{"nope":1}\n`
    const error = await collect(readRecords(chunked(text))).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NdjsonLineError)
    expect((error as NdjsonLineError).line).toBe(3)
  })
})

describe('framesFromNdjson', () => {
  it('reads bare frames and records alike, skipping keepalives', async () => {
    const text = [
      '{"fixtureId":"a","statusId":1}',
      formatRecord({ t: 5, frame: 'ping' }).trim(),
      formatRecord({ t: 6, frame: { fixtureId: 'b', statusId: 2 } }).trim(),
      '',
      '{"fixtureId":"c"}',
    ].join('\r\n')
    const frames = await collect(framesFromNdjson(chunked(text, 5)))
    expect(frames).toEqual([
      { fixtureId: 'a', statusId: 1 },
      { fixtureId: 'b', statusId: 2 },
      { fixtureId: 'c' },
    ])
  })

  it('throws on an invalid frame by default, or reports it and goes on', async () => {
    const text = '{"fixtureId":"a"}\n{"statusId":1}\nnot json\n{"fixtureId":"b"}\n'
    await expect(collect(framesFromNdjson(chunked(text)))).rejects.toThrow(/Line 2/)
    const bad: number[] = []
    const frames = await collect(
      framesFromNdjson(chunked(text), { onInvalid: (e) => bad.push(e.line) }),
    )
    expect(frames.map((f) => f.fixtureId)).toEqual(['a', 'b'])
    expect(bad).toEqual([2, 3])
  })
})
