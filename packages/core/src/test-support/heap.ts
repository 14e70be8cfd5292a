/**
 * The heap as Node's tests measure it: `gc` exposed at run time, and the used heap after
 * collections enough for what died to be gone. Node only.
 * @module
 */
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** `gc`, exposed for this process (as `--expose-gc` would). */
export function exposeGc(): () => void {
  setFlagsFromString('--expose-gc')
  return runInNewContext('gc') as () => void
}

/** Bytes of heap in use after four full collections. */
export function heap(gc: () => void): number {
  for (let i = 0; i < 4; i++) gc()
  return process.memoryUsage().heapUsed
}
