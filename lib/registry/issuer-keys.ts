import { fetchJwks } from './fetch-jwks.js'
import type { JsonWebKeySet, ResolvedVerifyOptions } from './verify-options.js'

/** An issuer's key set and when it was fetched (`undefined` for keys configured inline). */
export interface IssuerKeys {
  readonly jwks: JsonWebKeySet
  readonly fetchedAt: number | undefined
}

/** The key fetches under way, per issuer; one per verifier (the exchange handler keeps one for its lifetime). */
export interface KeyFetches {
  readonly inFlight: Map<string, Promise<IssuerKeys>>
}

/** A fresh, empty {@link KeyFetches}. */
export function keyFetches (): KeyFetches {
  return { inFlight: new Map() }
}

// Derived from the caller's injected cache, not state of our own: verifications that share a cache share its
// fetches under way. A WeakMap lets the entry go with the cache.
const fetchesByCache = new WeakMap<object, KeyFetches>()

/** The key fetches of every verification that uses `cache`; a fresh set when there is no cache to share. */
export function keyFetchesFor (cache: object | undefined): KeyFetches {
  if (cache === undefined) return keyFetches()
  let fetches = fetchesByCache.get(cache)
  if (!fetches) fetchesByCache.set(cache, fetches = keyFetches())
  return fetches
}

// jose's remote key sets wait 30 s before refetching for an unknown `kid`; a stream of tokens with made-up
// `kid`s must not turn the registry into a request amplifier against the issuer.
const REFRESH_COOLDOWN = 30_000

// Concurrent verifications on a cold cache (or all refreshing at once) join one fetch instead of sending one each.
function fetchShared (issuer: string, opts: ResolvedVerifyOptions, fetches: KeyFetches,
  now: number): Promise<IssuerKeys> {
  const pending = fetches.inFlight.get(issuer)
  if (pending) return pending
  const fetching = fetchJwks(issuer, opts.fetchOptions).then(jwks => {
    const entry = { jwks, fetchedAt: now }
    opts.cache?.set(issuer, entry)
    return entry
  }).finally(() => fetches.inFlight.delete(issuer))
  fetches.inFlight.set(issuer, fetching)
  return fetching
}

/**
 * Finds the keys for `issuer`: inline keys first, then a cache entry younger than `cacheMaxAge`, else discovery.
 * A refresh still uses an entry younger than the cooldown: another verification has just fetched it.
 *
 * @param now - ms since the epoch
 * @param refresh - the token's `kid` was not in the keys this verification used
 * @throws {OidcError} `ERR_OIDC_VERIFY_KEYS` when the keys have to be fetched and cannot be
 */
export async function getIssuerKeys (issuer: string, opts: ResolvedVerifyOptions, fetches: KeyFetches, now: number,
  refresh = false): Promise<IssuerKeys> {
  const inline = opts.sharedJwks ?? (Object.hasOwn(opts.jwksByIssuer, issuer) ? opts.jwksByIssuer[issuer] : undefined)
  if (inline) return { jwks: inline, fetchedAt: undefined }
  const cached = opts.cache?.get(issuer)
  if (cached && now - cached.fetchedAt < (refresh ? REFRESH_COOLDOWN : opts.cacheMaxAge)) return cached
  return fetchShared(issuer, opts, fetches, now)
}

/** Whether a token whose `kid` is not in `keys` justifies fetching the key set again. */
export function mayRefresh (keys: IssuerKeys, now: number): boolean {
  return keys.fetchedAt !== undefined && now - keys.fetchedAt >= REFRESH_COOLDOWN
}
