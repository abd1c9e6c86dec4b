import { parseRegistry, type RegistryTarget } from '../client/registry-target.js'
import { escapePackageName } from '../client/package-name.js'
import { hasConfiguredCredentials } from '../util/npm-credentials.js'
import { pickPublishRegistry } from '../contract/publish-registry.js'
import { assertNoWorkspaceRanges } from '../contract/workspace-ranges.js'
import { decideProvenance, validateProvenanceOptions, type ProvenanceDecision } from './provenance.js'
import { assertSignsAsTheJob } from './provenance-env.js'
import { detectProvider } from '../client/detect-provider.js'
import { defaultProviders } from '../providers/index.js'
import { verbose, withLogger } from '../util/log.js'
import { validateHandoff } from './token-handoff.js'
import type { OidcError } from '../errors.js'
import { OIDC_MODES, type OidcOptions } from '../options.js'
import { authenticatePublish, type PublishAuth } from './publish-auth.js'
import type { OidcToken } from '../client/token.js'
import type { Env } from '../util/env.js'

export type { PublishAuth } from './publish-auth.js'

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
  /** libnpmpublish's: `public` or `restricted`; the manifest's `publishConfig.access` otherwise. */
  access?: 'public' | 'restricted' | null
  /** libnpmpublish's dist-tag; `latest` by default. */
  tag?: string
  /** libnpmpublish's: the dist-tag when `tag` is unset. */
  defaultTag?: string
  /** libnpmpublish's: the integrity algorithms of the tarball. */
  algorithms?: readonly string[]
  /** Sent to the registry as the npm version that publishes. */
  npmVersion?: string
  /**
   * A token `getOidcToken` or `getOidcTokens` exchanged for this package and this registry (the one npm picks
   * for it): used instead of a new exchange. One for another package or registry is refused
   * (`ERR_OIDC_TOKEN_MISMATCH`) before anything is sent; one that expires within 60 s is exchanged again.
   * Not allowed with `oidc: 'off'`.
   */
  oidcToken?: OidcToken
}

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
export type PublishResult = Response & {
  readonly oidc: PublishOutcome
  readonly stageId?: string
  readonly transparencyLogUrl?: string
}

// The typed options are npm's flat configuration, which the registry helpers read key by key.
const flat = (opts: PublishOptions): Readonly<Record<string, unknown>> => opts as Readonly<Record<string, unknown>>

function validate (
  manifest: unknown, tarball: unknown, opts: unknown
): asserts manifest is Record<string, unknown> & { name: string, version: string } {
  if (typeof manifest !== 'object' || manifest === null) throw new TypeError('Expected `manifest` to be an object.')
  if (typeof (manifest as { version?: unknown }).version !== 'string') {
    throw new TypeError('Expected `manifest.version` to be a string.')
  }
  if (!Buffer.isBuffer(tarball)) throw new TypeError('Expected `tarball` to be a Buffer.')
  if (typeof opts !== 'object' || opts === null) throw new TypeError('Expected `opts` to be an object.')
  const { oidc, provenance, provenanceFile, env } = opts as PublishOptions
  if (oidc !== undefined && !OIDC_MODES.has(oidc)) {
    throw new TypeError(`Expected \`opts.oidc\` to be 'auto', 'required' or 'off', got ${JSON.stringify(oidc)}.`)
  }
  validateProvenanceOptions(opts)
  if (provenance === true && provenanceFile !== undefined) {
    throw new TypeError('Expected only one of `opts.provenance: true` and `opts.provenanceFile`.')
  }
  if (env !== undefined && (typeof env !== 'object' || env === null)) {
    throw new TypeError('Expected `opts.env` to be an object.')
  }
  const { forceRegistry, oidcToken } = opts as PublishOptions
  if (forceRegistry !== undefined && typeof forceRegistry !== 'string') {
    throw new TypeError('Expected `opts.forceRegistry` to be a URL.')
  }
  validateHandoff(oidcToken)
  if (oidcToken !== undefined && oidc === 'off') {
    throw new TypeError('Expected no `opts.oidcToken` with `opts.oidc: \'off\'`, which never publishes with one.')
  }
}

/**
 * Internal: checks `publishWithOidc`'s arguments and escapes the package name.
 *
 * @throws TypeError for arguments of the wrong shape
 */
export async function validatePublish (
  manifest: unknown, tarball: unknown, opts: unknown, where = ''
): Promise<string> {
  try {
    validate(manifest, tarball, opts)
  } catch (err) {
    if (where) (err as Error).message = `${where}: ${(err as Error).message}`
    throw err
  }
  return escapePackageName(manifest.name, `${where ? `${where}.` : ''}manifest.name`)
}

function dryRunResponse (): Response {
  return new Response(null, { status: 204, statusText: 'dry run: nothing was uploaded' })
}

