import type { AddressInfo } from 'node:net'
import { filter, firstValueFrom } from 'rxjs'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { createOddsFeed, type OddsFeed } from './feed.js'
import type { WebSocketConstructor } from './transport.js'

let wss: WebSocketServer | undefined
let feed: OddsFeed | undefined
afterEach(async () => {
  feed?.close()
  feed = undefined
  for (const ws of wss?.clients ?? []) ws.terminate()
  await new Promise((resolve) => (wss ? wss.close(resolve) : resolve(undefined)))
  wss = undefined
})

describe('token with the plain v4 protocol (a relay in v4 mode)', () => {
  it('sends the token as a query parameter, asks for no subprotocol, and reads v4 frames', async () => {
    const handshakes: Array<{ url: string; protocol: string | undefined }> = []
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise<void>((resolve) => wss!.once('listening', resolve))
    wss.on('connection', (ws, req) => {
      handshakes.push({ url: req.url ?? '', protocol: req.headers['sec-websocket-protocol'] })
      ws.send(JSON.stringify({ fixtureId: 'A', statusId: 1 }))
    })
    const port = (wss.address() as AddressInfo).port
    const tokens = ['first token', 'second token']
    feed = createOddsFeed({
      url: `ws://127.0.0.1:${port}/v4/ws`,
      token: async () => tokens.shift() ?? 'no more',
      reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
    })
    const status = await firstValueFrom(feed.status$.pipe(filter((s) => s.state === 'open')))
    expect(status.url).not.toContain('token')
    await firstValueFrom(feed.select({ fixtureId: 'A' }).pipe(filter(Boolean)))
    for (const ws of wss.clients) ws.terminate()
    await firstValueFrom(feed.status$.pipe(filter((s) => s.state === 'reconnecting')))
    await firstValueFrom(feed.status$.pipe(filter((s) => s.state === 'open')))
    expect(handshakes.map((h) => new URL(h.url, 'http://x').searchParams.get('token'))).toEqual([
      'first token',
      'second token',
    ])
    expect(handshakes.map((h) => h.protocol)).toEqual([undefined, undefined])
  })

  it('opens no socket when the feed is closed while the token is being fetched', async () => {
    let constructed = 0
    class Counted extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols)
        constructed++
      }
    }
    let release!: (token: string) => void
    const pending = new Promise<string>((resolve) => {
      release = resolve
    })
    let asked = 0
    feed = createOddsFeed({
      url: 'ws://127.0.0.1:9/v4/ws',
      token: () => {
        asked++
        return pending
      },
      WebSocket: Counted as unknown as WebSocketConstructor,
    })
    feed.connect()
    expect(asked).toBe(1)
    feed.close()
    release('late token')
    await pending
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(constructed).toBe(0)
  })
})
