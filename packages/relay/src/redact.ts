/**
 * The upstream key, masked in every spelling it could take on its way out: raw, URL-encoded
 * (`%7E` and form `+` variants too) and JSON-escaped.
 * @module
 */
import { createRedactor, type Redactor } from '@oddsfeed/core'

/** Every spelling of `secret` that may show up in text (longest first). */
export function spellings(secret: string): string[] {
  const uri = encodeURIComponent(secret)
  const form = new URLSearchParams({ k: secret }).toString().slice(2)
  const variants = new Set<string>()
  for (const s of [secret, uri, form, uri.replace(/~/g, '%7E'), form.replace(/~/g, '%7E')]) {
    variants.add(s)
    variants.add(JSON.stringify(s).slice(1, -1))
  }
  for (const s of [...variants]) {
    // percent-escapes are case-insensitive
    variants.add(s.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()))
  }
  return [...variants].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)
}

/**
 * A redactor for the relay's own text (logs, health, metrics, errors): the core's, which masks
 * every `apiKey` value and the key in every spelling as a whole token, so a short key never
 * garbles other words (`"status":"ok"` stays readable with key `k`). `spellings` is what
 * the tests look for in everything a client or a log receives.
 */
export function createKeyRedactor(apiKey: string): Redactor {
  return createRedactor(apiKey)
}