/**
 * Publishes like libnpmpublish's `publish`, authenticated by trusted publishing: it picks the registry as
 * npm does, exchanges the CI provider's ID token for a token scoped to this one package, and calls
 * libnpmpublish with a **new** options object carrying it. The caller's options are never changed.
 *
 * With `opts.oidcToken` (from {@link getOidcToken} or {@link getOidcTokens}) it skips the exchange and uses that
 * token, once it has checked that the token is for this package and this registry; the outcome and the upload
 * errors are the same as after its own exchange.
 *
 * @param manifest - the package's manifest (its `package.json`)
 * @param tarball - the packed package
 * @param opts - libnpmpublish's options plus {@link PublishOptions}
 * @returns libnpmpublish's response, with `oidc`: how the publish was authenticated and the provenance decision
 * @throws TypeError for arguments of the wrong shape
 * @throws {OidcError} any code of {@link getOidcToken}, and `ERR_OIDC_NO_PROVIDER`, `ERR_OIDC_PROVENANCE_UNAVAILABLE`,
 *   `ERR_OIDC_PROVENANCE_MISMATCH`, `ERR_OIDC_PROVENANCE_ENV_MISMATCH`, `ERR_OIDC_PUBLISH_FORBIDDEN`,
 *   `ERR_OIDC_PUBLISH_MASKED_404`, `ERR_OIDC_PUBLISH_TOKEN_INVALID`, `ERR_OIDC_PROVENANCE_REJECTED`,
 *   `ERR_OIDC_TOKEN_MISMATCH` (`opts.oidcToken`), `ERR_OIDC_WORKSPACE_PROTOCOL` (before any request)
 * @example
 * ```ts
 * const res = await publishWithOidc(manifest, tarball, { access: 'public', oidc: 'required' })
 * console.log(res.oidc.auth.method, res.oidc.provenance.reason)
 * ```
 */
export async function publishWithOidc (
  manifest: Record<string, unknown>, tarball: Buffer, opts: PublishOptions = {}
): Promise<PublishResult> {
  return withLogger(opts?.logger, async () => {
    const escapedName = await validatePublish(manifest, tarball, opts)
    const destination = await publishDestination(manifest as { name: string }, opts)
    return publishTo({ manifest, tarball, opts, escapedName, destination, exchanged: opts.oidcToken })
  })
}

/** Internal: one package to publish, its destination, and what an earlier exchange gave for it. */
export interface PreparedPublish {
  readonly manifest: Record<string, unknown>
  readonly tarball: Buffer
  readonly opts: PublishOptions
  readonly escapedName: string
  readonly destination: PublishDestination
  /** See `PublishAuthInput.exchanged`; unset: exchange now. */
  readonly exchanged?: OidcToken | OidcError | null | undefined
}

/**
 * Internal: publishes a validated package to its destination.
 *
 * @throws {OidcError} the codes of {@link publishWithOidc}
 */
export async function publishTo (prepared: PreparedPublish): Promise<PublishResult> {
  const { tarball, escapedName, destination: { target, overlay, configured }, exchanged } = prepared
  const manifest = prepared.manifest as Record<string, unknown> & { name: string, version: string }
  assertNoWorkspaceRanges(manifest)
  // Neither is libnpmpublish's, and the handed-over token goes out only as the upload's credential.
  const { oidcToken: _handedOver, logger: _logger, ...opts } = prepared.opts
  const env: Env = opts.env ?? process.env
  const detected = detectProvider(opts.providers ?? defaultProviders, env)
  // libnpmpublish signs from process.env: a request for provenance fails before the exchange, an automatic one
  // once it is decided, both before anything is signed or uploaded.
  const assertOneJob = () => { assertSignsAsTheJob(opts, env, detected) }
  if (opts.provenance === true) assertOneJob()
  const { oidc, auth } = await authenticatePublish({
    mode: opts.oidc ?? 'auto',
    pkgName: manifest.name,
    registry: target.href,
    configured,
    env,
    opts,
    ...(exchanged === undefined ? {} : { exchanged }),
  })
  const provenance = await decideProvenance({
    setting: opts.provenance ?? 'auto',
    provenanceFile: opts.provenanceFile,
    oidc,
    env,
    manifest,
    // Loaded when asked, like the upload below: importing libnpmoidc stays cheap.
    isPublic: async () => (await import('./package-visibility.js'))
      .packageVisibility(target.href, escapedName, oidc as OidcToken, flat(opts)),
    detectedProvider: detected?.id,
  })
  if (provenance.enabled && provenance.source === 'auto') assertOneJob()
  const outcome: PublishOutcome = Object.freeze({
    package: manifest.name,
    version: manifest.version,
    registry: target.href,
    auth,
    provenance,
    stage: opts.stage === true,
    dryRun: opts.dryRun === true,
  })
  if (outcome.dryRun) {
    verbose(`Dry run: ${manifest.name}@${manifest.version} was not uploaded to ${target.href}`)
    return Object.assign(dryRunResponse(), { oidc: outcome })
  }
  const [{ publish }, { uploadPackage }] = await Promise.all([import('libnpmpublish'), import('./upload-package.js')])
  const res = await uploadPackage(publish, manifest, tarball, {
    opts, overlay, registry: target.href, provenance: provenance.enabled, oidc, stage: outcome.stage,
  })
  verbose(`Published ${manifest.name}@${manifest.version} to ${target.href} (${auth.method})`)
  return Object.assign(res, { oidc: outcome })
}

/** Internal: where a package goes, as npm picks it, and whether the caller's options hold a token for it. */
export interface PublishDestination {
  readonly target: RegistryTarget
  readonly overlay: Record<string, string>
  readonly configured: boolean
}

/** Internal: where the package goes, as npm picks it, and whether the caller's options hold a token for it. */
export async function publishDestination (
  manifest: { readonly name: string, readonly publishConfig?: unknown }, opts: PublishOptions
): Promise<PublishDestination> {
  const { registry: picked, overlay } = await pickPublishRegistry(manifest, flat(opts), opts.forceRegistry)
  const target = parseRegistry(picked, 'registry')
  return { target, overlay, configured: hasConfiguredCredentials({ ...opts, ...overlay }, target.href) }
}
