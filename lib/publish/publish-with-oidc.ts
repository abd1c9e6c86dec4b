import { OidcError, isOidcError } from '../errors.js'
import { getOidcToken } from '../client/get-oidc-token.js'
import { parseRegistry } from '../client/registry-target.js'
import { escapePackageName } from '../client/package-name.js'
import { hasConfiguredCredentials } from '../util/npm-credentials.js'
import { pickPublishRegistry } from '../contract/publish-registry.js'
import { decideProvenance, validateProvenanceOptions, type ProvenanceDecision } from './provenance.js'
import { capUploadError, mapUploadError } from './upload-errors.js'
import { packageVisibility } from './package-visibility.js'
import { scrubSecret } from '../util/scrub.js'
import { detectProvider } from '../client/get-oidc-token.js'
import { defaultProviders } from '../providers/index.js'
import { verbose, warn } from '../util/log.js'
import type { OidcOptions } from '../options.js'
import { withoutCredentialHeaders } from '../client/resolve-options.js'
import { connectionOptions } from '../util/connection-options.js'
import { refusingRedirects } from './refuse-redirects.js'
import type { OidcToken } from '../client/token.js'
import type { Env } from '../util/env.js'
import type { IdTokenClaims } from '../client/claims.js'

/** Options of {@link publishWithOidc}: libnpmpublish's (passed on unchanged) plus ours. */
export interface PublishOptions extends OidcOptions {
  /** `auto` (default): OIDC when a provider applies; `required`: OIDC or nothing; `off`: never. */
  oidc?: 'auto' | 'required' | 'off'
  /** `auto` (default): npm's rules and ours; a boolean always wins. */
  provenance?: boolean | 'auto'
  /** An existing provenance bundle to attach; wins over `auto`. */
  provenanceFile?: string
  /** Use the registry's staged-publish route. */
  stage?: boolean
  /** Exchange (so the setup is verified) and decide, but upload nothing. */
  dryRun?: boolean
  /** The environment to detect the provider in; `process.env` by default. */
  env?: Env
  /**
   * A registry that wins over `publishConfig` and `@scope:registry`, as npm's `--registry` flag does
   * (npm-oidc passes its `--registry` here).
   */
  forceRegistry?: string
}

/** How a publish was authenticated. */
export type PublishAuth =
  | { readonly method: 'oidc', readonly provider: string, readonly expires?: Date, readonly claims: IdTokenClaims }
  | { readonly method: 'token', readonly oidcError?: OidcError }
  | { readonly method: 'none' }

/** What {@link publishWithOidc} did, attached to its result as `oidc`. */
export interface PublishOutcome {
  readonly package: string
  readonly version: string
  readonly registry: string
  readonly auth: PublishAuth
  readonly provenance: ProvenanceDecision
  readonly stage: boolean
  readonly dryRun: boolean
}

/** libnpmpublish's response, with the outcome. */
export type PublishResult = Response & { readonly oidc: PublishOutcome, readonly stageId?: string, readonly transparencyLogUrl?: string }

const MODES = new Set(['auto', 'required', 'off'])

function validate (manifest: unknown, tarball: unknown, opts: unknown): asserts manifest is Record<string, unknown> & { name: string, version: string } {
  if (typeof manifest !== 'object' || manifest === null) throw new TypeError('Expected `manifest` to be an object.')
  if (typeof (manifest as { version?: unknown }).version !== 'string') throw new TypeError('Expected `manifest.version` to be a string.')
  if (!Buffer.isBuffer(tarball)) throw new TypeError('Expected `tarball` to be a Buffer.')
  if (typeof opts !== 'object' || opts === null) throw new TypeError('Expected `opts` to be an object.')
  const { oidc, provenance, provenanceFile, env } = opts as PublishOptions
  if (oidc !== undefined && !MODES.has(oidc)) throw new TypeError(`Expected \`opts.oidc\` to be 'auto', 'required' or 'off', got ${JSON.stringify(oidc)}.`)
  validateProvenanceOptions(opts)
  if (provenance === true && provenanceFile !== undefined) throw new TypeError('Expected only one of `opts.provenance: true` and `opts.provenanceFile`.')
  if (env !== undefined && (typeof env !== 'object' || env === null)) throw new TypeError('Expected `opts.env` to be an object.')
  const { forceRegistry } = opts as PublishOptions
  if (forceRegistry !== undefined && typeof forceRegistry !== 'string') throw new TypeError('Expected `opts.forceRegistry` to be a URL.')
}

// The upload carries a token: the caller's headers may not add a second credential, and a loopback registry
// is reached without any proxy, as the token requests are.
function uploadConnection (registry: string, opts: PublishOptions): Record<string, unknown> {
  const { agent, proxy, httpsProxy, noProxy } = connectionOptions(registry, opts)
  return { headers: withoutCredentialHeaders(opts.headers), agent, proxy, httpsProxy, noProxy }
}

function uploadRedirected (status: number, oidc: OidcToken, registry: string): OidcError {
  return new OidcError('ERR_OIDC_REDIRECT_REFUSED', {
    provider: oidc.provider,
    what: 'the registry answered the upload with a redirect',
    facts: `status ${status} from ${registry}`,
    hint: 'The exchanged token is never sent to a redirect target, and nothing was published; configure the ' +
      'registry URL the redirect points to',
    status,
    claims: oidc.claims,
  })
}

