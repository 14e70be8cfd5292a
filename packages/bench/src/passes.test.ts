import { createOddsFeed, type Fixture } from '@oddsfeed/core'
import { describe, expect, it } from 'vitest'
import { buildCorpus } from './corpus.js'
import { endlessStream, streamDay } from './passes.js'

const corpus = buildCorpus({
  kind: 'realistic',
  seed: 7,
  fixtures: 20,
  bookmakers: 4,
  markets: 5,
  frames: 400,
  reps: 0,
  selects: 0,
})
const N = corpus.frames.length

/** A feed with the board loaded and frames `[from, to)` of `frameAt` ingested; its fixtures. */
async function stateAfter(
  frameAt: (n: number) => string,
  passes: readonly (readonly [number, number])[],
): Promise<{ before: Map<string, Fixture | undefined>; after: Map<string, Fixture | undefined> }> {
  const feed = createOddsFeed({ url: 'ws://127.0.0.1:9/passes', autoConnect: false })
  const read = () => new Map(corpus.fixtureIds.map((id) => [id, feed.get({ fixtureId: id })]))
  for (const text of corpus.board) feed.ingest(text)
  const [first, ...rest] = passes
  for (let n = first?.[0] ?? 0; n < (first?.[1] ?? 0); n++) feed.ingest(frameAt(n))
  await null
  const before = read()
  for (const [from, to] of rest) for (let n = from; n < to; n++) feed.ingest(frameAt(n))
  await null
  const after = read()
  feed.close()
  return { before, after }
}

const changedFixtures = (a: Map<string, unknown>, b: Map<string, unknown>) =>
  [...a.keys()].filter((id) => a.get(id) !== b.get(id)).length

describe('endlessStream', () => {
  it('is the corpus itself on its first pass', () => {
    const frameAt = endlessStream(corpus.frames)
    for (let n = 0; n < N; n++) expect(frameAt(n)).toBe(corpus.frames[n])
  })

  it('makes a second pass that the client merges, where the corpus replayed as it is is dropped', async () => {
    const stale = await stateAfter(
      (n) => corpus.frames[n % N] as string,
      [
        [0, N],
        [N, 2 * N],
      ],
    )
    // the corpus replayed: every stamp is one the client stored, so no fixture changes
    expect(changedFixtures(stale.before, stale.after)).toBe(0)

    const fresh = await stateAfter(endlessStream(corpus.frames), [
      [0, N],
      [N, 2 * N],
    ])
    const moved = changedFixtures(fresh.before, fresh.after)
    // every fixture the stream prices moves again on the second pass
    const priced = new Set(corpus.frameFixtureIds)
    expect(moved).toBe([...priced].filter((id) => fresh.before.get(id) !== undefined).length)
    expect(moved).toBeGreaterThan(0)
  })

  it('moves every stamp of pass p on by p days, later than every earlier pass', () => {
    const frameAt = endlessStream(corpus.frames)
    const day = streamDay(corpus.frames)
    expect(frameAt(2 * N + 5)).toBe(
      (corpus.frames[5] as string).replaceAll(`"${day}T`, `"2026-06-03T`),
    )
    expect(day).toBe('2026-06-01')
    const stamps = (text: string) => [...text.matchAll(/"(\d{4}-\d\d-\d\d)T/g)].map((m) => m[1])
    for (const pass of [1, 2, 3]) {
      for (const stamp of stamps(frameAt(pass * N + 7))) {
        expect(stamp).toBe(`2026-06-0${1 + pass}`)
      }
    }
  })
})

describe('streamDay', () => {
  it('refuses a stream whose stamps are on two days, and one with none', () => {
    expect(() =>
      streamDay(['{"changedAt":"2026-06-01T12:00:00Z"}', '{"changedAt":"2026-06-02T00:00:01Z"}']),
    ).toThrow(/2026-06-01 and 2026-06-02/)
    expect(() => streamDay(['{"fixtureId":"f1"}'])).toThrow(/no stamps/)
  })
})
