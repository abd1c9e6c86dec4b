import t from 'tap'
import { runCli, project } from '../fixtures/cli.js'
import { memoryIo } from '../fixtures/io.js'
import { startPackumentServer, type PackumentServer } from '../fixtures/published.ts'
import { main } from '../../lib/cli/main.js'

const release = { repository: 'acme/widgets', workflow: '.github/workflows/release.yml' }

let server: PackumentServer
t.before(async () => {
  server = await startPackumentServer([
    { name: '@acme/widgets', version: '1.0.0', trustedPublisher: null },
    { name: '@acme/widgets', version: '1.1.0', trustedPublisher: 'github' },
    { name: '@acme/widgets', version: '1.2.0', trustedPublisher: 'github', provenance: release },
    { name: '@acme/widgets', version: '1.3.0', trustedPublisher: 'github', provenance: { ...release, workflow: '.github/workflows/other.yml' } },
    { name: 'group-lib', version: '2.0.0', trustedPublisher: 'gitlab', provenance: { repository: 'group/lib', workflow: '.gitlab-ci.yml' } },
  ])
})
t.teardown(() => server.close())

const expectations = ['--provider', 'github', '--repository', 'acme/widgets', '--workflow', 'release.yml', '--provenance']

t.test('passes after a trusted publish with provenance: evidence on stdout, exit 0, no credential sent', async (t) => {
  const host = new URL(server.registry).host
  const secret = `secret-${'z'.repeat(20)}`
  const cwd = await project(t, { '.npmrc': `@acme:registry=${server.registry}\n//${host}/:_authToken=${secret}\n` })
  const before = server.requests.length
  const run = await runCli(['verify', '@acme/widgets@1.2.0', ...expectations], { cwd })
  t.equal(run.code, 0, run.stderr)
  t.equal(run.stdout, '✓ @acme/widgets@1.2.0 was published through trusted publishing: github (oidc:github-1)\n' +
    '  provenance: acme/widgets, .github/workflows/release.yml @ refs/heads/main\n' +
    '  signed by:  https://github.com/acme/widgets/.github/workflows/release.yml@refs/heads/main\n')
  t.equal(run.stderr, '')
  const seen = server.requests.slice(before)
  t.equal(seen.length, 2, 'packument and attestations, from the .npmrc scope registry')
  for (const req of seen) t.equal(req.headers.authorization, undefined, `${req.path}: no Authorization although .npmrc has a token`)
  t.notOk(JSON.stringify(seen.map((r) => r.headers)).includes(secret))
})

t.test('--json: the evidence, or the failure with its code and hint', async (t) => {
  const cwd = await project(t, {})
  const ok = await runCli(['verify', '@acme/widgets@1.1.0', '--registry', server.registry, '--json'], { cwd })
  t.equal(ok.code, 0)
  t.match(JSON.parse(ok.stdout), { ok: true, name: '@acme/widgets', version: '1.1.0', trustedPublisher: { id: 'github' }, provenance: null })
  const bad = await runCli(['verify', '@acme/widgets@1.0.0', '--registry', server.registry, '--json'], { cwd })
  t.equal(bad.code, 1)
  t.match(JSON.parse(bad.stdout), {
    ok: false, package: '@acme/widgets', version: '1.0.0', code: 'ERR_OIDC_PUBLISHED_NOT_TRUSTED', hint: /published with a token/,
  })
  t.match(bad.stderr, /^npm-oidc: @acme\/widgets@1\.0\.0 was not published through trusted publishing/)
})

t.test('fails after a token publish, for another provider, another workflow, and without expected provenance', async (t) => {
  const cwd = await project(t, {})
  const cases: Array<[string[], RegExp]> = [
    [['@acme/widgets@1.0.0'], /was not published through trusted publishing .*It was published with a token/],
    [['group-lib@2.0.0', '--provider', 'github'], /another CI provider \(expected github, got gitlab\)/],
    [['@acme/widgets@1.3.0', '--workflow', 'release.yml'], /names another workflow \(expected "release\.yml", got "\.github\/workflows\/other\.yml"\)/],
    [['@acme/widgets@1.1.0', '--provenance'], /has no provenance \(no dist\.attestations\)\. Publish with provenance/],
  ]
  for (const [args, stderr] of cases) {
    const run = await runCli(['verify', ...args, '--registry', server.registry], { cwd, env: { GITHUB_ACTIONS: 'true' } })
    t.equal(run.code, 1, args.join(' '))
    t.equal(run.stdout, '')
    t.match(run.stderr, stderr)
    t.match(run.stderr, /::error title=npm-oidc%3A verify /, 'an annotation on GitHub Actions')
  }
})

t.test('in process: usage errors, help, a trusted publish without provenance', async (t) => {
  const cwd = await project(t, {})
  const help = memoryIo(cwd)
  t.equal(await main(['verify', '--help'], help), 0)
  t.match(help.out(), /^Usage: npm-oidc verify <pkg>@<version>/)
  for (const args of [[], ['@acme/widgets'], ['@acme/widgets@^1'], ['@acme/widgets@latest'], ['not a spec@@'], ['@acme/widgets@v1.2.0']]) {
    const io = memoryIo(cwd)
    t.equal(await main(['verify', ...args], io), 2, JSON.stringify(args))
    t.match(io.err(), /^npm-oidc: (no <pkg>@<version> given|".*" is not <pkg>@<exact version>)/)
  }
  const badTimeout = memoryIo(cwd, { npm_config_fetch_timeout: '-1' })
  t.equal(await main(['verify', '@acme/widgets@1.1.0', '--registry', server.registry], badTimeout), 2)
  t.match(badTimeout.err(), /timeout/)
  const io = memoryIo(cwd)
  t.equal(await main(['verify', '@acme/widgets@1.1.0', '--registry', server.registry], io), 0)
  t.match(io.out(), /\n {2}provenance: none\n$/)
  const sparse = memoryIo(cwd)
  server.documents.set('/sparse', { versions: { '1.0.0': { _npmUser: { trustedPublisher: { id: 'circleci' } } } } })
  t.equal(await main(['verify', 'sparse@1.0.0', '--registry', server.registry], sparse), 0)
  t.equal(sparse.out(), '✓ sparse@1.0.0 was published through trusted publishing: circleci\n  provenance: none\n')
  const statement = { subject: [{ name: 'pkg:npm/bare-prov@1.0.0' }], predicateType: 'https://slsa.dev/provenance/v0.2', predicate: {} }
  server.documents.set('/att/bare', {
    attestations: [{ predicateType: statement.predicateType, bundle: { dsseEnvelope: { payload: Buffer.from(JSON.stringify(statement)).toString('base64') } } }],
  })
  server.documents.set('/bare-prov', { versions: { '1.0.0': { _npmUser: { trustedPublisher: { id: 'gitlab' } }, dist: { attestations: { url: '/att/bare' } } } } })
  const bare = memoryIo(cwd)
  t.equal(await main(['verify', 'bare-prov@1.0.0', '--registry', server.registry], bare), 0)
  t.equal(bare.out(), '✓ bare-prov@1.0.0 was published through trusted publishing: gitlab\n' +
    '  provenance: (no repository), (no workflow)\n')
})
