import { describe, expect, it } from 'vitest'
import { decodeFrame } from './decode.js'
import { seedExamples } from './test-support/seed-examples.js'

describe('decodeFrame', () => {
  it('accepts the five examples of the provider page as text', () => {
    for (const example of seedExamples) {
      const result = decodeFrame(JSON.stringify(example))
      expect(result.type).toBe('frame')
      if (result.type === 'frame') expect(result.frame).toEqual(example)
    }
  })

  it('decodes UTF-8 bytes: ArrayBuffer, Uint8Array and Buffer', () => {
    const text = JSON.stringify({ fixtureId: 'idé', statusId: 2 })
    const bytes = new TextEncoder().encode(text)
    const inputs: unknown[] = [bytes, bytes.buffer]
    if (typeof Buffer !== 'undefined') inputs.push(Buffer.from(text)) // Node only
    for (const data of inputs) {
      const result = decodeFrame(data)
      expect(result).toEqual({ type: 'frame', frame: { fixtureId: 'idé', statusId: 2 } })
    }
  })

  it('treats non-JSON text as a keepalive, not an error', () => {
    for (const text of ['ping', '', 'keepalive 1732482000', '\n', 'o']) {
      expect(decodeFrame(text)).toEqual({ type: 'keepalive' })
    }
  })

  it('reports broken JSON as a parse error with the raw text cut to 1 KiB', () => {
    const text = `{"fixtureId":"x","pad":"${'a'.repeat(5000)}"`
    const result = decodeFrame(text)
    expect(result.type).toBe('error')
    if (result.type !== 'error') return
    expect(result.error.kind).toBe('parse')
    expect(result.error.raw).toBe(text.slice(0, 1024))
  })

  it('reports bytes that are not UTF-8 as a parse error', () => {
    const result = decodeFrame(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))
    expect(result.type === 'error' && result.error.kind).toBe('parse')
  })

  it('rejects a frame without a string fixtureId with kind schema', () => {
    for (const json of ['{"statusId":1}', '{"fixtureId":12}', '[1,2]', 'null', '42']) {
      const result = decodeFrame(json)
      expect(result.type, json).toBe('error')
      if (result.type === 'error') expect(result.error.kind).toBe('schema')
    }
  })

  it('names the path of a wrongly typed known field', () => {
    const frame = {
      fixtureId: 'f1',
      bookmakerOdds: {
        pinnacle: {
          markets: { '101': { outcomes: { '102': { players: { '0': { price: '1.9' } } } } } },
        },
      },
    }
    const result = decodeFrame(JSON.stringify(frame))
    expect(result.type).toBe('error')
    if (result.type !== 'error') return
    expect(result.error.kind).toBe('schema')
    expect(result.error.path).toBe(
      'bookmakerOdds.pinnacle.markets.101.outcomes.102.players.0.price',
    )
    expect(result.error.fixtureId).toBe('f1')
    expect(result.error.message).toContain('bookmakerOdds.pinnacle.markets.101')
  })

  it('keeps unknown fields (open schema)', () => {
    const frame = {
      fixtureId: 'f1',
      somethingNew: { deep: [1, 2] },
      bookmakerOdds: {
        bet365: {
          suspended: true,
          markets: {
            '101': {
              marketActive: false,
              outcomes: {
                '101': { players: { '0': { price: 2, mainLine: true, priceAmerican: '+100' } } },
              },
            },
          },
        },
      },
    }
    const result = decodeFrame(JSON.stringify(frame))
    expect(result).toEqual({ type: 'frame', frame })
  })

  it('accepts null where REST sends null', () => {
    const frame = { fixtureId: 'f', seasonId: null, statusId: null, startTime: null }
    expect(decodeFrame(frame)).toEqual({ type: 'frame', frame })
  })

  it('drops hostile keys instead of polluting prototypes', () => {
    const text =
      '{"fixtureId":"f","__proto__":{"polluted":1},"bookmakerOdds":{"__proto__":{"x":1},"constructor":{"markets":{}}}}'
    const result = decodeFrame(text)
    expect(result.type).toBe('frame')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    if (result.type !== 'frame') return
    expect(Object.getPrototypeOf(result.frame)).toBe(Object.prototype)
    expect(Object.keys(result.frame.bookmakerOdds ?? {})).toEqual([])
  })

  it('never throws, whatever it is given', () => {
    const inputs: unknown[] = [undefined, null, 1, true, Symbol('s'), () => 1, new Blob(['x'])]
    for (const input of inputs) expect(() => decodeFrame(input)).not.toThrow()
  })
})
