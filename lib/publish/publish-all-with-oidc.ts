import { isOidcError, type ClientErrorCode, type OidcError } from '../errors.js'
import { getOidcTokens } from '../client/get-oidc-tokens.js'
import { assertNoWorkspaceRanges } from '../contract/workspace-ranges.js'
import { detectProvider } from '../client/detect-provider.js'
import { defaultProviders } from '../providers/index.js'
import { assertSignsAsTheJob } from './provenance-env.js'
import {
  assertProgressCallback, progressReporter, type ProgressCallback, type ProgressEvent,
} from '../client/progress.js'
import type { OidcToken } from '../client/token.js'
import { positiveInteger } from '../util/number-option.js'
import { runBounded } from '../util/run-bounded.js'
import { verbose, withLogger } from '../util/log.js'
import {
  publishDestination, publishTo, validatePublish, type PreparedPublish, type PublishOptions, type PublishResult,
} from './publish-with-oidc.js'

/** One package of {@link publishAllWithOidc}: what {@link publishWithOidc} takes. */
export interface PublishAllPackage {
  /** The package's manifest (its `package.json`). */
  readonly manifest: Record<string, unknown>
  /** The packed package. */
  readonly tarball: Buffer
}

/** Options of {@link publishAllWithOidc}: {@link PublishOptions} (applied to each package) plus the batch settings. */
export interface PublishAllOptions extends Omit<PublishOptions, 'oidcToken'> {
  /** How many uploads run at once; default 1: one after the other, in the order given. */
  concurrency?: number
  /**
   * `true` (default): after the first failure no upload starts, and the packages not tried are `skipped`; and
   * when a package cannot be authenticated (its exchange failed with nothing to fall back on), nothing is
   * uploaded at all. `false`: every package is tried.
   */
  bail?: boolean
  /** Share one ID token across the exchanges, as {@link getOidcTokens} does; default `true`. */
  reuseIdToken?: boolean
  /**
   * Called as each package's exchange (`phase: 'exchange'`) and then its upload (`phase: 'publish'`) finishes.
   * What it throws is ignored.
   */
  onProgress?: ProgressCallback
}

/** One package's outcome in {@link publishAllWithOidc}: published (`res`), failed (`error`) or `skipped`. */
export type PublishAllResult =
  | {
    readonly name: string
    readonly version: string
    readonly ok: true
    /** What {@link publishWithOidc} resolved. */
    readonly res: PublishResult
    readonly error?: undefined
    readonly skipped?: undefined
  }
  | {
    readonly name: string
    readonly version: string
    readonly ok: false
    readonly res?: undefined
    /** What {@link publishWithOidc} would have thrown: an `OidcError`, or the registry's error. */
    readonly error: Error
    readonly skipped?: undefined
  }
  | {
    readonly name: string
    readonly version: string
    readonly ok: false
    readonly res?: undefined
    readonly error?: undefined
    /** Not tried: `bail` stopped the batch first. */
    readonly skipped: true
  }

type Exchanged = OidcToken | OidcError | null | undefined

interface BatchSettings {
  readonly concurrency: number
  readonly bail: boolean
  readonly reuseIdToken: boolean | undefined
  readonly onProgress: ProgressCallback | undefined
  readonly opts: PublishOptions
}

function batchSettings (opts: unknown): BatchSettings {
  if (typeof opts !== 'object' || opts === null) throw new TypeError('Expected `opts` to be an object.')
  const { concurrency: requested, bail = true, reuseIdToken, onProgress, ...rest } = opts as PublishAllOptions
  const concurrency = positiveInteger(requested, 'opts.concurrency', 1)
  if (typeof bail !== 'boolean') throw new TypeError('Expected `opts.bail` to be a boolean.')
  if ((rest as PublishOptions).oidcToken !== undefined) {
    throw new TypeError('Expected no `opts.oidcToken`: publishAllWithOidc exchanges for each package itself.')
  }
  assertProgressCallback(onProgress)
  return { concurrency, bail, reuseIdToken, onProgress, opts: rest }
}

