import { OidcError, isOidcError } from '../errors.js'
import { getOidcToken } from '../client/get-oidc-token.js'
import { defaultProviders } from '../providers/index.js'
import { warn } from '../util/log.js'
import type { OidcOptions } from '../options.js'
import type { OidcToken } from '../client/token.js'
import type { IdTokenClaims } from '../client/claims.js'
import type { Env } from '../util/env.js'

/** How a publish was authenticated. */
export type PublishAuth =
  | { readonly method: 'oidc', readonly provider: string, readonly expires?: Date, readonly claims: IdTokenClaims }
  | { readonly method: 'token', readonly oidcError?: OidcError }
  | { readonly method: 'none' }

/** What {@link authenticatePublish} needs to know about one publish. */
export interface PublishAuthInput {
  readonly mode: 'auto' | 'required' | 'off'
  readonly pkgName: string
  /** The registry the package goes to, as `parseRegistry` normalised it. */
  readonly registry: string
  /** Whether the caller's options hold a token for that registry to fall back on. */
  readonly configured: boolean
  readonly env: Env
  readonly opts: OidcOptions
}

/**
 * Internal: the credential of a publish by mode — an exchanged token, else (`auto` only, and only when a token is
 * configured) the configured token after a warning, else none.
 *
 * @returns the exchanged token (`null` when there is none) and how the publish is authenticated
 * @throws {OidcError} any code of `getOidcToken` when there is nothing to fall back on, and `ERR_OIDC_NO_PROVIDER`
 *   when `required` finds no provider
 */
export async function authenticatePublish (
  input: PublishAuthInput
): Promise<{ oidc: OidcToken | null, auth: PublishAuth }> {
  const { mode, configured } = input
  let oidc: OidcToken | null = null
  let oidcError: OidcError | undefined
  if (mode !== 'off') {
    try {
      oidc = await getOidcToken(input.pkgName, input.registry, input.env, input.opts)
    } catch (err) {
      if (!isOidcError(err) || mode === 'required' || !configured) throw err
      oidcError = err
      warn(`${err.code}: ${err.message} Publishing with the token configured for ${input.registry} instead.`)
    }
    if (!oidc && !oidcError && mode === 'required') throw noProvider(input.opts)
  }
  return { oidc, auth: authOf(oidc, oidcError, configured) }
}

function authOf (oidc: OidcToken | null, oidcError: OidcError | undefined, configured: boolean): PublishAuth {
  if (oidc) {
    const { provider, claims, expires } = oidc
    return { method: 'oidc', provider, claims, ...(expires ? { expires } : {}) }
  }
  return oidcError ? { method: 'token', oidcError } : configured ? { method: 'token' } : { method: 'none' }
}

function noProvider (opts: OidcOptions): OidcError {
  return new OidcError('ERR_OIDC_NO_PROVIDER', {
    what: 'trusted publishing is required but no OIDC provider was detected',
    facts: `looked for ${(opts.providers ?? defaultProviders).map((p) => p.detectedBy).join(', ')} and NPM_ID_TOKEN`,
    hint: 'Run the publish in a supported CI job (GitHub Actions, GitLab CI/CD, CircleCI), or use ' +
      '`oidc: \'auto\'` to publish with a configured token',
  })
}
