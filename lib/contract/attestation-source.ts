// npm's provenance statements, as libnpmpublish builds them, read the same way by the client's post-publish check
// and by the registry side.

/** What a provenance attestation says about the build, read without verifying its signature. */
export interface AttestationSource {
  /** The statement's predicate type, such as `https://slsa.dev/provenance/v1`. */
  readonly predicateType: string
  /** The statement's first subject, a package URL: `pkg:npm/%40scope/name@1.0.0`. */
  readonly subject: string
  /** The subject's sha512 digest, hex. */
  readonly sha512: string | undefined
  /** `owner/repo` (GitHub) or `group/project` (GitLab) the statement names as its source. */
  readonly repository: string | undefined
  /** The path of the workflow or CI file the statement names: `.github/workflows/release.yml`. */
  readonly workflow: string | undefined
  /** The git ref the build ran for. */
  readonly ref: string | undefined
  /** The signing certificate's identity (its URI subject alternative name), as Fulcio wrote it. */
  readonly certificateIdentity: string | undefined
}

type Json = Record<string, unknown>

const object = (value: unknown): Json => (value !== null && typeof value === 'object' ? value as Json : {})
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

/** The provenance attestation's bundle in an attestations document: `{ attestations: [{ predicateType, bundle }] }`. */
export function provenanceBundle (document: unknown): Json | undefined {
  const list = object(document).attestations
  if (!Array.isArray(list)) return undefined
  const found = list.find((a) => String(object(a).predicateType).startsWith('https://slsa.dev/provenance/'))
  return found === undefined ? undefined : object(object(found).bundle)
}

// `https://github.com/o/r` or `git+https://gitlab.com/g/p` → `o/r`, `g/p`.
const repositoryPath = (url: string | undefined): string | undefined =>
  url === undefined ? undefined : url.replace(/^git\+/, '').replace(/^[a-z]+:\/\/[^/]+\//i, '').replace(/\.git$/, '')

async function certificateIdentity (bundle: Json): Promise<string | undefined> {
  const material = object(bundle.verificationMaterial)
  const chain = object(material.x509CertificateChain).certificates
  const first = Array.isArray(chain) ? object(chain[0]) : object(material.certificate)
  const raw = text(first.rawBytes)
  if (raw === undefined) return undefined
  // Loaded here: node:crypto must not load with libnpmoidc (a bundle hoists a static import of it).
  const { X509Certificate } = await import('node:crypto')
  try {
    const san = new X509Certificate(Buffer.from(raw, 'base64')).subjectAltName ?? ''
    return /URI:([^,\s]+)/.exec(san)?.[1]
  } catch {
    return undefined
  }
}

// npm's GitHub statement (SLSA v1): the calling workflow, as GitHub's `workflow_ref` names it.
function githubSource (predicate: Json): Pick<AttestationSource, 'repository' | 'workflow' | 'ref'> {
  const workflow = object(object(object(predicate.buildDefinition).externalParameters).workflow)
  const repository = repositoryPath(text(workflow.repository))
  return { repository, workflow: text(workflow.path), ref: text(workflow.ref) }
}

// npm's GitLab statement (SLSA v0.2): the CI variables of the job.
function gitlabSource (predicate: Json): Pick<AttestationSource, 'repository' | 'workflow' | 'ref'> {
  const invocation = object(predicate.invocation)
  const parameters = object(invocation.parameters)
  return {
    repository: text(parameters.CI_PROJECT_PATH) ?? repositoryPath(text(object(invocation.configSource).uri)),
    workflow: text(parameters.CI_CONFIG_PATH),
    ref: text(parameters.CI_COMMIT_REF_NAME),
  }
}

/**
 * Reads a Sigstore bundle's in-toto statement (DSSE payload) and signing certificate. Nothing is verified here:
 * a caller that needs the facts to be true verifies the bundle first.
 *
 * @returns `undefined` when the bundle holds no readable in-toto statement
 */
export async function attestationSource (bundle: Json): Promise<AttestationSource | undefined> {
  const payload = text(object(bundle.dsseEnvelope).payload)
  if (payload === undefined) return undefined
  let statement: Json
  try {
    statement = object(JSON.parse(Buffer.from(payload, 'base64').toString('utf8')))
  } catch {
    return undefined
  }
  const subject = Array.isArray(statement.subject) ? object(statement.subject[0]) : {}
  const predicateType = text(statement.predicateType)
  const name = text(subject.name)
  if (predicateType === undefined || name === undefined) return undefined
  const predicate = object(statement.predicate)
  const source = predicate.buildDefinition === undefined ? gitlabSource(predicate) : githubSource(predicate)
  return {
    predicateType,
    subject: name,
    sha512: text(object(subject.digest).sha512),
    ...source,
    certificateIdentity: await certificateIdentity(bundle),
  }
}
