import { loadJwtDecoder } from '../util/jose.js'
import { OidcError } from '../errors.js'

/** The decoded payload of an ID token. Claims are not secret; the token string is. */
export type IdTokenClaims = Readonly<Record<string, unknown>>

/** Who the checks speak for, for the message prefix. */
export interface ClaimContext {
  readonly provider: string
  readonly providerName: string
  /** Where the token came from, named in hints: `NPM_ID_TOKEN`, `the GitHub ID-token endpoint`. */
  readonly source: string
}

/** Tokens this close to `exp` would expire on the way; they are refused as expired. */
const EXPIRY_MARGIN_SECONDS = 30

const SSH_RERUN_CLAIM = 'oidc.circleci.com/ssh-rerun'

/**
 * Decodes an ID token without verifying it (the registry verifies; this only keeps us from sending a
 * token that is certain to fail or belongs to another host).
 *
 * @throws {OidcError} `ERR_OIDC_ID_TOKEN_MALFORMED`
 */
export async function decodeIdToken (idToken: string, context: ClaimContext): Promise<IdTokenClaims> {
  const { decodeJwt, decodeProtectedHeader } = await loadJwtDecoder()
  try {
    decodeProtectedHeader(idToken)
    return Object.freeze(decodeJwt(idToken))
  } catch (cause) {
    throw new OidcError('ERR_OIDC_ID_TOKEN_MALFORMED', {
      ...who(context),
      what: 'the ID token is not a JWT',
      facts: `from ${context.source}, ${idToken.length} characters`,
      hint: malformedHint(context),
      cause: new Error((cause as Error).message),
    })
  }
}

function malformedHint (context: ClaimContext): string {
  if (context.provider === 'circleci') {
    return 'Mint it with circleci run oidc get --claims \'{"aud":"npm:<registry host>"}\' ' +
      'and check the shell quoting of the JSON'
  }
  return `Check that ${context.source} holds the raw JWT (three base64url parts separated by dots), ` +
    'not a wrapped or quoted value'
}

function who (context: ClaimContext): { provider: string, providerName: string } {
  return { provider: context.provider, providerName: context.providerName }
}

/** `aud` as a list, whatever its shape. */
export function audiences (claims: IdTokenClaims): string[] {
  const aud = claims.aud
  if (typeof aud === 'string') return [aud]
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === 'string') : []
}

/**
 * Checks what can be checked without the issuer's keys: audience, expiry, CircleCI SSH reruns.
 *
 * @throws {OidcError} `ERR_OIDC_AUDIENCE_MISMATCH`, `ERR_OIDC_ID_TOKEN_EXPIRED`, `ERR_OIDC_ID_TOKEN_MALFORMED`,
 *   `ERR_OIDC_SSH_RERUN`
 */
export function checkClaims (claims: IdTokenClaims, audience: string, context: ClaimContext, now = Date.now()): void {
  const aud = audiences(claims)
  // Exactly one audience: a string, or a one-element array (a list that merely contains ours is refused).
  const single = Array.isArray(claims.aud)
    ? claims.aud.length === 1 && claims.aud[0] === audience
    : claims.aud === audience
  if (!single) {
    throw new OidcError('ERR_OIDC_AUDIENCE_MISMATCH', {
      ...who(context),
      what: 'ID token audience mismatch',
      facts: `expected ${audience}, got ${aud.length ? aud.join(', ') : 'none'}`,
      hint: `The token from ${context.source} was minted for another registry; mint it with the audience ${audience}`,
      claims,
    })
  }
  // An `exp` outside the Date range (±8.64e12 s) would make every later toISOString() throw a RangeError.
  if (typeof claims.exp !== 'number' || Number.isNaN(new Date(claims.exp * 1000).getTime())) {
    throw new OidcError('ERR_OIDC_ID_TOKEN_MALFORMED', {
      ...who(context),
      what: typeof claims.exp === 'number'
        ? 'the ID token has an exp claim that is not a time'
        : 'the ID token has no exp claim',
      facts: `from ${context.source}`,
      hint: 'Use an ID token issued by the CI provider; they always carry an expiry',
      claims,
    })
  }
  const secondsLeft = claims.exp - Math.floor(now / 1000)
  if (secondsLeft <= EXPIRY_MARGIN_SECONDS) {
    throw new OidcError('ERR_OIDC_ID_TOKEN_EXPIRED', {
      ...who(context),
      what: 'the ID token has expired',
      facts: `exp ${new Date(claims.exp * 1000).toISOString()}, ${secondsLeft} s left, ` +
        `at least ${EXPIRY_MARGIN_SECONDS + 1} s needed`,
      hint: `Mint the token right before publishing: ${context.source} tokens are short-lived`,
      claims,
    })
  }
  if (claims[SSH_RERUN_CLAIM] === true) {
    throw new OidcError('ERR_OIDC_SSH_RERUN', {
      ...who(context),
      what: 'the ID token comes from a CircleCI SSH rerun',
      facts: `${SSH_RERUN_CLAIM} is true`,
      hint: 'The registry rejects tokens from SSH reruns; rerun the job without SSH',
      claims,
    })
  }
}
