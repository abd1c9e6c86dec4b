import { OidcError, type VerifyErrorCode } from '../errors.js'
import { attestationSource, type AttestationSource } from '../contract/attestation-source.js'
import { manifestRepositoryUrl, normaliseRepositoryUrl } from '../contract/repository-url.js'
import { expectedIdentity, FULCIO_OIDS, type ExpectedIdentity } from './provenance-identity.js'
import type { TrustMaterial, VerifierOptions, Signer, toTrustMaterial } from '@sigstore/verify'

/** What {@link verifyProvenance} checks: one provenance bundle against the upload and the exchange it came with. */
export interface ProvenanceInput {
  /** The Sigstore bundle as the client attached it: JSON text or the parsed object. */
  readonly bundle: unknown
  /** The tarball's integrity, `sha512-<base64>` (an SRI string; other algorithms in it are ignored). */
  readonly integrity: string
  /** The uploaded manifest: `name`, `version` and `repository`. */
  readonly manifest: Readonly<Record<string, unknown>>
  /** The verified claims of the ID token that was exchanged for the publish token. */
  readonly claims: Readonly<Record<string, unknown>>
}

/**
 * Where `@sigstore/tuf` fetches and caches Sigstore's trust root (its own option names; its types are not re-exported
 * because they name make-fetch-happen's, which ships none).
 */
export interface SigstoreTufOptions {
  /** The TUF repository; default Sigstore's public-good CDN. */
  readonly mirrorURL?: string
  /** Where the verified metadata is cached; default a folder in the user's home. */
  readonly cachePath?: string
  /** The initial `root.json` of a mirror other than Sigstore's. */
  readonly rootPath?: string
  /** Time limit of each request, in ms. */
  readonly timeout?: number
  /** Retries of each request: a count, or make-fetch-happen's `{ retries, factor, minTimeout, maxTimeout }`. */
  readonly retry?: number | Readonly<Record<string, number>>
  /** Use the cached metadata without checking for updates. */
  readonly forceCache?: boolean
}

/** The trust root and verification policy of {@link verifyProvenance}. */
export interface VerifyProvenanceOptions {
  /**
   * The Sigstore trust material to verify against (`toTrustMaterial(trustedRoot)` of `@sigstore/verify`). Wins
   * over `trustedRoot`. Neither given: Sigstore's public-good root, fetched and verified with `@sigstore/tuf`.
   */
  readonly trustMaterial?: TrustMaterial
  /** A TrustedRoot message (what `@sigstore/tuf`'s `getTrustedRoot` returns), for a private Sigstore instance. */
  readonly trustedRoot?: Parameters<typeof toTrustMaterial>[0]
  /** Options of `@sigstore/tuf` for the public-good root: `cachePath`, `mirrorURL`, `retry`, `timeout`… */
  readonly tuf?: SigstoreTufOptions
  /** Thresholds of `@sigstore/verify` (transparency log entries, timestamps); its defaults otherwise. */
  readonly verifier?: VerifierOptions
}

/** The facts of a provenance bundle that passed {@link verifyProvenance}. */
export interface VerifiedProvenance extends AttestationSource {
  /** The certificate's subject alternative name: the workflow (GitHub) or CI file (GitLab) that signed. */
  readonly certificateIdentity: string
  /** The certificate's OIDC issuer extension. */
  readonly issuer: string
  /** The signed source repository URL (Fulcio's source repository extension). */
  readonly sourceRepository: string
}

type Json = Record<string, unknown>

const IN_TOTO = 'application/vnd.in-toto+json'

function refuse (code: VerifyErrorCode, what: string, facts: string, hint: string): OidcError<VerifyErrorCode> {
  return new OidcError(code, { what, facts, hint })
}

function parseBundle (bundle: unknown): Json {
  if (typeof bundle === 'string') {
    try {
      return parseBundle(JSON.parse(bundle))
    } catch {
      throw refuse('ERR_OIDC_VERIFY_PROVENANCE_MALFORMED', 'the provenance bundle is not JSON', 'unparsable text',
        'Attach the Sigstore bundle that signing produced, unchanged')
    }
  }
  if (bundle === null || typeof bundle !== 'object') {
    throw refuse('ERR_OIDC_VERIFY_PROVENANCE_MALFORMED', 'the provenance bundle is not an object', typeof bundle,
      'Attach the Sigstore bundle that signing produced, unchanged')
  }
  return bundle as Json
}

async function trustMaterialFor (options: VerifyProvenanceOptions): Promise<TrustMaterial> {
  if (options.trustMaterial !== undefined) return options.trustMaterial
  const { toTrustMaterial } = await import('@sigstore/verify')
  if (options.trustedRoot !== undefined) return toTrustMaterial(options.trustedRoot)
  const { getTrustedRoot } = await import('@sigstore/tuf')
  return getTrustedRoot(options.tuf as Parameters<typeof getTrustedRoot>[0]).then(toTrustMaterial)
}

