import t from 'tap'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { preflight } from '../../lib/diagnose/preflight.js'
import { fakeGithubJob, fast as fastRetries } from '../fixtures/job.js'
import { json, startServer, type Reply } from '../fixtures/server.js'
import { githubClaims, makeIdToken } from '../fixtures/id-token.js'
import { tnock } from '../fixtures/tnock.js'

// Short backoff, but a generous per-request limit: these runs share the machine with other test processes.
const fast = { ...fastRetries, timeout: 30_000 }

const EXCHANGE = '/-/npm/v1/oidc/token/exchange/package/'

// A registry where `@acme/missing` has neither a packument nor a trusted publisher, and everything else has both.
const registryReply: Reply = (res, req) => {
  if (req.method === 'POST') {
    if (req.path.endsWith('missing')) return json(404, { message: 'OIDC token exchange error - package not found' })(res, req)
    return json(201, { token: `npm_${'z'.repeat(36)}` })(res, req)
  }
  if (req.path.includes('missing')) return json(404, {})(res, req)
  if (req.path.startsWith('/-/package/')) return json(200, { public: false })(res, req)
  json(200, { versions: { '1.0.0': {} } })(res, req)
}

async function setup (
  t: Tap.Test
): Promise<{ registry: string, env: Record<string, string>, exchanges: () => string[] }> {
  const server = await startServer(registryReply)
  t.teardown(() => server.close())
  const env = { GITHUB_ACTIONS: 'true', NPM_ID_TOKEN: makeIdToken(githubClaims({ aud: 'npm:127.0.0.1' })) }
  return { registry: `${server.origin}/`, env, exchanges: () => server.requests.filter((r) => r.method === 'POST').map((r) => r.path.slice(EXCHANGE.length)) }
}

