import { diagnoseWith } from './diagnose.js'
import { NPMJS_REGISTRY } from '../contract/npmjs.js'
import { obtainIdToken, type ObtainedIdToken } from '../client/obtain-id-token.js'
import type { OidcCall } from '../client/oidc-call.js'
import { runBounded } from '../util/run-bounded.js'
import { positiveInteger } from '../util/number-option.js'
import { DEFAULT_CONCURRENCY } from '../client/get-oidc-tokens.js'
import { SharedIdToken } from '../client/shared-id-token.js'
import type { CallContext } from '../providers/provider.js'
import { readWorkspaces } from '../util/workspaces.js'
import { withLogger } from '../util/log.js'
import { assertProgressCallback, progressReporter, type ProgressCallback } from '../client/progress.js'
import type { DiagnoseOptions, DiagnosisCheckId, OidcDiagnosis } from './diagnosis.js'

/** A package to check: its name, and the version about to be published. */
export interface PreflightPackage {
  readonly name: string
  readonly version?: string
  /** Its manifest, for the provenance check's `repository.url` comparison. */
  readonly manifest?: Readonly<Record<string, unknown>>
}

/** Options of {@link preflight}: {@link diagnose}'s, plus the batch settings. */
export interface PreflightOptions extends Omit<DiagnoseOptions, 'version' | 'manifest' | 'registry'> {
  /** The registry, or a function choosing it per package (scoped registries). Default registry.npmjs.org. */
  registry?: string | ((name: string) => string)
  /** The environment to read; `process.env` by default. */
  env?: Record<string, string | undefined>
  /** How many packages are checked at once; default 4 (each check makes a real exchange). */
  concurrency?: number
  /** Share one ID token across the packages, as `getOidcTokens` does; default `true`. */
  reuseIdToken?: boolean
  /**
   * Called after each package with how many are done, out of how many, which one just finished, and the event
   * (`phase: 'check'`, `status: 'done'` when ready, else `'failed'`). What it throws is ignored.
   */
  onProgress?: ProgressCallback
}

/** One package's verdict. */
export interface PreflightResult {
  readonly name: string
  readonly version?: string
  readonly ready: boolean
  /** The first failing check, when not ready. */
  readonly failing?: { readonly id: DiagnosisCheckId, readonly summary: string, readonly hint: string }
  /** The whole diagnosis. */
  readonly diagnosis: OidcDiagnosis
}

/** What {@link preflight} found: `ok` when every package is ready. */
export interface PreflightReport {
  readonly ok: boolean
  readonly packages: readonly PreflightResult[]
}

async function resolvePackages (packages: unknown): Promise<PreflightPackage[]> {
  if (Array.isArray(packages)) {
    for (const [i, p] of packages.entries()) {
      if (typeof p !== 'object' || p === null || typeof (p as { name?: unknown }).name !== 'string') {
        throw new TypeError(`Expected \`packages[${i}]\` to be { name, version? }.`)
      }
    }
    return packages as PreflightPackage[]
  }
  const root = (packages as { workspaces?: unknown } | null)?.workspaces
  if (typeof root !== 'string') {
    throw new TypeError('Expected `packages` to be an array of { name, version? } or { workspaces: rootDir }.')
  }
  return readWorkspaces(root)
}

/**
 * Runs {@link diagnose} for every package of a release before anything is published — each with a real
 * exchange — so one misconfigured package does not abort a release half way.
 *
 * @param packages - `[{ name, version? }]`, or `{ workspaces: rootDir }` to read the workspaces of
 *   `pnpm-workspace.yaml` or the root `package.json` as the package managers do (`private` packages are skipped)
 * @param opts - `registry`, `env`, `concurrency` (default 4), `reuseIdToken` (default `true`), `onProgress`, and
 *   {@link diagnose}'s options
 * @returns one verdict per package, in input order, with the first failing check
 * @throws TypeError for arguments of the wrong shape; Error when the workspace root cannot be read; OidcError
 *   `ERR_OIDC_WORKSPACE_INVALID` when two workspace folders hold packages of the same name
 * @example
 * ```ts
 * const report = await preflight({ workspaces: process.cwd() }, {
 *   onProgress: (done, total) => console.error(`${done}/${total}`),
 * })
 * if (!report.ok) process.exitCode = 1
 * ```
 */
export async function preflight (
  packages: readonly PreflightPackage[] | { workspaces: string }, opts: PreflightOptions = {}
): Promise<PreflightReport> {
  return withLogger(opts.logger, () => checkAll(packages, opts))
}

async function checkAll (
  packages: readonly PreflightPackage[] | { workspaces: string }, opts: PreflightOptions
): Promise<PreflightReport> {
  const {
    registry = NPMJS_REGISTRY, env = process.env, concurrency: requested, reuseIdToken = true, onProgress,
    ...diagnoseOptions
  } = opts
  const concurrency = positiveInteger(requested, 'opts.concurrency', DEFAULT_CONCURRENCY)
  if (typeof registry !== 'string' && typeof registry !== 'function') {
    throw new TypeError('Expected `opts.registry` to be a URL or a function.')
  }
  assertProgressCallback(onProgress)
  const list = await resolvePackages(packages)
  const report = progressReporter(onProgress, list.length)
  const results: PreflightResult[] = new Array(list.length)
  // The ID token is bound to the registry's audience, not to a package: one per audience serves the whole
  // release, exactly as in getOidcTokens (a failure to get it is then reported once for every package).
  const idTokens = new Map<string, SharedIdToken>()
  const obtain = (call: OidcCall, context: CallContext): Promise<ObtainedIdToken> => {
    let shared = idTokens.get(call.target.audience)
    if (!shared) {
      shared = new SharedIdToken(() => obtainIdToken(call, context), reuseIdToken)
      idTokens.set(call.target.audience, shared)
    }
    return shared.take().promise
  }
  await runBounded(list.length, concurrency, () => true, async (index) => {
    const pkg = list[index] as PreflightPackage
    const diagnosis = await diagnoseWith(pkg.name, typeof registry === 'string' ? registry : registry(pkg.name), env, {
      ...diagnoseOptions,
      ...(pkg.version === undefined ? {} : { version: pkg.version }),
      ...(pkg.manifest === undefined ? {} : { manifest: pkg.manifest }),
    }, obtain)
    const failing = diagnosis.checks.find((c) => c.status === 'fail')
    results[index] = {
      name: pkg.name,
      ...(pkg.version === undefined ? {} : { version: pkg.version }),
      ready: diagnosis.ok,
      // Every failed check carries a hint (diagnosis-check.ts and each check's own failures).
      ...(failing ? { failing: { id: failing.id, summary: failing.summary, hint: failing.hint as string } } : {}),
      diagnosis,
    }
    const version = pkg.version === undefined ? {} : { version: pkg.version }
    report({ phase: 'check', name: pkg.name, ...version, status: diagnosis.ok ? 'done' : 'failed' })
  })
  return { ok: results.every((r) => r.ready), packages: results }
}
