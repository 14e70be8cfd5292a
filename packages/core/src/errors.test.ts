import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRedactor, FeedError, RAW_EXCERPT_LIMIT } from './errors.js'

/** A key with every character a spelling changes: spaces, `+&%~`, quotes, backslash, unicode. */
const HOSTILE = `my key+&%~"q\\'ключ🔑/x`

/** Every spelling of a key the redactor must mask (the list, and combinations). */
function spellingsOf(key: string): Record<string, string> {
  const json = JSON.stringify(key).slice(1, -1)
  const form = new URLSearchParams({ apiKey: key }).toString().slice('apiKey='.length)
  const asciiJson = json.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return {
    raw: key,
    encodeURIComponent: encodeURIComponent(key),
    'encodeURIComponent, lowercase hex': encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (h) =>
      h.toLowerCase(),
    ),
    'URLSearchParams (form encoding)': form,
    'JSON-escaped': json,
    'JSON-escaped, \\u for non-ASCII': asciiJson,
    'JSON-escaped, \\/ for /': json.replace(/\//g, '\\/'),
    'JSON-escaped twice': JSON.stringify(json).slice(1, -1),
    'form-encoded twice': new URLSearchParams({ k: form }).toString().slice(2),
    'encodeURIComponent twice': encodeURIComponent(encodeURIComponent(key)),
    'JSON-escaped, then encodeURIComponent': encodeURIComponent(json),
  }
}

