import { positiveInteger } from '../util/number-option.js'
import { isOidcError, type ClientErrorCode, type OidcError } from '../errors.js'
import { escapePackageName } from './package-name.js'
import { assertSecureRegistry } from './registry-target.js'
import { withRetries } from './retry.js'
import { failureOf, hasIdTokenSource, prepareRegistryCall, startCallContext, type OidcCall } from './oidc-call.js'
import { obtainCheckedIdToken } from './obtain-id-token.js'
import { exchangeForPackage } from './exchange-for-package.js'
import { SharedIdToken } from './shared-id-token.js'
import { runBounded } from '../util/run-bounded.js'
import { silly, verbose, withLogger } from '../util/log.js'
import { progressReporter, type ProgressCallback } from './progress.js'
import type { OidcOptions } from '../options.js'
import type { OidcToken } from './token.js'

/** Options of {@link getOidcTokens}: {@link OidcOptions} (applied to each package) plus the batch settings. */
export interface GetOidcTokensOptions extends OidcOptions {
  /**
   * How many exchanges run at once; default 4. npmjs reportedly rate-limits publishing (about 500 an hour), and
   * release tools that publish in parallel use 2–4; the exchanges are cheap, the limit is about the registry.
   */
  concurrency?: number
  /**
   * Share one ID token across the exchanges while it has more than 60 s left (default `true`). `false` fetches
   * one per package, as npm's `--workspaces` does.
   */
  reuseIdToken?: boolean
  /**
   * Called as each package's exchange finishes (`phase: 'exchange'`, `status: 'done' | 'failed'`), with how many
   * are finished out of how many. What it throws is ignored.
   */
  onProgress?: ProgressCallback
}

/**
 * One package's outcome: exactly one of `token` and `error` is set, so `if (r.error)` narrows the other branch to
 * one with a `token`.
 */
export type OidcTokenResult =
  | {
    /** The package name, as given. */
    readonly name: string
    readonly token: OidcToken
    readonly error?: undefined
  }
  | {
    /** The package name, as given. */
    readonly name: string
    readonly token?: undefined
    readonly error: OidcError<ClientErrorCode>
  }

/** The default of {@link GetOidcTokensOptions.concurrency}. */
export const DEFAULT_CONCURRENCY = 4

async function validateNames (pkgNames: unknown): Promise<Array<{ name: string, escapedName: string }>> {
  if (!Array.isArray(pkgNames)) {
    throw new TypeError(`Expected \`pkgNames\` to be an array of package names, got ${typeof pkgNames}.`)
  }
  const seen = new Set<string>()
  const checked: Array<{ name: string, escapedName: string }> = []
  for (const [i, name] of (pkgNames as unknown[]).entries()) {
    const escapedName = await escapePackageName(name, `pkgNames[${i}]`)
    if (seen.has(name as string)) {
      throw new TypeError(`Expected \`pkgNames\` to hold each name once, got ${JSON.stringify(name)} twice.`)
    }
    seen.add(name as string)
    checked.push({ name: name as string, escapedName })
  }
  return checked
}

function batchSettings (opts: unknown): { concurrency: number, reuse: boolean, onProgress: unknown } {
  const bag = (typeof opts === 'object' && opts !== null ? opts : {}) as GetOidcTokensOptions
  const { reuseIdToken = true } = bag
  const concurrency = positiveInteger(bag.concurrency, 'opts.concurrency', DEFAULT_CONCURRENCY)
  if (typeof reuseIdToken !== 'boolean') throw new TypeError('Expected `opts.reuseIdToken` to be a boolean.')
  return { concurrency, reuse: reuseIdToken, onProgress: bag.onProgress }
}

