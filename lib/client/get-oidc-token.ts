import { OidcError } from '../errors.js'
import type { OidcOptions } from '../options.js'
import { resolveOptions, type ResolvedOptions } from './resolve-options.js'
import { assertSecureRegistry, parseRegistry, type RegistryTarget } from './registry-target.js'
import { escapePackageName } from './package-name.js'
import { checkClaims, decodeIdToken, type ClaimContext, type IdTokenClaims } from './claims.js'
import { exchangeIdToken, type ExchangeRequest } from './exchange.js'
import { startClock, withRetries } from './retry.js'
import { ExchangedToken, type OidcToken } from './token.js'
import { defaultProviders } from '../providers/index.js'
import { type OidcProvider, type ProviderContext } from '../providers/provider.js'
import { envValue, type Env } from '../util/env.js'
import { silly, verbose } from '../util/log.js'
import { loadJose } from '../util/jose.js'

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
  const call = await prepareOidcCall(pkgName, registry, env, opts)
  if (!hasIdTokenSource(call)) return null
  assertSecureRegistry(call.target)
  call.options.signal?.throwIfAborted()
  const context = startCallContext(call)
  try {
    return await withRetries(async () => exchangeForPackage(call, context, await obtainCheckedIdToken(call, context)),
      call.options, context.clock)
  } catch (err) {
    throw failureOf(call, err)
  }
}

/**
 * Internal: whether a provider applies or `NPM_ID_TOKEN` is set; logs the `null` decision when not.
 */
export function hasIdTokenSource (call: OidcTarget): boolean {
  if (call.provider || call.preMinted) return true
  silly('No OIDC provider detected and NPM_ID_TOKEN is not set: not using trusted publishing')
  return false
}

/** Internal: what a public call rejects with: the caller's abort reason wins over the failure it caused. */
export function failureOf (call: OidcTarget, err: unknown, pkgName?: string): unknown {
  if (call.options.signal?.aborted) return call.options.signal.reason
  if (err instanceof OidcError) verbose(`Trusted publishing failed${pkgName ? ` for ${pkgName}` : ''}: ${err.code}`)
  return err
}

/**
 * Internal: obtains an ID token and checks its claims for the call's audience — everything before an exchange.
 *
 * @throws {OidcError} the provider's codes and those of `checkClaims`
 */
export async function obtainCheckedIdToken (call: OidcTarget, context: ProviderContext): Promise<ObtainedIdToken> {
  const obtained = await obtainIdToken(call, context)
  const { claims, claimContext, source } = obtained
  checkClaims(claims, call.target.audience, claimContext)
  verbose(`Got an ID token from ${source} for ${call.target.audience} (provider ${call.who.id}, ` +
    `expires ${new Date((claims.exp as number) * 1000).toISOString()})`)
  return obtained
}

/**
 * Internal: exchanges a checked ID token for one package's publish token.
 *
 * @throws {OidcError} the exchange's codes; `TransientFailure` for what may be retried
 */
export async function exchangeForPackage (call: OidcCall, context: ProviderContext, id: ObtainedIdToken): Promise<OidcToken> {
  const { target, pkgName } = call
  const exchanged = await exchangeIdToken(exchangeRequestFor(call, context, id.idToken, id.claims))
  verbose(`Exchanged the ID token for a publish token for ${pkgName} at ${target.href}` +
    (exchanged.expires ? ` (expires ${exchanged.expires.toISOString()})` : ''))
  return new ExchangedToken(exchanged.token, {
    authKey: target.authKey,
    registry: target.href,
    package: pkgName,
    provider: call.who.id,
    ...(exchanged.expires ? { expires: exchanged.expires } : {}),
    claims: id.claims,
  })
}

/**
 * Internal (shared by {@link getOidcToken}, `getOidcTokens` and `diagnose`): the validated registry, environment
 * and options of a call, and the detected provider. No request is made.
 */
export interface OidcTarget {
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

/** Internal: an {@link OidcTarget} for one package. */
export interface OidcCall extends OidcTarget {
  readonly pkgName: string
  readonly escapedName: string
}

/**
 * Internal: validates the arguments of a call and detects the provider.
 *
 * @throws TypeError when an argument has the wrong type
 */
export async function prepareOidcCall (pkgName: unknown, registry: unknown, env: unknown, opts: unknown): Promise<OidcCall> {
  const escapedName = await escapePackageName(pkgName)
  return { ...prepareOidcTarget(registry, env, opts), pkgName: pkgName as string, escapedName }
}

/**
 * Internal: validates the registry, environment and options of a call and detects the provider.
 *
 * @throws TypeError when an argument has the wrong type
 */
export function prepareOidcTarget (registry: unknown, env: unknown, opts: unknown): OidcTarget {
  const target = parseRegistry(registry)
  if (typeof env !== 'object' || env === null) throw new TypeError(`Expected \`env\` to be an object, got ${env === null ? 'null' : typeof env}.`)
  const options = resolveOptions(opts)
  const providers = providersFrom(opts as OidcOptions | undefined)
  const provider = detectProvider(providers, env as Env)
  return {
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
export function startCallContext (call: OidcTarget): ProviderContext {
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
export async function obtainIdToken (call: OidcTarget, context: ProviderContext): Promise<ObtainedIdToken> {
  // jose loads while the provider's request is in flight: its load time hides behind the network wait.
  const [{ idToken, source }] = await Promise.all([
    call.preMinted ? { idToken: call.preMinted, source: 'NPM_ID_TOKEN' } : (call.provider as OidcProvider).getIdToken(context),
    loadJose(),
  ])
  const claimContext: ClaimContext = { provider: call.who.id, providerName: call.who.name, source }
  const claims = await decodeIdToken(idToken, claimContext)
  return { idToken, source, claims, claimContext }
}

/** Internal: the exchange request of a call for one ID token. */
function exchangeRequestFor (call: OidcCall, context: ProviderContext, idToken: string, claims: IdTokenClaims): ExchangeRequest {
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
