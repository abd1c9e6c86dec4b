import t from 'tap'
import { assertRepositoryMatches, decideProvenance, type ProvenanceInput } from '../../lib/publish/provenance.js'
import { ExchangedToken } from '../../lib/client/token.js'
import { json } from '../fixtures/server.js'
import { pkg, line, publishJob } from '../fixtures/publish-job.js'
import { githubClaims } from '../fixtures/id-token.js'
import { captureLogs } from '../fixtures/logs.js'

const token = (provider: string, claims: Record<string, unknown>) =>
  new ExchangedToken('npm_x', { authKey: 'k', registry: 'https://registry.npmjs.org/', package: 'p', provider, claims })
const github = (overrides: Record<string, unknown> = {}) => token('github-actions', githubClaims(overrides))
const gitlab = (overrides: Record<string, unknown> = {}) => token('gitlab', { project_path: 'group/widgets', project_visibility: 'public', ...overrides })
const ghEnv = { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: 'https://example.invalid/token' }
const manifest = { name: 'p', version: '1.0.0', repository: 'git+https://github.com/Acme/Widgets.git' }
const publicPkg = async () => ({ public: true, reason: 'public' })

function input (overrides: Partial<ProvenanceInput>): ProvenanceInput {
  return { setting: 'auto', provenanceFile: undefined, oidc: github(), env: ghEnv, manifest, isPublic: publicPkg, detectedProvider: 'github-actions', ...overrides }
}

t.test('auto follows npm\'s rules and ours', async (t) => {
  const logs = captureLogs(t)
  const cases: Array<[string, Partial<ProvenanceInput>, boolean, RegExp]> = [
    ['public repo, github-hosted, public package', {}, true, /public source repository and public package/],
    ['no OIDC', { oidc: null }, false, /OIDC was not used/],
    ['private repository', { oidc: github({ repository_visibility: 'private' }) }, false, /the repository is private, not public/],
    ['unknown visibility', { oidc: github({ repository_visibility: undefined }) }, false, /of unknown visibility/],
    ['self-hosted runner', { oidc: github({ runner_environment: 'self-hosted' }) }, false, /the runner is self-hosted, not github-hosted/],
    ['unknown runner', { oidc: github({ runner_environment: undefined }) }, false, /of unknown kind/],
    ['NPM_ID_TOKEN without request URL', { env: { GITHUB_ACTIONS: 'true' } }, false, /cannot request the sigstore ID token/],
    ['private package', { isPublic: async () => ({ public: false, reason: 'the registry says the package is not public' }) }, false, /not public/],
    ['CircleCI', { oidc: token('circleci', {}) }, false, /circleci cannot sign provenance/],
    ['GitLab public with SIGSTORE_ID_TOKEN', { oidc: gitlab(), env: { SIGSTORE_ID_TOKEN: 'x' }, manifest: { ...manifest, repository: { url: 'https://gitlab.com/group/widgets' } } }, true, /public source/],
    ['GitLab without SIGSTORE_ID_TOKEN', { oidc: gitlab(), env: {} }, false, /SIGSTORE_ID_TOKEN is not set/],
    ['GitLab private project', { oidc: gitlab({ project_visibility: 'private' }), env: { SIGSTORE_ID_TOKEN: 'x' } }, false, /the project is private/],
    ['GitLab unknown visibility', { oidc: gitlab({ project_visibility: undefined }), env: { SIGSTORE_ID_TOKEN: 'x' } }, false, /unknown visibility/],
  ]
  for (const [name, overrides, enabled, reason] of cases) {
    t.match(await decideProvenance(input(overrides)), { enabled, source: 'auto', reason }, name)
  }
  t.match(logs[0], ['verbose', 'oidc', 'Provenance on (auto): public source repository and public package'])
})

t.test('explicit settings and a bundle file always win', async (t) => {
  t.match(await decideProvenance(input({ setting: false })), { enabled: false, source: 'explicit' })
  t.match(await decideProvenance(input({ setting: true, oidc: github({ repository_visibility: 'private' }) })), { enabled: true, source: 'explicit' })
  t.match(await decideProvenance(input({ provenanceFile: 'x.sigstore', setting: false })), { enabled: true, source: 'file' })
  t.match(await decideProvenance(input({ setting: true, oidc: null, env: { SIGSTORE_ID_TOKEN: 'x' }, detectedProvider: 'gitlab' })), { enabled: true })
})

t.test('explicit true that cannot be satisfied fails before upload', async (t) => {
  const cases: Array<[string, Partial<ProvenanceInput>, RegExp]> = [
    ['CircleCI', { oidc: token('circleci', {}), detectedProvider: 'circleci' }, /provider circleci/],
    ['no CI', { oidc: null, detectedProvider: undefined, env: {} }, /provider \(none\)/],
    ['GitHub without permission', { env: { GITHUB_ACTIONS: 'true' } }, /without ACTIONS_ID_TOKEN_REQUEST_URL/],
    ['GitLab without SIGSTORE_ID_TOKEN', { oidc: gitlab(), env: {} }, /without SIGSTORE_ID_TOKEN/],
  ]
  for (const [name, overrides, message] of cases) {
    await t.rejects(decideProvenance(input({ setting: true, ...overrides })), { code: 'ERR_OIDC_PROVENANCE_UNAVAILABLE', message }, name)
  }
})

