/**
 * Case 2: the naive way. `JSON.parse`, valibot `parse`, and one immer `produce` per frame into
 * one big object keyed by fixture id, with the merge written the straightforward way, under the
 * SDK's merge rules (objects merge key by key, primitives/arrays/`null` replace, a `players`
 * entry replaces the stored one whole unless its `changedAt` is older, `exchangeMeta` and
 * `betslip` are opaque).
 * @module
 */
import { FrameSchema, isOlder, type OddsFrame } from '@oddsfeed/core'
import { type Draft, produce } from 'immer'
import * as v from 'valibot'
import type { Corpus } from './corpus.js'
import { overSlices, type SliceResult } from './slices.js'

type Obj = Record<string, unknown>
type State = Record<string, Obj>

const OPAQUE = new Set(['exchangeMeta', 'betslip'])

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function mergeInto(target: Obj, patch: Obj, players: boolean): void {
  for (const [key, value] of Object.entries(patch)) {
    if (players) {
      const stored = target[key]
      if (isObject(stored) && isObject(value) && isOlder(value.changedAt, stored.changedAt))
        continue
      target[key] = value
    } else if (isObject(value) && !OPAQUE.has(key) && isObject(target[key])) {
      mergeInto(target[key] as Obj, value, key === 'players')
    } else {
      target[key] = value
    }
  }
}

/** The naive reducer: one `produce` per frame over the whole state. */
export function naiveApply(state: State, text: string): State {
  const frame: OddsFrame = v.parse(FrameSchema, JSON.parse(text))
  return produce(state, (draft: Draft<State>) => {
    draft[frame.fixtureId] ??= { fixtureId: frame.fixtureId }
    mergeInto(draft[frame.fixtureId] as Obj, frame as Obj, false)
  })
}

/**
 * Frames of each slice the naive case is fed: it runs two orders of magnitude slower than the
 * others, and the whole stream would take minutes. Its frames/s is over these frames.
 */
export const NAIVE_CAP = 3000

/** Loads the board the same naive way (untimed), then feeds the first frames of each slice. */
export async function runNaive(corpus: Corpus): Promise<SliceResult> {
  let state: State = {}
  for (const text of corpus.board) state = naiveApply(state, text)
  const frames = corpus.frames
  const result = await overSlices(
    corpus,
    (start, end) => {
      for (let i = start; i < end; i++) state = naiveApply(state, frames[i] as string)
    },
    NAIVE_CAP,
  )
  if (Object.keys(state).length < corpus.board.length) throw new Error('naive state lost fixtures')
  return result
}
