import { describe, expect, it } from 'vitest'
import {
  DEFAULT_MAX_FRAME_BYTES,
  type DecodeResult,
  decodeFrame,
  MAX_FRAME_DEPTH,
} from './decode.js'
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

  it('says where broken JSON stopped without quoting the text (raw has it, for redaction)', () => {
    const cut = decodeFrame('{"note": my secret key')
    expect(cut.type === 'error' && cut.error.message).toBe('Frame is not valid JSON')
    const comma = decodeFrame('{"a":1,}')
    expect(comma.type === 'error' && comma.error.message).toBe(
      'Frame is not valid JSON (at position 7)',
    )
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

const RESERVED = ['__proto__', 'constructor', 'prototype']
/** Every own key of every object in `value`, walked without recursion. */
function ownKeysDeep(value: unknown): string[] {
  const keys: string[] = []
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const node = stack.pop()
    if (node === null || typeof node !== 'object') continue
    for (const key of Object.getOwnPropertyNames(node)) {
      keys.push(key)
      stack.push((node as Record<string, unknown>)[key])
    }
  }
  return keys
}
const expectSchemaError = (result: DecodeResult, path?: string) => {
  expect(result.type).toBe('error')
  if (result.type !== 'error') return undefined
  expect(result.error.kind).toBe('schema')
  if (path !== undefined) expect(result.error.path).toBe(path)
  return result.error
}
const PRICE_PATH = 'bookmakerOdds.x.markets.1.outcomes.1.players.0.price'
const withPrice = (price: string) =>
  `{"fixtureId":"f","bookmakerOdds":{"x":{"markets":{"1":{"outcomes":{"1":{"players":{"0":{"price":${price}}}}}}}}}}`

describe('decodeFrame: reserved keys at any depth', () => {
  const hostile = '{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"ok":1}'
  const places = {
    'an unknown top-level field': `{"fixtureId":"f","extra":{"1":1,"a":${hostile}}}`,
    'the unknown field of the issue':
      '{"fixtureId":"f","extra":{"1":1,"__proto__":{"isAdmin":true}}}',
    'an unknown market field': `{"fixtureId":"f","bookmakerOdds":{"x":{"markets":{"1":{"meta":${hostile}}}}}}`,
    'an unknown bookmaker field': `{"fixtureId":"f","bookmakerOdds":{"x":{"meta":[${hostile}]}}}`,
    'an outcome field': `{"fixtureId":"f","bookmakerOdds":{"x":{"markets":{"1":{"outcomes":{"1":{"meta":${hostile}}}}}}}}`,
    'exchangeMeta and betslip': `{"fixtureId":"f","bookmakerOdds":{"x":{"markets":{"1":{"outcomes":{"1":{"players":{"0":{"price":2,"exchangeMeta":{"back":[${hostile}]},"betslip":${hostile}}}}}}}}}}`,
    'a score period': `{"fixtureId":"f","scores":{"periods":{"1":{"participant1Score":1,"x":${hostile}}},"more":${hostile}}}`,
  }
  for (const [where, text] of Object.entries(places)) {
    it(`drops them below ${where}, from text and from an object`, () => {
      for (const data of [text, JSON.parse(text) as unknown]) {
        const result = decodeFrame(data)
        expect(result.type).toBe('frame')
        if (result.type !== 'frame') continue
        const keys = ownKeysDeep(result.frame)
        for (const key of RESERVED) expect(keys, where).not.toContain(key)
        if (text.includes('"ok":1')) expect(keys).toContain('ok') // the rest is kept
      }
    })
  }
})

describe('decodeFrame: prices are finite and above 0', () => {
  for (const price of ['1e400', '-1e400', '0', '-0', '-1.5']) {
    it(`rejects price ${price} with a schema error at its path`, () => {
      expectSchemaError(decodeFrame(withPrice(price)), PRICE_PATH)
    })
  }
  it('rejects NaN and Infinity in an object frame', () => {
    for (const price of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const players = { '0': { price } }
      const frame = {
        fixtureId: 'f',
        bookmakerOdds: { x: { markets: { '1': { outcomes: { '1': { players } } } } } },
      }
      expectSchemaError(decodeFrame(frame), PRICE_PATH)
    }
  })
  it('accepts small positive prices (decode checks validity, not value)', () => {
    expect(decodeFrame(withPrice('1.01')).type).toBe('frame')
    expect(decodeFrame(withPrice('0.5')).type).toBe('frame')
  })
})

describe('decodeFrame: fixtureId length', () => {
  it('rejects an empty fixtureId and one longer than 128 characters', () => {
    expectSchemaError(decodeFrame('{"fixtureId":""}'), 'fixtureId')
    expectSchemaError(decodeFrame(`{"fixtureId":"${'x'.repeat(129)}"}`), 'fixtureId')
    expectSchemaError(decodeFrame({ fixtureId: 'y'.repeat(129) }), 'fixtureId')
    expect(decodeFrame(`{"fixtureId":"${'x'.repeat(128)}"}`).type).toBe('frame')
  })
})

describe('decodeFrame: depth', () => {
  /** A frame nesting `levels` deep in all, the frame object being level 1. */
  const deepFrame = (levels: number) =>
    `{"fixtureId":"f","deep":${'{"a":'.repeat(levels - 2)}{}${'}'.repeat(levels - 2)}}`

  it(`takes ${MAX_FRAME_DEPTH} levels and rejects ${MAX_FRAME_DEPTH + 1}, naming the path`, () => {
    expect(decodeFrame(deepFrame(MAX_FRAME_DEPTH)).type).toBe('frame')
    const error = expectSchemaError(decodeFrame(deepFrame(MAX_FRAME_DEPTH + 1)))
    expect(error?.path).toBe(['deep', ...Array(MAX_FRAME_DEPTH - 1).fill('a')].join('.'))
    expect(error?.fixtureId).toBe('f')
    expect(error?.message).toContain('deeper than 64')
  })

  it('rejects a 20,000-deep frame, as text and as an object, without overflowing', () => {
    const text = deepFrame(20_000)
    expectSchemaError(decodeFrame(text))
    expectSchemaError(decodeFrame(JSON.parse(text)))
    const arrays = `{"fixtureId":"f","deep":${'['.repeat(20_000)}${']'.repeat(20_000)}}`
    expectSchemaError(decodeFrame(arrays))
  })

  it('counts depth below the known structure too (exchangeMeta of a price entry)', () => {
    const meta = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`
    // the entry is level 9: its exchangeMeta value is level 10
    const frame = (n: number) =>
      `{"fixtureId":"f","bookmakerOdds":{"x":{"markets":{"1":{"outcomes":{"1":{"players":{"0":{"price":2,"exchangeMeta":${meta(n)}}}}}}}}}}`
    expect(decodeFrame(frame(MAX_FRAME_DEPTH - 9)).type).toBe('frame')
    expectSchemaError(decodeFrame(frame(MAX_FRAME_DEPTH - 8)))
  })
})

describe('decodeFrame: a BOM or Unicode whitespace is not a keepalive', () => {
  it('decodes text with a leading BOM, no-break space or other Unicode whitespace', () => {
    for (const prefix of ['\uFEFF', '\u00a0', '\u2003 \u3000', ' \uFEFF']) {
      const result = decodeFrame(`${prefix}{"fixtureId":"f","statusId":1}`)
      expect(result, JSON.stringify(prefix)).toEqual({
        type: 'frame',
        frame: { fixtureId: 'f', statusId: 1 },
      })
    }
    expect(decodeFrame('{"fixtureId":"f"}\u00a0').type).toBe('frame')
  })
  it('reports a broken frame behind a BOM as a parse error', () => {
    const result = decodeFrame('\uFEFF{"fixtureId":')
    expect(result.type === 'error' && result.error.kind).toBe('parse')
  })
})

describe('decodeFrame: maxFrameBytes', () => {
  const padded = (bytes: number, char = 'x') => {
    const head = '{"fixtureId":"f","padding":"'
    return `${head}${char.repeat(bytes - head.length - 2)}"}`
  }
  const expectTooLarge = (result: DecodeResult) => {
    expect(result.type).toBe('error')
    if (result.type !== 'error') return
    expect(result.error.kind).toBe('parse')
    expect(result.error.message).toContain('maxFrameBytes')
    expect((result.error.raw ?? '').length).toBeLessThanOrEqual(1024)
  }

  it('defaults to 4 MiB: a frame of exactly that passes, one byte more is a parse error', () => {
    expect(DEFAULT_MAX_FRAME_BYTES).toBe(4 * 1024 * 1024)
    expect(decodeFrame(padded(DEFAULT_MAX_FRAME_BYTES)).type).toBe('frame')
    expectTooLarge(decodeFrame(padded(DEFAULT_MAX_FRAME_BYTES + 1)))
  })

  it('counts UTF-8 bytes, not string length, for text', () => {
    const limit = { maxFrameBytes: 1000 }
    // 'é' is 2 bytes: 600 characters of frame are well over 1000 bytes
    const text = `{"fixtureId":"f","padding":"${'é'.repeat(570)}"}`
    expect(text.length).toBeLessThan(1000)
    expectTooLarge(decodeFrame(text, limit))
    const emoji = `{"fixtureId":"f","padding":"${'😀'.repeat(245)}"}` // 4 bytes per 2 units
    expect(emoji.length).toBeLessThan(1000)
    expectTooLarge(decodeFrame(emoji, limit))
    expect(decodeFrame(padded(1000), limit).type).toBe('frame')
    expectTooLarge(decodeFrame(padded(1001), limit))
  })

  it('checks bytes and fragments by their length', () => {
    const bytes = new TextEncoder().encode(padded(1001))
    expectTooLarge(decodeFrame(bytes, { maxFrameBytes: 1000 }))
    expectTooLarge(
      decodeFrame([bytes.subarray(0, 500), bytes.subarray(500)], { maxFrameBytes: 1000 }),
    )
    expect(decodeFrame(bytes, { maxFrameBytes: 1001 }).type).toBe('frame')
  })
})