// Fulcio's v2 extensions hold a DER UTF8String.
async function extension (signer: Signer, oid: string): Promise<string | undefined> {
  const { ASN1Obj } = await import('@sigstore/core')
  const found = signer.identity?.oids?.find((o) => o.oid?.id.join('.') === oid)
  return found && ASN1Obj.parseBuffer(Buffer.from(found.value)).value.toString('utf8')
}

async function verifySignature (json: Json, options: VerifyProvenanceOptions): Promise<Signer> {
  const [{ bundleFromJSON, isBundleWithDsseEnvelope }, { Verifier, toSignedEntity }] =
    await Promise.all([import('@sigstore/bundle'), import('@sigstore/verify')])
  let bundle
  try {
    bundle = bundleFromJSON(json)
  } catch (err) {
    throw refuse('ERR_OIDC_VERIFY_PROVENANCE_MALFORMED', 'the provenance bundle is not a valid Sigstore bundle',
      (err as Error).message, 'Attach the Sigstore bundle that signing produced, unchanged')
  }
  const content = bundle.verificationMaterial.content.$case
  if (!isBundleWithDsseEnvelope(bundle) || bundle.content.dsseEnvelope.payloadType !== IN_TOTO ||
    content === 'publicKey') {
    throw refuse('ERR_OIDC_VERIFY_PROVENANCE_MALFORMED', 'the provenance bundle holds no certificate-signed statement',
      `expected an ${IN_TOTO} DSSE envelope signed with a certificate, got ${bundle.content.$case} with ${content}`,
      'Provenance is an in-toto statement signed by Fulcio\'s certificate for the CI job')
  }
  const trust = await trustMaterialFor(options)
  try {
    return new Verifier(trust, options.verifier).verify(toSignedEntity(bundle))
  } catch (err) {
    throw refuse('ERR_OIDC_VERIFY_PROVENANCE_SIGNATURE', 'the provenance bundle does not verify against the trust root',
      (err as Error).message, 'Sign against the Sigstore instance (Fulcio, Rekor) this registry trusts')
  }
}

function checkSubject (source: AttestationSource, input: ProvenanceInput): void {
  const { name, version } = input.manifest
  const purl = `pkg:npm/${String(name).replace(/^@/, '%40')}@${String(version)}`
  const sri = input.integrity.split(/\s+/).find((part) => part.startsWith('sha512-'))
  const sha512 = sri === undefined ? undefined : Buffer.from(sri.slice(7), 'base64').toString('hex')
  if (source.subject !== purl || sha512 === undefined || source.sha512 !== sha512) {
    throw refuse('ERR_OIDC_VERIFY_PROVENANCE_SUBJECT', 'the provenance statement does not describe this tarball',
      `expected ${purl} with sha512 ${sha512 ?? '(none in the integrity)'}, ` +
      `got ${source.subject} with sha512 ${source.sha512 ?? '(none)'}`,
      'Sign the very tarball that is uploaded, after packing it')
  }
}

function mismatch (
  where: string, field: string, expected: string, actual: string | undefined
): OidcError<VerifyErrorCode> {
  return refuse('ERR_OIDC_VERIFY_PROVENANCE_IDENTITY',
    `the provenance ${where} names another ${field} than the job whose ID token was exchanged`,
    `expected ${JSON.stringify(expected)}, got ${actual === undefined ? '(none)' : JSON.stringify(actual)}`,
    'Sign the provenance in the same job that exchanges its ID token for the publish token')
}

async function checkIdentity (signer: Signer, source: AttestationSource, expected: ExpectedIdentity): Promise<string> {
  const san = signer.identity?.subjectAlternativeName
  if (san !== expected.san) throw mismatch('certificate', 'workflow', expected.san, san)
  const issuer = signer.identity?.extensions?.issuer
  if (issuer !== expected.issuer) throw mismatch('certificate', 'issuer', expected.issuer, issuer)
  // Real Fulcio writes both extensions for GitHub Actions and GitLab CI/CD tokens: a certificate without them
  // does not name the job's source.
  const repository = await extension(signer, FULCIO_OIDS.sourceRepositoryURI)
  if (repository !== expected.repository) {
    throw mismatch('certificate', 'source repository', expected.repository, repository)
  }
  const buildConfig = await extension(signer, FULCIO_OIDS.buildConfigURI)
  if (buildConfig !== expected.buildConfig) {
    throw mismatch('certificate', 'build configuration', expected.buildConfig, buildConfig)
  }
  if (source.repository !== expected.repositoryPath) {
    throw mismatch('statement', 'repository', expected.repositoryPath, source.repository)
  }
  if (source.workflow !== expected.workflowPath) {
    throw mismatch('statement', 'workflow', expected.workflowPath, source.workflow)
  }
  return repository
}

/** npm's words for a `repository.url` that does not match the signed source. */
function repositoryMessage (actual: string, expected: string): string {
  return `Failed to validate repository information: package.json: "repository.url" is ${JSON.stringify(actual)}, ` +
    `expected to match ${JSON.stringify(expected)} from provenance`
}

