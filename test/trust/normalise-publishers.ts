import t from 'tap'
import { normalisePublishers } from '../../lib/trust/normalise-publishers.js'

const U = ['b2e3a6f4-5c1d-4e8a-9f7b-0c2d4e6f8a1b', 'D4C1E8F2-7A3B-4C5D-8E9F-1A2B3C4D5E6F', 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b'] as const
const gh = { type: 'github', repository: 'acme/widgets', file: 'release.yml', permissions: ['createPackage'] }
const gl = { type: 'gitlab', project: 'group/project', file: '.gitlab-ci.yaml', permissions: ['createStagedPackage'] }
const cc = { type: 'circleci', orgId: U[0], projectId: U[1], pipelineDefinitionId: U[2], vcsOrigin: 'bitbucket.org/acme/widgets', permissions: ['createPackage'] }

t.test('each rule is a TypeError naming the field', async (t) => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['not an object', 'github', /^Expected `publisher` to be an object\.$/],
    ['an array item not an object', [gh, null], /^Expected `publishers\[1\]` to be an object\.$/],
    ['unknown type', { ...gh, type: 'bitbucket' }, /^Expected `publisher\.type` to be 'github', 'gitlab' or 'circleci', got "bitbucket"\.$/],
    ['missing type', { file: 'x.yml' }, /`publisher\.type`.*got nothing/],
    ['no permissions', { ...gh, permissions: [] }, /`publisher\.permissions` to be a non-empty array/],
    ['unknown permission', { ...gh, permissions: ['publish'] }, /`publisher\.permissions`/],
    ['permissions not an array', { ...gh, permissions: 'createPackage' }, /`publisher\.permissions`/],
    ['repository with one segment', { ...gh, repository: 'acme' }, /^Expected `publisher\.repository` to be a GitHub repository as `owner\/repo`, got "acme"\.$/],
    ['repository with three segments', { ...gh, repository: 'a/b/c' }, /`publisher\.repository`/],
    ['repository missing', { ...gh, repository: undefined }, /`publisher\.repository`.*got nothing/],
    ['repository blank', { ...gh, repository: ' ' }, /`publisher\.repository`/],
    ['workflow file is a path', { ...gh, file: '.github/workflows/release.yml' }, /^Expected `publisher\.file` to be a bare file name without a path \(such as `release\.yml`\), got "\.github\/workflows\/release\.yml"\.$/],
    ['workflow file with a backslash', { ...gh, file: 'wf\\release.yml' }, /`publisher\.file` to be a bare file name/],
    ['workflow file extension', { ...gh, file: 'release.YML' }, /^Expected `publisher\.file` to be a file name ending in \.yml or \.yaml, got "release\.YML"\.$/],
    ['workflow file missing', { ...gh, file: undefined }, /`publisher\.file`.*got nothing/],
    ['environment empty', { ...gh, environment: '' }, /`publisher\.environment` to be a non-empty environment name/],
    ['project with one segment', { ...gl, project: 'project' }, /^Expected `publisher\.project` to be a GitLab project path as `group\/project` or `group\/sub\/project`, got "project"\.$/],
    ['project with an empty segment', { ...gl, project: 'group//project' }, /`publisher\.project`/],
    ['project missing', { ...gl, project: undefined }, /`publisher\.project`/],
    ['gitlab file is a path', { ...gl, file: 'ci/.gitlab-ci.yml' }, /`publisher\.file` to be a bare file name/],
    ['gitlab environment not a string', { ...gl, environment: 3 }, /`publisher\.environment`/],
    ['org id not a UUID', { ...cc, orgId: 'acme' }, /^Expected `publisher\.orgId` to be a UUID, got "acme"\.$/],
    ['project id missing', { ...cc, projectId: undefined }, /`publisher\.projectId` to be a UUID, got nothing/],
    ['pipeline definition id not a UUID', { ...cc, pipelineDefinitionId: `${U[2]}0` }, /`publisher\.pipelineDefinitionId`/],
    ['vcs origin with a scheme', { ...cc, vcsOrigin: 'https://github.com/acme/widgets' }, /^Expected `publisher\.vcsOrigin` to be `provider\/owner\/repo` without a scheme/],
    ['vcs origin too short', { ...cc, vcsOrigin: 'github.com/acme' }, /`publisher\.vcsOrigin` to be `provider\/owner\/repo`/],
    ['context ids not an array', { ...cc, contextIds: U[0] }, /`publisher\.contextIds` to be an array of UUIDs/],
    ['a context id not a UUID', { ...cc, contextIds: [U[0], 'ctx'] }, /`publisher\.contextIds\[1\]` to be a UUID/],
    ['raw claims not an object', { type: 'github', claims: [], permissions: ['createPackage'] }, /^Expected `publisher\.claims` to be an object\.$/],
    ['raw github file', { type: 'github', claims: { repository: 'a/b', workflow_ref: 'release.yml' }, permissions: ['createPackage'] }, /`publisher\.claims\.workflow_ref\.file`/],
    ['raw gitlab project', { type: 'gitlab', claims: { project_path: 'p', ci_config_ref_uri: { file: 'a.yml' } }, permissions: ['createPackage'] }, /`publisher\.claims\.project_path`/],
    ['raw circleci origin', { type: 'circleci', claims: { 'oidc.circleci.com/org-id': U[0], 'oidc.circleci.com/project-id': U[1], 'oidc.circleci.com/pipeline-definition-id': U[2], 'oidc.circleci.com/vcs-origin': 'x' }, permissions: ['createPackage'] }, /`publisher\.claims\["oidc\.circleci\.com\/vcs-origin"\]`/],
  ]
  for (const [name, input, message] of cases) t.throws(() => normalisePublishers(input), { name: 'TypeError', message }, name)
  t.throws(() => normalisePublishers([]), { name: 'TypeError', message: /^Expected `publishers` to hold at least one publisher\.$/ })
})

