import { type Fixture, mergeFrames, type OddsFrame } from '@oddsfeed/core'
import { createGenerator, normalizeForCompare } from '@oddsfeed/simulator'
import { describe, expect, it } from 'vitest'
import { RelayMetrics } from './metrics.js'
import { fold, Outbox, type Outgoing, splitByBookmaker } from './outbox.js'

describe('fold and split', () => {
  it('applying the folded frame, split per bookmaker, equals applying the frames in order', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const generator = createGenerator({ seed, fixtures: 1, weights: { status: 0 } })
      const fixtureId = generator.fixtureIds()[0] as string
      const base = generator.restOdds(fixtureId) as unknown as Fixture
      const frames: OddsFrame[] = []
      for (let i = 0; i < 2_000 && frames.length < 200; i++) {
        const frame = generator.next()
        if (frame.fixtureId === fixtureId) frames.push(frame)
      }
      expect(frames.length).toBe(200)
      const parts = splitByBookmaker(fold(frames))
      for (const part of parts) {
        expect(Object.keys(part.bookmakerOdds ?? {}).length).toBeLessThanOrEqual(1)
      }
      expect(parts.length).toBeGreaterThan(1)
      expect(normalizeForCompare(mergeFrames(base, parts))).toEqual(
        normalizeForCompare(mergeFrames(base, frames)),
      )
    }
  })
})

function harness(maxQueued = 100) {
  let buffered = 0
  const written: Outgoing[] = []
  const slow: string[] = []
  const metrics = new RelayMetrics()
  const outbox = new Outbox(
    {
      buffered: () => buffered,
      write: (m) => written.push(m),
      tooSlow: (reason) => slow.push(reason),
    },
    { maxBufferedBytes: 1000, tooSlowMs: 60_000, maxQueued },
    metrics,
  )
  return {
    outbox,
    written,
    slow,
    metrics,
    setBuffered: (n: number) => {
      buffered = n
    },
  }
}

const frame = (fixtureId: string, bookmaker: string, price: number): OddsFrame =>
  ({
    fixtureId,
    bookmakerOdds: {
      [bookmaker]: { markets: { '101': { outcomes: { '101': { players: { '0': { price } } } } } } },
    },
  }) as unknown as OddsFrame

describe('Outbox', () => {
  it('writes at once while the socket keeps up', () => {
    const h = harness()
    h.outbox.send({ kind: 'frame', fixtureId: 'a', frame: frame('a', 'x', 1), text: 'T' })
    expect(h.written).toHaveLength(1)
    expect(h.outbox.size).toBe(0)
  })

  it('past the limit: folds per fixture, keeps order across fixtures, a snapshot supersedes', () => {
    const h = harness()
    h.setBuffered(5000)
    h.outbox.send({ kind: 'frame', fixtureId: 'a', frame: frame('a', 'x', 1), text: 'A1' })
    h.outbox.send({ kind: 'frame', fixtureId: 'b', frame: frame('b', 'x', 1), text: 'B1' })
    h.outbox.send({ kind: 'frame', fixtureId: 'a', frame: frame('a', 'y', 2), text: 'A2' })
    h.outbox.send({ kind: 'frame', fixtureId: 'a', frame: frame('a', 'x', 3), text: 'A3' })
    h.outbox.send({ kind: 'snapshot', fixtureId: 'b', json: '{"fixtureId":"b"}' })
    h.outbox.send({ kind: 'frame', fixtureId: 'b', frame: frame('b', 'x', 4), text: 'B4' })
    expect(h.written).toHaveLength(0)
    expect(h.metrics.coalesced).toBe(2)
    expect(h.metrics.dropped).toBe(1) // B1, superseded by the snapshot
    h.setBuffered(0)
    h.outbox.flush()
    const summary = h.written.map((m) =>
      m.kind === 'frame'
        ? `${m.fixtureId}:${Object.keys(m.frame.bookmakerOdds ?? {}).join()}:${m.text ?? '-'}`
        : m.kind,
    )
    // a's three frames as one frame per bookmaker; B1 gone; the snapshot, then B4 as received
    expect(summary).toEqual(['a:x:-', 'a:y:-', 'snapshot', 'b:x:B4'])
    const ax = h.written[0] as Outgoing & { kind: 'frame' }
    expect(JSON.stringify(ax.frame)).toContain('"price":3')
  })

  it('too many queued: too slow, once', () => {
    const h = harness(3)
    h.setBuffered(5000)
    for (let i = 0; i < 10; i++) {
      h.outbox.send({ kind: 'message', encode: (seq) => `{"op":"keepalive","seq":${seq}}` })
    }
    expect(h.slow).toHaveLength(1)
  })
})
