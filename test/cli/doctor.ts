import t from 'tap'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCli, project } from '../fixtures/cli.js'
import { memoryIo } from '../fixtures/io.js'
import { fakeGithubJob, exchanged } from '../fixtures/job.js'
import { json, startServer } from '../fixtures/server.js'
import { normalise } from '../fixtures/normalise.js'
import { main } from '../../lib/cli/main.js'

const pkg = { name: '@acme/widgets', version: '1.1.0', repository: { type: 'git', url: 'git+https://github.com/acme/widgets.git' } }
const packument = json(200, { versions: { '1.0.0': {} }, 'dist-tags': { latest: '1.0.0' } })
const noPublisher = json(404, { message: 'OIDC token exchange error - package not found' })

t.test('ready: --json on stdout, exit 0, step summary written, no token anywhere', async (t) => {
  const job = await fakeGithubJob(t)
  const token = `npm_${'q'.repeat(36)}`
  job.server.queue(job.idTokenReply(), packument, exchanged(token), json(200, { public: true }))
  const cwd = await project(t, { 'package.json': pkg, '.npmrc': `registry=${job.registry}\n` })
  const summary = join(cwd, 'summary.md')
  const run = await runCli(['doctor', '--json'], { cwd, env: { ...job.env, GITHUB_STEP_SUMMARY: summary } })
  t.equal(run.code, 0)
  const d = JSON.parse(run.stdout)
  t.equal(d.ok, true)
  t.equal(d.registry, job.registry, 'registry from the project .npmrc')
  t.match(d.checks[3].summary, /1\.1\.0 is not published yet/, 'version from package.json')
  t.match(d.checks[5].summary, /^on \(auto\)/)
  t.equal(run.stderr, '', 'no annotations when nothing failed')
  t.matchSnapshot(normalise(await readFile(summary, 'utf8')), 'step summary')
  for (const secret of [token, ...job.issued, job.requestToken]) t.notOk((run.stdout + run.stderr).includes(secret))
})

t.test('not ready: text report, exit 1, ::error:: annotations on stdout, summary appended', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply({ runner_environment: 'self-hosted' }), packument, noPublisher)
  const cwd = await project(t, { 'package.json': pkg, 'summary.md': '# before\n' })
  const summary = join(cwd, 'summary.md')
  const run = await runCli(['doctor', '--registry', job.registry], { cwd, env: { ...job.env, GITHUB_STEP_SUMMARY: summary, NO_COLOR: '1' } })
  t.equal(run.code, 1)
  t.notMatch(run.stdout, '\u001b[')
  t.matchSnapshot(normalise(run.stdout), 'stdout')
  t.match(run.stdout, /^::error title=npm-oidc%3A @acme\/widgets exchange::GitHub Actions: the registry has no trusted publisher/m)
  t.match(run.stdout, /^::warning title=npm-oidc%3A @acme\/widgets id-token::/m)
  const md = await readFile(summary, 'utf8')
  t.match(md, /^# before\n### npm-oidc: `@acme\/widgets` is not ready/)
  t.match(md, /\| ❌ \| exchange \|/)
  for (const secret of [...job.issued, job.requestToken]) t.notOk((run.stdout + run.stderr).includes(secret))
})

t.test('--json on GitHub Actions: annotations go to stderr so stdout stays JSON', async (t) => {
  const server = await startServer(json(404, {}))
  t.teardown(() => server.close())
  const cwd = await project(t, {})
  const run = await runCli(['doctor', 'widgets', '--json'], { cwd, env: { GITHUB_ACTIONS: 'true', npm_config_registry: `${server.origin}/` } })
  t.equal(run.code, 1)
  t.equal(JSON.parse(run.stdout).checks[1].status, 'fail')
  t.match(run.stderr, /^::error title=npm-oidc%3A widgets token-source::/m)
})

t.test('a warning without details or hint is annotated with its summary', async (t) => {
  const closed = await startServer()
  await closed.close()
  const cwd = await project(t, {})
  const io = memoryIo(cwd, { GITHUB_ACTIONS: 'true' })
  t.equal(await main(['doctor', 'widgets', '--registry', `${closed.origin}/`], io), 1)
  t.match(io.out(), /^::warning title=npm-oidc%3A widgets package::could not read the packument of widgets \(ECONNREFUSED\)$/m)
})

