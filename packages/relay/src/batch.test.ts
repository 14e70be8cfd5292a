import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { WriteBatch } from './batch.js'

/** Writes `batches` (taken one after another) to a real `ws` client, raw, and returns what it received. */
async function receive(fill: (batch: WriteBatch) => void, expected: number): Promise<string[]> {
  const wss = new WebSocketServer({ noServer: true })
  const server = createServer()
  server.on('upgrade', (request, socket: Duplex, head) => {
    wss.handleUpgrade(request, socket, head, () => {
      const batch = new WriteBatch()
      fill(batch)
      socket.write(batch.take())
      expect(batch.size).toBe(0)
      expect(batch.bytes).toBe(0)
      // the batch is reusable once taken
      batch.add(undefined, 0, Buffer.from('after'))
      socket.write(batch.take())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const ws = new WebSocket(`ws://127.0.0.1:${port}`)
  const messages: string[] = []
  try {
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data, binary) => {
        expect(binary).toBe(false)
        messages.push(String(data))
        if (messages.length === expected + 1) resolve()
      })
      ws.once('error', reject)
      ws.once('close', () => reject(new Error(`closed after ${messages.length} messages`)))
    })
  } finally {
    ws.terminate()
    wss.close()
    await new Promise((resolve) => server.close(resolve))
  }
  return messages
}

describe('WriteBatch', () => {
  it('writes every message of a window as its own text frame, seq digits in place, any length', async () => {
    const head = Buffer.from('{"op":"frame","seq":')
    const bodies = [5, 100, 125, 126, 200, 65_535, 70_000].map((n) =>
      Buffer.from(`,"frame":"${'x'.repeat(n)}"}`),
    )
    const seqs = [1, 9, 10, 99, 12_345, 1_000_000, 4_294_967_296]
    const expected: string[] = []
    const messages = await receive((batch) => {
      bodies.forEach((body, i) => {
        const seq = seqs[i] as number
        batch.add(head, seq, body)
        expected.push(`${head}${seq}${body}`)
      })
      // lengths around the 7/16/64-bit boundaries with the head and seq counted
      for (const total of [125, 126, 65_535, 65_536]) {
        const prefix = `${head}7`
        const body = Buffer.from('y'.repeat(total - prefix.length))
        batch.add(head, 7, body)
        expected.push(prefix + body)
      }
      batch.add(undefined, 0, Buffer.from('{"op":"keepalive","seq":3}'))
      expected.push('{"op":"keepalive","seq":3}')
    }, bodies.length + 5)
    expect(messages).toEqual([...expected, 'after'])
    for (const m of messages.slice(0, bodies.length)) expect(JSON.parse(m).op).toBe('frame')
  })
})
