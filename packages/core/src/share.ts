/**
 * Structural sharing between a stored state and one that replaces it (a relay's snapshot): every
 * subtree of the new state that deep-equals the old one's is the old one, so `===` stays the
 * change test and selectors of unchanged slices stay quiet.
 * @module
 */

type Obj = Record<string, unknown>

const hasOwn = Object.prototype.hasOwnProperty
const isObject = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * `next`, with each subtree that deep-equals the same place in `previous` replaced by
 * `previous`'s. Returns `previous` itself when the two are deep-equal, `next` itself when nothing
 * could be shared. Objects it builds are frozen (their children are: both inputs are frozen
 * state). Pure.
 */
export function shareEqual<T>(previous: unknown, next: T): T {
  return share(previous, next) as T
}

function share(previous: unknown, next: unknown): unknown {
  if (previous === next) return next
  if (Array.isArray(previous) && Array.isArray(next)) {
    let same = previous.length === next.length
    let fresh = true
    const out = next.map((item, i) => {
      const shared = share(previous[i], item)
      if (shared !== previous[i]) same = false
      if (shared !== item) fresh = false
      return shared
    })
    return same ? previous : fresh ? next : Object.freeze(out)
  }
  if (!isObject(previous) || !isObject(next)) return next
  let same = true
  let fresh = true
  let count = 0
  const out: Obj = {}
  for (const key in next) {
    if (!hasOwn.call(next, key)) continue
    count++
    const before = hasOwn.call(previous, key) ? previous[key] : undefined
    const shared = share(before, next[key])
    if (shared !== before || !hasOwn.call(previous, key)) same = false
    if (shared !== next[key]) fresh = false
    out[key] = shared
  }
  if (same) {
    for (const key in previous) if (hasOwn.call(previous, key)) count--
    if (count === 0) return previous
  }
  return fresh ? next : Object.freeze(out)
}
