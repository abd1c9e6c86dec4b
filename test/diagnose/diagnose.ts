import t from 'tap'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { diagnose } from '../../lib/diagnose/diagnose.js'
import { formatDiagnosis } from '../../lib/diagnose/format-diagnosis.js'
import { buildkite, circleci, defaultProviders, OidcError, type OidcProvider } from '../../lib/index.js'
import { fakeGithubJob, exchanged, fast as fastRetries, type FakeJob } from '../fixtures/job.js'
import { json, startServer, text, type Reply } from '../fixtures/server.js'
import { githubClaims, makeIdToken } from '../fixtures/id-token.js'
import { fakeCli } from '../fixtures/fake-cli.js'
import { tnock } from '../fixtures/tnock.js'
import { normalise } from '../fixtures/normalise.js'
import type { DiagnoseOptions, OidcDiagnosis } from '../../lib/diagnose/diagnosis.js'

// Short backoff, but a generous per-request limit: these runs share the machine with other test processes.
const fast = { ...fastRetries, timeout: 30_000 }

const EXCHANGE = '/-/npm/v1/oidc/token/exchange/package/'
const NPMJS = 'https://registry.npmjs.org'
const packument = (versions: string[] = ['1.0.0']): Reply =>
  json(200, { name: '@acme/widgets', 'dist-tags': { latest: versions.at(-1) }, versions: Object.fromEntries(versions.map((v) => [v, {}])) })
const notFound = json(404, { error: 'not found' })
const noPublisher = json(404, { message: 'OIDC token exchange error - package not found' })
const manifest = { name: '@acme/widgets', version: '1.1.0', repository: { type: 'git', url: 'git+https://github.com/acme/widgets.git' } }

/** Asserts that no token handed out in the test shows up in the diagnosis or any rendering of it. */
function noSecrets (t: Tap.Test, d: OidcDiagnosis, secrets: readonly string[]): void {
  const text = formatDiagnosis(d)
  const outputs = [JSON.stringify(d), text, formatDiagnosis(d, { color: true }), normalise(text)]
  for (const secret of secrets) {
    t.ok(secret.length >= 8, 'a real token to look for')
    t.notOk(outputs.some((output) => output.includes(secret)), 'no token in the diagnosis, its output or its snapshot')
  }
}

/** Asserts that no token handed out in the test shows up in the diagnosis, then snapshots its text. */
function snapshot (t: Tap.Test, d: OidcDiagnosis, secrets: readonly string[]): void {
  noSecrets(t, d, secrets)
  t.same(JSON.parse(JSON.stringify(d)), d, 'JSON-serialisable')
  t.matchSnapshot(normalise(formatDiagnosis(d)), 'formatted')
}

/** The `token` of a reply body, when it is JSON that has one. */
function tokenIn (body: unknown): string | undefined {
  try {
    const token = (JSON.parse(String(body)) as { token?: unknown } | null)?.token
    return typeof token === 'string' ? token : undefined
  } catch {
    return undefined
  }
}

async function github (
  t: Tap.Test,
  claims: Record<string, unknown>,
  replies: Reply[],
  opts: DiagnoseOptions = {},
  env: Record<string, string> = {}
): Promise<{ d: OidcDiagnosis, job: FakeJob, secrets: string[] }> {
  const job = await fakeGithubJob(t)
  // The publish tokens the registry hands out in this run, read from the bodies its replies write.
  const tokens: string[] = []
  const withToken = (reply: Reply): Reply => (res, req) => {
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res
    res.end = ((...args: unknown[]) => {
      const token = tokenIn(args[0])
      if (token !== undefined) tokens.push(token)
      return end(...args)
    }) as typeof res.end
    reply(res, req)
  }
  job.server.queue(job.idTokenReply(claims), ...replies.map(withToken))
  // The job's own process, as `npm-oidc doctor` runs in it: provenance would be signed from this environment.
  const saved = process.env
  process.env = { ...job.env, ...env }
  let d: OidcDiagnosis
  try {
    d = await diagnose('@acme/widgets', job.registry, { ...job.env, ...env }, { ...fast, ...opts })
  } finally {
    process.env = saved
  }
  const exchange = d.checks.find((c) => c.id === 'exchange')
  t.equal(tokens.length, exchange?.status === 'pass' ? 1 : 0, 'every publish token the registry issued is looked for')
  t.ok(d.claims === null || job.issued.length === 1, 'the ID token the diagnosis read is looked for')
  return { d, job, secrets: [...job.issued, job.requestToken, ...tokens] }
}