async function preparePackages (packages: unknown, opts: PublishOptions): Promise<PreparedPublish[]> {
  if (!Array.isArray(packages)) throw new TypeError('Expected `packages` to be an array of { manifest, tarball }.')
  const prepared: PreparedPublish[] = []
  const seen = new Set<string>()
  for (const [i, entry] of (packages as unknown[]).entries()) {
    if (typeof entry !== 'object' || entry === null) {
      throw new TypeError(`Expected \`packages[${i}]\` to be { manifest, tarball }.`)
    }
    const { manifest, tarball } = entry as PublishAllPackage
    const escapedName = await validatePublish(manifest, tarball, opts, `packages[${i}]`)
    const name = manifest.name as string
    if (seen.has(name)) {
      throw new TypeError(`Expected \`packages\` to hold each package once, got ${JSON.stringify(name)} twice.`)
    }
    seen.add(name)
    const destination = await publishDestination(manifest as { name: string }, opts)
    prepared.push({ manifest, tarball, opts, escapedName, destination })
  }
  return prepared
}

const nameOf = (p: PreparedPublish): string => p.manifest.name as string
const versionOf = (p: PreparedPublish): string => p.manifest.version as string

/** One exchange per package, batched per registry; nothing when OIDC is off. */
async function exchangeEach (prepared: readonly PreparedPublish[], settings: BatchSettings): Promise<Exchanged[]> {
  const { opts } = settings
  const exchanged: Exchanged[] = new Array(prepared.length)
  if (opts.oidc === 'off') return exchanged
  const report = progressReporter(settings.onProgress, prepared.length)
  const byRegistry = new Map<string, number[]>()
  for (const [i, p] of prepared.entries()) {
    const href = p.destination.target.href
    byRegistry.set(href, [...byRegistry.get(href) ?? [], i])
  }
  const { logger: _inherited, ...tokenOpts } = opts
  for (const [registry, indexes] of byRegistry) {
    const packages = indexes.map((i) => prepared[i] as PreparedPublish)
    const results = await getOidcTokens(packages.map(nameOf), registry, opts.env ?? process.env, {
      ...tokenOpts,
      ...(settings.reuseIdToken === undefined ? {} : { reuseIdToken: settings.reuseIdToken }),
      onProgress: (_done, _total, name, event) =>
        report({ ...event, version: versionOf(packages.find((p) => nameOf(p) === name) as PreparedPublish) }),
    })
    for (const [j, i] of indexes.entries()) exchanged[i] = results ? (results[j]?.token ?? results[j]?.error) : null
  }
  return exchanged
}

/**
 * With provenance requested, the refusal `publishWithOidc` gives an `opts.env` of another job than `process.env`
 * or an `identityToken`, found before any package is exchanged: every package is published with the same options.
 */
function anotherJobsEnv (opts: PublishOptions): OidcError | undefined {
  if (opts.provenance !== true) return undefined
  const env = opts.env ?? process.env
  try {
    assertSignsAsTheJob(opts, env, detectProvider(opts.providers ?? defaultProviders, env))
    return undefined
  } catch (err) {
    return err as OidcError
  }
}

/** The refusal of a manifest that still holds `workspace:`/`catalog:` ranges: such a package gets no exchange. */
function workspaceRefusal (p: PreparedPublish): OidcError | undefined {
  try {
    assertNoWorkspaceRanges(p.manifest)
    return undefined
  } catch (err) {
    return err as OidcError
  }
}

/** Whether a package cannot be authenticated: its exchange failed and `publishWithOidc` would not fall back. */
function cannotAuthenticate (p: PreparedPublish, exchanged: Exchanged): exchanged is OidcError {
  return isOidcError(exchanged) && (p.opts.oidc === 'required' || !p.destination.configured)
}

function failed (p: PreparedPublish, error: Error): PublishAllResult {
  return Object.freeze({ name: nameOf(p), version: versionOf(p), ok: false, error })
}

function eventOf (p: PreparedPublish, status: ProgressEvent['status'], error?: unknown): ProgressEvent {
  const code = isOidcError<ClientErrorCode>(error) ? { code: error.code } : {}
  return { phase: 'publish', name: nameOf(p), version: versionOf(p), status, ...code }
}

