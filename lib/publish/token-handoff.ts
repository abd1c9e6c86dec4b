import { OidcError } from '../errors.js'
import type { OidcToken } from '../client/token.js'

/**
 * How long a handed-over token must still live to be used, in ms: an upload of a large tarball on a slow link,
 * and the clock skew between the job and the registry, fit in a minute.
 */
export const HANDOFF_MARGIN_MS = 60_000

const TOKEN_FIELDS = ['authKey', 'registry', 'package', 'provider'] as const

/**
 * Internal: checks that `opts.oidcToken` looks like an {@link OidcToken} (from either build of libnpmoidc).
 *
 * @throws TypeError naming `opts.oidcToken`
 */
export function validateHandoff (token: unknown): asserts token is OidcToken | undefined {
  if (token === undefined) return
  const candidate = token as Partial<Record<string, unknown>> | null
  const ok = typeof candidate === 'object' && candidate !== null && typeof candidate.token === 'string' &&
    TOKEN_FIELDS.every((field) => typeof candidate[field] === 'string') &&
    (candidate.expires === undefined || candidate.expires instanceof Date)
  if (!ok) throw new TypeError('Expected `opts.oidcToken` to be an OidcToken from getOidcToken or getOidcTokens.')
}

/**
 * Internal: refuses a handed-over token exchanged for another package or registry, before anything is sent.
 *
 * @throws {OidcError} `ERR_OIDC_TOKEN_MISMATCH`
 */
export function assertTokenFor (token: OidcToken, pkgName: string, registry: string): void {
  if (token.package === pkgName && token.registry === registry) return
  const what = token.package === pkgName
    ? 'the token handed over was exchanged for another registry'
    : 'the token handed over was exchanged for another package'
  throw new OidcError('ERR_OIDC_TOKEN_MISMATCH', {
    provider: token.provider,
    what,
    facts: `expected ${pkgName} at ${registry}, got ${token.package} at ${token.registry}`,
    hint: 'Hand over the token getOidcTokens returned for this package and this registry; an exchanged token ' +
      'publishes only the package it was exchanged for, and nothing was sent',
    claims: token.claims,
  })
}

/** Internal: whether a handed-over token lives long enough to be used; one without `expires` is trusted. */
export function livesLongEnough (token: OidcToken, now = Date.now()): boolean {
  return token.expires === undefined || token.expires.getTime() - now > HANDOFF_MARGIN_MS
}
