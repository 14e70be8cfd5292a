import { describe, expect, it } from 'vitest'
import { createKeyRedactor, spellings } from './redact.js'

describe('createKeyRedactor', () => {
  it('masks the key raw, URL-encoded (%7E and form + too) and JSON-escaped', () => {
    const key = 'a b~"c\\d+é'
    const redact = createKeyRedactor(key)
    const texts = [
      key,
      encodeURIComponent(key),
      new URLSearchParams({ k: key }).toString().slice(2),
      encodeURIComponent(key).replace(/~/g, '%7E'),
      JSON.stringify(key).slice(1, -1),
      JSON.stringify(encodeURIComponent(key)).slice(1, -1),
      encodeURIComponent(key).toLowerCase(),
    ]
    for (const text of texts) {
      const out = redact(`before ${text} after`)
      expect(out, text).toBe('before *** after')
      for (const spelling of spellings(key)) expect(out).not.toContain(spelling)
    }
    expect(redact('wss://x/v4/ws?apiKey=zzz')).toBe('wss://x/v4/ws?apiKey=***')
  })

  it('masks a short key as a whole token, never inside other words', () => {
    const redact = createKeyRedactor('k')
    expect(redact('{"status":"ok","role":"single"}')).toBe('{"status":"ok","role":"single"}')
    expect(redact('upstream refused key k')).toBe('upstream refused key ***')
  })
})
