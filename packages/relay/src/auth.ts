/**
 * Client authentication at the WebSocket handshake: a JWT (HS256, the relay's secret, `exp`
 * required) in the `token` query parameter, verified with `jose`; or the app's own hook.
 * @module
 */
import type { IncomingMessage } from 'node:http'
import { jwtVerify } from 'jose'
import type { RelayScope } from './scope.js'

/**
 * Decides who may connect: the client's scope, or `null` to refuse it (HTTP 401 before the
 * upgrade). May be async. Called once per handshake.
 */
export type Authenticate = (
  request: IncomingMessage,
) => RelayScope | null | Promise<RelayScope | null>

/** The token of a handshake: the `token` query parameter, else an `Authorization: Bearer` header. */
export function tokenOf(request: IncomingMessage): string | undefined {
  const query = new URL(request.url ?? '/', 'http://relay').searchParams.get('token')
  if (query) return query
  const header = request.headers.authorization
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return match?.[1]
}

/**
 * The default {@link Authenticate}: the token must be a JWT signed with HS256 and `secret`, with
 * an `exp` in the future. Optional claims `bookmakers` and `fixtures` (arrays of strings) narrow
 * the scope; a claim of another shape refuses the token.
 *
 * @example
 * ```ts
 * const authenticate = verifyToken(process.env.ODDSFEED_RELAY_SECRET!)
 * ```
 */
export function verifyToken(secret: string | Uint8Array): Authenticate {
  const key = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
  return async (request) => {
    const token = tokenOf(request)
    if (!token) return null
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        requiredClaims: ['exp'],
      })
      const bookmakers = stringList(payload.bookmakers)
      const fixtures = stringList(payload.fixtures)
      if (bookmakers === null || fixtures === null) return null
      return {
        ...(bookmakers && { bookmakers }),
        ...(fixtures && { fixtures }),
        ...(typeof payload.sub === 'string' && { subject: payload.sub }),
      }
    } catch {
      return null
    }
  }
}

/** `undefined`: no claim; `null`: a claim that is not a list of strings. */
function stringList(value: unknown): string[] | undefined | null {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return null
  return value
}
