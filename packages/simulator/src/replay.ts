/**
 * Replay of a recorded NDJSON capture (the `@oddsfeed/node` record format).
 * @module
 */
import { createReadStream } from 'node:fs'
import { type FrameRecord, readRecords, recordText } from '@oddsfeed/node'

/** Options of a replay. */
export interface ReplayOptions {
  /** The capture: a file path or records already read. */
  source: string | readonly FrameRecord[]
  /** `1` (default) keeps the original pace, `N` is N× faster, `Infinity` or `0` sends at once. */
  speed?: number | undefined
  /** Start over at the end. Default `false`. */
  loop?: boolean | undefined
  /** `connect` (default): start on the first connection. `start`: start at once. */
  startOn?: 'connect' | 'start' | undefined
  /**
   * Called for a record whose frame cannot be written as JSON (nested too deep for
   * `JSON.stringify`): it is skipped (counted in `skipped`) and the replay goes on.
   */
  onSkip?: ((error: Error, index: number) => void) | undefined
}

/** Reads a capture's records. */
export async function loadRecords(source: ReplayOptions['source']): Promise<FrameRecord[]> {
  if (typeof source !== 'string') return [...source]
  const out: FrameRecord[] = []
  for await (const record of readRecords(createReadStream(source))) out.push(record)
  return out
}

/** A running replay. */
export interface ReplayRun {
  /** Resolves when the last record was sent (never, when looping) or the replay was stopped. */
  readonly done: Promise<void>
  /** Records sent so far. */
  readonly sent: number
  /** Records skipped so far: their frame could not be written as JSON (see `onSkip`). */
  readonly skipped: number
  /** Stops sending; `done` resolves. */
  stop(): void
}

/** Sends `records` through `send`, paced by their `t`. */
export function runReplay(
  records: readonly FrameRecord[],
  send: (text: string) => void,
  options: Pick<ReplayOptions, 'speed' | 'loop' | 'onSkip'> = {},
): ReplayRun {
  const speed = options.speed === undefined ? 1 : options.speed
  const instant = speed === 0 || !Number.isFinite(speed)
  let timer: NodeJS.Timeout | undefined
  let stopped = false
  let sent = 0
  let skipped = 0
  let resolveDone: () => void = () => {}
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve
  })
  const t0 = records[0]?.t ?? 0
  let index = 0
  let startedAt = performance.now()

  const finish = () => {
    stopped = true
    if (timer) clearTimeout(timer)
    resolveDone()
  }
  const step = () => {
    timer = undefined
    if (stopped) return
    let burst = 0
    while (index < records.length) {
      const record = records[index] as FrameRecord
      const due = instant ? 0 : startedAt + (record.t - t0) / speed - performance.now()
      if (due > 1 || burst >= 1000) {
        timer = setTimeout(step, instant ? 0 : Math.max(0, due))
        return
      }
      let text: string | undefined
      try {
        text = recordText(record)
      } catch (error) {
        skipped++
        options.onSkip?.(error instanceof Error ? error : new Error(String(error)), index)
      }
      if (text !== undefined) {
        send(text)
        sent++
      }
      index++
      burst++
    }
    if (options.loop && records.length > 0) {
      index = 0
      startedAt = performance.now()
      timer = setTimeout(step, 0)
      return
    }
    finish()
  }
  timer = setTimeout(step, 0)
  return {
    done,
    get sent() {
      return sent
    },
    get skipped() {
      return skipped
    },
    stop: finish,
  }
}
