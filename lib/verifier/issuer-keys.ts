import { fetchJwks } from './fetch-jwks.js'
import type { JsonWebKeySet, ResolvedVerifyOptions } from './verify-options.js'

/** An issuer's key set and when it was fetched (`undefined` for keys configured inline). */
export interface IssuerKeys {
  readonly jwks: JsonWebKeySet
  readonly fetchedAt: number | undefined
}

// jose's remote key sets wait 30 s before refetching for an unknown `kid`; a stream of tokens with made-up
// `kid`s must not turn the registry into a request amplifier against the issuer.
const REFRESH_COOLDOWN = 30_000

/**
 * Finds the keys for `issuer`: inline keys first, then a cache entry younger than `cacheMaxAge`, else discovery.
 *
 * @param now - ms since the epoch
 * @param refresh - skip the cache (the token's `kid` was not in the cached set)
 * @throws {OidcError} `ERR_OIDC_VERIFY_KEYS` when the keys have to be fetched and cannot be
 */
export async function getIssuerKeys (issuer: string, opts: ResolvedVerifyOptions, now: number,
  refresh = false): Promise<IssuerKeys> {
  const inline = opts.sharedJwks ?? (Object.hasOwn(opts.jwksByIssuer, issuer) ? opts.jwksByIssuer[issuer] : undefined)
  if (inline) return { jwks: inline, fetchedAt: undefined }
  const cached = opts.cache?.get(issuer)
  if (!refresh && cached && now - cached.fetchedAt < opts.cacheMaxAge) return cached
  const entry = { jwks: await fetchJwks(issuer, opts.fetchOptions), fetchedAt: now }
  opts.cache?.set(issuer, entry)
  return entry
}

/** Whether a token whose `kid` is not in `keys` justifies fetching the key set again. */
export function mayRefresh (keys: IssuerKeys, now: number): boolean {
  return keys.fetchedAt !== undefined && now - keys.fetchedAt >= REFRESH_COOLDOWN
}