t.test('usage errors exit 2', async (t) => {
  const cwd = await project(t, {})
  const noName = await runCli(['doctor'], { cwd })
  t.equal(noName.code, 2)
  t.match(noName.stderr, /no package name given/)
  const io = memoryIo(cwd)
  t.equal(await main(['doctor', '--bogus'], io), 2)
  t.match(io.err(), /^npm-oidc: unknown option --bogus\n\nUsage: npm-oidc doctor /)
  t.equal(await main(['doctor', 'a', 'b'], io), 2)
  t.match(io.err(), /unexpected argument "b"/)
  const bad = memoryIo(cwd)
  t.equal(await main(['doctor', 'Not A Name'], bad), 2)
  t.match(bad.err(), /the package name must be a valid npm package name/)
  const creds = memoryIo(cwd)
  t.equal(await main(['doctor', 'x', '--registry', 'https://user:hunter2@registry.example/'], creds), 2)
  t.notMatch(creds.err(), 'hunter2')
  const help = memoryIo(cwd)
  t.equal(await main(['doctor', '--help'], help), 0)
  t.match(help.out(), /^Usage: npm-oidc doctor/)
})

t.test('colour on a TTY unless NO_COLOR; scoped registries from npm config', async (t) => {
  const server = await startServer(json(404, {}))
  t.teardown(() => server.close())
  const home = await project(t, { '.npmrc': `; user config\n# comment\nno equals sign\n@acme:registry = "${server.origin}/"\n[section]\n` })
  const cwd = await project(t, { 'package.json': { name: 'other' } })
  const tty = memoryIo(cwd, { HOME: home }, true)
  t.equal(await main(['doctor', '@acme/widgets'], tty), 1)
  t.match(tty.out(), '\u001b[31m✗\u001b[39m')
  t.match(tty.out(), `${server.origin}/`)
  const notAnObject = await project(t, { 'package.json': 'null' })
  const summaryDir = memoryIo(notAnObject, { HOME: home, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: home })
  t.equal(await main(['doctor', '@acme/widgets'], summaryDir), 1)
  t.match(summaryDir.err(), /^npm-oidc: could not write the step summary: EISDIR/m)
  const noColor = memoryIo(cwd, { HOME: home, NO_COLOR: '1' }, true)
  t.equal(await main(['doctor', '@acme/widgets'], noColor), 1)
  t.notMatch(noColor.out(), '\u001b[')
})

t.test('doctor looks at the registry publish would use: a configured scope registry beats publishConfig.registry', async (t) => {
  const scopeRegistry = await startServer(json(404, {}))
  const other = await startServer(json(404, {}))
  t.teardown(() => Promise.all([scopeRegistry.close(), other.close()]))
  const cwd = await project(t, {
    'package.json': { ...pkg, publishConfig: { registry: `${other.origin}/` } },
    '.npmrc': `@acme:registry=${scopeRegistry.origin}/\n`,
  })
  const io = memoryIo(cwd, {})
  t.equal(await main(['doctor', '--json'], io), 1)
  t.equal(JSON.parse(io.out()).registry, `${scopeRegistry.origin}/`, 'npm-registry-fetch\'s scope-first rule, as publishWithOidc applies it')
  t.ok(scopeRegistry.requests.length > 0)
  t.equal(other.requests.length, 0)
})

t.test('at a private monorepo root, doctor points at preflight --workspaces', async (t) => {
  const server = await startServer(json(404, {}))
  t.teardown(() => server.close())
  const env = { npm_config_registry: `${server.origin}/` }
  const named = await project(t, { 'package.json': { name: 'acme-monorepo', private: true, workspaces: ['packages/*'] } })
  const io = memoryIo(named, env)
  t.equal(await main(['doctor'], io), 1)
  t.matchSnapshot(normalise(io.err()), 'named private root')
  const unnamed = await project(t, { 'package.json': { private: true, workspaces: ['packages/*'] } })
  const bare = memoryIo(unnamed, env)
  t.equal(await main(['doctor'], bare), 2)
  t.matchSnapshot(normalise(bare.err().split('\n')[0] as string), 'unnamed private root')
  const other = memoryIo(named, env)
  t.equal(await main(['doctor', 'widgets'], other), 1)
  t.notMatch(other.err(), /preflight --workspaces/, 'not when another package is named')
  const single = await project(t, { 'package.json': { name: 'solo', private: true } })
  const solo = memoryIo(single, env)
  await main(['doctor'], solo)
  t.notMatch(solo.err(), /preflight --workspaces/, 'not for a private package without workspaces')
})