function checkRepository (manifest: Readonly<Record<string, unknown>>, sourceRepository: string): void {
  const actual = manifestRepositoryUrl(manifest)
  if (normaliseRepositoryUrl(actual) === normaliseRepositoryUrl(sourceRepository)) return
  throw refuse('ERR_OIDC_VERIFY_PROVENANCE_REPOSITORY', 'package.json repository does not match the signed source',
    repositoryMessage(actual, sourceRepository),
    `Set "repository": { "type": "git", "url": "git+${sourceRepository}.git" } in package.json`)
}

/**
 * Verifies a provenance bundle attached to a publish, as a registry that accepts provenance must: the bundle's
 * signature, certificate chain and transparency-log entries against a Sigstore trust root; that the in-toto
 * statement's subject is `pkg:npm/<name>@<version>` with the tarball's sha512; that the certificate (its SAN and
 * Fulcio's issuer, source-repository and build-config extensions) and the statement (repository and workflow)
 * name the same job as the ID token that was exchanged — the job the trusted publisher matched; and npm's rule
 * that `repository.url` in the manifest matches the signed source repository.
 *
 * `@sigstore/verify` and friends are loaded on the first call, so importing `libnpmoidc/registry` stays cheap.
 * Refusals map to npmjs's 422 answer with {@link provenanceRejection}.
 *
 * @param input - the bundle, the tarball's integrity, the manifest and the exchange's verified ID-token claims
 * @param options - the trust root (default: Sigstore's public-good root through TUF) and verifier thresholds
 * @returns the verified facts: certificate identity, issuer, source repository and the statement's fields
 * @throws {OidcError} `ERR_OIDC_VERIFY_PROVENANCE_MALFORMED`, `…_SIGNATURE`, `…_SUBJECT`, `…_IDENTITY`,
 *   `…_REPOSITORY`, each with expected vs actual in `facts`
 * @throws TypeError for an `input` without `integrity`, `manifest` or `claims`
 * @example
 * ```ts
 * try {
 *   await verifyProvenance({ bundle, integrity, manifest, claims: exchange.claims })
 * } catch (err) {
 *   if (!isOidcError(err)) throw err
 *   const { status, body } = provenanceRejection(err)
 *   return res.status(status).json(body)
 * }
 * ```
 */
export async function verifyProvenance (
  input: ProvenanceInput, options: VerifyProvenanceOptions = {}
): Promise<VerifiedProvenance> {
  if (input === null || typeof input !== 'object') throw new TypeError('Expected `input` to be an object.')
  if (typeof input.integrity !== 'string') throw new TypeError('Expected `input.integrity` to be an SRI string.')
  for (const key of ['manifest', 'claims'] as const) {
    if (input[key] === null || typeof input[key] !== 'object') {
      throw new TypeError(`Expected \`input.${key}\` to be an object.`)
    }
  }
  const json = parseBundle(input.bundle)
  const signer = await verifySignature(json, options)
  const source = await attestationSource(json)
  if (source === undefined) {
    throw refuse('ERR_OIDC_VERIFY_PROVENANCE_MALFORMED', 'the signed payload is not an in-toto statement',
      'no predicateType or subject', 'Attach the provenance statement npm signs')
  }
  checkSubject(source, input)
  const expected = expectedIdentity(input.claims)
  if (expected === undefined) {
    throw refuse('ERR_OIDC_VERIFY_PROVENANCE_IDENTITY', 'provenance from this CI provider is not accepted',
      `the ID token has neither GitHub Actions' job_workflow_ref nor GitLab's ci_config_ref_uri (iss ${
        JSON.stringify(input.claims.iss)})`,
      'Publish without provenance from this provider; npm signs provenance on GitHub Actions and GitLab CI/CD only')
  }
  const sourceRepository = await checkIdentity(signer, source, expected)
  checkRepository(input.manifest, sourceRepository)
  return { ...source, certificateIdentity: expected.san, issuer: expected.issuer, sourceRepository }
}

/** The answer npmjs gives for a refused provenance bundle. */
export interface ProvenanceRejection {
  readonly status: 422
  readonly body: { readonly error: string }
}

/**
 * The 422 answer npmjs sends when it refuses a provenance bundle, for a registry to answer the upload with; for
 * `ERR_OIDC_VERIFY_PROVENANCE_REPOSITORY` npm's own words. npm's clients (and `publishWithOidc`, as
 * `ERR_OIDC_PROVENANCE_REJECTED`) show the `error` text.
 *
 * @param err - an error {@link verifyProvenance} threw
 */
export function provenanceRejection (err: OidcError): ProvenanceRejection {
  const reason = err.code === 'ERR_OIDC_VERIFY_PROVENANCE_REPOSITORY'
    ? err.facts as string
    : `${err.what} (${err.facts as string})`
  return { status: 422, body: { error: `Error verifying sigstore provenance bundle: ${reason}` } }
}