const statuses = (d: OidcDiagnosis): string[] => d.checks.map((c) => `${c.id}:${c.status}`)

t.test('ready: every check passes, and the requests are what a publish would send', async (t) => {
  const token = `npm_${'x'.repeat(36)}`
  const { d, job, secrets } = await github(t, {}, [packument(), exchanged(token), json(200, { public: true })], { version: '1.1.0', manifest })
  t.ok(secrets.includes(token), 'the exchanged token is among the secrets looked for')
  t.equal(d.ok, true)
  t.equal(d.provider, 'github-actions')
  t.equal(d.package, '@acme/widgets')
  t.equal(d.registry, job.registry)
  t.equal(d.claims?.repository, 'acme/widgets')
  t.same(statuses(d), ['environment:pass', 'token-source:pass', 'id-token:pass', 'package:pass', 'exchange:pass', 'provenance:pass'])
  const [, pkg, exchange, visibility] = job.server.requests
  t.equal(pkg?.path, '/@acme%2fwidgets')
  t.equal(pkg?.headers.authorization, undefined, 'the packument is read without credentials')
  t.equal(exchange?.path, `${EXCHANGE}@acme%2fwidgets`)
  t.equal(visibility?.path, '/-/package/@acme%2fwidgets/visibility')
  t.equal(visibility?.headers.authorization, `Bearer ${token}`)
  snapshot(t, d, secrets)
})

t.test('not in CI: lists what was looked for; the package is still checked', async (t) => {
  const server = await startServer(notFound)
  t.teardown(() => server.close())
  const d = await diagnose('@acme/widgets', `${server.origin}/`, { PATH: '/usr/bin' }, fast)
  t.equal(d.ok, false)
  t.equal(d.provider, null)
  t.equal(d.claims, null)
  t.same(statuses(d), ['environment:fail', 'token-source:skip', 'id-token:skip', 'package:warn', 'exchange:skip', 'provenance:skip'])
  t.same(server.requests.map((r) => r.method), ['GET'])
  snapshot(t, d, [])
})

t.test('not in CI, but Buildkite (opt-in) is', async (t) => {
  const server = await startServer(packument())
  t.teardown(() => server.close())
  const d = await diagnose('@acme/widgets', `${server.origin}/`, { BUILDKITE: 'true' }, fast)
  t.match(d.checks[0]?.hint, /Buildkite was detected but is opt-in/)
  const opted = await diagnose('@acme/widgets', `${server.origin}/`, { BUILDKITE: 'true' }, { ...fast, providers: [...defaultProviders, buildkite] })
  t.equal(opted.checks[1]?.status, 'fail')
  snapshot(t, opted, [])
})

t.test('not in CI, but in one that has no trusted publishing: names it from the given environment', async (t) => {
  const server = await startServer(packument())
  t.teardown(() => server.close())
  const travis = await diagnose('@acme/widgets', `${server.origin}/`, { TRAVIS: 'true', CI: 'true' }, fast)
  t.equal(travis.checks[0]?.status, 'fail')
  t.same(travis.checks[0]?.detail, [
    'Travis CI: trusted publishing is not available there',
    'looked for GITHUB_ACTIONS, GITLAB_CI, CIRCLECI, NPM_ID_TOKEN',
  ])
  const off = await diagnose('@acme/widgets', `${server.origin}/`, { TRAVIS: 'true', CI: 'false' }, fast)
  t.same(off.checks[0]?.detail, ['looked for GITHUB_ACTIONS, GITLAB_CI, CIRCLECI, NPM_ID_TOKEN'], 'CI=false: no CI, as ci-info says')
  const buildkite = await diagnose('@acme/widgets', `${server.origin}/`, { BUILDKITE: 'true' }, fast)
  t.same(buildkite.checks[0]?.detail, ['looked for GITHUB_ACTIONS, GITLAB_CI, CIRCLECI, NPM_ID_TOKEN'],
    'a CI with a provider here is explained by the checks, not named as unsupported')
})

