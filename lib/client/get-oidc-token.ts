import type { OidcOptions } from '../options.js'
import { assertSecureRegistry } from './registry-target.js'
import { withRetries } from './retry.js'
import type { OidcToken } from './token.js'
import { failureOf, hasIdTokenSource, prepareOidcCall, startCallContext } from './oidc-call.js'
import { obtainCheckedIdToken } from './obtain-id-token.js'
import { exchangeForPackage } from './exchange-for-package.js'
import { withLogger } from '../util/log.js'

/**
 * Gets a short-lived publish token for one package from the registry, using the CI provider's OIDC ID token.
 *
 * Detection reads only `env`. With no provider and no `NPM_ID_TOKEN` it resolves `null` without any request.
 * Otherwise it obtains an ID token (GitHub's endpoint, `NPM_ID_TOKEN`, or the provider's CLI), checks its
 * audience and expiry, and exchanges it at `<registry>-/npm/v1/oidc/token/exchange/package/<name>`.
 * Transient failures are retried within `opts.deadline`, each time with a fresh ID token.
 *
 * @param pkgName - the package to publish, such as `@scope/name`
 * @param registry - the registry's absolute http(s) URL; a path prefix is kept
 * @param env - the environment to read, `process.env` by default
 * @param opts - npm-style flat options; see {@link OidcOptions}
 * @returns the exchanged token, or `null` when no provider applies
 * @throws TypeError when an argument has the wrong type or `pkgName` is not a valid name
 * @throws {OidcError} `ERR_OIDC_INSECURE_REGISTRY`, `ERR_OIDC_NO_PERMISSION`, `ERR_OIDC_NO_ID_TOKEN`,
 *   `ERR_OIDC_ID_TOKEN_REQUEST_FAILED`, `ERR_OIDC_ID_TOKEN_MALFORMED`, `ERR_OIDC_AUDIENCE_MISMATCH`,
 *   `ERR_OIDC_ID_TOKEN_EXPIRED`, `ERR_OIDC_SSH_RERUN`, `ERR_OIDC_REDIRECT_REFUSED`, `ERR_OIDC_NO_TRUSTED_PUBLISHER`,
 *   `ERR_OIDC_UNAUTHORIZED`, `ERR_OIDC_EXCHANGE_REJECTED`, `ERR_OIDC_EXCHANGE_FAILED`, `ERR_OIDC_EXCHANGE_BAD_RESPONSE`
 * @example
 * ```ts
 * const oidc = await getOidcToken('@acme/widgets', 'https://registry.npmjs.org/')
 * if (oidc) npmOptions = { ...npmOptions, [oidc.authKey]: oidc.token }
 * ```
 */
export async function getOidcToken (
  pkgName: string,
  registry: string,
  env: Record<string, string | undefined> = process.env,
  opts?: OidcOptions
): Promise<OidcToken | null> {
  return withLogger(opts?.logger, () => exchangeOnce(pkgName, registry, env, opts))
}

async function exchangeOnce (
  pkgName: string, registry: string, env: Record<string, string | undefined>, opts: OidcOptions | undefined
): Promise<OidcToken | null> {
  const call = await prepareOidcCall(pkgName, registry, env, opts)
  if (!hasIdTokenSource(call)) return null
  assertSecureRegistry(call.target)
  call.options.signal?.throwIfAborted()
  const context = startCallContext(call)
  const attempt = async (): Promise<OidcToken> =>
    exchangeForPackage(call, context, await obtainCheckedIdToken(call, context))
  try {
    return await withRetries(attempt, call.options, context.clock)
  } catch (err) {
    throw failureOf(call, err)
  }
}
