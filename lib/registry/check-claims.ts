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
 * Requires `aud` to be a single string that is one of the configured audiences. A multi-audience token is
 * refused even when it names us: the token could be replayed at every other audience it lists (PyPI refuses
 * them too).
 *
 * @throws {OidcError} `ERR_OIDC_VERIFY_AUDIENCE`
 */
export function checkAudience (claims: Claims, audiences: readonly string[]): void {
  if (typeof claims.aud === 'string' && audiences.includes(claims.aud)) return
  const expected = audiences.join(' or ')
  throw new OidcError('ERR_OIDC_VERIFY_AUDIENCE', {
    what: Array.isArray(claims.aud) ? 'ID token has more than one audience' : 'ID token audience mismatch',
    facts: `expected ${expected}, got ${showValue(claims.aud)}`,
    hint: `Request the ID token for the single audience ${expected}`,
    claims,
  })
}

/**
 * Refuses a token that was issued to live longer than `maxTokenAge` seconds: CI providers issue tokens for
 * minutes, so a long-lived one did not come from a normal job, and would stay usable for long if it leaked.
 *
 * @throws {OidcError} `ERR_OIDC_VERIFY_LIFETIME`
 */
export function checkLifetime (claims: Claims, maxTokenAge: number | undefined): void {
  const lifetime = (claims.exp as number) - (claims.iat as number)
  if (maxTokenAge === undefined || lifetime <= maxTokenAge) return
  throw new OidcError('ERR_OIDC_VERIFY_LIFETIME', {
    what: 'ID token lives longer than this registry accepts',
    facts: `exp - iat is ${showValue(lifetime)} s, at most ${maxTokenAge} s accepted`,
    hint: 'Request a token with the CI provider\'s default lifetime',
    claims,
  })
}

/**
 * Asks the registry's replay guard whether this token's `jti` was used before.
 *
 * @throws {OidcError} `ERR_OIDC_VERIFY_MALFORMED` without a `jti`, `ERR_OIDC_VERIFY_REPLAYED` for a seen one
 */
export async function checkReplay (claims: Claims,
  seenJti: ((jti: string, exp: number) => boolean | Promise<boolean>) | undefined): Promise<void> {
  if (seenJti === undefined) return
  const jti = claims.jti
  if (typeof jti !== 'string' || jti === '') {
    throw new OidcError('ERR_OIDC_VERIFY_MALFORMED', {
      what: 'ID token has no `jti` claim',
      facts: `jti ${showValue(jti)}`,
      hint: 'This registry refuses replayed tokens and needs a `jti` to tell; use the token the CI provider issued',
      claims,
    })
  }
  if (await seenJti(jti, claims.exp as number) !== true) return
  throw new OidcError('ERR_OIDC_VERIFY_REPLAYED', {
    what: 'ID token was already used',
    facts: `exp ${showTime(claims.exp as number)}`,
    hint: 'Request a fresh ID token for every exchange',
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
