import { isOidcError } from '../errors.js'
import { loadJose } from '../util/jose.js'
import { checkAudience, checkIssuedAt, checkIssuer, checkLifetime, checkReplay } from './check-claims.js'
import { ACCEPTED_ALGORITHMS, decodeUnverifiedIdToken } from './decode-id-token.js'
import { getIssuerKeys, keyFetchesFor, mayRefresh, type IssuerKeys, type KeyFetches } from './issuer-keys.js'
import { fromJoseError } from './jose-error.js'
import { resolveVerifyOptions, type ResolvedVerifyOptions, type VerifyIdTokenOptions } from './verify-options.js'

/** The claims of a verified ID token; `iss`, `aud`, `exp` and `iat` are guaranteed. */
export type VerifiedIdTokenClaims = Readonly<Record<string, unknown>> & {
  readonly iss: string
  readonly aud: string
  readonly exp: number
  readonly iat: number
}

async function verifyWith (
  idToken: string, keys: IssuerKeys, opts: ResolvedVerifyOptions
): Promise<Record<string, unknown>> {
  const jose = await loadJose()
  const jwks = jose.createLocalJWKSet(keys.jwks as Parameters<typeof jose.createLocalJWKSet>[0])
  const { payload } = await jose.jwtVerify(idToken, jwks, {
    algorithms: [...ACCEPTED_ALGORITHMS],
    clockTolerance: opts.clockTolerance,
    requiredClaims: ['exp', 'iat'],
  })
  return payload
}

/**
 * Verifies a CI provider's OIDC ID token the way the npm registry does before an exchange: RS256/ES256
 * signature against the issuer's published keys, `iss` in the allow-list, `aud` a single audience from the
 * configured ones (a multi-audience token is refused), `exp`/`nbf`/`iat` within the leeway, and when configured
 * the lifetime (`maxTokenAge`) and the replay guard (`seenJti`).
 *
 * Keys come from `jwks` when given, else from `<iss>/.well-known/openid-configuration` → `jwks_uri` (no redirect
 * followed), kept in `cache` for `cacheMaxAge` and fetched again, at most every 30 s, when a token names an
 * unknown `kid`. Verifications that share a `cache` (and every request of one {@link createExchangeHandler})
 * share one fetch per issuer; without a `cache`, each call fetches on its own.
 *
 * @param idToken - the JWT from `Authorization: Bearer …`
 * @param options - see {@link VerifyIdTokenOptions}; `audience` and `issuers` are required
 * @returns the verified claims
 * @throws TypeError when `idToken` is not a string or an option has the wrong type
 * @throws {OidcError} `ERR_OIDC_VERIFY_MALFORMED`, `ERR_OIDC_VERIFY_SIGNATURE`, `ERR_OIDC_VERIFY_ISSUER`,
 * `ERR_OIDC_VERIFY_AUDIENCE`, `ERR_OIDC_VERIFY_EXPIRED`, `ERR_OIDC_VERIFY_NOT_YET_VALID`, `ERR_OIDC_VERIFY_KEYS`,
 * `ERR_OIDC_VERIFY_LIFETIME`, `ERR_OIDC_VERIFY_REPLAYED`
 * @example
 * ```ts
 * const cache = new Map()
 * const claims = await verifyIdToken(idToken, {
 *   audience: 'npm:registry.example.com',
 *   issuers: ['https://token.actions.githubusercontent.com'],
 *   cache,
 * })
 * console.log(claims.repository, claims.workflow_ref)
 * ```
 */
export async function verifyIdToken (idToken: unknown, options: VerifyIdTokenOptions): Promise<VerifiedIdTokenClaims> {
  if (typeof idToken !== 'string') throw new TypeError(`Expected \`idToken\` to be a string, got ${typeof idToken}.`)
  const resolved = resolveVerifyOptions(options)
  return verifyResolved(idToken, resolved, keyFetchesFor(resolved.cache))
}

/**
 * {@link verifyIdToken} with options already resolved and the key fetches of a longer-lived verifier.
 *
 * @throws {OidcError} the codes of {@link verifyIdToken}
 */
export async function verifyResolved (idToken: string, opts: ResolvedVerifyOptions,
  fetches: KeyFetches): Promise<VerifiedIdTokenClaims> {
  const { payload } = await decodeUnverifiedIdToken(idToken)
  const issuer = checkIssuer(payload, opts.issuers)
  let keys = await getIssuerKeys(issuer, opts, fetches, Date.now())
  let claims: Record<string, unknown>
  try {
    claims = await verifyWith(idToken, keys, opts).catch(async err => {
      // Issuers rotate keys; a `kid` missing from a cached set is worth one more look at the issuer.
      if ((err as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY' || !mayRefresh(keys, Date.now())) throw err
      keys = await getIssuerKeys(issuer, opts, fetches, Date.now(), true)
      return verifyWith(idToken, keys, opts)
    })
  } catch (err) {
    throw isOidcError(err) ? err : fromJoseError(err, payload, opts.clockTolerance, Math.floor(Date.now() / 1000))
  }
  checkAudience(claims, opts.audiences)
  checkIssuedAt(claims, opts.clockTolerance, Math.floor(Date.now() / 1000))
  checkLifetime(claims, opts.maxTokenAge)
  await checkReplay(claims, opts.seenJti)
  return claims as VerifiedIdTokenClaims
}
