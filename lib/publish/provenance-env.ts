import { OidcError } from '../errors.js'
import { envValue, type Env } from '../util/env.js'

// What libnpmpublish writes into the statement and where sigstore gets its signing token, per provider. The
// token sources are compared but never shown.
interface JobVariables { readonly shown: readonly string[], readonly secret: readonly string[] }
const JOB_VARIABLES: Readonly<Record<string, JobVariables>> = {
  'github-actions': {
    shown: [
      'GITHUB_ACTIONS', 'GITHUB_SERVER_URL', 'GITHUB_REPOSITORY', 'GITHUB_REPOSITORY_ID', 'GITHUB_REPOSITORY_OWNER_ID',
      'GITHUB_WORKFLOW_REF', 'GITHUB_REF', 'GITHUB_SHA', 'GITHUB_EVENT_NAME', 'GITHUB_RUN_ID', 'GITHUB_RUN_ATTEMPT',
      'RUNNER_ENVIRONMENT', 'ACTIONS_ID_TOKEN_REQUEST_URL',
    ],
    secret: ['ACTIONS_ID_TOKEN_REQUEST_TOKEN'],
  },
  gitlab: {
    shown: [
      'GITLAB_CI', 'CI_SERVER_URL', 'CI_PROJECT_URL', 'CI_PROJECT_PATH', 'CI_COMMIT_SHA', 'CI_COMMIT_REF_NAME',
      'CI_CONFIG_PATH', 'CI_PIPELINE_ID', 'CI_JOB_ID', 'CI_JOB_NAME', 'CI_JOB_URL', 'CI_RUNNER_ID',
    ],
    secret: ['SIGSTORE_ID_TOKEN'],
  },
}

const MAX_SHOWN = 120

function show (value: string | undefined): string {
  if (value === undefined) return 'unset'
  return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value)
}

/**
 * Refuses a provenance-on publish whose `opts.env` describes another job than `process.env`. libnpmpublish
 * builds the provenance statement from `process.env` and sigstore takes its signing identity from there, so the
 * bundle would describe a job other than the one whose ID token authenticated the publish.
 *
 * @param env - the environment the publish was given (`opts.env`)
 * @param provider - the provider detected in it; only GitHub Actions and GitLab CI/CD sign provenance
 * @param processEnv - the environment libnpmpublish and sigstore read
 * @throws {OidcError} `ERR_OIDC_PROVENANCE_ENV_MISMATCH`, naming each variable that differs (values of token
 *   variables are never shown)
 */
export function assertProvenanceEnvIsProcessEnv (
  env: Env, provider: { readonly id: string, readonly name: string } | undefined, processEnv: Env
): void {
  if (env === processEnv || provider === undefined) return
  const variables = JOB_VARIABLES[provider.id]
  if (!variables) return
  const differences: string[] = []
  for (const key of variables.shown) {
    const given = envValue(env, key)
    const actual = envValue(processEnv, key)
    if (given !== actual) differences.push(`${key}: ${show(given)} in opts.env, ${show(actual)} in process.env`)
  }
  for (const key of variables.secret) {
    if (envValue(env, key) !== envValue(processEnv, key)) differences.push(`${key} differs (value not shown)`)
  }
  if (differences.length === 0) return
  throw new OidcError('ERR_OIDC_PROVENANCE_ENV_MISMATCH', {
    provider: provider.id,
    providerName: provider.name,
    what: 'opts.env describes another job than process.env, which provenance is built and signed from',
    facts: differences.join('; '),
    hint: 'Publish with provenance from the job\'s own process (leave opts.env out), or turn provenance off; ' +
      'nothing was signed or uploaded',
  })
}

/**
 * Refuses a provenance-on publish given sigstore's `identityToken` option: libnpmpublish hands every option to
 * sigstore, which would sign with that token's identity instead of the job's own `sigstore` ID token, so the bundle
 * would name a signer other than the job whose ID token authenticated the publish.
 *
 * @throws {OidcError} `ERR_OIDC_PROVENANCE_ENV_MISMATCH` (the token is never shown)
 */
export function assertNoIdentityToken (
  opts: { readonly identityToken?: unknown, readonly provenanceFile?: unknown }
): void {
  if (opts.identityToken === undefined || opts.provenanceFile !== undefined) return
  throw new OidcError('ERR_OIDC_PROVENANCE_ENV_MISMATCH', {
    what: 'opts.identityToken would sign the provenance with another identity than the job\'s',
    facts: 'identityToken is set (value not shown); sigstore signs with it instead of the job\'s sigstore ID token',
    hint: 'Leave identityToken out: the job\'s own ID token is requested for signing; nothing was signed or uploaded',
  })
}

/**
 * Refuses what would sign provenance as another job than the one publishing: an `opts.env` of another job, or
 * sigstore's `identityToken`. Both publish paths call it before anything is signed or uploaded.
 *
 * @throws {OidcError} `ERR_OIDC_PROVENANCE_ENV_MISMATCH`
 */
export function assertSignsAsTheJob (
  opts: { readonly identityToken?: unknown, readonly provenanceFile?: unknown },
  env: Env, provider: { readonly id: string, readonly name: string } | undefined
): void {
  assertNoIdentityToken(opts)
  assertProvenanceEnvIsProcessEnv(env, provider, process.env)
}
