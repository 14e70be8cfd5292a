/**
 * A client that reads about `SLOW_RATE` messages per second (its event loop blocked per
 * message), in its own process so that it does not slow the test's. Reports how it ended.
 */
import { RELAY_PROTOCOL } from '@oddsfeed/core'
import { WebSocket } from 'ws'

const { SLOW_URL = '', SLOW_FIXTURES = '[]', SLOW_RATE = '10' } = process.env
const perMessageMs = 1000 / Number(SLOW_RATE)
const ws = new WebSocket(SLOW_URL, RELAY_PROTOCOL)
let count = 0
let coalescedFrames = 0
ws.on('open', () => {
  ws.send(JSON.stringify({ op: 'subscribe', fixtureIds: JSON.parse(SLOW_FIXTURES) }))
  process.send?.({ type: 'open' })
})
ws.on('message', (data) => {
  count++
  const text = String(data)
  if (text.includes('"op":"frame"')) {
    const frame = JSON.parse(text).frame as { bookmakerOdds?: Record<string, unknown> }
    if (Object.keys(frame.bookmakerOdds ?? {}).length > 1) coalescedFrames++
  }
  const until = Date.now() + perMessageMs
  while (Date.now() < until) {
    // reading slowly
  }
})
ws.on('close', (code) => {
  process.send?.({ type: 'closed', code, count, coalescedFrames }, () => process.exit(0))
})
ws.on('error', (e) => console.error('SLOW error', e.message))
process.on('exit', (c) => console.error('SLOW exit', c, count))
