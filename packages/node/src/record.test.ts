import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { recordTo } from './record.js'
import { readRecords, recordText } from './records.js'

const KEY = 'secret-key-123'
const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A ws server on 127.0.0.1 that sends `messages` to each client, then nothing. */
async function serve(messages: string[]) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
  wss.on('connection', (socket) => {
    for (const m of messages) socket.send(m)
  })
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate()
        wss.close(() => resolve())
      }),
  )
  return `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/v4/ws`
}

describe('recordTo', () => {
  it('records every message as received, with its receive time, and flushes on stop', async () => {
    const messages = [
      '{"fixtureId":"id1","statusId":1,"updatedAt":"2026-06-01T12:00:00.001000+00:00"}',
      'ping',
      '{"fixtureId":"id2","bookmakerOdds":{"22bet":{"bookmakerFixtureId":"9","fixturePath":"/x"}}}',
      '{"fixtureId":',
    ]
    const url = await serve(messages)
    const dir = mkdtempSync(join(tmpdir(), 'oddsfeed-rec-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'capture.ndjson')
    const before = Date.now()
    let resolveAll: () => void = () => {}
    const all = new Promise<void>((resolve) => {
      resolveAll = resolve
    })
    const rec = recordTo(file, {
      url,
      apiKey: KEY,
      reconnect: false,
      onRecord: (_r, n) => {
        if (n === messages.length) resolveAll()
      },
    })
    cleanups.push(() => rec.stop())
    await all
    expect(await rec.stop()).toBe(4)

    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(KEY)
    const records = []
    for await (const r of readRecords(Readable.from([text]))) records.push(r)
    expect(records.map(recordText)).toEqual(messages)
    for (const r of records) {
      expect(r.t).toBeGreaterThanOrEqual(before)
      expect(r.t).toBeLessThanOrEqual(Date.now())
    }
  })
})