function dryRunResponse (): Response {
  return new Response(null, { status: 204, statusText: 'dry run: nothing was uploaded' })
}

/**
 * Publishes like libnpmpublish's `publish`, authenticated by trusted publishing: it picks the registry as
 * npm does, exchanges the CI provider's ID token for a token scoped to this one package, and calls
 * libnpmpublish with a **new** options object carrying it. The caller's options are never changed.
 *
 * @param manifest - the package's manifest (its `package.json`)
 * @param tarball - the packed package
 * @param opts - libnpmpublish's options plus {@link PublishOptions}
 * @returns libnpmpublish's response, with `oidc`: how the publish was authenticated and the provenance decision
 * @throws TypeError for arguments of the wrong shape
 * @throws {OidcError} any code of {@link getOidcToken}, and `ERR_OIDC_NO_PROVIDER`, `ERR_OIDC_PROVENANCE_UNAVAILABLE`,
 *   `ERR_OIDC_PROVENANCE_MISMATCH`, `ERR_OIDC_PUBLISH_FORBIDDEN`, `ERR_OIDC_PUBLISH_MASKED_404`,
 *   `ERR_OIDC_PUBLISH_TOKEN_INVALID`, `ERR_OIDC_PROVENANCE_REJECTED`
 * @example
 * ```ts
 * const res = await publishWithOidc(manifest, tarball, { access: 'public', oidc: 'required' })
 * console.log(res.oidc.auth.method, res.oidc.provenance.reason)
 * ```
 */
export async function publishWithOidc (manifest: Record<string, unknown>, tarball: Buffer, opts: PublishOptions = {}): Promise<PublishResult> {
  validate(manifest, tarball, opts)
  const escapedName = await escapePackageName(manifest.name, 'manifest.name')
  const env: Env = opts.env ?? process.env
  const mode = opts.oidc ?? 'auto'
  const { registry: picked, overlay } = await pickPublishRegistry(manifest, opts, opts.forceRegistry)
  const target = parseRegistry(picked, 'registry')
  const configured = hasConfiguredCredentials({ ...opts, ...overlay }, target.href)

  let oidc: OidcToken | null = null
  let oidcError: OidcError | undefined
  if (mode !== 'off') {
    try {
      oidc = await getOidcToken(manifest.name, target.href, env, opts)
    } catch (err) {
      if (!isOidcError(err) || mode === 'required' || !configured) throw err
      oidcError = err
      warn(`${err.code}: ${err.message} Publishing with the token configured for ${target.href} instead.`)
    }
    if (!oidc && !oidcError && mode === 'required') {
      throw new OidcError('ERR_OIDC_NO_PROVIDER', {
        what: 'trusted publishing is required but no OIDC provider was detected',
        facts: `looked for ${(opts.providers ?? defaultProviders).map((p) => p.detectedBy).join(', ')} and NPM_ID_TOKEN`,
        hint: 'Run the publish in a supported CI job (GitHub Actions, GitLab CI/CD, CircleCI), or use `oidc: \'auto\'` to publish with a configured token',
      })
    }
  }
  const auth: PublishAuth = oidc
    ? { method: 'oidc', provider: oidc.provider, claims: oidc.claims, ...(oidc.expires ? { expires: oidc.expires } : {}) }
    : oidcError ? { method: 'token', oidcError } : configured ? { method: 'token' } : { method: 'none' }

  const provenance = await decideProvenance({
    setting: opts.provenance ?? 'auto',
    provenanceFile: opts.provenanceFile,
    oidc,
    env,
    manifest,
    isPublic: () => packageVisibility(target.href, escapedName, oidc as OidcToken, opts),
    detectedProvider: detectProvider(opts.providers ?? defaultProviders, env)?.id,
  })
  const outcome: PublishOutcome = Object.freeze({
    package: manifest.name, version: manifest.version, registry: target.href, auth, provenance, stage: opts.stage === true, dryRun: opts.dryRun === true,
  })
  if (outcome.dryRun) {
    verbose(`Dry run: ${manifest.name}@${manifest.version} was not uploaded to ${target.href}`)
    return Object.assign(dryRunResponse(), { oidc: outcome })
  }

  const publishOpts: Record<string, unknown> = {
    ...opts, ...overlay, registry: target.href, ...uploadConnection(target.href, opts),
  }
  if (opts.provenanceFile === undefined) publishOpts.provenance = provenance.enabled
  if (oidc) {
    publishOpts[oidc.authKey] = oidc.token
    publishOpts.forceAuth = { token: oidc.token }
  }
  const { publish } = await import('libnpmpublish')
  try {
    const upload = () => publish(manifest, tarball, publishOpts)
    const exchanged = oidc
    const res = exchanged
      ? await refusingRedirects(exchanged.token, upload, (status) => uploadRedirected(status, exchanged, target.href))
      : await upload()
    verbose(`Published ${manifest.name}@${manifest.version} to ${target.href} (${auth.method})`)
    return Object.assign(res, { oidc: outcome })
  } catch (err) {
    // Scrubbed before it is cut, so that a cut cannot leave part of the token behind.
    const bounded = capUploadError(oidc ? scrubSecret(err, oidc.token) : err)
    throw oidc ? mapUploadError(bounded, oidc, outcome.stage) : bounded
  }
}
