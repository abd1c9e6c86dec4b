import { randomUUID } from 'node:crypto'
import type { ClaimOverrides } from './provider-claims.js'

/** How one ID token is minted. */
export interface MintOptions {
  /** The `aud` claim, such as `npm:127.0.0.1`; an array makes a multi-audience token. */
  readonly audience: string | readonly string[]
  /** Claims for this token only, applied last; a key set to `undefined` removes the claim. */
  readonly claims?: ClaimOverrides
  /** Lifetime in seconds, counted from `issuedAt`; default 300 (5 minutes). Negative makes an expired token. */
  readonly expiresIn?: number
  /** The `nbf` claim in seconds since the epoch; default `issuedAt`. */
  readonly notBefore?: number
  /** The `iat` claim in seconds since the epoch; default now. */
  readonly issuedAt?: number
}

/** Default ID-token lifetime in seconds; GitHub's tokens live about 5 minutes. */
export const DEFAULT_EXPIRES_IN = 300

function assertAudienceOption (audience: unknown): void {
  const list = Array.isArray(audience) ? audience : [audience]
  if (list.length === 0 || !list.every((a) => typeof a === 'string' && a !== '')) {
    throw new TypeError('Expected `audience` to be a non-empty string or array of strings, ' +
      `got ${JSON.stringify(audience)}.`)
  }
}

/**
 * Builds the payload of one ID token: base claims, then `jti`, `aud` and the time claims, then the
 * per-token claim overrides.
 *
 * @param base - The issuer's identity claims (from {@link providerClaims}).
 * @param options - Audience, overrides and times.
 * @param now - The current time in seconds since the epoch.
 * @returns A new payload object without `undefined` values.
 * @throws {TypeError} When `audience` is missing or empty.
 * @example
 * ```ts
 * const payload = idTokenPayload(claims, { audience: 'npm:127.0.0.1', expiresIn: -60 }, Math.floor(Date.now() / 1000))
 * ```
 */
export function idTokenPayload (
  base: Readonly<Record<string, unknown>>, options: MintOptions, now: number
): Record<string, unknown> {
  assertAudienceOption(options.audience)
  const iat = options.issuedAt ?? now
  const payload: Record<string, unknown> = {
    ...base,
    aud: Array.isArray(options.audience) ? [...options.audience] : options.audience,
    jti: randomUUID(),
    iat,
    nbf: options.notBefore ?? iat,
    exp: iat + (options.expiresIn ?? DEFAULT_EXPIRES_IN),
    ...options.claims,
  }
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined) delete payload[key]
  }
  return payload
}