t.test('missing id-token permission', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'libnpmoidc-event-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const fork = join(dir, 'fork.json')
  const own = join(dir, 'own.json')
  await writeFile(fork, JSON.stringify({ pull_request: { head: { repo: { fork: true } } } }))
  await writeFile(own, JSON.stringify({ pull_request: { head: { repo: { fork: false } } } }))
  const server = await startServer(packument())
  t.teardown(() => server.close())
  const registry = `${server.origin}/`
  const base = { GITHUB_ACTIONS: 'true' }
  const plain = await diagnose('@acme/widgets', registry, base, fast)
  t.same(statuses(plain), ['environment:pass', 'token-source:fail', 'id-token:skip', 'package:pass', 'exchange:skip', 'provenance:skip'])
  snapshot(t, plain, [])
  const fromFork = await diagnose('@acme/widgets', registry, { ...base, ACTIONS_ID_TOKEN_REQUEST_URL: 'http://x/', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: fork }, fast)
  snapshot(t, fromFork, [])
  const notFork = await diagnose('@acme/widgets', registry, { ...base, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: own }, fast)
  t.match(notFork.checks[1]?.hint, /permissions: id-token: write/)
  const unreadable = await diagnose('@acme/widgets', registry, { ...base, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: join(dir, 'missing.json') }, fast)
  t.same(unreadable.checks[1]?.detail, ['event push'])
  t.equal(server.requests.filter((r) => r.method !== 'GET').length, 0, 'nothing but packument reads')
})

t.test('wrong audience and expired tokens are refused before any exchange', async (t) => {
  const server = await startServer(packument())
  t.teardown(() => server.close())
  const registry = `${server.origin}/`
  const wrongAud = makeIdToken(githubClaims({ aud: 'npm:registry.npmjs.org' }))
  const audience = await diagnose('@acme/widgets', registry, { GITHUB_ACTIONS: 'true', NPM_ID_TOKEN: wrongAud }, fast)
  t.equal(audience.checks[2]?.code, 'ERR_OIDC_AUDIENCE_MISMATCH')
  t.equal(audience.claims?.aud, 'npm:registry.npmjs.org', 'claims are reported when the token was decoded')
  snapshot(t, audience, [wrongAud])
  const old = makeIdToken(githubClaims({ aud: 'npm:127.0.0.1' }), -60)
  const expired = await diagnose('@acme/widgets', registry, { NPM_ID_TOKEN: old }, fast)
  t.equal(expired.checks[2]?.code, 'ERR_OIDC_ID_TOKEN_EXPIRED')
  t.equal(expired.provider, 'npm-id-token')
  snapshot(t, expired, [old])
  const malformed = await diagnose('@acme/widgets', registry, { NPM_ID_TOKEN: 'not-a-jwt' }, fast)
  t.equal(malformed.checks[2]?.code, 'ERR_OIDC_ID_TOKEN_MALFORMED')
  t.equal(malformed.claims, null)
  t.same(server.requests.map((r) => r.method), ['GET', 'GET', 'GET'], 'only packument reads')
})

t.test('issuers registry.npmjs.org does not trust (only checked for registry.npmjs.org)', async (t) => {
  const cases: Array<[string, Record<string, string>, Record<string, unknown>]> = [
    ['enterprise slug', { GITHUB_ACTIONS: 'true' }, githubClaims({ iss: 'https://token.actions.githubusercontent.com/acme-corp' })],
    ['GHES', { GITHUB_ACTIONS: 'true' }, githubClaims({ iss: 'https://github.acme.example/_services/token' })],
    ['self-managed GitLab', { GITLAB_CI: 'true' }, { iss: 'https://gitlab.acme.example', project_path: 'acme/widgets', ci_config_ref_uri: 'gitlab.acme.example/acme/widgets//.gitlab-ci.yml@refs/heads/main' }],
    ['another issuer', {}, { iss: 'https://ci.example' }],
    ['no issuer', {}, {}],
  ]
  for (const [name, env, claims] of cases) {
    const idToken = makeIdToken({ ...claims, aud: 'npm:registry.npmjs.org' })
    const scope = tnock(t, NPMJS)
    scope.get('/@acme%2fwidgets').reply(200, { versions: { '1.0.0': {} } })
    scope.post(`${EXCHANGE}@acme%2fwidgets`).reply(401, { message: 'OIDC token exchange error - unauthorized' })
    const d = await diagnose('@acme/widgets', `${NPMJS}/`, { ...env, NPM_ID_TOKEN: idToken }, fast)
    t.equal(d.checks[2]?.status, 'warn', name)
    t.equal(d.checks[4]?.code, 'ERR_OIDC_UNAUTHORIZED', name)
    snapshot(t, d, [idToken])
  }
})

