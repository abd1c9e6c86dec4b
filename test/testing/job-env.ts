import t from 'tap'
import { buildJobEnv, DEFAULT_JOB_AUDIENCE } from '../../lib/testing/job-env.js'
import type { JobEnvContext } from '../../lib/testing/job-env.js'
import { providerClaims } from '../../lib/testing/provider-claims.js'
import type { TestkitProvider } from '../../lib/testing/provider-claims.js'

const ISS = 'http://127.0.0.1:4000'

function context (
  provider: TestkitProvider,
  overrides: Record<string, unknown> = {}
): JobEnvContext & { minted: string[] } {
  const minted: string[] = []
  return {
    provider,
    claims: providerClaims(provider, ISS, overrides),
    issuerUrl: ISS,
    requestToken: 'req-token',
    mint: async (aud) => { minted.push(aud); return `jwt(${aud})` },
    minted,
  }
}

t.test('github-actions: detection, request URL with its own query, repository facts', async (t) => {
  const c = context('github-actions')
  const env = await buildJobEnv(c)
  t.match(env, {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    ACTIONS_ID_TOKEN_REQUEST_URL: `${ISS}/token?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req-token',
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_WORKFLOW_REF: 'acme/widgets/.github/workflows/release.yml@refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    RUNNER_ENVIRONMENT: 'github-hosted',
  })
  t.notOk('NPM_ID_TOKEN' in env, 'GitHub jobs request their token at run time')
  t.same(c.minted, [])
  t.ok(Object.values(env).every((v) => typeof v === 'string'))
})

t.test('github-actions: removed claims leave their variables out', async (t) => {
  const env = await buildJobEnv(context('github-actions', { ref: undefined, runner_environment: undefined }))
  t.notOk('GITHUB_REF' in env)
  t.notOk('GITHUB_REF_NAME' in env)
  t.notOk('RUNNER_ENVIRONMENT' in env)
})

t.test('gitlab: pre-minted NPM_ID_TOKEN, optional SIGSTORE_ID_TOKEN', async (t) => {
  const c = context('gitlab', { environment: 'production' })
  const env = await buildJobEnv(c, { audience: 'npm:127.0.0.1' })
  t.match(env, { GITLAB_CI: 'true', CI_PROJECT_PATH: 'group/project', CI_PROJECT_NAMESPACE: 'group', CI_ENVIRONMENT_NAME: 'production', NPM_ID_TOKEN: 'jwt(npm:127.0.0.1)' })
  t.notOk('SIGSTORE_ID_TOKEN' in env)
  const withSigstore = await buildJobEnv(c, { sigstore: true })
  t.equal(withSigstore.NPM_ID_TOKEN, `jwt(${DEFAULT_JOB_AUDIENCE})`)
  t.equal(withSigstore.SIGSTORE_ID_TOKEN, 'jwt(sigstore)')
  t.equal(DEFAULT_JOB_AUDIENCE, 'npm:registry.npmjs.org')
})

t.test('gitlab: the project and job URLs npm\'s provenance statement names', async (t) => {
  const env = await buildJobEnv(context('gitlab'))
  t.match(env, {
    CI_PROJECT_URL: 'https://gitlab.com/group/project',
    CI_JOB_URL: 'https://gitlab.com/group/project/-/jobs/302',
    CI_JOB_NAME: 'publish',
    CI_RUNNER_ID: '12270859',
  })
  const noJob = await buildJobEnv(context('gitlab', { job_id: undefined }))
  t.equal(noJob.CI_PROJECT_URL, 'https://gitlab.com/group/project')
  t.notOk('CI_JOB_URL' in noJob, 'no job id, no job URL')
  const noProject = await buildJobEnv(context('gitlab', { project_path: undefined }))
  t.notOk('CI_PROJECT_URL' in noProject || 'CI_JOB_URL' in noProject, 'no project path, no URLs')
})

t.test('circleci: NPM_ID_TOKEN for the audience, CIRCLE_OIDC_TOKEN for the org', async (t) => {
  const c = context('circleci')
  const env = await buildJobEnv(c, { audience: 'npm:127.0.0.1' })
  const org = c.claims['oidc.circleci.com/org-id'] as string
  t.match(env, {
    CIRCLECI: 'true',
    CIRCLE_ORGANIZATION_ID: org,
    CIRCLE_PROJECT_ID: c.claims['oidc.circleci.com/project-id'],
    CIRCLE_PROJECT_USERNAME: 'acme',
    CIRCLE_PROJECT_REPONAME: 'widgets',
    CIRCLE_BRANCH: 'main',
    CIRCLE_OIDC_TOKEN: `jwt(${org})`,
    CIRCLE_OIDC_TOKEN_V2: `jwt(${org})`,
    NPM_ID_TOKEN: 'jwt(npm:127.0.0.1)',
  })
  const bare = await buildJobEnv(context('circleci', { 'oidc.circleci.com/org-id': undefined, 'oidc.circleci.com/vcs-origin': undefined, 'oidc.circleci.com/vcs-ref': undefined }))
  for (const k of ['CIRCLE_ORGANIZATION_ID', 'CIRCLE_OIDC_TOKEN', 'CIRCLE_PROJECT_USERNAME', 'CIRCLE_BRANCH']) t.notOk(k in bare, k)
  t.equal(bare.NPM_ID_TOKEN, `jwt(${DEFAULT_JOB_AUDIENCE})`)
})

t.test('overrides add, replace and remove variables', async (t) => {
  const env = await buildJobEnv(context('github-actions'), { overrides: { ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined, GITHUB_EVENT_NAME: 'pull_request', EXTRA: 'x' } })
  t.notOk('ACTIONS_ID_TOKEN_REQUEST_TOKEN' in env)
  t.equal(env.GITHUB_EVENT_NAME, 'pull_request')
  t.equal(env.EXTRA, 'x')
  await t.rejects(buildJobEnv(context('gitlab'), { overrides: { NPM_ID_TOKEN: 42 as never } }), { name: 'TypeError', message: /`overrides.NPM_ID_TOKEN`.*number/ })
})

t.test('nothing comes from process.env', async (t) => {
  const env = await buildJobEnv(context('gitlab'))
  for (const key of ['PATH', 'HOME', 'NODE_OPTIONS', 'TAP']) t.notOk(key in env, key)
})
