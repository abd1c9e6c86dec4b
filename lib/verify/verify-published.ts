import { OidcError } from '../errors.js'
import { escapePackageName } from '../client/package-name.js'
import { pickPublishRegistry } from '../contract/publish-registry.js'
import { attestationSource, provenanceBundle, type AttestationSource } from '../contract/attestation-source.js'
import { readPublic } from './read-public.js'
import type { NpmFetchOptions } from '../options.js'

/** What a published version must show; each field left out is not checked. */
export interface PublishedExpectation {
  /**
   * The trusted publisher's provider, as npmjs records it in `_npmUser.trustedPublisher.id` (`'github'`,
   * `'gitlab'`, `'circleci'`); libnpmoidc's provider ids (`'github-actions'`) are accepted too.
   */
  readonly provider?: string
  /** The version must carry a provenance attestation (`dist.attestations`). */
  readonly provenance?: boolean
  /** The repository the provenance names: `owner/repo` (GitHub) or `group/project` (GitLab). Case-insensitive. */
  readonly repository?: string
  /**
   * The workflow the provenance names: a file name (`release.yml`, `.gitlab-ci.yml`), compared with the last part of
   * the path, or a path (`.github/workflows/release.yml`), compared whole. Exact, case included.
   */
  readonly workflow?: string
}

/** The options of {@link verifyPublished}: npm's flat options (only the connection settings are used) and `expect`. */
export interface VerifyPublishedOptions extends NpmFetchOptions {
  /** What the version must show; with none, only trusted publishing itself is checked. */
  expect?: PublishedExpectation
  /** Time limit of each request, in ms. Default 15000. */
  timeout?: number
  /** Extra request headers; `Authorization`, `Proxy-Authorization` and `Cookie` are dropped. */
  headers?: Record<string, string>
  /** Prepended to the `User-Agent`. */
  userAgent?: string
}

/** The provenance evidence of a published version, read from its attestation (see {@link verifyPublished}). */
export interface PublishedProvenance extends AttestationSource {
  /** Where the attestations were read. */
  readonly url: string
}

/** How a version was published, as the registry records it publicly. */
export interface PublishedEvidence {
  readonly name: string
  readonly version: string
  readonly registry: string
  /** `versions[v]._npmUser.trustedPublisher`: the provider id and the registry's id of the trusted publisher. */
  readonly trustedPublisher: { readonly id: string, readonly oidcConfigId?: string }
  /** `versions[v].dist.integrity`. */
  readonly integrity: string | undefined
  /** The provenance attestation's facts, or `null` when the version has none (or none was fetched). */
  readonly provenance: PublishedProvenance | null
}

type Json = Record<string, unknown>
const object = (value: unknown): Json => (value !== null && typeof value === 'object' ? value as Json : {})

// npmjs's `trustedPublisher.id` for each of libnpmoidc's provider ids that differs from it.
const REGISTRY_PROVIDER_IDS: Readonly<Record<string, string>> = { 'github-actions': 'github' }

function checkExpectation (expect: unknown): PublishedExpectation {
  if (expect === undefined) return {}
  if (typeof expect !== 'object' || expect === null) throw new TypeError('Expected `opts.expect` to be an object.')
  for (const key of ['provider', 'repository', 'workflow'] as const) {
    const value = (expect as Json)[key]
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw new TypeError(`Expected \`opts.expect.${key}\` to be a non-empty string, got ${JSON.stringify(value)}.`)
    }
  }
  const provenance = (expect as Json).provenance
  if (provenance !== undefined && typeof provenance !== 'boolean') {
    throw new TypeError(`Expected \`opts.expect.provenance\` to be a boolean, got ${JSON.stringify(provenance)}.`)
  }
  return expect as PublishedExpectation
}

function notTrusted (spec: string, npmUser: Json): OidcError {
  const by = typeof npmUser.name === 'string' ? `published by ${JSON.stringify(npmUser.name)}` : 'no _npmUser recorded'
  return new OidcError('ERR_OIDC_PUBLISHED_NOT_TRUSTED', {
    what: `${spec} was not published through trusted publishing`,
    facts: `no _npmUser.trustedPublisher; ${by}`,
    hint: 'It was published with a token. If that was not your release job, revoke the tokens that can publish ' +
      'the package, deprecate the version, and require trusted publishing in the package settings',
  })
}