t.test('known issuers pass on registry.npmjs.org', async (t) => {
  const cases: Array<[Record<string, string>, Record<string, unknown>]> = [
    [{ GITHUB_ACTIONS: 'true' }, githubClaims({ repository_visibility: 'private' })],
    [{ GITLAB_CI: 'true' }, { iss: 'https://gitlab.com', project_path: 'acme/widgets', project_visibility: 'private' }],
    [{ CIRCLECI: 'true' }, { iss: 'https://oidc.circleci.com/org/0c8e7f7e-1d2b-4b7a-9d7e-8f2a1c3b4d5e', 'oidc.circleci.com/org-id': '0c8e7f7e-1d2b-4b7a-9d7e-8f2a1c3b4d5e' }],
  ]
  for (const [env, claims] of cases) {
    const idToken = makeIdToken({ ...claims, aud: 'npm:registry.npmjs.org' })
    const scope = tnock(t, NPMJS)
    scope.get('/@acme%2fwidgets').reply(200, { versions: {} })
    const token = `npm_${Math.random().toString(36).slice(2)}`
    scope.post(`${EXCHANGE}@acme%2fwidgets`).reply(201, { token })
    const d = await diagnose('@acme/widgets', `${NPMJS}/`, { ...env, NPM_ID_TOKEN: idToken }, fast)
    t.same(statuses(d), ['environment:pass', 'token-source:pass', 'id-token:pass', 'package:pass', 'exchange:pass', 'provenance:pass'])
    noSecrets(t, d, [idToken, token])
    t.match(d.checks[5]?.summary, /^off \(auto\)/)
  }
})

t.test('self-hosted runner: a warning, and provenance stays off', async (t) => {
  const { d, secrets } = await github(t, { runner_environment: 'self-hosted' }, [packument(), exchanged()])
  t.equal(d.ok, true)
  t.equal(d.checks[2]?.status, 'warn')
  t.match(d.checks[5]?.summary, /self-hosted/)
  snapshot(t, d, secrets)
})

t.test('reusable workflow: both refs are shown, and which one npm matches', async (t) => {
  const { d, secrets } = await github(t, { job_workflow_ref: 'acme/shared/.github/workflows/publish.yml@refs/heads/main' }, [packument(), noPublisher])
  t.equal(d.checks[2]?.status, 'warn')
  t.equal(d.checks[4]?.code, 'ERR_OIDC_NO_TRUSTED_PUBLISHER')
  t.match(d.checks[4]?.detail, ['repository: "acme/widgets" (from repository)', 'workflow filename: "release.yml" (from workflow_ref)', 'environment: (none) (from environment)', /job_workflow_ref/])
  snapshot(t, d, secrets)
})

