import { OidcError } from '../errors.js'
import { showTime, showValue } from './show-value.js'

type Claims = Readonly<Record<string, unknown>>

/**
 * Checks `iss` against the allow-list. Runs before the signature check so that a token naming an unknown
 * issuer never makes the registry fetch keys from a URL the token chose.
 *
 * @returns the issuer
 * @throws {OidcError} `ERR_OIDC_VERIFY_ISSUER`
 */
export function checkIssuer (claims: Claims, issuers: readonly string[]): string {
  const iss = claims.iss
  if (typeof iss === 'string' && issuers.includes(iss)) return iss
  throw new OidcError('ERR_OIDC_VERIFY_ISSUER', {
    what: 'ID token issuer is not trusted',
    facts: `expected one of ${issuers.join(', ')}, got ${showValue(iss)}`,
    hint: 'Publish from a CI provider this registry trusts, or add its issuer to the verifier\'s `issuers`',
    claims,
  })
}

/**
 * Requires `aud` to be exactly the one expected audience. A multi-audience token is refused even when it
 * names us: the token could be replayed at every other audience it lists (PyPI refuses them too).
 *
 * @throws {OidcError} `ERR_OIDC_VERIFY_AUDIENCE`
 */
export function checkAudience (claims: Claims, audience: string): void {
  if (claims.aud === audience) return
  throw new OidcError('ERR_OIDC_VERIFY_AUDIENCE', {
    what: Array.isArray(claims.aud) ? 'ID token has more than one audience' : 'ID token audience mismatch',
    facts: `expected ${audience}, got ${showValue(claims.aud)}`,
    hint: `Request the ID token for the single audience ${audience}`,
    claims,
  })
}

/**
 * Refuses a token issued in the future beyond the leeway (jose checks `iat` only when a maximum age is set).
 *
 * @param now - seconds since the epoch
 * @throws {OidcError} `ERR_OIDC_VERIFY_NOT_YET_VALID`
 */
export function checkIssuedAt (claims: Claims, clockTolerance: number, now: number): void {
  const iat = claims.iat as number
  if (iat <= now + clockTolerance) return
  throw new OidcError('ERR_OIDC_VERIFY_NOT_YET_VALID', {
    what: 'ID token was issued in the future',
    facts: `iat ${showTime(iat)}, now ${showTime(now)}, leeway ${clockTolerance} s`,
    hint: 'Check the clocks of the CI runner and the registry',
    claims,
  })
}
