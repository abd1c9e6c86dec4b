import { NPMJS_AUDIENCE } from '../contract/npmjs.js'
import type { TestkitProvider } from './provider-claims.js'

/** Options of {@link OidcIssuer.jobEnv}. */
export interface JobEnvOptions {
  /**
   * The `aud` of the pre-minted `NPM_ID_TOKEN` (GitLab, CircleCI); default `npm:registry.npmjs.org`.
   * Ignored on GitHub Actions, where the job requests its token at run time.
   */
  readonly audience?: string
  /** GitLab only: also set `SIGSTORE_ID_TOKEN` (aud `sigstore`), as a job with provenance declares it. */
  readonly sigstore?: boolean
  /** Variables to add or replace; a key set to `undefined` removes the variable. */
  readonly overrides?: Readonly<Record<string, string | undefined>>
}

/** What {@link buildJobEnv} needs from its issuer. */
export interface JobEnvContext {
  readonly provider: TestkitProvider
  /** The issuer's identity claims; the variables are derived from them. */
  readonly claims: Readonly<Record<string, unknown>>
  /** The issuer's URL, `http://127.0.0.1:<port>`. */
  readonly issuerUrl: string
  /** GitHub only: the bearer the token endpoint accepts. */
  readonly requestToken: string
  /** Mints an ID token with the issuer's key for an audience. */
  readonly mint: (audience: string) => Promise<string>
}

/** The audience npm's documentation tells jobs to request. */
export const DEFAULT_JOB_AUDIENCE = NPMJS_AUDIENCE

type Env = Record<string, string | undefined>

function claim (claims: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = claims[key]
  return value === undefined ? undefined : String(value)
}