describe('createRedactor: every spelling of the key', () => {
  const redact = createRedactor(HOSTILE)
  for (const [name, spelling] of Object.entries(spellingsOf(HOSTILE))) {
    it(`masks the key ${name}, in prose, in JSON, in a close reason and in a URL`, () => {
      const texts = [
        `rejected key ${spelling}`,
        `{"error":{"message":"bad key","key":"${spelling}"}}`,
        `Connection closed (code 4001, key ${spelling}.)`,
        `GET /v4/odds?fixtureId=f&apiKey=${spelling}&bookmakers=x`,
        `${spelling}`,
        `key:\n${spelling}\n`,
      ]
      for (const text of texts) {
        const out = redact(text)
        expect(out, text).not.toContain(spelling)
        expect(out, text).toContain('***')
      }
    })
  }

  it('masks a key whose spelling is also a plain token around it (no partial left)', () => {
    const out = redact(`first ${HOSTILE} then ${encodeURIComponent(HOSTILE)} end`)
    expect(out).toBe('first *** then *** end')
  })

  it('masks the start or end of the key where an excerpt was cut with an ellipsis', () => {
    const r = createRedactor('fault key+1')
    expect(r(`Unexpected token 'f', "{"a": fault key"... is not valid JSON`)).toBe(
      `Unexpected token 'f', "{"a": ***"... is not valid JSON`,
    )
    expect(r(`Unexpected token '}', ..."key+1 x}" is not valid JSON`)).toBe(
      `Unexpected token '}', ..."*** x}" is not valid JSON`,
    )
    expect(r('a fau… and …y+1 b')).toBe('a ***… and …*** b')
    // what JSON.parse itself says of a frame with the key bare in it
    let message = ''
    try {
      JSON.parse('{"fixtureId":"f3","note": fault key+1}')
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).not.toBe('')
    expect(r(message)).not.toMatch(/fault|key\+|y\+1/)
    // an ellipsis next to unrelated words, or inside a word, changes nothing
    expect(r('wait... key ... 1fault...')).toBe('wait... key ... 1fault...')
  })

  it('masks any apiKey value in a URL or in JSON, whatever key it holds', () => {
    const other = createRedactor('the-key')
    expect(other('wss://x/v4/ws?apiKey=wrong-one&y=1')).toBe('wss://x/v4/ws?apiKey=***&y=1')
    expect(other('next=%2Fv4%3FapiKey%3Dwrong-one')).toBe('next=%2Fv4%3FapiKey%3D***')
    expect(other('{"apiKey":"wrong \\"one\\"","x":1}')).toBe('{"apiKey":"***","x":1}')
    expect(createRedactor(undefined)('?apiKey=abc')).toBe('?apiKey=***')
  })

  it('property: a hostile key never survives in any spelling, wherever it is put', () => {
    const alphabet = fc.constantFrom(
      ...'aZ09 +&%~"\'\\/=?#.:-_*@ключ🔑é\n\t<>{}[],;|'.split(/(?:)/u),
    )
    const keys = fc.array(alphabet, { minLength: 1, maxLength: 12 }).map((cs) => cs.join(''))
    const around = fc.constantFrom(' ', '"', '=', '(', '\n', '&', '%20', '\\"', '+', '/')
    fc.assert(
      fc.property(keys, around, around, (key, left, right) => {
        const r = createRedactor(key)
        for (const spelling of Object.values(spellingsOf(key))) {
          // the marks are token characters no key here has: only the delimiters bound the key
          const text = `Ⓛ${left}${spelling}${right}Ⓡ`
          const out = r(text)
          expect(out, JSON.stringify({ key, text })).not.toContain(`${left}${spelling}${right}`)
          expect(out, JSON.stringify({ key, text })).toContain('***')
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('createRedactor: a short key is masked as a value, never inside other words', () => {
  it.each([
    ['1', 'WebSocket error: connect ECONNREFUSED 127.0.0.1:1234'],
    ['1', 'ws://127.0.0.1:9/v4/ws?apiKey=*** (code 1006)'],
    ['e', 'WebSocket error: Unexpected server response: 500'],
    ['e', 'Connection closed (code 1001, simulator: connection dropped)'],
    ['ock', 'WebSocket error: socket hang up'],
    ['ws', 'ws://127.0.0.1:9/v4/wss'],
  ])('key %j leaves %j readable', (key, text) => {
    expect(createRedactor(key)(text)).toBe(text)
  })

  it.each([
    ['1', 'refused key 1', 'refused key ***'],
    ['1', 'key "1" is unknown', 'key "***" is unknown'],
    ['e', 'Connection closed (code 4001, bad key e)', 'Connection closed (code 4001, bad key ***)'],
    ['ock', 'no such key: ock.', 'no such key: ***.'],
    ['ock', '{"key":"ock"}', '{"key":"***"}'],
    ['1', 'ws://h/v4/ws?apiKey=1&x=11', 'ws://h/v4/ws?apiKey=***&x=11'],
  ])('key %j is masked as a whole token in %j', (key, text, masked) => {
    expect(createRedactor(key)(text)).toBe(masked)
  })

  it('a dot path: each segment is a token', () => {
    expect(createRedactor('ock')('bookmakerOdds.ock.markets', 'path')).toBe(
      'bookmakerOdds.***.markets',
    )
    expect(createRedactor('ock')('bookmakerOdds.mock.markets', 'path')).toBe(
      'bookmakerOdds.mock.markets',
    )
    expect(createRedactor('a.b')('x.a.b.y', 'path')).toBe('x.***.y')
  })
})

describe('FeedError.redacted', () => {
  it('masks message, stack, raw, path, fixtureId and cause', () => {
    const json = JSON.stringify(HOSTILE).slice(1, -1)
    const path = `bookmakerOdds.${HOSTILE}.markets`
    const error = new FeedError('schema', `Invalid frame at ${path}: got "${json}"`, {
      path,
      fixtureId: HOSTILE,
      raw: `{"fixtureId":"${json}"}`,
      cause: new Error(`because of ${HOSTILE}`, { cause: `deeper ${HOSTILE}` }),
    })
    const copy = error.redacted(createRedactor(HOSTILE))
    const cause = copy.cause as Error
    const fields = [
      copy.message,
      copy.stack,
      copy.raw,
      copy.path,
      copy.fixtureId,
      cause.message,
      cause.stack,
      cause.cause,
    ]
    for (const field of fields) {
      expect(typeof field).toBe('string')
      for (const spelling of Object.values(spellingsOf(HOSTILE))) {
        expect(field).not.toContain(spelling)
      }
    }
    expect(copy.path).toBe('bookmakerOdds.***.markets')
    expect(copy.fixtureId).toBe('***')
    expect(copy.message).toBe('Invalid frame at bookmakerOdds.***.markets: got "***"')
    expect(copy.kind).toBe('schema')
  })

  it('masks a key that the 1 KiB cut of raw splits in two', () => {
    const key = 'secret-key-0123456789'
    const raw = `${'x'.repeat(RAW_EXCERPT_LIMIT - 10)} ${key} and more`
    const error = new FeedError('parse', 'Frame is not valid JSON', { raw })
    expect(error.raw).toHaveLength(RAW_EXCERPT_LIMIT)
    const copy = error.redacted(createRedactor(key))
    expect(copy.raw?.length).toBeLessThanOrEqual(RAW_EXCERPT_LIMIT)
    expect(copy.raw).toContain(' *** an')
    expect(copy.raw).not.toContain(key.slice(0, 9))
  })

  it('leaves an error without the key as it was', () => {
    const error = new FeedError('transport', 'WebSocket error: socket hang up', { status: 500 })
    const copy = error.redacted(createRedactor('e'))
    expect(copy.message).toBe(error.message)
    expect(copy.status).toBe(500)
    expect(copy.stack?.split('\n')[0]).toBe('FeedError: WebSocket error: socket hang up')
  })
})
