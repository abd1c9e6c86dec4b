/** The CI providers the test kit can impersonate, by stable id. */
export type TestkitProvider = 'github-actions' | 'gitlab' | 'circleci'

/**
 * Claim overrides: a key set to `undefined` removes that claim from the token.
 */
export type ClaimOverrides = Readonly<Record<string, unknown>>

/** The provider ids {@link createOidcIssuer} accepts, in detection order. */
export const testkitProviders: readonly TestkitProvider[] = Object.freeze(['github-actions', 'gitlab', 'circleci'])

const SHA = '8d3f0c2b6e1a4f5d9c7b3a2e1f0d9c8b7a6e5f4d'
const CIRCLE_ORG_ID = 'b2e3a6f4-5c1d-4e8a-9f7b-0c2d4e6f8a1b'
const CIRCLE_PROJECT_ID = 'd4c1e8f2-7a3b-4c5d-8e9f-1a2b3c4d5e6f'
const CIRCLE_PIPELINE_DEFINITION_ID = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b'
const CIRCLE_USER_ID = 'a9b8c7d6-e5f4-4321-9abc-def012345678'

function text (value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback
}

function withOverrides (base: Record<string, unknown>, overrides: ClaimOverrides): Record<string, unknown> {
  const claims: Record<string, unknown> = { ...base, ...overrides }
  for (const [key, value] of Object.entries(claims)) {
    if (value === undefined) delete claims[key]
  }
  return claims
}

// Shapes follow GitHub's "About security hardening with OpenID Connect" example token. The identity claims
// are derived from each other so that overriding `repository` or `environment` keeps `sub` and the
// workflow refs consistent, as they are in a real token.
function githubClaims (issuer: string, o: ClaimOverrides): Record<string, unknown> {
  const repository = text(o.repository, 'acme/widgets')
  const owner = repository.split('/')[0] as string
  const ref = text(o.ref, 'refs/heads/main')
  const environment = text(o.environment, '')
  const workflowRef = text(o.workflow_ref, `${repository}/.github/workflows/release.yml@${ref}`)
  return {
    iss: issuer,
    sub: environment ? `repo:${repository}:environment:${environment}` : `repo:${repository}:ref:${ref}`,
    ref,
    ref_type: 'branch',
    ref_protected: 'true',
    sha: SHA,
    repository,
    repository_id: '690412345',
    repository_owner: owner,
    repository_owner_id: '81234567',
    repository_visibility: 'public',
    run_id: '9876543210',
    run_number: '42',
    run_attempt: '1',
    actor: 'octocat',
    actor_id: '583231',
    workflow: 'Release',
    workflow_ref: workflowRef,
    workflow_sha: SHA,
    job_workflow_ref: workflowRef,
    job_workflow_sha: SHA,
    event_name: 'push',
    head_ref: '',
    base_ref: '',
    runner_environment: 'github-hosted',
  }
}

// Shapes follow GitLab's "ID token authentication" claim table.
function gitlabClaims (issuer: string, o: ClaimOverrides): Record<string, unknown> {
  const projectPath = text(o.project_path, 'group/project')
  const namespace = projectPath.split('/').slice(0, -1).join('/')
  const environment = text(o.environment, '')
  const claims: Record<string, unknown> = {
    iss: issuer,
    sub: `project_path:${projectPath}:ref_type:branch:ref:main`,
    namespace_id: '72',
    namespace_path: namespace,
    project_id: '20',
    project_path: projectPath,
    project_visibility: 'public',
    user_id: '1',
    user_login: 'sample-user',
    user_access_level: 'maintainer',
    pipeline_id: '574',
    pipeline_source: 'push',
    job_id: '302',
    ref: 'main',
    ref_type: 'branch',
    ref_path: 'refs/heads/main',
    ref_protected: 'true',
    runner_id: '12270859',
    runner_environment: 'gitlab-hosted',
    sha: SHA,
    ci_config_ref_uri: `gitlab.com/${projectPath}//.gitlab-ci.yml@refs/heads/main`,
    ci_config_sha: SHA,
  }
  if (environment) {
    claims.environment = environment
    claims.environment_protected = 'false'
    claims.deployment_tier = 'production'
  }
  return claims
}

// Shapes follow CircleCI's "OpenID Connect tokens" page (the v2 token with vcs-origin and ssh-rerun).
function circleciClaims (issuer: string, o: ClaimOverrides): Record<string, unknown> {
  const org = text(o['oidc.circleci.com/org-id'], CIRCLE_ORG_ID)
  const project = text(o['oidc.circleci.com/project-id'], CIRCLE_PROJECT_ID)
  return {
    iss: issuer,
    sub: `org/${org}/project/${project}/user/${CIRCLE_USER_ID}`,
    'oidc.circleci.com/org-id': org,
    'oidc.circleci.com/project-id': project,
    'oidc.circleci.com/pipeline-definition-id': CIRCLE_PIPELINE_DEFINITION_ID,
    'oidc.circleci.com/pipeline-id': '5f4e3d2c-1b0a-4987-a6b5-c4d3e2f1a0b9',
    'oidc.circleci.com/vcs-origin': 'github.com/acme/widgets',
    'oidc.circleci.com/vcs-ref': 'refs/heads/main',
    'oidc.circleci.com/context-ids': ['c0ffee00-1234-4abc-8def-0123456789ab'],
    'oidc.circleci.com/ssh-rerun': false,
  }
}

/**
 * The identity claims a provider puts into its ID tokens, with overrides applied. Time claims
 * (`iat`, `nbf`, `exp`), `aud` and `jti` are added when a token is minted.
 *
 * @param provider - Which CI provider to imitate.
 * @param issuer - The `iss` claim, normally the test issuer's URL.
 * @param overrides - Claims to replace or add; a key set to `undefined` removes the claim.
 * @returns A new claims object.
 * @throws {TypeError} When `provider` is not one of {@link testkitProviders}.
 * @example
 * ```ts
 * const claims = providerClaims('github-actions', 'http://127.0.0.1:4000', { environment: 'production' })
 * claims.sub // 'repo:acme/widgets:environment:production'
 * ```
 */
export function providerClaims (
  provider: TestkitProvider, issuer: string, overrides: ClaimOverrides = {}
): Record<string, unknown> {
  switch (provider) {
    case 'github-actions': return withOverrides(githubClaims(issuer, overrides), overrides)
    case 'gitlab': return withOverrides(gitlabClaims(issuer, overrides), overrides)
    case 'circleci': return withOverrides(circleciClaims(issuer, overrides), overrides)
    default:
      throw new TypeError(`Expected \`provider\` to be one of ${testkitProviders.join(', ')}, ` +
        `got ${JSON.stringify(provider)}.`)
  }
}