async function workspaceRoot (
  t: Tap.Test,
  root: Record<string, unknown>,
  packages: Record<string, Record<string, unknown> | string>
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'libnpmoidc-ws-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'package.json'), JSON.stringify(root))
  for (const [path, manifest] of Object.entries(packages)) {
    await mkdir(join(dir, path), { recursive: true })
    if (manifest !== '') await writeFile(join(dir, path, 'package.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest))
  }
  return dir
}

t.test('every package gets a real exchange; the first failing check is reported; progress is called', async (t) => {
  const { registry, env, exchanges } = await setup(t)
  const progress: Array<[number, number, string]> = []
  const report = await preflight([{ name: '@acme/a', version: '1.1.0' }, { name: '@acme/missing' }, { name: '@acme/b', version: '1.0.0' }], {
    ...fast, registry, env, concurrency: 2, onProgress: (done, total, name) => { progress.push([done, total, name]) },
  })
  t.equal(report.ok, false)
  t.same(report.packages.map((p) => [p.name, p.ready, p.failing?.id]), [['@acme/a', true, undefined], ['@acme/missing', false, 'exchange'], ['@acme/b', false, 'package']])
  t.equal(report.packages[0]?.version, '1.1.0')
  t.notOk('version' in (report.packages[1] ?? {}))
  t.match(report.packages[1]?.failing, { summary: /no trusted publisher/, hint: /not found publicly either/ })
  t.match(report.packages[2]?.failing?.summary, /already published/)
  t.same(exchanges().sort(), ['@acme%2fa', '@acme%2fb', '@acme%2fmissing'])
  t.same(progress.map(([done, total]) => [done, total]), [[1, 3], [2, 3], [3, 3]])
  t.same(progress.map(([, , name]) => name).sort(), ['@acme/a', '@acme/b', '@acme/missing'])
  t.notMatch(JSON.stringify(report), /npm_z+|NPM_ID_TOKEN=/)
  t.notOk(JSON.stringify(report).includes(env.NPM_ID_TOKEN))
})

t.test('a registry per package, and an unexpected failure', async (t) => {
  const { registry } = await setup(t)
  const seen: string[] = []
  const report = await preflight([{ name: 'widgets' }], { ...fast, env: {}, registry: (name) => { seen.push(name); return registry } })
  t.same(seen, ['widgets'])
  t.equal(report.packages[0]?.failing?.id, 'environment')
  const broken = { id: 'broken', name: 'Broken CI', detectedBy: 'BROKEN', detect: () => true, getIdToken: async () => { throw new Error('boom') } }
  const noHint = await preflight([{ name: 'widgets' }], { ...fast, env: {}, registry, providers: [broken] })
  t.match(noHint.packages[0]?.failing, { id: 'id-token', summary: 'unexpected error: boom', hint: /not a known failure mode/ })
})

t.test('workspaces: dir/* globs and plain dirs; private packages and folders without package.json are skipped', async (t) => {
  const { registry, env, exchanges } = await setup(t)
  const root = await workspaceRoot(t, { name: 'root', private: true, workspaces: ['packages/*', 'tools/cli', 'absent/*'] }, {
    'packages/a': { name: '@acme/a', version: '2.0.0', repository: 'github:acme/widgets' },
    'packages/b': { name: '@acme/b', version: '1.0.0', private: true },
    'packages/empty': '',
    'packages/nameless': { version: '1.0.0' },
    'tools/cli': { name: '@acme/cli' },
  })
  const report = await preflight({ workspaces: root }, { ...fast, registry, env })
  t.equal(report.ok, true)
  t.same(report.packages.map((p) => [p.name, p.version]), [['@acme/a', '2.0.0'], ['@acme/cli', undefined]])
  // The checks run concurrently: which exchange reaches the server first is not fixed.
  t.same(exchanges().sort(), ['@acme%2fa', '@acme%2fcli'])
  t.match(report.packages[0]?.diagnosis.checks[5]?.summary, /^off \(auto\)/)
  const nested = await workspaceRoot(t, { workspaces: { packages: ['packages/*'] } }, { 'packages/a': { name: '@acme/a' } })
  t.same((await preflight({ workspaces: nested }, { ...fast, registry, env })).packages.map((p) => p.name), ['@acme/a'])
})

t.test('onProgress gets each check\'s event; the logger gets the preflight\'s lines', async (t) => {
  const { registry, env } = await setup(t)
  const events: string[] = []
  const lines: string[] = []
  await preflight([{ name: '@acme/a', version: '1.1.0' }, { name: '@acme/missing' }], {
    ...fast,
    registry,
    env,
    concurrency: 1,
    onProgress: (done, total, name, e) => { events.push(`${done}/${total} ${name}@${e.version} ${e.phase} ${e.status}`) },
    logger: (level, message) => { lines.push(`${level} ${message}`) },
  })
  t.same(events, ['1/2 @acme/a@1.1.0 check done', '2/2 @acme/missing@undefined check failed'])
  t.ok(lines.some((l) => l.startsWith('verbose Exchanged the ID token for a publish token for @acme/a')))
})

t.test('workspace errors', async (t) => {
  const empty = await mkdtemp(join(tmpdir(), 'libnpmoidc-ws-'))
  t.teardown(() => rm(empty, { recursive: true, force: true }))
  await t.rejects(preflight({ workspaces: empty }), { message: `No package.json in ${empty}.` })
  const none = await workspaceRoot(t, { name: 'x' }, {})
  await t.rejects(preflight({ workspaces: none }), { message: /declares no workspaces/ })
  const notString = await workspaceRoot(t, { workspaces: [1] }, {})
  await t.rejects(preflight({ workspaces: notString }), { code: 'ERR_OIDC_WORKSPACE_INVALID' })
  const broken = await workspaceRoot(t, { workspaces: ['a'] }, { a: '{not json' })
  await t.rejects(preflight({ workspaces: broken }), { code: 'EJSONPARSE' })
  const fileNotDir = await workspaceRoot(t, { workspaces: ['file/*'] }, {})
  await writeFile(join(fileNotDir, 'file'), '')
  t.same(await preflight({ workspaces: fileNotDir }), { ok: true, packages: [] }, 'a file is no workspace folder, as in npm')
})

t.test('workspaces: `**`, negation and pnpm-workspace.yaml; a workspace: range fails the package check', async (t) => {
  const { registry, env, exchanges } = await setup(t)
  const packages = {
    'packages/a': { name: '@acme/a', version: '2.0.0', dependencies: { '@acme/b': 'workspace:^' } },
    'packages/nested/b': { name: '@acme/b', version: '2.0.0' },
    'packages/internal': { name: '@acme/internal', version: '2.0.0' },
  }
  const npm = await workspaceRoot(t, { private: true, workspaces: ['packages/**', '!packages/internal'] }, packages)
  const report = await preflight({ workspaces: npm }, { ...fast, registry, env })
  t.equal(report.ok, false)
  t.same(report.packages.map((p) => [p.name, p.ready, p.failing?.id]), [['@acme/a', false, 'package'], ['@acme/b', true, undefined]])
  t.match(report.packages[0]?.failing, { summary: /workspace-only.*dependencies @acme\/b@workspace:\^/, hint: /pnpm pack/ })
  t.match(report.packages[0]?.diagnosis.checks[3], { status: 'fail', code: 'ERR_OIDC_WORKSPACE_PROTOCOL' })
  t.same(exchanges(), ['@acme%2fa', '@acme%2fb'])
  const pnpm = await workspaceRoot(t, { private: true, workspaces: ['nothing/*'] }, packages)
  await writeFile(join(pnpm, 'pnpm-workspace.yaml'), 'packages:\n  - packages/**\n  - "!packages/a"\n')
  t.same((await preflight({ workspaces: pnpm }, { ...fast, registry, env })).packages.map((p) => p.name), ['@acme/internal', '@acme/b'])
})

t.test('argument checks', async (t) => {
  await t.rejects(preflight([{ name: 'a' }], { concurrency: 0 }), { message: 'Expected `opts.concurrency` to be a positive integer, got 0.' })
  await t.rejects(preflight([{ name: 'a' }], { registry: 1 as never }), TypeError)
  await t.rejects(preflight([{ name: 'a' }], { onProgress: 'x' as never }), TypeError)
  await t.rejects(preflight([{ version: '1' } as never]), { message: 'Expected `packages[0]` to be { name, version? }.' })
  await t.rejects(preflight([null as never]), TypeError)
  await t.rejects(preflight(null as never), { message: /Expected `packages`/ })
})

t.test('defaults: registry.npmjs.org and process.env', async (t) => {
  const saved = { ...process.env }
  t.teardown(() => { process.env = saved })
  for (const key of ['GITHUB_ACTIONS', 'GITLAB_CI', 'CIRCLECI', 'NPM_ID_TOKEN', 'BUILDKITE']) delete process.env[key]
  tnock(t, 'https://registry.npmjs.org').get('/libnpmoidc-preflight-probe').reply(404, {})
  const report = await preflight([{ name: 'libnpmoidc-preflight-probe' }])
  t.equal(report.packages[0]?.diagnosis.registry, 'https://registry.npmjs.org/')
  t.equal(report.packages[0]?.failing?.id, 'environment')
  t.same(await preflight([]), { ok: true, packages: [] })
})

t.test('one ID token serves the whole preflight, as in getOidcTokens; reuseIdToken: false asks per package', async (t) => {
  for (const [reuseIdToken, expected] of [[true, 1], [false, 3]] as const) {
    const job = await fakeGithubJob(t)
    job.server.fallback = (res, req) => req.path.startsWith('/token') ? job.idTokenReply()(res, req) : registryReply(res, req)
    const report = await preflight([{ name: '@acme/a' }, { name: '@acme/b' }, { name: '@acme/c' }], { ...fast, registry: job.registry, env: job.env, reuseIdToken })
    t.equal(report.ok, true, `reuseIdToken ${reuseIdToken}: all ready`)
    t.equal(job.server.requests.filter((r) => r.path.startsWith('/token')).length, expected, `reuseIdToken ${reuseIdToken}: ${expected} ID-token request(s)`)
    t.equal(job.server.requests.filter((r) => r.method === 'POST').length, 3, 'one exchange per package')
  }
})

t.test('an ID token that cannot be had fails every package, asked for once', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.fallback = (res, req) => req.path.startsWith('/token') ? json(401, { message: 'Bad credentials' })(res, req) : registryReply(res, req)
  const report = await preflight([{ name: '@acme/a' }, { name: '@acme/b' }], { ...fast, registry: job.registry, env: job.env })
  t.same(report.packages.map((p) => p.failing?.id), ['id-token', 'id-token'])
  t.equal(job.server.requests.filter((r) => r.path.startsWith('/token')).length, 1)
})
