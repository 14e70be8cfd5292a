import { describe, expect, it } from 'vitest'
import { TokenRedactor } from './token.js'

describe('TokenRedactor', () => {
  it('masks a token as a whole token in every spelling, never inside other words', () => {
    const secrets = new TokenRedactor()
    secrets.add('e')
    secrets.add('tok en+"ключ')
    expect(secrets.redact('WebSocket error at 127.0.0.1')).toBe('WebSocket error at 127.0.0.1')
    expect(secrets.redact('bad token e')).toBe('bad token ***')
    const url = new URL('ws://h/v4/ws')
    url.searchParams.set('x', 'tok en+"ключ')
    expect(secrets.redact(url.toString())).toBe('ws://h/v4/ws?x=***')
    expect(secrets.redact(JSON.stringify({ t: 'tok en+"ключ' }))).toBe('{"t":"***"}')
    expect(secrets.redact('ws://h/v4/ws?token=abc&x=1')).toBe('ws://h/v4/ws?token=***&x=1')
  })
})
