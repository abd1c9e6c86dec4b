import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCli } from '../fixtures/cli.js'
import { fakeGithubJob, exchanged } from '../fixtures/job.js'
import { json } from '../fixtures/server.js'
import { packDirectory } from '../../lib/cli/pack.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
// pnpm and Yarn from devDependencies; neither may reach the network nor fetch the version `packageManager` names.
const PATH = [join(ROOT, 'node_modules', '.bin'), dirname(process.execPath)].join(delimiter)
const offline = {
  PATH,
  npm_config_manage_package_manager_versions: 'false',
  npm_config_offline: 'true',
  COREPACK_ENABLE_STRICT: '0',
  YARN_ENABLE_NETWORK: '0',
  YARN_ENABLE_TELEMETRY: '0',
  YARN_ENABLE_GLOBAL_CACHE: '0',
  YARN_IGNORE_PATH: '1',
}

const member = (name: string, version: string, extra: Record<string, unknown> = {}): Record<string, string> =>
  ({ 'package.json': JSON.stringify({ name, version, ...extra }) })

const packages = {
  a: member('@acme/a', '1.0.0', { dependencies: { '@acme/b': 'workspace:^' }, peerDependencies: { '@acme/b': 'workspace:*' } }),
  b: member('@acme/b', '2.3.4'),
}

async function publishMember (t: Tap.Test, cwd: string): Promise<Record<string, unknown>> {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), exchanged(), json(200, {}))
  const run = await runCli(['publish', 'packages/a', '--registry', job.registry, '--no-provenance'], { cwd, env: { ...job.env, ...offline } })
  t.equal(run.code, 0, run.stderr)
  t.same(job.server.requests.map((r) => r.method), ['GET', 'POST', 'PUT'], 'one exchange, one upload')
  const body = JSON.parse(job.server.requests[2]?.body ?? '{}') as { versions: Record<string, Record<string, unknown>> }
  return body.versions['1.0.0']!
}

t.test('pnpm workspace: packed with pnpm without scripts, the uploaded manifest has real ranges', async (t) => {
  const prepack = { prepack: 'node -e "require(\'fs\').writeFileSync(\'PREPACK_RAN\', \'\')"' }
  const cwd = t.testdir({
    'package.json': JSON.stringify({ name: 'root', private: true, packageManager: 'pnpm@10.0.0' }),
    'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
    packages: { ...packages, a: member('@acme/a', '1.0.0', { ...JSON.parse(packages.a['package.json']!), scripts: prepack }) },
  })
  const install = spawnSync(join(ROOT, 'node_modules', '.bin', 'pnpm'), ['install', '--offline'], { cwd, env: { ...process.env, ...offline }, encoding: 'utf8' })
  t.equal(install.status, 0, install.stderr + install.stdout)
  const manifest = await publishMember(t, cwd)
  t.same(manifest.dependencies, { '@acme/b': '^2.3.4' })
  t.same(manifest.peerDependencies, { '@acme/b': '2.3.4' })
  t.notOk(existsSync(join(cwd, 'packages', 'a', 'PREPACK_RAN')), 'pnpm ran no lifecycle script')
})

t.test('Yarn workspace: packed with yarn pack, the uploaded manifest has real ranges', async (t) => {
  const cwd = t.testdir({
    'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'], packageManager: 'yarn@4.0.0' }),
    'yarn.lock': '',
    packages,
  })
  const manifest = await publishMember(t, cwd)
  t.same(manifest.dependencies, { '@acme/b': '^2.3.4' })
  t.same(manifest.peerDependencies, { '@acme/b': '2.3.4' })
})

t.test('npm workspace: npm pack keeps workspace: ranges, so the publish is refused before any request', async (t) => {
  const cwd = t.testdir({ 'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*'] }), packages })
  const job = await fakeGithubJob(t)
  const run = await runCli(['publish', 'packages/a', '--registry', job.registry, '--json'], { cwd, env: { ...job.env, ...offline } })
  t.equal(run.code, 1, run.stderr)
  t.match(JSON.parse(run.stdout), { ok: false, code: 'ERR_OIDC_WORKSPACE_PROTOCOL', hint: /pnpm pack/ })
  t.equal(job.server.requests.length, 0, 'no ID token request, no exchange, no upload')
})

t.test('pnpm or Yarn missing from PATH, or failing', async (t) => {
  const pnpm = t.testdir({ 'package.json': JSON.stringify({ packageManager: 'pnpm@10.0.0' }), packages })
  await t.rejects(packDirectory(join(pnpm, 'packages', 'a'), { PATH: '' }), { message: 'could not find pnpm on PATH, and this package is packed with pnpm' })
  await t.rejects(packDirectory(join(pnpm, 'packages', 'a'), { Path: PATH, npm_config_manage_package_manager_versions: 'false' }),
    { message: /^pnpm pack failed with exit code 1: .*not installed/ }, 'no install: pnpm cannot resolve workspace:')
  const yarn = t.testdir({ 'yarn.lock': '', 'package.json': '{}' })
  await t.rejects(packDirectory(yarn, {}), { message: /could not find yarn on PATH/ })
})
