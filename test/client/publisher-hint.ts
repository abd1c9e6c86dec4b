import t from 'tap'
import { describePublisher, expectedPublisher } from '../../lib/client/publisher-hint.js'

// The files are read exactly as the registry side (lib/verifier) matches them: test/workflow-file.ts.
t.test('workflow files from refs', async (t) => {
  const file = (claims: Record<string, unknown>) => expectedPublisher(claims)[1]?.value
  t.equal(file({ workflow_ref: 'acme/widgets/.github/workflows/release.yml@refs/heads/main' }), 'release.yml')
  t.equal(file({ project_path: 'group/project', ci_config_ref_uri: 'gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main' }), '.gitlab-ci.yml')
  t.equal(file({ workflow_ref: 'acme/widgets/.github/workflows/@refs/tags/v1' }), null)
  t.equal(file({ repository: 'acme/widgets', workflow_ref: null }), null)
  t.equal(file({ workflow_ref: 'acme/widgets/.github/workflows/release.yml@refs/heads/fix@2' }), 'release.yml', 'a branch with @ in its name')
  t.equal(file({ project_path: 'group/project', ci_config_ref_uri: 'gitlab.com/group/project/.gitlab-ci.yml@refs/heads/main' }), null, 'no // before the CI file')
})

t.test('GitHub: the calling workflow, not the reusable one', async (t) => {
  t.same(expectedPublisher({
    repository: 'acme/widgets',
    workflow_ref: 'acme/widgets/.github/workflows/release.yml@refs/heads/main',
    job_workflow_ref: 'acme/shared/.github/workflows/publish.yml@refs/heads/main',
    environment: 'npm',
  }), [
    { field: 'repository', value: 'acme/widgets', claim: 'repository' },
    { field: 'workflow filename', value: 'release.yml', claim: 'workflow_ref' },
    { field: 'environment', value: 'npm', claim: 'environment' },
  ])
  t.equal(describePublisher({ repository: 'acme/widgets' }), 'repository "acme/widgets", workflow filename (none), environment (none)')
})

t.test('GitLab, CircleCI, unknown', async (t) => {
  t.equal(describePublisher({ project_path: 'g/p', ci_config_ref_uri: 'gitlab.com/g/p//ci/release.yml@refs/heads/main', environment: '' }),
    'project path "g/p", CI file "ci/release.yml", environment (none)')
  t.equal(describePublisher({ 'oidc.circleci.com/org-id': 'o', 'oidc.circleci.com/vcs-origin': 'github.com/a/b' }),
    'org-id "o", project-id (none), pipeline-definition-id (none), vcs-origin "github.com/a/b"')
  t.same(expectedPublisher({ iss: 'https://example.com', sub: 'x' }), [])
  t.equal(describePublisher({ repository: 42 }), '')
})
