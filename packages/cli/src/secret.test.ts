import { createRedactor } from '@oddsfeed/core'
import { describe, expect, it } from 'vitest'
import { redactedJson } from './secret.js'

const KEY = `k e+y&%"\\'ключ🔑`

describe('redactedJson', () => {
  it('masks the key in string values and property names; the line still parses', () => {
    const frame = {
      fixtureId: 'F',
      note: `echo ${KEY}`,
      url: `wss://x/v4/ws?apiKey=${encodeURIComponent(KEY)}`,
      bookmakerOdds: { [KEY]: { markets: { '101': { price: 1 } } } },
    }
    const line = redactedJson(frame, createRedactor(KEY))
    expect(JSON.parse(line)).toEqual({
      fixtureId: 'F',
      note: 'echo ***',
      url: 'wss://x/v4/ws?apiKey=***',
      bookmakerOdds: { '***': { markets: { '101': { price: 1 } } } },
    })
    for (const spelling of [KEY, JSON.stringify(KEY).slice(1, -1), encodeURIComponent(KEY)]) {
      expect(line).not.toContain(spelling)
    }
  })

  it('leaves numbers and unrelated text alone, even with a short key', () => {
    const frame = { fixtureId: 'id1', statusId: 1, price: 1.1, note: 'WebSocket error', n: [1] }
    expect(redactedJson(frame, createRedactor('1'))).toBe(JSON.stringify(frame))
    expect(redactedJson(frame, createRedactor('e'))).toBe(JSON.stringify(frame))
  })
})
