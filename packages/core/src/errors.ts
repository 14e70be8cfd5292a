/**
 * Typed errors published on `feed.errors$`, and the redaction every message goes through.
 * @module
 */

/**
 * What went wrong:
 * - `parse`: a frame that looked like JSON but was not (or bytes that were not UTF-8);
 * - `schema`: valid JSON that is not a frame (no string `fixtureId`, a wrongly typed field);
 * - `merge`: a frame that validated but could not be merged (never expected; the frame is dropped);
 * - `transport`: the socket failed or closed unexpectedly (the feed reconnects);
 * - `auth`: the handshake was refused with 401/403 (fatal: no retry);
 * - `stale`: no frame (keepalives included) for `idleTimeoutMs` (the feed reconnects);
 * - `snapshot`: a REST snapshot (`GET /v4/odds`) failed; it is retried with backoff.
 */
export type FeedErrorKind =
  | 'parse'
  | 'schema'
  | 'merge'
  | 'transport'
  | 'auth'
  | 'stale'
  | 'snapshot'

/** The longest `raw` excerpt an error carries. */
export const RAW_EXCERPT_LIMIT = 1024

/** Details of a {@link FeedError}. */
export interface FeedErrorInit {
  /** For `schema`: dot path of the offending field, e.g. `bookmakerOdds.stake.markets.101`. */
  path?: string | undefined
  /** The frame's text, cut to 1 KiB (and redacted). */
  raw?: string | undefined
  /** The fixture the frame was for, when known. */
  fixtureId?: string | undefined
  /** HTTP status of a refused handshake, when known. */
  status?: number | undefined
}

/**
 * An error of the feed. Published on `errors$` (never thrown at subscribers): the stream goes on.
 * Its message never contains the API key.
 */
export class FeedError extends Error {
  /** What went wrong; see {@link FeedErrorKind}. */
  readonly kind: FeedErrorKind
  /** Dot path of the offending field (`schema` errors). */
  readonly path?: string
  /** The offending frame's text, cut to 1 KiB. */
  readonly raw?: string
  /** The fixture concerned, when known. */
  readonly fixtureId?: string
  /** HTTP status of a refused handshake, when known. */
  readonly status?: number

  constructor(kind: FeedErrorKind, message: string, init: FeedErrorInit = {}) {
    super(message)
    this.name = 'FeedError'
    this.kind = kind
    if (init.path !== undefined) this.path = init.path
    if (init.raw !== undefined) this.raw = init.raw.slice(0, RAW_EXCERPT_LIMIT)
    if (init.fixtureId !== undefined) this.fixtureId = init.fixtureId
    if (init.status !== undefined) this.status = init.status
  }

  /** A copy with every occurrence of the key masked in message and raw text. */
  redacted(redact: Redactor): FeedError {
    const copy = new FeedError(this.kind, redact(this.message), {
      ...(this.path !== undefined && { path: this.path }),
      ...(this.raw !== undefined && { raw: redact(this.raw) }),
      ...(this.fixtureId !== undefined && { fixtureId: this.fixtureId }),
      ...(this.status !== undefined && { status: this.status }),
    })
    if (this.stack) copy.stack = redact(this.stack)
    return copy
  }
}

/** Masks secrets in a string. */
export type Redactor = (text: string) => string

const API_KEY_PARAM = /(apiKey=)[^&#\s"'<>]*/gi

/**
 * Builds a redactor for one API key: every `apiKey=...` query value becomes `apiKey=***`, and
 * the key itself (raw or URL-encoded) is masked wherever else it appears.
 */
export function createRedactor(apiKey: string | undefined): Redactor {
  const secrets = apiKey ? [...new Set([apiKey, encodeURIComponent(apiKey)])] : []
  return (text) => {
    let out = text.replace(API_KEY_PARAM, '$1***')
    for (const secret of secrets) out = out.split(secret).join('***')
    return out
  }
}