t.test('immutable sub: a warning before, and the known registry issue on a 404', async (t) => {
  const { d, secrets } = await github(t, { sub: 'repo:acme@1234/widgets@5678:ref:refs/heads/main' }, [packument(), noPublisher])
  t.equal(d.checks[2]?.status, 'warn')
  t.match(d.checks[4]?.hint, /npm\/cli#9969/)
  snapshot(t, d, secrets)
})

t.test('package does not exist: the exchange 404 says the first publish must be done another way', async (t) => {
  const { d, secrets } = await github(t, {}, [notFound, noPublisher])
  t.equal(d.checks[3]?.status, 'warn')
  t.match(d.checks[4]?.hint, /was not found publicly either/)
  snapshot(t, d, secrets)
})

t.test('a 404 without the exchange\'s message prefix: the registry may not implement the exchange', async (t) => {
  const { d } = await github(t, {}, [packument(), notFound])
  t.equal(d.checks[4]?.status, 'fail')
  t.match(d.checks[4]?.hint, /may not implement trusted publishing at all/)
  const { d: bare } = await github(t, {}, [packument(), json(404, {})])
  t.match(bare.checks[4]?.hint, /may not implement trusted publishing at all/, 'no message at all: the same')
  const { d: answered } = await github(t, {}, [packument(), noPublisher])
  t.notMatch(answered.checks[4]?.hint, /may not implement/, 'an exchange route that answered: no guess')
})

t.test('version already published', async (t) => {
  const { d, secrets } = await github(t, {}, [packument(['1.0.0', '1.1.0']), exchanged(), json(200, { public: true })], { version: '1.1.0', manifest })
  t.equal(d.ok, false)
  t.equal(d.checks[3]?.status, 'fail')
  snapshot(t, d, secrets)
})

t.test('exchange 404, 401, 400, 5xx and an unreachable registry', async (t) => {
  const cases: Array<[string, Reply, string]> = [
    ['404', noPublisher, 'ERR_OIDC_NO_TRUSTED_PUBLISHER'],
    ['401', json(401, { message: 'OIDC token exchange error - unauthorized' }), 'ERR_OIDC_UNAUTHORIZED'],
    ['400', json(400, { message: 'OIDC token exchange error - bad request' }), 'ERR_OIDC_EXCHANGE_REJECTED'],
    ['503', text(503, '<html>Service Unavailable</html>'), 'ERR_OIDC_EXCHANGE_FAILED'],
  ]
  for (const [name, reply, code] of cases) {
    const { d, secrets } = await github(t, {}, [packument(), reply])
    t.equal(d.checks[4]?.code, code, name)
    t.equal(d.checks[5]?.status, 'skip', name)
    snapshot(t, d, secrets)
  }
})

t.test('a registry that is not reachable: the package check warns, the exchange fails', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply())
  const closed = await startServer()
  const registry = `${closed.origin}/`
  await closed.close()
  const d = await diagnose('@acme/widgets', registry, job.env, { ...fast, retry: { retries: 0 } })
  t.match(d.checks[3], { status: 'warn', summary: /could not read the packument of @acme\/widgets \(ECONNREFUSED\)/ })
  t.match(d.checks[4], { status: 'fail', code: 'ERR_OIDC_EXCHANGE_FAILED' })
  const job2 = await fakeGithubJob(t)
  job2.server.queue(job2.idTokenReply(), json(500, { error: 'oops' }), exchanged(), json(404, {}))
  const d2 = await diagnose('@acme/widgets', job2.registry, job2.env, { ...fast, httpsProxy: 'http://127.0.0.1:9', noProxy: '127.0.0.1' })
  t.match(d2.checks[3]?.summary, /\(status 500\)/)
  t.match(d2.checks[5]?.summary, /^off \(auto\): the registry's visibility check failed \(status 404\)/)
})