/**
 * Publishes the packages of a release — a monorepo's, in the order given (the caller's topological order) —
 * with one exchange per package: the exchanges run first, batched as {@link getOidcTokens} batches them (one ID
 * token shared per registry), then each package is published with its own token, exactly as
 * {@link publishWithOidc} with `oidcToken` would. A token is never used for another package.
 *
 * Each package goes to the registry npm picks for it (`publishConfig`, `@scope:registry`, `forceRegistry`). With
 * `oidc: 'auto'`, a package whose exchange fails falls back to a configured token as {@link publishWithOidc}
 * does; with `'off'`, nothing is exchanged.
 *
 * @param packages - `[{ manifest, tarball }]`, each package at most once, in the order to publish them
 * @param opts - {@link PublishOptions} (without `oidcToken`) for every package, plus `concurrency` (default 1),
 *   `bail` (default `true`), `reuseIdToken` and `onProgress`
 * @returns one result per package, in input order: `ok` with `res`, or `error`, or `skipped`
 * @throws TypeError for arguments of the wrong shape, or a package given twice (before any request)
 * @throws the reason of `opts.signal` when the caller aborts; a custom provider's defect, as {@link getOidcTokens}
 * @example
 * ```ts
 * const results = await publishAllWithOidc(packed, { access: 'public', oidc: 'required', bail: false })
 * for (const r of results) console.log(r.name, r.ok ? 'published' : r.skipped ? 'skipped' : r.error.message)
 * ```
 */
export async function publishAllWithOidc (
  packages: readonly PublishAllPackage[], opts: PublishAllOptions = {}
): Promise<PublishAllResult[]> {
  return withLogger((opts as PublishAllOptions | null)?.logger, () => publishAll(packages, opts))
}

async function publishAll (packages: unknown, opts: unknown): Promise<PublishAllResult[]> {
  const settings = batchSettings(opts)
  const prepared = await preparePackages(packages, settings.opts)
  const report = progressReporter(settings.onProgress, prepared.length)
  const otherJob = anotherJobsEnv(settings.opts)
  if (otherJob !== undefined) {
    verbose('opts.env describes another job than process.env: nothing is exchanged, signed or uploaded')
    return prepared.map((p) => {
      report(eventOf(p, 'failed', otherJob))
      return failed(p, otherJob)
    })
  }
  const refused = prepared.map(workspaceRefusal)
  const tokens = await exchangeEach(prepared.filter((_, i) => refused[i] === undefined), settings)
  let next = 0
  const exchanged: Exchanged[] = refused.map((refusal) => refusal ?? tokens[next++])
  const results: Array<PublishAllResult | undefined> = new Array(prepared.length)
  const unauthenticated = prepared.map((p, i) => refused[i] !== undefined || cannotAuthenticate(p, exchanged[i]))
  if (settings.bail && unauthenticated.some(Boolean)) {
    verbose('A package cannot be authenticated: nothing is uploaded')
    for (const [i, p] of prepared.entries()) {
      if (!unauthenticated[i]) continue
      results[i] = failed(p, exchanged[i] as OidcError)
      report(eventOf(p, 'failed', exchanged[i]))
    }
  } else {
    await publishEach(prepared, exchanged, settings, results, report)
  }
  return prepared.map((p, i) => {
    const result = results[i]
    if (result) return result
    report(eventOf(p, 'skipped'))
    return Object.freeze({ name: nameOf(p), version: versionOf(p), ok: false, skipped: true })
  })
}

async function publishEach (
  prepared: readonly PreparedPublish[],
  exchanged: readonly Exchanged[],
  settings: BatchSettings,
  results: Array<PublishAllResult | undefined>,
  report: (event: ProgressEvent) => void
): Promise<void> {
  const { signal } = settings.opts
  let stopped = false
  const go = (): boolean => !stopped && !signal?.aborted
  await runBounded(prepared.length, settings.concurrency, go, async (i) => {
    const p = prepared[i] as PreparedPublish
    try {
      const res = await publishTo({ ...p, exchanged: exchanged[i] })
      results[i] = Object.freeze({ name: nameOf(p), version: versionOf(p), ok: true, res })
      report(eventOf(p, 'done'))
    } catch (err) {
      results[i] = failed(p, err as Error)
      report(eventOf(p, 'failed', err))
      if (settings.bail) stopped = true
    }
  })
  if (signal?.aborted) throw signal.reason
}
