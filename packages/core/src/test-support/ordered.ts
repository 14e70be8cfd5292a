/**
 * A value as text with every key in its own order, `undefined`, `-0` and maps written out: two
 * values with the same text are deep-equal with the same key order (which `toEqual` does not
 * check).
 */
export function ordered(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value)
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (value instanceof Map) {
    return `Map{${[...value].map(([k, v]) => `${ordered(k)}=>${ordered(v)}`).join(',')}}`
  }
  if (Array.isArray(value)) return `[${value.map(ordered).join(',')}]`
  const node = value as Record<string, unknown>
  return `{${Object.keys(node)
    .map((k) => `${JSON.stringify(k)}:${ordered(node[k])}`)
    .join(',')}}`
}