t.test('provenance: repository mismatch, explicit settings, a bundle, private packages', async (t) => {
  const mismatch = await github(t, {}, [packument(), exchanged(), json(200, { public: true })], { manifest: { ...manifest, repository: 'github:acme/other' } })
  t.equal(mismatch.d.checks[5]?.code, 'ERR_OIDC_PROVENANCE_MISMATCH')
  snapshot(t, mismatch.d, mismatch.secrets)
  const noManifest = await github(t, {}, [packument(), exchanged(), json(200, { public: true })])
  t.match(noManifest.d.checks[5], { status: 'pass', summary: 'on (auto): the job can sign provenance', detail: ['repository.url not compared: no manifest given'] })
  const explicit = await github(t, {}, [packument(), exchanged()], { provenance: true })
  t.match(explicit.d.checks[5]?.summary, /^on \(explicit\)/)
  const off = await github(t, {}, [packument(), exchanged()], { provenance: false })
  t.match(off.d.checks[5]?.summary, /^off \(explicit\)/)
  const file = await github(t, {}, [packument(), exchanged(undefined, new Date(Date.now() + 3_600_000).toISOString())], { provenanceFile: '/tmp/bundle.json' })
  const reset = await github(t, {}, [packument(), exchanged(), (res) => { res.socket?.destroy() }], { manifest })
  t.equal(reset.d.checks[5]?.summary, 'off (auto): the registry\'s visibility check failed')
  t.match(file.d.checks[5]?.summary, /^on \(file\)/)
  const privatePkg = await github(t, {}, [packument(), exchanged(), json(200, { public: false })], { manifest })
  t.match(privatePkg.d.checks[5]?.summary, /not public/)
  const unavailable = await github(t, {}, [packument(), exchanged()], { provenance: true }, { ACTIONS_ID_TOKEN_REQUEST_URL: '' })
  t.equal(unavailable.d.checks[1]?.status, 'fail', 'without the request URL there is no token either')
  const idToken = makeIdToken(githubClaims({ aud: 'npm:127.0.0.1' }))
  const server = await startServer()
  t.teardown(() => server.close())
  server.queue(packument(), exchanged())
  const preMinted = await diagnose('@acme/widgets', `${server.origin}/`, { GITHUB_ACTIONS: 'true', NPM_ID_TOKEN: idToken }, { ...fast, provenance: true })
  t.equal(preMinted.checks[5]?.code, 'ERR_OIDC_PROVENANCE_UNAVAILABLE')
})

t.test('provenance on with an env of another job than process.env: the check fails as publishing would', async (t) => {
  for (const extra of [{}, { manifest }]) {
    const job = await fakeGithubJob(t)
    job.server.queue(job.idTokenReply({}), packument(), exchanged())
    const d = await diagnose('@acme/widgets', job.registry, job.env, { ...fast, provenance: true, ...extra })
    t.match(d.checks[5], { id: 'provenance', status: 'fail', code: 'ERR_OIDC_PROVENANCE_ENV_MISMATCH' })
    t.notMatch(JSON.stringify(d), job.requestToken, 'the request token is never shown')
  }
})

t.test('GitLab, CircleCI, Buildkite and custom providers: where the token comes from', async (t) => {
  const server = await startServer(packument())
  t.teardown(() => server.close())
  const registry = `${server.origin}/`
  const gitlab = await diagnose('@acme/widgets', registry, { GITLAB_CI: 'true' }, fast)
  t.equal(gitlab.checks[1]?.status, 'fail')
  snapshot(t, gitlab, [])
  const circle = await diagnose('@acme/widgets', registry, { CIRCLECI: 'true', PATH: '/nonexistent' }, fast)
  t.equal(circle.checks[1]?.status, 'fail')
  snapshot(t, circle, [])
  const bk = await diagnose('@acme/widgets', registry, { BUILDKITE: 'true', PATH: '' }, { ...fast, providers: [buildkite] })
  t.match(bk.checks[1]?.summary, /buildkite-agent is not on PATH/)

  const oldToken = makeIdToken({ iss: 'https://oidc.circleci.com/org/o', 'oidc.circleci.com/org-id': 'o', aud: 'npm:127.0.0.1', iat: Math.floor(Date.now() / 1000) - 600 })
  const cli = await fakeCli(t, 'circleci', `echo "${oldToken}"`)
  server.queue(packument(), exchanged())
  const minted = await diagnose('@acme/widgets', registry, { CIRCLECI: 'true', PATH: cli.dir }, { ...fast, providers: [circleci] })
  t.match(minted.checks[1]?.summary, /minted with circleci/)
  t.equal(minted.checks[2]?.status, 'warn')
  snapshot(t, minted, [oldToken])

  const custom: OidcProvider = {
    id: 'acme-ci',
    name: 'Acme CI',
    detectedBy: 'ACME_CI',
    detect: (env) => env.ACME_CI === '1',
    getIdToken: async () => { throw new Error('boom at https://user:secret@ci.example/token') },
  }
  const unexpected = await diagnose('@acme/widgets', registry, { ACME_CI: '1' }, { ...fast, providers: [custom] })
  t.equal(unexpected.checks[1]?.summary, 'provider acme-ci obtains its own ID token')
  t.match(unexpected.checks[2]?.summary, /^unexpected error: boom at https:\/\/user:\*\*\*@ci\.example\/token$/)
  const oddError: OidcProvider = {
    ...custom,
    getIdToken: async () => { throw Object.assign(new Error('odd'), { name: 'OidcError', code: 'ERR_OIDC_NO_ID_TOKEN', hint: 'elsewhere' }) },
  }
  const odd = await diagnose('@acme/widgets', registry, { ACME_CI: '1' }, { ...fast, providers: [oddError] })
  t.match(odd.checks[2], { summary: 'odd', hint: 'elsewhere', code: 'ERR_OIDC_NO_ID_TOKEN' })
  // eslint-disable-next-line no-throw-literal -- a provider that throws a non-Error is the case under test
  const thrower: OidcProvider = { ...custom, getIdToken: async () => { throw 'a string' } }
  const stringly = await diagnose('@acme/widgets', registry, { ACME_CI: '1' }, { ...fast, providers: [thrower] })
  t.equal(stringly.checks[2]?.summary, 'unexpected error: a string')
  t.ok(OidcError)
})

