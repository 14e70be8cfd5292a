import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { RelayClientMessageSchema, RelayMessageSchema } from './relay-protocol.js'

describe('relay protocol messages', () => {
  it('accepts the documented client messages and rejects others', () => {
    expect(v.is(RelayClientMessageSchema, { op: 'subscribe', fixtureIds: ['a', 'b'] })).toBe(true)
    expect(v.is(RelayClientMessageSchema, { op: 'unsubscribe', fixtureIds: [] })).toBe(true)
    expect(v.is(RelayClientMessageSchema, { op: 'subscribe', fixtureIds: [1] })).toBe(false)
    expect(v.is(RelayClientMessageSchema, { op: 'subscribe', fixtureIds: [''] })).toBe(false)
    expect(v.is(RelayClientMessageSchema, { op: 'drop', fixtureIds: ['a'] })).toBe(false)
  })

  it('accepts the documented relay messages and requires seq ≥ 1', () => {
    const ok = [
      { op: 'snapshot', fixtureId: 'f', fixture: { fixtureId: 'f' }, seq: 1 },
      { op: 'snapshot', fixtureId: 'f', fixture: null, seq: 2 },
      { op: 'frame', frame: { fixtureId: 'f' }, seq: 3 },
      { op: 'error', code: 'bad_message', message: 'x', seq: 4 },
      { op: 'keepalive', seq: 5 },
    ]
    for (const m of ok) expect(v.is(RelayMessageSchema, m)).toBe(true)
    expect(v.is(RelayMessageSchema, { op: 'frame', frame: { fixtureId: 'f' }, seq: 0 })).toBe(false)
    expect(v.is(RelayMessageSchema, { op: 'frame', frame: [], seq: 1 })).toBe(false)
    expect(v.is(RelayMessageSchema, { op: 'keepalive' })).toBe(false)
  })
})
