import { OidcError } from '../errors.js'
import { loadJose } from '../util/jose.js'
import { showValue } from './show-value.js'

/** The algorithms CI providers sign ID tokens with (GitHub, GitLab: RS256; CircleCI: RS256 or ES256). */
export const ACCEPTED_ALGORITHMS: readonly string[] = Object.freeze(['RS256', 'ES256'])

/** Header and payload of an ID token whose signature has not been checked yet. */
export interface UnverifiedIdToken {
  readonly alg: unknown
  readonly payload: Readonly<Record<string, unknown>>
}

/**
 * Reads header and payload without trusting them, so the issuer can be checked before any key is fetched.
 *
 * @throws {OidcError} `ERR_OIDC_VERIFY_MALFORMED` when the input is not a JWT,
 * `ERR_OIDC_VERIFY_SIGNATURE` when it is signed with an algorithm we do not accept
 */
export async function decodeUnverifiedIdToken (idToken: string): Promise<UnverifiedIdToken> {
  const jose = await loadJose()
  let alg: unknown
  let payload: Record<string, unknown>
  try {
    alg = jose.decodeProtectedHeader(idToken).alg
    payload = jose.decodeJwt(idToken)
  } catch (cause) {
    throw new OidcError('ERR_OIDC_VERIFY_MALFORMED', {
      what: 'ID token is not a JWT',
      facts: `${idToken.split('.').length} dot-separated segments, length ${idToken.length}`,
      hint: 'Send the ID token from the CI provider unchanged as `Authorization: Bearer <token>`',
      cause: new Error((cause as Error).message),
    })
  }
  if (typeof alg !== 'string' || !ACCEPTED_ALGORITHMS.includes(alg)) {
    throw new OidcError('ERR_OIDC_VERIFY_SIGNATURE', {
      what: 'ID token is signed with an algorithm that is not accepted',
      facts: `expected one of ${ACCEPTED_ALGORITHMS.join(', ')}, got ${showValue(alg)}`,
      hint: 'Use the ID token the CI provider issued; it is signed with RS256 or ES256',
      claims: payload,
    })
  }
  return { alg, payload }
}
