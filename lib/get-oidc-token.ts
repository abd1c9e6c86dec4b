import { OidcError } from './errors.js'
import { resolveOptions, type OidcOptions, type ResolvedOptions } from './options.js'
import { assertSecureRegistry, parseRegistry, type RegistryTarget } from './registry.js'
import { escapePackageName } from './package-name.js'
import { checkClaims, decodeIdToken, type ClaimContext, type IdTokenClaims } from './claims.js'
import { exchangeIdToken, type ExchangeRequest } from './exchange.js'
import { startClock, withRetries } from './retry.js'
import { ExchangedToken, type OidcToken } from './token.js'
import { defaultProviders } from './providers/index.js'
import { envValue, type Env, type OidcProvider, type ProviderContext } from './providers/provider.js'
import { silly, verbose } from './log.js'

/** Who speaks when no CI is detected but `NPM_ID_TOKEN` is set. */
const PRE_MINTED = Object.freeze({ id: 'npm-id-token', name: 'NPM_ID_TOKEN' })

function providersFrom (opts: OidcOptions | undefined): readonly OidcProvider[] {
  const providers = opts?.providers ?? defaultProviders
  const valid = Array.isArray(providers) && providers.every((p: Partial<OidcProvider> | null) =>
    typeof p === 'object' && p !== null && typeof p.id === 'string' && typeof p.detect === 'function' &&
    typeof p.getIdToken === 'function')
  if (!valid) throw new TypeError('Expected `opts.providers` to be an array of providers ({ id, name, detect, getIdToken }).')
  return providers
}

/**
 * Finds the first provider whose environment this is, logging why each earlier one was skipped.
 *
 * @returns the provider, or `undefined` when none applies
 */
export function detectProvider (providers: readonly OidcProvider[], env: Env): OidcProvider | undefined {
  for (const provider of providers) {
    if (provider.detect(env)) return provider
    silly(`Skipped ${provider.id}: ${provider.detectedBy} not set`)
  }
  return undefined
}

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
  opts?: OidcOptions,
): Promise<OidcToken | null> {
  const call = prepareOidcCall(pkgName, registry, env, opts)
  if (!call.provider && !call.preMinted) {
    silly('No OIDC provider detected and NPM_ID_TOKEN is not set: not using trusted publishing')
    return null
  }
  const { target, options } = call
  assertSecureRegistry(target)
  options.signal?.throwIfAborted()
  const context = startCallContext(call)
  try {
    return await withRetries(async () => {
      const { idToken, claims, claimContext, source } = await obtainIdToken(call, context)
      checkClaims(claims, target.audience, claimContext)
      verbose(`Got an ID token from ${source} for ${target.audience} (provider ${call.who.id}, ` +
        `expires ${new Date((claims.exp as number) * 1000).toISOString()})`)
      const exchanged = await exchangeIdToken(exchangeRequestFor(call, context, idToken, claims))
      verbose(`Exchanged the ID token for a publish token for ${pkgName} at ${target.href}` +
        (exchanged.expires ? ` (expires ${exchanged.expires.toISOString()})` : ''))
      return new ExchangedToken(exchanged.token, {
        authKey: target.authKey,
        registry: target.href,
        package: pkgName,
        provider: call.who.id,
        ...(exchanged.expires ? { expires: exchanged.expires } : {}),
        claims,
      })
    }, options, context.clock)
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason
    if (err instanceof OidcError) verbose(`Trusted publishing failed: ${err.code}`)
    throw err
  }
}

/**
 * Internal (shared by {@link getOidcToken} and `diagnose`): one call's validated arguments, resolved options
 * and detected provider. No request is made.
 */
export interface OidcCall {
  readonly pkgName: string
  readonly escapedName: string
  readonly target: RegistryTarget
  readonly env: Env
  readonly options: ResolvedOptions
  readonly providers: readonly OidcProvider[]
  /** The detected provider; `undefined` when none applies. */
  readonly provider: OidcProvider | undefined
  /** `NPM_ID_TOKEN` when set; it wins over the provider's own source. */
  readonly preMinted: string | undefined
  /** Who speaks in messages: the provider, or `NPM_ID_TOKEN` when no provider applies. */
  readonly who: { readonly id: string, readonly name: string }
}

/**
 * Internal: validates the arguments of a call and detects the provider.
 *
 * @throws TypeError when an argument has the wrong type
 */
export function prepareOidcCall (pkgName: unknown, registry: unknown, env: unknown, opts: unknown): OidcCall {
  const escapedName = escapePackageName(pkgName)
  const target = parseRegistry(registry)
  if (typeof env !== 'object' || env === null) throw new TypeError(`Expected \`env\` to be an object, got ${env === null ? 'null' : typeof env}.`)
  const options = resolveOptions(opts)
  const providers = providersFrom(opts as OidcOptions | undefined)
  const provider = detectProvider(providers, env as Env)
  return {
    pkgName: pkgName as string,
    escapedName,
    target,
    env: env as Env,
    options,
    providers,
    provider,
    preMinted: envValue(env as Env, 'NPM_ID_TOKEN'),
    who: provider ?? PRE_MINTED,
  }
}

/** Internal: starts the call's clock and deadline, and builds what a provider is given. */
export function startCallContext (call: OidcCall): ProviderContext {
  const { options } = call
  const clock = startClock(options)
  const deadline = AbortSignal.timeout(Math.max(1, options.deadline))
  return {
    env: call.env,
    audience: call.target.audience,
    signal: options.signal ? AbortSignal.any([options.signal, deadline]) : deadline,
    options,
    clock,
  }
}

/** An ID token, decoded but not yet checked. `idToken` is a secret. */
export interface ObtainedIdToken {
  readonly idToken: string
  readonly source: string
  readonly claims: IdTokenClaims
  readonly claimContext: ClaimContext
}

/**
 * Internal: obtains one ID token (`NPM_ID_TOKEN`, else the provider's source) and decodes it. No claim is
 * checked and nothing is exchanged.
 *
 * @throws {OidcError} the provider's codes and `ERR_OIDC_ID_TOKEN_MALFORMED`
 */
export async function obtainIdToken (call: OidcCall, context: ProviderContext): Promise<ObtainedIdToken> {
  const { idToken, source } = call.preMinted
    ? { idToken: call.preMinted, source: 'NPM_ID_TOKEN' }
    : await (call.provider as OidcProvider).getIdToken(context)
  const claimContext: ClaimContext = { provider: call.who.id, providerName: call.who.name, source }
  const claims = await decodeIdToken(idToken, claimContext)
  return { idToken, source, claims, claimContext }
}

/** Internal: the exchange request of a call for one ID token. */
export function exchangeRequestFor (call: OidcCall, context: ProviderContext, idToken: string, claims: IdTokenClaims): ExchangeRequest {
  return {
    target: call.target,
    pkgName: call.pkgName,
    escapedName: call.escapedName,
    idToken,
    claims,
    provider: call.who.id,
    providerName: call.who.name,
    options: call.options,
    clock: context.clock,
  }
}
