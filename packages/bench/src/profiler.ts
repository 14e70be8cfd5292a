/**
 * The CPU profile of a stream of frames through `feed.ingest`, as top self-time entries: what
 * `pnpm bench:profile` prints and `pnpm bench` appends to its table.
 * @module
 */
import { Session } from 'node:inspector/promises'
import type { OddsFeed } from '@oddsfeed/core'
import { CHUNK } from './case-sdk.js'

/** One line of the profile: a function (and its file) and its share of the samples. */
export interface ProfileEntry {
  readonly name: string
  readonly selfShare: number
}

/** What {@link profileIngest} measured. */
export interface ProfileResult {
  readonly frames: number
  readonly usPerFrame: number
  readonly top: readonly ProfileEntry[]
  /** The raw V8 profile (for `.cpuprofile` files). */
  readonly profile: unknown
}

/** Ingests `texts` {@link CHUNK} per tick under V8's CPU profiler (200 µs sampling). */
export async function profileIngest(
  feed: OddsFeed,
  texts: readonly string[],
  topCount = 25,
): Promise<ProfileResult> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 200 })
  await session.post('Profiler.start')
  const t0 = performance.now()
  for (let i = 0; i < texts.length; i++) {
    feed.ingest(texts[i])
    if (i % CHUNK === CHUNK - 1) await null
  }
  await null
  // what is still queued (a deferred merge) is part of the cost: read it all
  const ms = performance.now() - t0
  const { profile } = await session.post('Profiler.stop')
  session.disconnect()

  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map<string, number>()
  const samples = profile.samples ?? []
  for (const id of samples) {
    const frame = byId.get(id)?.callFrame
    if (!frame) continue
    const file = frame.url.split('/').slice(-2).join('/')
    // file only: run from source through tsx, every line number would read 1
    const name = `${frame.functionName || '(anonymous)'}${file ? `  ${file}` : ''}`
    self.set(name, (self.get(name) ?? 0) + 1)
  }
  const top = [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, topCount)
    .map(([name, count]) => ({ name, selfShare: count / Math.max(1, samples.length) }))
  return { frames: texts.length, usPerFrame: (ms * 1000) / texts.length, top, profile }
}

/** The entries as printable lines. */
export function formatProfile(result: ProfileResult): string[] {
  return result.top.map((e) => `${(e.selfShare * 100).toFixed(1).padStart(5)} %  ${e.name}`)
}
