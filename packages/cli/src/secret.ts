/**
 * The key kept out of data lines: a frame that carries it (an upstream echoing it back) is
 * printed with the key masked in its strings, and still parses.
 * @module
 */
import type { Redactor } from '@oddsfeed/core'

/**
 * `JSON.stringify(value)` with the key masked in every string value and property name; numbers,
 * booleans and `null` are never touched, so the line stays valid JSON of the same shape. The
 * common case (no key anywhere) costs one redaction of the line.
 * @throws RangeError when `value` is nested too deep for `JSON.stringify`.
 */
export function redactedJson(value: unknown, redact: Redactor): string {
  const text = JSON.stringify(value)
  if (text === undefined || redact(text) === text) return text
  return JSON.stringify(JSON.parse(text), (_key, item: unknown) => {
    if (typeof item === 'string') return redact(item)
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item
    // property names too (e.g. a bookmaker named after the key): a copy with masked names
    const out: Record<string, unknown> = {}
    for (const [name, child] of Object.entries(item)) out[redact(name)] = child
    return out
  })
}
