import { OidcError } from '../errors.js'
import type { OidcOptions } from '../options.js'
import { resolveOptions, type ResolvedOptions } from './resolve-options.js'
import { parseRegistry, type RegistryTarget } from './registry-target.js'
import { escapePackageName } from './package-name.js'
import { startClock } from './retry.js'
import { detectProvider } from './detect-provider.js'
import { defaultProviders } from '../providers/index.js'
import type { CallContext, OidcProvider } from '../providers/provider.js'
import { envValue, type Env } from '../util/env.js'
import { silly, verbose } from '../util/log.js'

/** Who speaks when no CI is detected but `NPM_ID_TOKEN` is set. */
const PRE_MINTED = Object.freeze({ id: 'npm-id-token', name: 'NPM_ID_TOKEN' })

/**
 * Internal (shared by `getOidcToken`, `getOidcTokens` and `diagnose`): the validated registry, environment and
 * options of a call, and the detected provider — everything but the package. No request is made.
 */
export interface RegistryCall {
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

/** Internal: a {@link RegistryCall} for one package. */
export interface OidcCall extends RegistryCall {
  readonly pkgName: string
  readonly escapedName: string
}

function providersFrom (opts: OidcOptions | undefined): readonly OidcProvider[] {
  const providers = opts?.providers ?? defaultProviders
  const valid = Array.isArray(providers) && providers.every((p: Partial<OidcProvider> | null) =>
    typeof p === 'object' && p !== null && typeof p.id === 'string' && typeof p.detect === 'function' &&
    typeof p.getIdToken === 'function')
  if (!valid) {
    throw new TypeError('Expected `opts.providers` to be an array of providers ({ id, name, detect, getIdToken }).')
  }
  return providers
}

/**
 * Internal: validates the arguments of a call and detects the provider.
 *
 * @throws TypeError when an argument has the wrong type
 */
export async function prepareOidcCall (
  pkgName: unknown, registry: unknown, env: unknown, opts: unknown
): Promise<OidcCall> {
  const escapedName = await escapePackageName(pkgName)
  return { ...prepareRegistryCall(registry, env, opts), pkgName: pkgName as string, escapedName }
}

/**
 * Internal: validates the registry, environment and options of a call and detects the provider.
 *
 * @throws TypeError when an argument has the wrong type
 */
export function prepareRegistryCall (registry: unknown, env: unknown, opts: unknown): RegistryCall {
  const target = parseRegistry(registry)
  if (typeof env !== 'object' || env === null) {
    throw new TypeError(`Expected \`env\` to be an object, got ${env === null ? 'null' : typeof env}.`)
  }
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

/**
 * Internal: whether a provider applies or `NPM_ID_TOKEN` is set; logs the `null` decision when not.
 */
export function hasIdTokenSource (call: RegistryCall): boolean {
  if (call.provider || call.preMinted) return true
  silly('No OIDC provider detected and NPM_ID_TOKEN is not set: not using trusted publishing')
  return false
}

/** Internal: starts the call's clock and deadline, and builds what a provider is given. */
export function startCallContext (call: RegistryCall): CallContext {
  const { options } = call
  const clock = startClock(options)
  const deadline = AbortSignal.timeout(Math.max(1, options.deadline))
  return {
    env: call.env,
    audience: call.target.audience,
    signal: options.signal ? AbortSignal.any([options.signal, deadline]) : deadline,
    timeout: options.timeout,
    deadlineAt: clock.deadlineAt,
    options,
    clock,
  }
}

/** Internal: what a public call rejects with: the caller's abort reason wins over the failure it caused. */
export function failureOf (call: RegistryCall, err: unknown, pkgName?: string): unknown {
  if (call.options.signal?.aborted) return call.options.signal.reason
  if (err instanceof OidcError) verbose(`Trusted publishing failed${pkgName ? ` for ${pkgName}` : ''}: ${err.code}`)
  return err
}