function githubEnv (c: JobEnvContext): Env {
  const ref = claim(c.claims, 'ref')
  return {
    GITHUB_ACTIONS: 'true',
    ACTIONS_ID_TOKEN_REQUEST_URL: `${c.issuerUrl}/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: c.requestToken,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: claim(c.claims, 'repository'),
    GITHUB_REPOSITORY_ID: claim(c.claims, 'repository_id'),
    GITHUB_REPOSITORY_OWNER: claim(c.claims, 'repository_owner'),
    GITHUB_REPOSITORY_OWNER_ID: claim(c.claims, 'repository_owner_id'),
    GITHUB_WORKFLOW: claim(c.claims, 'workflow'),
    GITHUB_WORKFLOW_REF: claim(c.claims, 'workflow_ref'),
    GITHUB_WORKFLOW_SHA: claim(c.claims, 'workflow_sha'),
    GITHUB_EVENT_NAME: claim(c.claims, 'event_name'),
    GITHUB_REF: ref,
    GITHUB_REF_NAME: ref?.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_REF_TYPE: claim(c.claims, 'ref_type'),
    GITHUB_SHA: claim(c.claims, 'sha'),
    GITHUB_RUN_ID: claim(c.claims, 'run_id'),
    GITHUB_RUN_NUMBER: claim(c.claims, 'run_number'),
    GITHUB_RUN_ATTEMPT: claim(c.claims, 'run_attempt'),
    GITHUB_ACTOR: claim(c.claims, 'actor'),
    GITHUB_ACTOR_ID: claim(c.claims, 'actor_id'),
    RUNNER_ENVIRONMENT: claim(c.claims, 'runner_environment'),
    RUNNER_OS: 'Linux',
  }
}

async function gitlabEnv (c: JobEnvContext, options: JobEnvOptions): Promise<Env> {
  const projectPath = claim(c.claims, 'project_path')
  const projectUrl = projectPath === undefined ? undefined : `https://gitlab.com/${projectPath}`
  const jobId = claim(c.claims, 'job_id')
  return {
    GITLAB_CI: 'true',
    CI_SERVER_URL: 'https://gitlab.com',
    CI_SERVER_HOST: 'gitlab.com',
    CI_PROJECT_PATH: projectPath,
    // npm's GitLab provenance statement names the project and the job by these URLs.
    CI_PROJECT_URL: projectUrl,
    CI_JOB_URL: projectUrl === undefined || jobId === undefined ? undefined : `${projectUrl}/-/jobs/${jobId}`,
    CI_JOB_NAME: 'publish',
    CI_RUNNER_ID: claim(c.claims, 'runner_id'),
    CI_PROJECT_NAMESPACE: claim(c.claims, 'namespace_path'),
    CI_PROJECT_ID: claim(c.claims, 'project_id'),
    CI_PROJECT_VISIBILITY: claim(c.claims, 'project_visibility'),
    CI_PIPELINE_ID: claim(c.claims, 'pipeline_id'),
    CI_PIPELINE_SOURCE: claim(c.claims, 'pipeline_source'),
    CI_JOB_ID: jobId,
    CI_COMMIT_SHA: claim(c.claims, 'sha'),
    CI_COMMIT_REF_NAME: claim(c.claims, 'ref'),
    CI_CONFIG_PATH: '.gitlab-ci.yml',
    CI_ENVIRONMENT_NAME: claim(c.claims, 'environment'),
    NPM_ID_TOKEN: await c.mint(options.audience ?? DEFAULT_JOB_AUDIENCE),
    SIGSTORE_ID_TOKEN: options.sigstore === true ? await c.mint('sigstore') : undefined,
  }
}

async function circleciEnv (c: JobEnvContext, options: JobEnvOptions): Promise<Env> {
  const org = claim(c.claims, 'oidc.circleci.com/org-id')
  const [, owner, repo] = claim(c.claims, 'oidc.circleci.com/vcs-origin')?.split('/') ?? []
  // CIRCLE_OIDC_TOKEN(_V2) carry the organization id as `aud`: realistic, and unusable for npm (wrong audience).
  const orgToken = org === undefined ? undefined : await c.mint(org)
  return {
    CIRCLECI: 'true',
    CIRCLE_ORGANIZATION_ID: org,
    CIRCLE_PROJECT_ID: claim(c.claims, 'oidc.circleci.com/project-id'),
    CIRCLE_PIPELINE_ID: claim(c.claims, 'oidc.circleci.com/pipeline-id'),
    CIRCLE_PROJECT_USERNAME: owner,
    CIRCLE_PROJECT_REPONAME: repo,
    CIRCLE_BRANCH: claim(c.claims, 'oidc.circleci.com/vcs-ref')?.replace(/^refs\/heads\//, ''),
    CIRCLE_SHA1: '8d3f0c2b6e1a4f5d9c7b3a2e1f0d9c8b7a6e5f4d',
    CIRCLE_BUILD_NUM: '128',
    CIRCLE_OIDC_TOKEN: orgToken,
    CIRCLE_OIDC_TOKEN_V2: orgToken,
    NPM_ID_TOKEN: await c.mint(options.audience ?? DEFAULT_JOB_AUDIENCE),
  }
}

/**
 * Builds the environment of a simulated CI job: the provider's detection variables, its ID-token
 * source, and the variables describing the repository, all consistent with the issuer's claims.
 * Nothing is taken from `process.env`.
 *
 * @param context - The issuer's provider, claims, URL, request token and minting.
 * @param options - Audience of pre-minted tokens, `sigstore`, and overrides.
 * @returns A new object with string values only.
 * @throws {TypeError} When an override is neither a string nor `undefined`.
 * @example
 * ```ts
 * const env = await buildJobEnv(context, {
 *   audience: 'npm:127.0.0.1',
 *   overrides: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined },
 * })
 * ```
 */
export async function buildJobEnv (
  context: JobEnvContext, options: JobEnvOptions = {}
): Promise<Record<string, string>> {
  const overrides = options.overrides ?? {}
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined && typeof value !== 'string') {
      throw new TypeError(`Expected \`overrides.${key}\` to be a string or undefined, got ${typeof value}.`)
    }
  }
  const provider = context.provider === 'github-actions'
    ? githubEnv(context)
    : context.provider === 'gitlab' ? await gitlabEnv(context, options) : await circleciEnv(context, options)
  const env: Env = { CI: 'true', ...provider, ...overrides }
  const result: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) result[key] = value
  }
  return result
}
