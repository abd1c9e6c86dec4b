import t from 'tap'
import { manifestRepository } from '../../lib/trust/manifest-repository.js'

t.test('repository forms npm accepts', async (t) => {
  const cases: Array<[unknown, unknown]> = [
    ['Acme/Widgets', { provider: 'github', path: 'Acme/Widgets' }],
    ['github:acme/widgets', { provider: 'github', path: 'acme/widgets' }],
    ['gitlab:group/sub/project', { provider: 'gitlab', path: 'group/sub/project' }],
    ['bitbucket:acme/widgets', { provider: 'bitbucket.org', path: 'acme/widgets' }],
    [{ type: 'git', url: 'git+https://github.com/acme/widgets.git' }, { provider: 'github', path: 'acme/widgets' }],
    ['https://github.com/acme/widgets/tree/main/packages/a', { provider: 'github', path: 'acme/widgets' }],
    ['git@github.com:acme/widgets.git', { provider: 'github', path: 'acme/widgets' }],
    ['ssh://git@GitHub.com:22/acme/widgets.git#main', { provider: 'github', path: 'acme/widgets' }],
    ['https://gitlab.com/group/sub/project/-/tree/main?x=1', { provider: 'gitlab', path: 'group/sub/project' }],
    ['https://git.example.com/team/repo/', { provider: 'git.example.com', path: 'team/repo' }],
    [' ', null],
    ['https://github.com/', null],
    ['not-a-repo', null],
    [undefined, null],
    ['https://gitlab.com//-/tree/main', null],
  ]
  for (const [repository, expected] of cases) {
    t.same(manifestRepository({ repository }), expected, JSON.stringify(repository))
  }
})

t.test('forms read with hosted-git-info, and self-hosted ones read as before', async (t) => {
  const cases: Array<[unknown, unknown]> = [
    ['git@gitlab.com:group/sub/project.git', { provider: 'gitlab', path: 'group/sub/project' }],
    [{ url: 'git+ssh://git@gitlab.com/group/sub/project.git' }, { provider: 'gitlab', path: 'group/sub/project' }],
    ['https://www.github.com/acme/widgets', { provider: 'github', path: 'acme/widgets' }],
    ['GitHub:Acme/Widgets', { provider: 'github', path: 'Acme/Widgets' }],
    ['https://github.com/acme/widgets/blob/main/README.md', { provider: 'github', path: 'acme/widgets' }],
    ['git@git.example.com:team/repo.git', { provider: 'git.example.com', path: 'team/repo' }],
  ]
  for (const [repository, expected] of cases) {
    t.same(manifestRepository({ repository }), expected, JSON.stringify(repository))
  }
})
