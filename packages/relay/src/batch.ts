/**
 * A client's messages of one flush window, written to its socket as one buffer of WebSocket
 * text frames: one write (one syscall) per client per window, whatever the number of messages.
 * Each message is a shared head (`{"op":"frame","seq":`), its `seq`'s digits and a body shared by
 * every client getting the same message (`,"frame":{…}}`), so the frame's JSON is encoded once.
 *
 * `ws` has no call that sends several messages in one write, hence the frame header here
 * (RFC 6455 §5.2: FIN + text opcode, unmasked from a server, 7/16/64-bit payload length).
 * @module
 */

/** One upstream frame's encoded bodies, made by the first client that needs each. */
export interface SharedFrame {
  /** `,"frame":{…}}`: the relay-protocol message after its `seq`. */
  relay?: Buffer
  /** The v4 frame's text, as plain clients get it. */
  plain?: Buffer
}

/** FIN + opcode 1 (text). */
const FIN_TEXT = 0x81

/** The messages of one window, for one client. */
export class WriteBatch {
  // parallel arrays, kept (emptied) from window to window: nothing allocated per message
  private readonly heads: (Buffer | undefined)[] = []
  private readonly seqs: number[] = []
  private readonly bodies: Buffer[] = []
  /** Bytes of the frames so far (headers included). */
  bytes = 0

  /** Messages in the batch. */
  get size(): number {
    return this.bodies.length
  }

  /** Adds one message: `head`, then `seq` in decimal (when `head` is given), then `body`. */
  add(head: Buffer | undefined, seq: number, body: Buffer): void {
    const length = (head ? head.length + digits(seq) : 0) + body.length
    this.heads.push(head)
    this.seqs.push(seq)
    this.bodies.push(body)
    this.bytes += headerLength(length) + length
  }

  /** The batch's frames in one buffer; the batch is empty after. */
  take(): Buffer {
    const out = slice(this.bytes)
    let at = 0
    for (let i = 0; i < this.bodies.length; i++) {
      const head = this.heads[i]
      const seq = this.seqs[i] as number
      const body = this.bodies[i] as Buffer
      const seqDigits = head ? digits(seq) : 0
      const length = (head ? head.length + seqDigits : 0) + body.length
      out[at++] = FIN_TEXT
      if (length < 126) {
        out[at++] = length
      } else if (length < 65_536) {
        out[at++] = 126
        out.writeUInt16BE(length, at)
        at += 2
      } else {
        out[at++] = 127
        out.writeUInt32BE(Math.floor(length / 2 ** 32), at)
        out.writeUInt32BE(length >>> 0, at + 4)
        at += 8
      }
      if (head) {
        // (TypedArray#set: Buffer#copy's own overhead is most of a copy this small)
        out.set(head, at)
        at += head.length
        // the seq's digits, last first
        let n = seq
        for (let d = seqDigits - 1; d >= 0; d--) {
          out[at + d] = 48 + (n % 10)
          n = Math.floor(n / 10)
        }
        at += seqDigits
      }
      out.set(body, at)
      at += body.length
    }
    this.heads.length = 0
    this.seqs.length = 0
    this.bodies.length = 0
    this.bytes = 0
    return out
  }
}

/** Batches are cut from shared slabs (as `Buffer.allocUnsafe` does under 4 KiB): no allocation each. */
const SLAB = 512 * 1024
let slab = Buffer.allocUnsafeSlow(SLAB)
let slabAt = 0

function slice(bytes: number): Buffer {
  if (bytes > SLAB / 8) return Buffer.allocUnsafeSlow(bytes)
  if (slabAt + bytes > SLAB) {
    slab = Buffer.allocUnsafeSlow(SLAB)
    slabAt = 0
  }
  const out = slab.subarray(slabAt, slabAt + bytes)
  // (8-aligned, as the pool of Buffer.allocUnsafe)
  slabAt = (slabAt + bytes + 7) & ~7
  return out
}

function headerLength(length: number): number {
  return length < 126 ? 2 : length < 65_536 ? 4 : 10
}

function digits(n: number): number {
  let count = 1
  while (n >= 10) {
    n = Math.floor(n / 10)
    count++
  }
  return count
}

/** Something with pending writes. */
export interface Flushable {
  flushBatch(): void
}

const windows = new Map<number, Set<Flushable>>()

/**
 * Calls `target.flushBatch()` at the end of the current `ms` window (`0`: once the event loop's
 * current turn is over, every message of that turn together). One timer per window length for
 * every client.
 */
export function flushAfter(ms: number, target: Flushable): void {
  let due = windows.get(ms)
  if (due) {
    due.add(target)
    return
  }
  due = new Set([target])
  windows.set(ms, due)
  const run = () => {
    const now = windows.get(ms)
    windows.delete(ms)
    for (const t of now ?? []) t.flushBatch()
  }
  if (ms <= 0) setImmediate(run)
  else setTimeout(run, ms)
}
