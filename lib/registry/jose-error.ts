import { OidcError, type VerifyErrorCode } from '../errors.js'
import { showTime } from './show-value.js'

type Claims = Readonly<Record<string, unknown>>

interface Description {
  readonly code: VerifyErrorCode
  readonly what: string
  readonly hint: string
}

const SIGNATURE_HINT = 'Send the ID token exactly as the CI provider issued it; ' +
  'this registry checks it against the issuer\'s published keys'

const BY_JOSE_CODE: ReadonlyMap<string | undefined, Description> = new Map(Object.entries({
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: {
    code: 'ERR_OIDC_VERIFY_SIGNATURE', what: 'ID token signature is invalid', hint: SIGNATURE_HINT,
  },
  ERR_JWKS_NO_MATCHING_KEY: {
    code: 'ERR_OIDC_VERIFY_SIGNATURE', what: 'no key of the issuer matches the ID token', hint: SIGNATURE_HINT,
  },
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: {
    code: 'ERR_OIDC_VERIFY_SIGNATURE',
    what: 'several keys of the issuer match the ID token',
    hint: 'The issuer\'s key set is ambiguous; tokens need a `kid` header that names one key',
  },
  ERR_JWS_INVALID: {
    code: 'ERR_OIDC_VERIFY_MALFORMED',
    what: 'ID token is not a valid JWS',
    hint: 'Send the ID token from the CI provider unchanged as `Authorization: Bearer <token>`',
  },
  ERR_JWT_CLAIM_VALIDATION_FAILED: {
    code: 'ERR_OIDC_VERIFY_MALFORMED',
    what: 'ID token lacks a required claim or has one of the wrong type',
    hint: 'ID tokens must carry numeric `exp` and `iat` claims',
  },
}))

const UNUSABLE_KEYS: Description = {
  code: 'ERR_OIDC_VERIFY_KEYS',
  what: 'the issuer\'s keys cannot be used',
  hint: 'Check the key set the issuer publishes, or the `jwks` option',
}

/**
 * Turns an error thrown by jose's `jwtVerify` into an {@link OidcError} with facts and a hint. jose's own
 * messages never contain the token, so they can go into `cause`.
 *
 * @param err - what jose threw
 * @param claims - the token's (unverified) claims, for the error's `claims`
 * @param clockTolerance - the leeway in seconds, for the facts
 * @param now - seconds since the epoch
 */
export function fromJoseError (
  err: unknown, claims: Claims, clockTolerance: number, now: number
): OidcError<VerifyErrorCode> {
  const { code: joseCode, claim, reason, message } =
    err as { code?: string, claim?: string, reason?: string, message: string }
  const cause = new Error(message)
  const leeway = `now ${showTime(now)}, leeway ${clockTolerance} s`
  if (joseCode === 'ERR_JWT_EXPIRED') {
    return new OidcError('ERR_OIDC_VERIFY_EXPIRED', {
      what: 'ID token has expired',
      facts: `exp ${showTime(claims.exp as number)}, ${leeway}`,
      hint: 'Request a fresh ID token right before the exchange; they live for minutes',
      claims,
      cause,
    })
  }
  if (joseCode === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'nbf' && reason === 'check_failed') {
    return new OidcError('ERR_OIDC_VERIFY_NOT_YET_VALID', {
      what: 'ID token is not valid yet',
      facts: `nbf ${showTime(claims.nbf as number)}, ${leeway}`,
      hint: 'Check the clocks of the CI runner and the registry',
      claims,
      cause,
    })
  }
  const { code, what, hint } = BY_JOSE_CODE.get(joseCode) ?? UNUSABLE_KEYS
  return new OidcError(code, { what, facts: message, hint, claims, cause })
}