t.test('valid inputs become npm\'s body', async (t) => {
  t.same(normalisePublishers({ ...gh, environment: 'prod', permissions: ['createPackage', 'createPackage', 'createStagedPackage'] }), {
    publishers: [{ type: 'github', claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' }, environment: 'prod' }, permissions: ['createPackage', 'createStagedPackage'] }],
    warnings: [],
  })
  t.same(normalisePublishers([{ ...gl, environment: 'production' }, { ...cc, contextIds: [] }]).publishers, [
    { type: 'gitlab', claims: { project_path: 'group/project', ci_config_ref_uri: { file: '.gitlab-ci.yaml' }, environment: 'production' }, permissions: ['createStagedPackage'] },
    {
      type: 'circleci',
      claims: { 'oidc.circleci.com/org-id': U[0], 'oidc.circleci.com/project-id': U[1], 'oidc.circleci.com/pipeline-definition-id': U[2], 'oidc.circleci.com/vcs-origin': 'bitbucket.org/acme/widgets' },
      permissions: ['createPackage'],
    },
  ], 'empty context ids are omitted; UUIDs in either case')
  const raw = [
    { type: 'gitlab', claims: { project_path: 'g/p', ci_config_ref_uri: { file: 'a.yml' }, environment: 'e' }, permissions: ['createPackage'] },
    { type: 'circleci', claims: { 'oidc.circleci.com/org-id': U[0], 'oidc.circleci.com/project-id': U[1], 'oidc.circleci.com/pipeline-definition-id': U[2], 'oidc.circleci.com/vcs-origin': 'github.com/a/b', 'oidc.circleci.com/context-ids': [U[0]] }, permissions: ['createPackage'] },
  ]
  t.same(normalisePublishers(raw).publishers, raw)
})

t.test('manifest defaults and warnings', async (t) => {
  const m = (repository: unknown) => ({ name: 'pkg', repository })
  const noRepo = { ...gh, repository: undefined }
  const noProject = { ...gl, project: undefined }
  t.same(normalisePublishers(noRepo, m('github:Acme/Widgets')).publishers[0]?.claims, { repository: 'Acme/Widgets', workflow_ref: { file: 'release.yml' } })
  t.same(normalisePublishers(noProject, m({ url: 'git+ssh://git@gitlab.com/group/sub/project.git' })).publishers[0]?.claims,
    { project_path: 'group/sub/project', ci_config_ref_uri: { file: '.gitlab-ci.yaml' } })
  t.throws(() => normalisePublishers(noRepo, m('gitlab:group/project')),
    { name: 'TypeError', message: /^Expected `publisher\.repository` to be given: the repository in package\.json \(gitlab\/group\/project\) is not a GitHub repository\.$/ })
  t.throws(() => normalisePublishers(noRepo, { name: 'pkg' }), { name: 'TypeError', message: /`publisher\.repository`.*got nothing/ })
  t.same(normalisePublishers(gh, m('https://github.com/acme/widgets')).warnings, [], 'agreeing: no warning')
  t.same(normalisePublishers(gh, m('gitlab:group/project')).warnings,
    ['The repository in package.json (gitlab/group/project) is not a GitHub repository; using repository acme/widgets.'])
  t.same(normalisePublishers(gl, m('https://gitlab.com/group/other')).warnings,
    ['The repository in package.json (group/other) differs from the given GitLab project (group/project); using group/project.'])
  t.same(normalisePublishers({ ...cc }, m('github:x/y')).warnings, [], 'CircleCI takes no defaults')
})
