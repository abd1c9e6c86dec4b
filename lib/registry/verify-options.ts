import { nonNegative } from '../util/number-option.js'

/** A JSON Web Key Set as an issuer publishes it at its `jwks_uri`. */
export interface JsonWebKeySet {
  readonly keys: readonly Readonly<Record<string, unknown>>[]
}

/** What the key cache holds per issuer. */
export interface JwksCacheEntry {
  /** The issuer's key set. */
  readonly jwks: JsonWebKeySet
  /** When it was fetched, in ms since the epoch. */
  readonly fetchedAt: number
}

/** Where fetched key sets are kept between verifications; a `Map<string, JwksCacheEntry>` will do. */
export interface JwksCache {
  get (issuer: string): JwksCacheEntry | undefined
  set (issuer: string, entry: JwksCacheEntry): unknown
}

/** Options of {@link verifyIdToken}. */
export interface VerifyIdTokenOptions {
  /**
   * The audience accepted, fixed by the registry's configuration and never taken from a request (`Host` and
   * `X-Forwarded-Host` are the client's to choose): `npm:<registry hostname>`, or a list when clients ask for
   * different ones (`npm:<host>` and, from Yarn 4 on a non-default port, `npm:<host>:<port>`). A token must still
   * carry exactly one `aud`, and it must be in this list.
   */
  readonly audience: string | readonly string[]
  /** Issuers accepted, compared exactly (`https://token.actions.githubusercontent.com`). */
  readonly issuers: readonly string[]
  /** Keys to use instead of discovery: one key set for every issuer, or one per issuer URL. */
  readonly jwks?: JsonWebKeySet | Readonly<Record<string, JsonWebKeySet>>
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default 30. */
  readonly clockTolerance?: number
  /** Keeps fetched key sets between calls. Without one, every call fetches. */
  readonly cache?: JwksCache
  /** How long a cached key set is used before it is fetched again, in ms. Default 600000 (10 minutes). */
  readonly cacheMaxAge?: number
  /** npm-registry-fetch-style options (proxy, CA, timeout) for the discovery and key-set requests. */
  readonly fetchOptions?: Readonly<Record<string, unknown>>
  /** Refuse tokens whose lifetime (`exp - iat`) exceeds this many seconds; CI providers issue 5–60 minute tokens. */
  readonly maxTokenAge?: number
  /**
   * Replay guard: called with the `jti` of every token that passed all other checks, and its `exp` (seconds), so
   * an entry can be dropped once the token has expired. Return `true` when the `jti` was seen before (the token is
   * refused); record it otherwise. With this hook, tokens without a `jti` are refused.
   */
  readonly seenJti?: (jti: string, exp: number) => boolean | Promise<boolean>
}

/** The validated settings the verifier works with. */
export interface ResolvedVerifyOptions {
  readonly audiences: readonly string[]
  readonly issuers: readonly string[]
  readonly sharedJwks: JsonWebKeySet | undefined
  readonly jwksByIssuer: Readonly<Record<string, JsonWebKeySet>>
  readonly clockTolerance: number
  readonly cache: JwksCache | undefined
  readonly cacheMaxAge: number
  readonly fetchOptions: Readonly<Record<string, unknown>>
  readonly maxTokenAge: number | undefined
  readonly seenJti: ((jti: string, exp: number) => boolean | Promise<boolean>) | undefined
}

/** Defaults of {@link VerifyIdTokenOptions}. */
export const verifyDefaults = Object.freeze({
  clockTolerance: 30,
  cacheMaxAge: 10 * 60_000,
})

/** Whether `value` is a plain, non-array object. */
export function isObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Whether `value` has the shape of a JSON Web Key Set. */
export function isKeySet (value: unknown): value is JsonWebKeySet {
  return isObject(value) && Array.isArray(value.keys) && value.keys.every(isObject)
}

function splitJwks (jwks: unknown): Pick<ResolvedVerifyOptions, 'sharedJwks' | 'jwksByIssuer'> {
  if (jwks === undefined) return { sharedJwks: undefined, jwksByIssuer: {} }
  if (isKeySet(jwks)) return { sharedJwks: jwks, jwksByIssuer: {} }
  if (isObject(jwks) && Object.values(jwks).every(isKeySet)) {
    return { sharedJwks: undefined, jwksByIssuer: { ...jwks } as Record<string, JsonWebKeySet> }
  }
  throw new TypeError('Expected `options.jwks` to be a key set `{ keys: [...] }` or an object of key sets by issuer.')
}

/**
 * Validates the options of {@link verifyIdToken} once and applies the defaults.
 *
 * @throws TypeError naming the option that has the wrong type
 */
export function resolveVerifyOptions (options: unknown): ResolvedVerifyOptions {
  if (!isObject(options)) throw new TypeError('Expected `options` to be an object.')
  const { audience, issuers, cache, fetchOptions } = options
  const audiences: unknown[] = Array.isArray(audience) ? audience : [audience]
  if (audiences.length === 0 || !audiences.every(a => typeof a === 'string' && a !== '')) {
    const got = typeof audience === 'function' ? 'a function' : JSON.stringify(audience)
    throw new TypeError('Expected `options.audience` to be a non-empty string or a non-empty array of them ' +
      `(fixed configuration, never derived from a request), got ${got}.`)
  }
  if (!Array.isArray(issuers) || issuers.length === 0 || !issuers.every(i => typeof i === 'string' && i !== '')) {
    throw new TypeError('Expected `options.issuers` to be a non-empty array of issuer URLs.')
  }
  if (cache !== undefined && !(isObject(cache) && typeof cache.get === 'function' && typeof cache.set === 'function')) {
    throw new TypeError('Expected `options.cache` to have `get` and `set` methods, like a Map.')
  }
  if (fetchOptions !== undefined && !isObject(fetchOptions)) {
    throw new TypeError('Expected `options.fetchOptions` to be an object.')
  }
  if (options.seenJti !== undefined && typeof options.seenJti !== 'function') {
    throw new TypeError('Expected `options.seenJti` to be a function.')
  }
  return Object.freeze({
    audiences: Object.freeze([...audiences] as string[]),
    issuers: Object.freeze([...issuers]),
    ...splitJwks(options.jwks),
    clockTolerance: nonNegative(options.clockTolerance, 'options.clockTolerance', verifyDefaults.clockTolerance),
    cache: cache as JwksCache | undefined,
    cacheMaxAge: nonNegative(options.cacheMaxAge, 'options.cacheMaxAge', verifyDefaults.cacheMaxAge),
    fetchOptions: fetchOptions ?? {},
    maxTokenAge: options.maxTokenAge === undefined
      ? undefined
      : nonNegative(options.maxTokenAge, 'options.maxTokenAge', 0),
    seenJti: options.seenJti as ResolvedVerifyOptions['seenJti'],
  })
}
