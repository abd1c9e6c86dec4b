import t from 'tap'
import { githubWorkflowFile, gitlabConfigFile } from '../lib/workflow-file.js'

t.test('githubWorkflowFile', async t => {
  const cases: Array<[unknown, string | undefined]> = [
    ['acme/pkg/.github/workflows/release.yml@refs/heads/main', 'release.yml'],
    ['acme/pkg/.github/workflows/Release.YAML@refs/heads/feat/x@y', 'Release.YAML'],
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
    ['gitlab.com/group/project/.gitlab-ci.yml@refs/heads/main', undefined],
    [null, undefined],
  ]
  for (const [uri, file] of cases) t.equal(gitlabConfigFile(uri), file, String(uri))
})