/**
 * Gets a short-lived publish token for each of several packages of one registry — a monorepo release — with a
 * bounded number of exchanges at once, and one ID token shared while it is valid.
 *
 * Each package is isolated: its failure is reported in its own entry and never stops, delays or changes another
 * package's exchange; tokens are never shared between packages. Every name is validated before any request, so a
 * bad name rejects the whole call with a `TypeError` and nothing is sent. Like {@link getOidcToken}, it resolves
 * `null` without any request when no provider applies and `NPM_ID_TOKEN` is not set.
 *
 * The ID token is bound to the registry's audience, not to a package, so one serves many exchanges while it has
 * more than 60 s left; then a fresh one is fetched. Should the registry refuse a token it has seen before
 * (`ERR_OIDC_UNAUTHORIZED` for a shared token), that package is retried once with a fresh token and the rest of
 * the batch fetches one per package. An ID token that cannot be had (missing permission, wrong audience…) is a
 * fact about the job: every package not yet exchanged gets that same error, without asking the provider again.
 *
 * @param pkgNames - the packages to publish, each at most once
 * @param registry - the registry's absolute http(s) URL; a path prefix is kept
 * @param env - the environment to read, `process.env` by default
 * @param opts - {@link getOidcToken}'s options (the deadline and retries apply to each package) plus
 *   `concurrency` (default 4), `reuseIdToken` (default `true`) and `onProgress`
 * @returns one entry per package, in input order, each with `token` or `error`; `null` when no provider applies
 * @throws TypeError when an argument has the wrong type, a name is invalid or repeated (before any request)
 * @throws the reason of `opts.signal` when the caller aborts
 * @example
 * ```ts
 * const results = await getOidcTokens(['@acme/core', '@acme/cli'], 'https://registry.npmjs.org/')
 * for (const { name, token, error } of results ?? []) {
 *   if (error) console.error(`${name}: ${error.message}`)
 *   else if (token) publishOptionsFor[name] = { ...npmOptions, [token.authKey]: token.token }
 * }
 * ```
 */
export async function getOidcTokens (
  pkgNames: readonly string[],
  registry: string,
  env: Record<string, string | undefined> = process.env,
  opts?: GetOidcTokensOptions
): Promise<OidcTokenResult[] | null> {
  return withLogger(opts?.logger, () => exchangeAll(pkgNames, registry, env, opts))
}

async function exchangeAll (
  pkgNames: readonly string[],
  registry: string,
  env: Record<string, string | undefined>,
  opts: GetOidcTokensOptions | undefined
): Promise<OidcTokenResult[] | null> {
  const packages = await validateNames(pkgNames)
  const { concurrency, reuse, onProgress } = batchSettings(opts)
  const report = progressReporter(onProgress, packages.length)
  const base = prepareRegistryCall(registry, env, opts)
  if (!hasIdTokenSource(base)) return null
  const { options } = base
  options.signal?.throwIfAborted()
  try {
    assertSecureRegistry(base.target)
  } catch (err) {
    // The registry is every package's: each entry reports it, as if each had been tried.
    const error = failureOf(base, err) as OidcError<ClientErrorCode>
    return packages.map(({ name }) => {
      report({ phase: 'exchange', name, status: 'failed', code: error.code })
      return Object.freeze({ name, error })
    })
  }
  const ids = new SharedIdToken(() => obtainCheckedIdToken(base, startCallContext(base)), reuse)
  const results: OidcTokenResult[] = new Array(packages.length)
  let unexpected: { error: unknown } | undefined
  const go = (): boolean => unexpected === undefined && !options.signal?.aborted
  await runBounded(packages.length, concurrency, go, async (i) => {
    const { name, escapedName } = packages[i] as { name: string, escapedName: string }
    try {
      const token = await exchangeOne({ ...base, pkgName: name, escapedName }, ids)
      results[i] = Object.freeze({ name, token })
      report({ phase: 'exchange', name, status: 'done' })
    } catch (err) {
      const error = failureOf(base, err, name)
      if (isOidcError<ClientErrorCode>(error)) {
        results[i] = Object.freeze({ name, error })
        report({ phase: 'exchange', name, status: 'failed', code: error.code })
      } else {
        // Anything else is a defect (ours or a custom provider's) or the caller's abort: stop, as getOidcToken would.
        unexpected ??= { error }
      }
    }
  })
  if (options.signal?.aborted) throw options.signal.reason
  if (unexpected) throw unexpected.error
  return results
}

async function exchangeOne (call: OidcCall, ids: SharedIdToken): Promise<OidcToken> {
  const context = startCallContext(call)
  let generation = 0
  return withRetries(async (attempt) => {
    // A retry follows a transient failure; every retry of the exchange gets an ID token newer than the one just used.
    const held = ids.take(attempt > 0 ? generation : 0)
    const reused = held.uses > 1
    generation = held.generation
    const id = await held.promise
    if (reused) silly(`Reusing the ID token for ${call.pkgName}`)
    try {
      return await exchangeForPackage(call, context, id)
    } catch (err) {
      // Our verifier accepts a token many times (bench/ and test/get-oidc-tokens.ts measure it); a registry that
      // refuses replays (PyPI tracks `jti`) answers 401, which must not fail the package.
      if (!isOidcError(err, 'ERR_OIDC_UNAUTHORIZED') || held.uses < 2) throw err
      if (ids.stopReuse()) {
        verbose(`The registry refused a shared ID token for ${call.pkgName}; fetching one per package from now on`)
      }
      const fresh = ids.take()
      generation = fresh.generation
      return exchangeForPackage(call, context, await fresh.promise)
    }
  }, call.options, context.clock)
}
