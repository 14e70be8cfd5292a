/**
 * Object keys as V8 lays them out: canonical integer keys (`"101"`) are kept as elements and
 * enumerate first, and a skeleton parsed by `JSON.parse` (`{"101":null,"a":null}`) gets a
 * backing store of exactly its keys' size (a dictionary for sparse ids) where assignment into
 * `{}` would grow a holey array up to the largest id. Shared by the merge's copies and the
 * compact store's unpacking.
 * @module
 */

/**
 * `s` is a canonical non-negative integer (`String(Number(s)) === s`: no sign, no leading zero)
 * of at most `maxLength` digits.
 */
export function isCanonicalDigits(s: string, maxLength: number): boolean {
  const length = s.length
  if (length === 0 || length > maxLength) return false
  const first = s.charCodeAt(0)
  if (first < 48 || first > 57) return false
  if (first === 48) return length === 1
  for (let i = 1; i < length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return true
}

/** A canonical array index (`"0"` … `"4294967294"`): the keys objects enumerate first. */
export function isArrayIndex(key: string): boolean {
  return isCanonicalDigits(key, 10) && (key.length < 10 || Number(key) < 4294967295)
}

/** A key as JSON text: digits and plain names as they are, anything else escaped. */
function skeletonKey(key: string): string {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    if (c < 32 || c === 34 /* " */ || c === 92 /* \ */ || c > 126) return JSON.stringify(key)
  }
  return `"${key}"`
}

/** The skeleton of `keys` (and `extraKey` last, when given): `{"101":null,"a":null}`. */
export function skeletonOf(keys: readonly string[], extraKey?: string): string {
  let text = '{'
  for (let i = 0; i < keys.length; i++) {
    text += `${i === 0 ? '' : ','}${skeletonKey(keys[i] as string)}:null`
  }
  if (extraKey !== undefined) text += `${keys.length === 0 ? '' : ','}${skeletonKey(extraKey)}:null`
  return `${text}}`
}