function otherSource (spec: string, field: string, expected: string, actual: string | undefined): OidcError {
  return new OidcError('ERR_OIDC_PUBLISHED_OTHER_SOURCE', {
    what: `the provenance of ${spec} names another ${field}`,
    facts: `expected ${expected}, got ${actual === undefined ? '(none)' : JSON.stringify(actual)}`,
    hint: 'This version was built elsewhere than expected: check the run the provenance links to before trusting it',
  })
}

function integrityHex (integrity: string | undefined): string | undefined {
  const sha512 = integrity?.split(/\s+/).find((part) => part.startsWith('sha512-'))
  return sha512 === undefined ? undefined : Buffer.from(sha512.slice(7), 'base64').toString('hex')
}

// The statement must describe this very tarball, and the source the caller expects.
function checkSource (spec: string, source: AttestationSource, integrity: string | undefined,
  expect: PublishedExpectation): void {
  const expectedSubject = `pkg:npm/${spec.replace(/^@/, '%40')}`
  if (source.subject !== expectedSubject) throw otherSource(spec, 'package', expectedSubject, source.subject)
  const digest = integrityHex(integrity)
  if (digest !== undefined && source.sha512 !== digest) {
    throw otherSource(spec, 'tarball (sha512)', `the version's dist.integrity ${integrity as string}`, source.sha512)
  }
  if (expect.repository !== undefined && source.repository?.toLowerCase() !== expect.repository.toLowerCase()) {
    throw otherSource(spec, 'repository', JSON.stringify(expect.repository), source.repository)
  }
  const workflow = expect.workflow
  if (workflow !== undefined) {
    const actual = workflow.includes('/') ? source.workflow : source.workflow?.split('/').pop()
    if (actual !== workflow) throw otherSource(spec, 'workflow', JSON.stringify(workflow), source.workflow)
  }
}

async function readProvenance (spec: string, registry: string, dist: Json,
  opts: Readonly<Record<string, unknown>>): Promise<PublishedProvenance> {
  const url = new URL(String(object(dist.attestations).url), registry).href
  const read = await readPublic(url, opts, `the attestations of ${spec}`)
  const bundle = 'body' in read ? provenanceBundle(read.body) : undefined
  const source = bundle === undefined ? undefined : await attestationSource(bundle)
  if (source === undefined) {
    throw new OidcError('ERR_OIDC_PUBLISHED_UNREADABLE', {
      what: `the attestations of ${spec} hold no readable provenance statement`,
      facts: 'body' in read ? `from ${url}` : `status 404 from ${url}`,
      hint: 'The registry lists attestations it does not serve: report it to the registry',
    })
  }
  return { url, ...source }
}

/**
 * Checks, after publishing, how a version was published, from what the registry shows anyone: reads the packument
 * (and, when there is one, the provenance attestation) without credentials, and fails unless the version was
 * published through trusted publishing — by the expected provider, with provenance when expected, built from the
 * expected repository and workflow.
 *
 * The attestation is read, not verified: its signature was checked by the registry when it accepted the upload,
 * and is not checked again here (no trust root is downloaded). Its statement must name this version and its
 * tarball's sha512 (`dist.integrity`); `expect.repository` and `expect.workflow` are compared with the statement's
 * source (for GitHub the calling workflow, which is what a trusted publisher names). The signing certificate's
 * identity is part of the evidence.
 *
 * @param pkg - the package name
 * @param version - the exact version
 * @param opts - `expect`, the registry (`registry`, `@scope:registry`; default registry.npmjs.org) and connection
 *   settings; any token in them is never sent
 * @returns the evidence: trusted publisher, integrity, provenance facts
 * @throws TypeError for an invalid package name, version or option
 * @throws {OidcError} `ERR_OIDC_PUBLISHED_NOT_FOUND`, `ERR_OIDC_PUBLISHED_UNREADABLE`,
 *   `ERR_OIDC_PUBLISHED_NOT_TRUSTED`, `ERR_OIDC_PUBLISHED_OTHER_PROVIDER`, `ERR_OIDC_PUBLISHED_NO_PROVENANCE`,
 *   `ERR_OIDC_PUBLISHED_OTHER_SOURCE`
 * @example
 * ```ts
 * const evidence = await verifyPublished('@acme/widgets', '1.4.0', {
 *   expect: { provider: 'github', provenance: true, repository: 'acme/widgets', workflow: 'release.yml' },
 * })
 * console.log(evidence.trustedPublisher.id, evidence.provenance?.certificateIdentity)
 * ```
 */
