import { prepareOidcCall, startCallContext } from '../client/oidc-call.js'
import type { IdTokenSupplier } from './id-token-check.js'
import { validateProvenanceOptions } from '../publish/provenance.js'
import type { DiagnoseOptions, OidcDiagnosis } from './diagnosis.js'
import { withLogger } from '../util/log.js'

function validate (opts: DiagnoseOptions | undefined): void {
  if (opts === undefined || opts === null) return
  const { version, manifest } = opts
  if (version !== undefined && typeof version !== 'string') {
    throw new TypeError('Expected `opts.version` to be a string.')
  }
  if (manifest !== undefined && (typeof manifest !== 'object' || manifest === null)) {
    throw new TypeError('Expected `opts.manifest` to be an object.')
  }
  validateProvenanceOptions(opts)
}

/**
 * Checks, without publishing, whether trusted publishing would work for one package from this job, and
 * explains each finding. It performs the real exchange (the issued token is discarded) and an
 * unauthenticated read of the package, so a registry-side misconfiguration shows up here instead of as a
 * masked 404 during the release.
 *
 * The checks run in order (`environment`, `token-source`, `id-token`, `package`, `exchange`, `provenance`);
 * one whose dependency failed is `skip`. The package check runs even outside CI.
 *
 * It does not throw for anything the environment or the registry does: every such failure, expected or
 * not, becomes a failed check. Only programmer errors reject.
 *
 * @param pkgName - the package to check, such as `@scope/name`
 * @param registry - the registry's absolute http(s) URL
 * @param env - the environment to read, `process.env` by default
 * @param opts - `getOidcToken`'s options plus `version`, `manifest`, `provenance`, `provenanceFile`
 * @returns the diagnosis: plain, JSON-serialisable data without any token
 * @throws TypeError (as a rejection) when an argument has the wrong type or `pkgName` is not a valid name
 * @example
 * ```ts
 * const diagnosis = await diagnose('@acme/widgets', 'https://registry.npmjs.org/', process.env, { version: '1.2.0' })
 * if (!diagnosis.ok) console.error(formatDiagnosis(diagnosis))
 * ```
 */
export async function diagnose (
  pkgName: string,
  registry: string,
  env: Record<string, string | undefined> = process.env,
  opts?: DiagnoseOptions
): Promise<OidcDiagnosis> {
  return withLogger(opts?.logger, () => diagnoseWith(pkgName, registry, env, opts))
}

/** Internal: {@link diagnose}, with the ID token taken from `obtain` (a preflight shares one across packages). */
export async function diagnoseWith (
  pkgName: string,
  registry: string,
  env: Record<string, string | undefined>,
  opts: DiagnoseOptions | undefined,
  obtain?: IdTokenSupplier
): Promise<OidcDiagnosis> {
  const call = await prepareOidcCall(pkgName, registry, env, opts)
  validate(opts)
  const context = startCallContext(call)
  // The checks load on the first diagnosis, as the HTTP and npm libraries do: importing libnpmoidc stays cheap.
  const [
    { environmentCheck, tokenSourceCheck },
    { idTokenCheck },
    { packageCheck },
    { exchangeCheck, provenanceCheck },
  ] = await Promise.all([
    import('./environment-check.js'),
    import('./id-token-check.js'),
    import('./package-check.js'),
    import('./exchange-check.js'),
  ])
  const environment = await environmentCheck(call)
  const tokenSource = await tokenSourceCheck(call, environment)
  const idToken = await idTokenCheck(call, context, tokenSource, obtain)
  const pkg = await packageCheck(call, opts?.version, opts?.manifest)
  const exchange = await exchangeCheck(call, context, idToken.check, idToken.token, pkg.notFound)
  const provenance = await provenanceCheck(call, exchange, opts ?? {})
  const checks = [environment, tokenSource, idToken.check, pkg.check, exchange.check, provenance]
  return {
    ok: checks.every((c) => c.status !== 'fail'),
    provider: call.provider || call.preMinted ? call.who.id : null,
    registry: call.target.href,
    package: call.pkgName,
    claims: idToken.claims ?? null,
    checks,
  }
}
