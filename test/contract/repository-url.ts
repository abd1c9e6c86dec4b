import t from 'tap'
import { manifestRepositoryUrl, normaliseRepositoryUrl, repositoryLocation } from '../../lib/contract/repository-url.js'

t.test('the forms hosted-git-info reads, as npm reads them', async (t) => {
  const cases: Array<[string, unknown]> = [
    ['github:acme/widgets', { host: 'github.com', path: 'acme/widgets' }],
    ['acme/widgets#main', { host: 'github.com', path: 'acme/widgets' }],
    ['git@gitlab.com:group/sub/project.git', { host: 'gitlab.com', path: 'group/sub/project' }],
    ['gitlab:group/sub/project', { host: 'gitlab.com', path: 'group/sub/project' }],
    ['git+ssh://git@github.com/acme/widgets.git#semver:^1.0.0', { host: 'github.com', path: 'acme/widgets' }],
    // Read differently before hosted-git-info: a `www.` host, a capitalised shorthand, a link into a repository.
    ['https://www.github.com/acme/widgets', { host: 'github.com', path: 'acme/widgets' }],
    ['GitHub:Acme/Widgets', { host: 'github.com', path: 'Acme/Widgets' }],
    ['GITLAB:group/sub/project', { host: 'gitlab.com', path: 'group/sub/project' }],
    ['https://github.com/acme/widgets/tree/main/packages/a', { host: 'github.com', path: 'acme/widgets' }],
    ['https://bitbucket.org/acme/widgets/src/main', { host: 'bitbucket.org', path: 'acme/widgets' }],
    ['sourcehut:~acme/widgets', { host: 'git.sr.ht', path: '~acme/widgets' }],
  ]
  for (const [url, expected] of cases) t.same(repositoryLocation(url), expected, url)
})

t.test('what hosted-git-info does not read is read as before', async (t) => {
  const cases: Array<[string, unknown]> = [
    ['https://git.example.com/team/repo/', { host: 'git.example.com', path: 'team/repo' }],
    ['git@git.example.com:team/repo.git', { host: 'git.example.com', path: 'team/repo' }],
    ['ssh://git@git.example.com:2222/group/sub/repo.git#main', { host: 'git.example.com', path: 'group/sub/repo' }],
    ['git+https://gitlab.example.com/group/sub/project.git?x=1',
      { host: 'gitlab.example.com', path: 'group/sub/project' }],
    ['https://github.com/acme/widgets/blob/main/README.md',
      { host: 'github.com', path: 'acme/widgets/blob/main/README.md' }],
    ['https://gitlab.com/group/sub/project/-/tree/main', { host: 'gitlab.com', path: 'group/sub/project/-/tree/main' }],
    ['', null],
    ['not-a-repo', null],
    ['https://github.com/', null],
    ['https://git.example.com/.git', null],
  ]
  for (const [url, expected] of cases) t.same(repositoryLocation(url), expected, JSON.stringify(url))
})

t.test('normaliseRepositoryUrl: one lowercase host/path for every way of writing a repository', async (t) => {
  const github = [
    'git+https://github.com/Acme/Widgets.git', 'git@github.com:acme/widgets.git', 'github:acme/widgets', 'Acme/Widgets',
    'https://www.github.com/acme/widgets', 'GitHub:acme/widgets', ' https://github.com/acme/widgets/tree/main/pkg ',
  ]
  for (const url of github) t.equal(normaliseRepositoryUrl(url), 'github.com/acme/widgets', url)
  const gitlab = [
    'git@gitlab.com:Group/Sub/Project.git', 'gitlab:group/sub/project', 'https://gitlab.com/group/sub/project',
  ]
  for (const url of gitlab) t.equal(normaliseRepositoryUrl(url), 'gitlab.com/group/sub/project', url)
  t.equal(normaliseRepositoryUrl('git@git.Example.com:Team/Repo.git'), 'git.example.com/team/repo')
  t.equal(normaliseRepositoryUrl('not-a-repo'), '')
})

t.test('manifestRepositoryUrl: the string form or its url', async (t) => {
  t.equal(manifestRepositoryUrl({ repository: 'github:acme/widgets' }), 'github:acme/widgets')
  t.equal(manifestRepositoryUrl({ repository: { type: 'git', url: 'git+https://github.com/acme/widgets.git' } }),
    'git+https://github.com/acme/widgets.git')
  t.equal(manifestRepositoryUrl({ repository: { type: 'git' } }), '')
  t.equal(manifestRepositoryUrl({ repository: null }), '')
  t.equal(manifestRepositoryUrl({}), '')
})
