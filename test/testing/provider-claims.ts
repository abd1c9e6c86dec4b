import t from 'tap'
import { providerClaims, testkitProviders } from '../../lib/testing/provider-claims.js'

const ISS = 'http://127.0.0.1:4000'

t.test('provider ids in detection order', async (t) => {
  t.same(testkitProviders, ['github-actions', 'gitlab', 'circleci'])
  t.ok(Object.isFrozen(testkitProviders))
})

t.test('github-actions defaults', async (t) => {
  const c = providerClaims('github-actions', ISS)
  t.equal(c.iss, ISS)
  t.equal(c.sub, 'repo:acme/widgets:ref:refs/heads/main')
  t.equal(c.repository, 'acme/widgets')
  t.equal(c.repository_owner, 'acme')
  t.type(c.repository_id, 'string')
  t.type(c.repository_owner_id, 'string')
  t.equal(c.repository_visibility, 'public')
  t.equal(c.workflow_ref, 'acme/widgets/.github/workflows/release.yml@refs/heads/main')
  t.equal(c.job_workflow_ref, c.workflow_ref)
  t.equal(c.ref, 'refs/heads/main')
  t.match(c.sha, /^[0-9a-f]{40}$/)
  t.equal(c.event_name, 'push')
  t.equal(c.runner_environment, 'github-hosted')
  t.notOk('environment' in c, 'environment only when given')
  t.notOk('aud' in c || 'exp' in c || 'iat' in c, 'no per-token claims')
})

t.test('github-actions derived claims follow overrides', async (t) => {
  const c = providerClaims('github-actions', ISS, { repository: 'octo/tools', ref: 'refs/tags/v1.0.0', environment: 'production' })
  t.equal(c.sub, 'repo:octo/tools:environment:production')
  t.equal(c.environment, 'production')
  t.equal(c.repository_owner, 'octo')
  t.equal(c.workflow_ref, 'octo/tools/.github/workflows/release.yml@refs/tags/v1.0.0')
  const reusable = providerClaims('github-actions', ISS, { workflow_ref: 'acme/widgets/.github/workflows/ci.yaml@refs/heads/main', job_workflow_ref: 'acme/shared/.github/workflows/publish.yml@v2' })
  t.equal(reusable.workflow_ref, 'acme/widgets/.github/workflows/ci.yaml@refs/heads/main')
  t.equal(reusable.job_workflow_ref, 'acme/shared/.github/workflows/publish.yml@v2')
})

t.test('an undefined override removes the claim; others are added', async (t) => {
  const c = providerClaims('github-actions', ISS, { runner_environment: undefined, extra: 1 })
  t.notOk('runner_environment' in c)
  t.equal(c.extra, 1)
})

t.test('gitlab defaults and environment', async (t) => {
  const c = providerClaims('gitlab', ISS)
  t.equal(c.iss, ISS)
  t.equal(c.project_path, 'group/project')
  t.equal(c.namespace_path, 'group')
  t.equal(c.ci_config_ref_uri, 'gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main')
  t.equal(c.project_visibility, 'public')
  t.equal(c.pipeline_source, 'push')
  t.equal(c.runner_environment, 'gitlab-hosted')
  t.equal(c.sub, 'project_path:group/project:ref_type:branch:ref:main')
  t.notOk('environment' in c)
  const e = providerClaims('gitlab', ISS, { project_path: 'grp/sub/proj', environment: 'production' })
  t.equal(e.namespace_path, 'grp/sub')
  t.equal(e.ci_config_ref_uri, 'gitlab.com/grp/sub/proj//.gitlab-ci.yml@refs/heads/main')
  t.equal(e.environment, 'production')
  t.equal(e.deployment_tier, 'production')
})

t.test('circleci defaults', async (t) => {
  const c = providerClaims('circleci', ISS)
  t.equal(c.iss, ISS)
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
  t.match(c['oidc.circleci.com/org-id'], uuid)
  t.match(c['oidc.circleci.com/project-id'], uuid)
  t.match(c['oidc.circleci.com/pipeline-definition-id'], uuid)
  t.equal(c['oidc.circleci.com/vcs-origin'], 'github.com/acme/widgets')
  t.ok(Array.isArray(c['oidc.circleci.com/context-ids']))
  t.equal(c['oidc.circleci.com/ssh-rerun'], false)
  t.equal(c.sub, `org/${c['oidc.circleci.com/org-id']}/project/${c['oidc.circleci.com/project-id']}/user/a9b8c7d6-e5f4-4321-9abc-def012345678`)
  const o = providerClaims('circleci', ISS, { 'oidc.circleci.com/org-id': 'org-1', 'oidc.circleci.com/project-id': 'proj-1', 'oidc.circleci.com/ssh-rerun': true })
  t.match(o.sub, /^org\/org-1\/project\/proj-1\/user\//)
  t.equal(o['oidc.circleci.com/ssh-rerun'], true)
})

t.test('unknown provider is a TypeError naming the option', async (t) => {
  t.throws(() => providerClaims('travis' as never, ISS), { name: 'TypeError', message: /`provider`.*"travis"/ })
})
