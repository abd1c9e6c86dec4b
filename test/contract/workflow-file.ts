import t from 'tap'
import { githubWorkflowFile, gitlabConfigFile, gitlabConfigProject } from '../../lib/contract/workflow-file.js'

t.test('githubWorkflowFile', async t => {
  const cases: Array<[unknown, string | undefined]> = [
    ['acme/pkg/.github/workflows/release.yml@refs/heads/main', 'release.yml'],
    ['acme/pkg/.github/workflows/Release.YAML@refs/heads/feat/x@y', 'Release.YAML'],
    ['acme/pkg/.github/workflows/release.yml@evil.yml@refs/heads/main', 'release.yml@evil.yml'],
    ['acme/pkg/.github/workflows/release.yml@refs/heads/a@refs/b', 'release.yml'],
    ['acme/pkg/.github/workflows/release.yml', 'release.yml'],
    ['acme/pkg/release.yml@refs/heads/main', undefined],
    [undefined, undefined],
    [42, undefined],
  ]
  for (const [ref, file] of cases) t.equal(githubWorkflowFile(ref), file, String(ref))
})

t.test('gitlabConfigFile', async t => {
  const cases: Array<[unknown, string | undefined]> = [
    ['gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main', '.gitlab-ci.yml'],
    ['gitlab.com/group/sub/project//ci/release.yml@refs/tags/v1', 'ci/release.yml'],
    ['gitlab.com/group/project//ci/a@b.yml@refs/heads/main', 'ci/a@b.yml'],
    ['gitlab.com/group/project/.gitlab-ci.yml@refs/heads/main', undefined],
    [null, undefined],
  ]
  for (const [uri, file] of cases) t.equal(gitlabConfigFile(uri), file, String(uri))
})

t.test('gitlabConfigProject', async t => {
  const cases: Array<[unknown, string | undefined]> = [
    ['gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main', 'group/project'],
    ['gitlab.example.com/group/sub/project//ci/release.yml@refs/tags/v1', 'group/sub/project'],
    ['gitlab.com//.gitlab-ci.yml@refs/heads/main', undefined],
    ['/group/project//.gitlab-ci.yml', undefined],
    ['gitlab.com/group/project/.gitlab-ci.yml@refs/heads/main', undefined],
    [42, undefined],
  ]
  for (const [uri, project] of cases) t.equal(gitlabConfigProject(uri), project, String(uri))
})