t.test('repository.url must name the token\'s repository', async (t) => {
  const ok = ['git+https://github.com/acme/widgets.git', 'https://github.com/acme/widgets', 'git@github.com:acme/widgets.git', 'github:acme/widgets', 'ssh://git@github.com/acme/widgets.git', 'https://github.com/ACME/widgets/']
  for (const url of ok) t.doesNotThrow(() => assertRepositoryMatches(github(), { repository: { url } }), url)
  const bad: Array<[unknown, RegExp]> = [
    [undefined, /repository\.url is "", expected to match https:\/\/github\.com\/acme\/widgets/],
    [{ url: 'https://github.com/acme/other' }, /is "https:\/\/github\.com\/acme\/other"/],
    [{ type: 'git' }, /is ""/],
    ['https://gitlab.com/acme/widgets', /expected to match/],
  ]
  for (const [repository, message] of bad) {
    t.throws(() => assertRepositoryMatches(github(), { repository }), { code: 'ERR_OIDC_PROVENANCE_MISMATCH', message, hint: /git\+https:\/\/github\.com\/acme\/widgets\.git/ })
  }
  t.doesNotThrow(() => assertRepositoryMatches(null, {}), 'nothing to compare without OIDC')
  t.doesNotThrow(() => assertRepositoryMatches(token('circleci', {}), {}), 'nor for a provider without a source repository')
  t.doesNotThrow(() => assertRepositoryMatches(token('github-actions', {}), {}), 'nor for a token without the claim')
  await t.rejects(decideProvenance(input({ manifest: { repository: 'https://github.com/acme/other' } })), { code: 'ERR_OIDC_PROVENANCE_MISMATCH' }, 'auto checks it too')
})

t.test('repository.url in the forms hosted-git-info reads', async (t) => {
  const ok = [
    'acme/widgets', 'GitHub:acme/widgets', 'https://www.github.com/acme/widgets',
    'https://github.com/acme/widgets/tree/main/pkg',
  ]
  for (const url of ok) t.doesNotThrow(() => assertRepositoryMatches(github(), { repository: { url } }), url)
  const subgroup = gitlab({ project_path: 'group/sub/project' })
  for (const url of ['git@gitlab.com:group/sub/project.git', 'gitlab:group/sub/project']) {
    t.doesNotThrow(() => assertRepositoryMatches(subgroup, { repository: url }), url)
  }
  t.throws(() => assertRepositoryMatches(subgroup, { repository: 'git@gitlab.com:group/project.git' }),
    { code: 'ERR_OIDC_PROVENANCE_MISMATCH' }, 'a subgroup is part of the path')
  t.throws(() => assertRepositoryMatches(github(), { repository: 'git@git.example.com:acme/widgets.git' }),
    { code: 'ERR_OIDC_PROVENANCE_MISMATCH' }, 'a self-hosted host is not github.com')
})

t.test('publishWithOidc passes the decision to libnpmpublish (mocked; test/e2e/*-provenance.ts sign for real)', async (t) => {
  const calls: Array<Record<string, unknown>> = []
  const { publishWithOidc } = await t.mockImport<typeof import('../../lib/publish/publish-with-oidc.js')>('../../lib/publish/publish-with-oidc.js', {
    libnpmpublish: {
      publish: async (_m: unknown, _t: unknown, opts: Record<string, unknown>) => {
        calls.push(opts)
        return new Response('{}', { status: 201 })
      },
    },
  })
  const job = await publishJob(t)
  const fallback = job.server.fallback
  job.server.fallback = (res, req) => req.path.endsWith('/visibility') ? json(200, { public: true })(res, req) : fallback(res, req)
  const { manifest: m, tarball } = pkg()
  // Auto turns provenance on, but opts.env is another job than this process's: refused before signing.
  await t.rejects(publishWithOidc(m, tarball, { registry: job.registry, env: job.env }), { code: 'ERR_OIDC_PROVENANCE_ENV_MISMATCH' })
  t.same(job.server.requests.map(line).slice(2), ['GET /-/package/@acme%2fwidgets/visibility [npm_exchanged]'])
  t.equal(calls.length, 0, 'libnpmpublish was not called')

  await publishWithOidc(m, tarball, { registry: job.registry, env: job.env, provenanceFile: '/tmp/bundle.sigstore' })
  t.equal(calls[0]?.provenance, undefined, 'a bundle file is passed through, provenance left unset')
  t.equal(calls[0]?.provenanceFile, '/tmp/bundle.sigstore')
  t.equal(calls[0]?.[`//${new URL(job.registry).host}/:_authToken`], 'npm_exchanged')
  t.same(calls[0]?.forceAuth, { token: 'npm_exchanged' })

  const before = job.server.requests.length
  await t.rejects(publishWithOidc({ ...m, repository: 'https://github.com/acme/other' }, tarball, { registry: job.registry, env: job.env }), { code: 'ERR_OIDC_PROVENANCE_MISMATCH' })
  t.equal(calls.length, 1, 'nothing uploaded after the mismatch')
  t.same(job.server.requests.slice(before).map((r) => r.method), ['GET', 'POST', 'GET'])
})
