import { OidcError, isOidcError } from '../errors.js'
import { getOidcToken } from '../client/get-oidc-token.js'
import { defaultProviders } from '../providers/index.js'
import { verbose, warn } from '../util/log.js'
import { assertTokenFor, livesLongEnough } from './token-handoff.js'
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
  /**
   * What an earlier exchange gave for this package: a token (`opts.oidcToken`, or a batch's), the batch's error,
   * or `null` when no provider applied. Unset: exchange now.
   */
  readonly exchanged?: OidcToken | OidcError | null
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
    const { exchanged } = input
    // Outside the fallback below: a token for another package is the caller's mistake, never a reason to fall back.
    if (exchanged && !isOidcError(exchanged)) assertTokenFor(exchanged, input.pkgName, input.registry)
    try {
      oidc = await obtain(input)
    } catch (err) {
      if (!isOidcError(err) || mode === 'required' || !configured) throw err
      oidcError = err
      warn(`${err.code}: ${err.message} Publishing with the token configured for ${input.registry} instead.`)
    }
    if (!oidc && !oidcError && mode === 'required') throw noProvider(input.opts)
  }
  return { oidc, auth: authOf(oidc, oidcError, configured) }
}

async function obtain (input: PublishAuthInput): Promise<OidcToken | null> {
  const { exchanged } = input
  if (exchanged === null) return null
  if (isOidcError(exchanged)) throw exchanged
  if (exchanged && livesLongEnough(exchanged)) return exchanged
  if (exchanged) verbose(`The token handed over for ${input.pkgName} expires within 60 s: exchanging again`)
  return getOidcToken(input.pkgName, input.registry, input.env, input.opts)
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