export async function verifyPublished (
  pkg: string, version: string, opts: VerifyPublishedOptions = {}
): Promise<PublishedEvidence> {
  const escaped = await escapePackageName(pkg, 'pkg')
  if (typeof version !== 'string' || version === '') {
    throw new TypeError(`Expected \`version\` to be a non-empty string, got ${JSON.stringify(version)}.`)
  }
  if (typeof opts !== 'object' || opts === null) throw new TypeError('Expected `opts` to be an object.')
  const expect = checkExpectation(opts.expect)
  const bag = opts as Readonly<Record<string, unknown>>
  const { registry } = await pickPublishRegistry({ name: pkg }, bag)
  const spec = `${pkg}@${version}`
  const read = await readPublic(`${registry.replace(/\/?$/, '/')}${escaped}`, bag, `the packument of ${pkg}`)
  const manifest = 'body' in read ? object(object(object(read.body).versions)[version]) : {}
  if (!('body' in read) || Object.keys(manifest).length === 0) {
    throw new OidcError('ERR_OIDC_PUBLISHED_NOT_FOUND', {
      what: `${spec} is not on ${registry}`,
      facts: 'body' in read ? 'the packument has no such version' : 'status 404 for the packument',
      hint: 'Check the name, version and registry; right after publishing, reads can lag a minute behind',
    })
  }
  const npmUser = object(manifest._npmUser)
  const trusted = object(npmUser.trustedPublisher)
  if (typeof trusted.id !== 'string') throw notTrusted(spec, npmUser)
  const wanted = expect.provider === undefined ? undefined : REGISTRY_PROVIDER_IDS[expect.provider] ?? expect.provider
  if (wanted !== undefined && trusted.id !== wanted) {
    throw new OidcError('ERR_OIDC_PUBLISHED_OTHER_PROVIDER', {
      what: `${spec} was published through trusted publishing from another CI provider`,
      facts: `expected ${wanted}, got ${trusted.id}`,
      hint: 'Check the package\'s trusted publishers: one you did not expect was used',
    })
  }
  const dist = object(manifest.dist)
  const integrity = typeof dist.integrity === 'string' ? dist.integrity : undefined
  const needsProvenance = expect.provenance === true || expect.repository !== undefined || expect.workflow !== undefined
  if (typeof object(dist.attestations).url !== 'string') {
    if (needsProvenance) {
      throw new OidcError('ERR_OIDC_PUBLISHED_NO_PROVENANCE', {
        what: `${spec} has no provenance`,
        facts: 'no dist.attestations',
        hint: expect.provenance === true
          ? 'Publish with provenance (a public repository on GitHub-hosted runners, or GitLab with SIGSTORE_ID_TOKEN)'
          : 'The repository and workflow can only be checked from a provenance attestation',
      })
    }
    return evidence(pkg, version, registry, trusted, integrity, null)
  }
  const provenance = await readProvenance(spec, registry, dist, bag)
  checkSource(spec, provenance, integrity, expect)
  return evidence(pkg, version, registry, trusted, integrity, provenance)
}

function evidence (name: string, version: string, registry: string, trusted: Json, integrity: string | undefined,
  provenance: PublishedProvenance | null): PublishedEvidence {
  const oidcConfigId = typeof trusted.oidcConfigId === 'string' ? { oidcConfigId: trusted.oidcConfigId } : {}
  const trustedPublisher = { id: trusted.id as string, ...oidcConfigId }
  return { name, version, registry, trustedPublisher, integrity, provenance }
}
