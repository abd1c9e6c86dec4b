// What Fulcio writes into the signing certificate for a CI job, derived from the claims of that job's ID token.
// Fulcio's OID table: https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md

/** Fulcio's certificate extensions that name the source and the build. */
export const FULCIO_OIDS = Object.freeze({
  issuer: '1.3.6.1.4.1.57264.1.8',
  sourceRepositoryURI: '1.3.6.1.4.1.57264.1.12',
  buildConfigURI: '1.3.6.1.4.1.57264.1.18',
})

/** The signing identity and source a job's provenance must show, from its ID token's claims. */
export interface ExpectedIdentity {
  /** The certificate's URI subject alternative name. */
  readonly san: string
  /** The certificate's issuer extension: the token's `iss`. */
  readonly issuer: string
  /** The source repository URL: `https://github.com/acme/widgets`. */
  readonly repository: string
  /** The repository's path on its host, as npm's statement names it: `acme/widgets`, `group/sub/project`. */
  readonly repositoryPath: string
  /** The top-level workflow or CI file, as the certificate's build config URI names it. */
  readonly buildConfig: string
  /** The workflow or CI file path inside the repository, as npm's statement names it. */
  readonly workflowPath: string
}

const text = (claims: Readonly<Record<string, unknown>>, key: string): string | undefined =>
  typeof claims[key] === 'string' && claims[key] !== '' ? claims[key] : undefined

/**
 * The identity a provenance bundle signed in the job that minted these claims carries: GitHub Actions
 * (`job_workflow_ref`, `workflow_ref`, `repository`) or GitLab CI/CD (`ci_config_ref_uri`, `project_path`).
 *
 * @returns `undefined` for any other provider, whose jobs npm does not sign provenance in
 */
export function expectedIdentity (claims: Readonly<Record<string, unknown>>): ExpectedIdentity | undefined {
  const iss = text(claims, 'iss') ?? ''
  const jobWorkflowRef = text(claims, 'job_workflow_ref')
  const workflowRef = text(claims, 'workflow_ref')
  const repository = text(claims, 'repository')
  if (jobWorkflowRef !== undefined && workflowRef !== undefined && repository !== undefined) {
    return {
      san: `https://github.com/${jobWorkflowRef}`,
      issuer: iss,
      repository: `https://github.com/${repository}`,
      repositoryPath: repository,
      buildConfig: `https://github.com/${workflowRef}`,
      workflowPath: workflowRef.slice(repository.length + 1).replace(/@.*$/s, ''),
    }
  }
  const configRefUri = text(claims, 'ci_config_ref_uri')
  const project = text(claims, 'project_path')
  if (configRefUri !== undefined && project !== undefined) {
    return {
      san: `https://${configRefUri}`,
      issuer: iss,
      repository: `https://${configRefUri.split('/')[0] as string}/${project}`,
      repositoryPath: project,
      buildConfig: `https://${configRefUri}`,
      workflowPath: configRefUri.replace(/^[^@]*?\/\//, '').replace(/@.*$/s, ''),
    }
  }
  return undefined
}