t.test('plain http to a host that is not loopback is refused before the ID token is requested', async (t) => {
  const scope = tnock(t, 'http://registry.example')
  scope.get('/widgets').reply(404, {})
  const job = await fakeGithubJob(t)
  const d = await diagnose('widgets', 'http://registry.example/', job.env, fast)
  t.equal(d.checks[2]?.code, 'ERR_OIDC_INSECURE_REGISTRY')
  t.equal(job.server.requests.length, 0)
})

t.test('programmer errors reject with TypeError; process.env is the default', async (t) => {
  await t.rejects(diagnose('Not A Name', 'https://registry.npmjs.org/'), TypeError)
  await t.rejects(diagnose('pkg', 'nope'), TypeError)
  await t.rejects(diagnose('pkg', 'https://registry.npmjs.org/', {}, { version: 1 as never }), { message: 'Expected `opts.version` to be a string.' })
  await t.rejects(diagnose('pkg', 'https://registry.npmjs.org/', {}, { manifest: 'x' as never }), { message: 'Expected `opts.manifest` to be an object.' })
  await t.rejects(diagnose('pkg', 'https://registry.npmjs.org/', {}, { provenance: 'yes' as never }), { message: /opts\.provenance/ })
  await t.rejects(diagnose('pkg', 'https://registry.npmjs.org/', {}, { provenanceFile: 1 as never }), { message: /opts\.provenanceFile/ })
  const saved = { ...process.env }
  t.teardown(() => { process.env = saved })
  for (const key of ['GITHUB_ACTIONS', 'GITLAB_CI', 'CIRCLECI', 'NPM_ID_TOKEN', 'BUILDKITE']) delete process.env[key]
  const server = await startServer(notFound)
  t.teardown(() => server.close())
  const d = await diagnose('pkg', `${server.origin}/`)
  t.equal(d.checks[0]?.status, 'fail')
})

t.test('formatDiagnosis colours only when asked', async (t) => {
  const server = await startServer(notFound)
  t.teardown(() => server.close())
  const d = await diagnose('@acme/widgets', `${server.origin}/`, {}, fast)
  t.notMatch(formatDiagnosis(d), '\u001b[')
  t.match(formatDiagnosis(d, { color: true }), '\u001b[31m✗\u001b[39m')
  t.match(formatDiagnosis({ ...d, ok: true, checks: d.checks.map((c) => ({ ...c, status: 'pass' })) }), /Ready\.\n$/)
  t.match(formatDiagnosis({ ...d, checks: d.checks.map((c) => ({ ...c, status: c.id === 'package' ? 'warn' : 'fail' })) }), /Not ready: 5 checks failed \(1 warning\)\.\n$/)
  t.match(formatDiagnosis({ ...d, ok: true, checks: d.checks.map((c) => ({ ...c, status: 'warn' })) }), /Ready \(6 warnings\)\.\n$/)
})
