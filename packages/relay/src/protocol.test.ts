import { type Fixture, MAX_FIXTURES_PER_MESSAGE, type RelayMessage } from '@oddsfeed/core'
import { normalizeForCompare, type Simulator, startSimulator } from '@oddsfeed/simulator'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { type Relay, startRelay } from './relay.js'
import { connect, eventually, sleep, type TestClient } from './test-support/relay-client.js'
import { mint, SECRET } from './test-support/tokens.js'

const KEY = 'protocol-key-1b7e'
let sim: Simulator
let relay: Relay
const clients: TestClient[] = []

beforeEach(async () => {
  sim = await startSimulator({
    port: 0,
    apiKey: KEY,
    seed: 11,
    fixtures: 8,
    rate: 0,
    keepaliveMs: 300,
  })
  relay = await start('objects')
})

/** A relay on {@link sim}; `storage` is its upstream feed's store. */
function start(storage: 'objects' | 'compact'): Promise<Relay> {
  return startRelay({
    port: 0,
    upstream: { url: sim.url, apiKey: KEY, snapshotUrl: sim.restUrl },
    secret: SECRET,
    limits: { keepaliveMs: 400 },
    upstreamTuning: { storage },
  })
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate()
  await relay.stop()
  await sim.stop()
})

async function client(mode: 'plain' | 'relay') {
  const c = await connect(relay.url, await mint(), mode)
  clients.push(c)
  return c
}

function expectTruth(c: TestClient, fixtureIds: string[]) {
  for (const fixtureId of fixtureIds) {
    expect(normalizeForCompare(c.state.get(fixtureId)), fixtureId).toEqual(
      normalizeForCompare(sim.generator?.restOdds(fixtureId)),
    )
  }
}

describe('oddsfeed.relay.v1', () => {
  // 'compact': the upstream's state packed (what a relay holding the whole feed may choose);
  // snapshots are read from it
  it.each(['objects', 'compact'] as const)(
    'snapshot, then every frame in order: seq from 1 without gaps, state equals the truth (%s upstream)',
    async (storage) => {
      if (storage !== 'objects') {
        await relay.stop()
        relay = await start(storage)
      }
      const ids = sim.fixtureIds().slice(0, 3)
      const early = await client('relay')
      early.subscribe(ids)
      await eventually(() => ids.every((id) => early.state.get(id) !== undefined))
      sim.setRate(400)
      await sleep(600)
      // A second client subscribes mid-stream: its snapshot must line up with the frames after it.
      const late = await client('relay')
      late.subscribe(ids)
      // A third one, mid-stream, to fixtures nobody watched yet (a compact upstream has them
      // packed): their snapshot is read from that state and the REST one merged into it.
      const others = sim.fixtureIds().slice(3, 6)
      const fresh = await client('relay')
      fresh.subscribe(others)
      await sleep(600)
      sim.setRate(0)
      for (const [c, watched] of [
        [early, ids],
        [late, ids],
        [fresh, others],
      ] as const) {
        await eventually(() => expectTruth(c, watched))
        expect(c.seqErrors).toEqual([])
        expect(c.messages[0]?.seq).toBe(1)
        // the first message about each fixture is its snapshot
        for (const id of watched) {
          const first = c.messages.find(
            (m) =>
              (m.op === 'snapshot' && m.fixtureId === id) ||
              (m.op === 'frame' && (m.frame as { fixtureId: string }).fixtureId === id),
          )
          expect(first?.op).toBe('snapshot')
        }
      }
      expect(late.messages.filter((m) => m.op === 'frame').length).toBeGreaterThan(0)
      // one REST call per fixture, however many clients watch it
      expect(sim.stats().restRequests).toBe(ids.length + others.length)
    },
  )

  it('answers a bad message with an error and goes on', async () => {
    const c = await client('relay')
    const bad = [
      'not json',
      '{"op":"nope"}',
      '{"op":"subscribe","fixtureIds":[1]}',
      '{"op":"subscribe"}',
      '[]',
      JSON.stringify({
        op: 'subscribe',
        fixtureIds: Array.from({ length: MAX_FIXTURES_PER_MESSAGE + 1 }, (_, i) => `f${i}`),
      }),
    ]
    for (const text of bad) c.send(text)
    await eventually(() => c.messages.filter((m) => m.op === 'error').length === bad.length)
    const errors = c.messages.filter((m): m is RelayMessage & { op: 'error' } => m.op === 'error')
    expect(errors.map((e) => e.code)).toEqual([
      'bad_message',
      'bad_message',
      'bad_message',
      'bad_message',
      'bad_message',
      'too_many',
    ])
    const id = sim.fixtureIds()[0] as string
    c.subscribe([id])
    await eventually(() => expectTruth(c, [id]))
    expect(c.seqErrors).toEqual([])
  })

  it('sends a keepalive on an idle connection', async () => {
    const c = await client('relay')
    await eventually(() => c.messages.filter((m) => m.op === 'keepalive').length >= 2, 10_000)
    expect(c.messages.slice(0, 2)).toEqual([
      { op: 'keepalive', seq: 1 },
      { op: 'keepalive', seq: 2 },
    ])
  })

  it('unsubscribe stops the frames of that fixture', async () => {
    const [a, b] = sim.fixtureIds() as [string, string]
    const c = await client('relay')
    c.subscribe([a, b])
    await eventually(() => c.state.get(a) !== undefined && c.state.get(b) !== undefined)
    c.unsubscribe([a])
    await sleep(200)
    const before = c.messages.length
    sim.setRate(300)
    await sleep(800)
    sim.setRate(0)
    const after = c.messages.slice(before)
    const about = (m: RelayMessage) =>
      m.op === 'frame' ? (m.frame as Fixture).fixtureId : undefined
    expect(after.some((m) => about(m) === b)).toBe(true)
    expect(after.some((m) => about(m) === a)).toBe(false)
  })
})

describe('plain v4', () => {
  it('forwards the upstream text as received, keepalives included', async () => {
    const plain = await client('plain')
    const direct = new WebSocket(`${sim.url}?apiKey=${KEY}`)
    const directTexts: string[] = []
    direct.on('message', (data) => directTexts.push(String(data)))
    await new Promise((resolve) => direct.once('open', resolve))
    await eventually(() => plain.texts.includes('ping'), 10_000)
    const start = plain.texts.length
    const directStart = directTexts.length
    sim.setRate(300)
    await sleep(800)
    sim.setRate(0)
    const frames = (texts: string[]) => texts.filter((t) => t.startsWith('{'))
    await eventually(() => {
      expect(frames(plain.texts.slice(start))).toEqual(frames(directTexts.slice(directStart)))
    })
    expect(frames(plain.texts.slice(start)).length).toBeGreaterThan(50)
    direct.close()
  })
})
