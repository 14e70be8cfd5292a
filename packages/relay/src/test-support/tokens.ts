/** Tokens for the tests, minted the way an app's backend would (jose, HS256). */
import { SignJWT } from 'jose'

export const SECRET = 'relay-test-secret-7f3a9c'

/** A token signed with `secret`, expiring in `expiresIn` seconds (negative: already expired). */
export async function mint(
  claims: Record<string, unknown> = {},
  {
    secret = SECRET,
    expiresIn = 600,
    exp = true,
  }: { secret?: string; expiresIn?: number; exp?: boolean } = {},
): Promise<string> {
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt()
  if (exp) jwt = jwt.setExpirationTime(Math.floor(Date.now() / 1000) + expiresIn)
  return jwt.sign(new TextEncoder().encode(secret))
}
