/**
 * An observable as a Node `Readable`, with a bounded buffer and an explicit policy for a consumer
 * slower than the feed.
 * @module
 */
import { Readable } from 'node:stream'

/** The least an observable must offer: RxJS `Observable`s and `Subject`s fit. */
export interface SubscribableLike<T> {
  /** Starts the subscription; the result ends it. */
  subscribe(observer: {
    next: (value: T) => void
    error: (error: unknown) => void
    complete: () => void
  }): {
    /** Ends the subscription. */
    unsubscribe(): void
  }
}

/**
 * What happens when `highWaterMark` values are queued (the consumer reads slower than the
 * observable emits) and another one arrives:
 * - `latest-per-fixture` (default): if a value with the same key (`fixtureId`) is already
 *   queued, the newcomer is folded into it with `coalesce` (default: it replaces it, i.e. only
 *   the latest value per fixture is kept, in the queued one's place). If not, the oldest queued
 *   value is dropped to make room. Right for state streams (`fixtures$`, `select(...)`); for
 *   partial frames pass {@link coalesceFrames} so that nothing a frame changed is lost.
 * - `drop-oldest`: the oldest queued value is dropped.
 * - `error`: the stream is destroyed with an error; nothing is dropped silently.
 *
 * Below `highWaterMark` nothing is dropped or coalesced: every value is delivered in order.
 */
export type OverflowPolicy = 'latest-per-fixture' | 'drop-oldest' | 'error'

/** Options of {@link toReadable}. */
export interface ToReadableOptions<T> {
  /** `object` (default): one value per chunk. `ndjson`: one JSON text line per value (`string` chunks). */
  mode?: 'object' | 'ndjson' | undefined
  /** Largest number of values queued for a slow consumer. Default 1024. */
  highWaterMark?: number | undefined
  /** What to do when the queue is full. Default `latest-per-fixture`. */
  policy?: OverflowPolicy | undefined
  /** The key `latest-per-fixture` coalesces on. Default: the value's `fixtureId` when a string. */
  keyOf?: ((value: T) => string | undefined) | undefined
  /** Folds a newer value into a queued one of the same key. Default: the newer one wins. */
  coalesce?: ((queued: T, incoming: T) => T) | undefined
  /** Called with every value dropped by the policy. */
  onDrop?: ((value: T) => void) | undefined
}

/** A `Readable` fed by an observable; counts what its overflow policy did. */
export interface ObservableReadable extends Readable {
  /** Values dropped by the overflow policy so far. */
  readonly dropped: number
  /** Values folded into a queued one so far (`latest-per-fixture`). */
  readonly coalesced: number
  /** Values queued now, waiting for the consumer. */
  readonly queued: number
}

interface Slot<T> {
  key: string | undefined
  value: T
}

const defaultKeyOf = (value: unknown): string | undefined => {
  if (value !== null && typeof value === 'object') {
    const id = (value as { fixtureId?: unknown }).fixtureId
    if (typeof id === 'string') return id
  }
  return undefined
}

/**
 * Turns an observable into a `Readable`, subscribing at once. The stream ends when the
 * observable completes (after the queue is read), is destroyed with the observable's error,
 * and unsubscribes when destroyed. Memory stays bounded by `highWaterMark` values whatever the
 * consumer does; see {@link OverflowPolicy}.
 *
 * @example
 * ```ts
 * toReadable(feed.frames$, { mode: 'ndjson', coalesce: coalesceFrames }).pipe(process.stdout)
 * ```
 */
export function toReadable<T>(
  source: SubscribableLike<T>,
  options: ToReadableOptions<T> = {},
): ObservableReadable {
  const ndjson = options.mode === 'ndjson'
  const limit = Math.max(1, options.highWaterMark ?? 1024)
  const policy = options.policy ?? 'latest-per-fixture'
  const keyOf = options.keyOf ?? defaultKeyOf
  const coalesce = options.coalesce ?? ((_queued: T, incoming: T) => incoming)

  let queue: Slot<T>[] = []
  let head = 0
  const latest = new Map<string, Slot<T>>()
  let dropped = 0
  let coalesced = 0
  let wanting = false
  let completed = false
  let ended = false
  let subscription: { unsubscribe(): void } | undefined
  let finished = false

  const size = () => queue.length - head
  const shift = (): Slot<T> | undefined => {
    if (head >= queue.length) return undefined
    const slot = queue[head] as Slot<T>
    queue[head] = undefined as unknown as Slot<T>
    head++
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head)
      head = 0
    }
    if (slot.key !== undefined && latest.get(slot.key) === slot) latest.delete(slot.key)
    return slot
  }

  const stream = new Readable({
    objectMode: !ndjson,
    highWaterMark: 1,
    encoding: ndjson ? 'utf8' : undefined,
    read() {
      wanting = true
      drain()
    },
    destroy(error, callback) {
      finished = true
      subscription?.unsubscribe()
      subscription = undefined
      queue = []
      head = 0
      latest.clear()
      callback(error)
    },
  }) as ObservableReadable

  Object.defineProperties(stream, {
    dropped: { get: () => dropped },
    coalesced: { get: () => coalesced },
    queued: { get: () => size() },
  })

  const drain = () => {
    while (wanting && size() > 0 && !stream.destroyed) {
      const slot = shift() as Slot<T>
      wanting = stream.push(ndjson ? `${JSON.stringify(slot.value)}\n` : slot.value)
    }
    if (completed && size() === 0 && !ended && !stream.destroyed) {
      ended = true
      stream.push(null)
    }
  }

  const drop = (slot: Slot<T>) => {
    dropped++
    options.onDrop?.(slot.value)
  }

  const enqueue = (value: T) => {
    const key = policy === 'latest-per-fixture' ? keyOf(value) : undefined
    if (size() >= limit) {
      if (policy === 'error') {
        stream.destroy(
          new Error(`Consumer too slow: ${size()} values queued (highWaterMark ${limit})`),
        )
        return
      }
      const same = key !== undefined ? latest.get(key) : undefined
      if (same) {
        same.value = coalesce(same.value, value)
        coalesced++
        return
      }
      drop(shift() as Slot<T>)
    }
    const slot: Slot<T> = { key, value }
    queue.push(slot)
    if (key !== undefined) latest.set(key, slot)
  }

  const sub = source.subscribe({
    next(value) {
      if (finished) return
      enqueue(value)
      drain()
    },
    error(error) {
      if (finished) return
      stream.destroy(error instanceof Error ? error : new Error(String(error)))
    },
    complete() {
      if (finished) return
      completed = true
      drain()
    },
  })
  if (finished) sub.unsubscribe()
  else subscription = sub
  return stream
}
