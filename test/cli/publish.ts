import t from 'tap'
import { writeFile, readFile } from 'node:fs/promises'
import { delimiter, dirname, join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { runCli, project } from '../fixtures/cli.js'
import { memoryIo } from '../fixtures/io.js'
import { fakeGithubJob, exchanged } from '../fixtures/job.js'
import { json, startServer, text } from '../fixtures/server.js'
import { makeTarball, ustar } from '../fixtures/tarball.js'
import { normalise } from '../fixtures/normalise.js'
import { main } from '../../lib/cli/main.js'
import { tarballManifest } from '../../lib/cli/tarball-manifest.js'
import { packDirectory } from '../../lib/cli/pack.js'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const secret = (): string => `npm_${Math.random().toString(36).slice(2)}${'u'.repeat(30)}`

t.test('publishes a tarball with the exchanged token; text output; the token is never printed', async (t) => {
  const job = await fakeGithubJob(t)
  const token = secret()
  job.server.queue(job.idTokenReply(), exchanged(token), json(200, {}))
  const { tarball } = makeTarball('@acme/widgets', '1.2.0')
  const cwd = await project(t, {})
  await writeFile(join(cwd, 'widgets.tgz'), tarball)
  const summary = join(cwd, 'summary.md')
  const run = await runCli(['publish', 'widgets.tgz', '--registry', job.registry, '--no-provenance', '--tag', 'next', '--access', 'public'], {
    cwd, env: { ...job.env, GITHUB_STEP_SUMMARY: summary },
  })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /^Published @acme\/widgets@1\.2\.0 to http:\/\/127\.0\.0\.1:\d+\/ with trusted publishing from github-actions; provenance off \(explicit\): turned off by the caller\n$/)
  const put = job.server.requests[2]
  t.equal(put?.method, 'PUT')
  t.equal(put?.path, '/@acme%2fwidgets')
  t.equal(put?.headers.authorization, `Bearer ${token}`)
  t.same(JSON.parse(put?.body ?? '{}')['dist-tags'], { next: '1.2.0' })
  t.match(await readFile(summary, 'utf8'), /^### npm-oidc publish\n\nPublished @acme\/widgets@1\.2\.0/)
  for (const s of [token, ...job.issued, job.requestToken]) t.notOk((run.stdout + run.stderr).includes(s))
})

t.test('--dry-run --json, packing a directory with the user\'s npm', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), exchanged(), json(404, {}))
  const cwd = await project(t, { 'package.json': { name: '@acme/widgets', version: '1.3.0', repository: 'github:acme/widgets' }, 'index.js': 'module.exports = 1\n' })
  const PATH = [join(ROOT, 'node_modules', '.bin'), dirname(process.execPath)].join(delimiter)
  const run = await runCli(['publish', '--dry-run', '--json', '--stage'], { cwd, env: { ...job.env, PATH, npm_config_registry: job.registry } })
  t.equal(run.code, 0, run.stderr)
  t.match(JSON.parse(run.stdout), {
    ok: true,
    package: '@acme/widgets',
    version: '1.3.0',
    registry: job.registry,
    auth: { method: 'oidc', provider: 'github-actions', claims: { repository: 'acme/widgets' } },
    provider: 'github-actions',
    provenance: { enabled: false, source: 'auto' },
    stage: true,
    dryRun: true,
  })
  t.equal(job.server.requests.filter((r) => r.method === 'PUT').length, 0)
})

t.test('a dry run where automatic provenance would be on', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), exchanged(), json(200, { public: true }))
  const { tarball } = makeTarball('@acme/widgets', '1.4.0', { repository: 'github:acme/widgets' })
  const cwd = await project(t, {})
  await writeFile(join(cwd, 'w.tgz'), tarball)
  // Its own process, whose whole environment is the job's: provenance is signed from process.env, so an
  // in-process run with another env is refused (ERR_OIDC_PROVENANCE_ENV_MISMATCH).
  const PATH = dirname(process.execPath)
  const run = await runCli(['publish', 'w.tgz', '--dry-run', '--registry', job.registry], { cwd, env: { ...job.env, PATH } })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /^Dry run: would publish @acme\/widgets@1\.4\.0 .* provenance on \(auto\): public source repository and public package\n$/)
})

t.test('failures: exit 1 with the error on stderr, an annotation and a summary on GitHub, {ok:false} with --json', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), json(404, { message: 'OIDC token exchange error - package not found' }))
  const { tarball } = makeTarball('widgets', '1.0.0')
  const cwd = await project(t, {})
  await writeFile(join(cwd, 'w.tgz'), tarball)
  const summary = join(cwd, 'summary.md')
  const run = await runCli(['publish', 'w.tgz', '--oidc', 'required', '--json', '--registry', job.registry], { cwd, env: { ...job.env, GITHUB_STEP_SUMMARY: summary } })
  t.equal(run.code, 1, run.stderr)
  t.match(JSON.parse(run.stdout), { ok: false, package: 'widgets', code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER' })
  t.match(run.stderr, /^npm-oidc: publishing widgets failed: GitHub Actions: the registry has no trusted publisher/)
  t.match(run.stderr, /^::error title=npm-oidc%3A publish widgets::/m)
  t.match(await readFile(summary, 'utf8'), /❌ widgets: /)
  t.notMatch(run.stderr, /does not exist yet/, 'the exchange alone cannot tell that the package is missing')
  t.matchSnapshot(normalise(JSON.parse(run.stdout).hint), 'hint of ERR_OIDC_NO_TRUSTED_PUBLISHER')
})

t.test('in-process: usage errors, unreadable packages, non-OIDC errors, no-credential publishes', async (t) => {
  const server = await startServer(json(200, {}))
  t.teardown(() => server.close())
  const { tarball } = makeTarball('widgets', '1.0.0')
  const cwd = await project(t, { 'package.json': { name: 'x' } })
  await writeFile(join(cwd, 'w.tgz'), tarball)
  await writeFile(join(cwd, 'junk.tgz'), 'not gzip')
  const usage = async (...args: string[]): Promise<number> => main(['publish', ...args], memoryIo(cwd))
  t.equal(await usage('--oidc', 'maybe'), 2)
  t.equal(await usage('--provenance', '--no-provenance'), 2)
  t.equal(await usage('--access', 'secret'), 2)
  t.equal(await usage('--what'), 2)
  t.equal(await usage('--help'), 0)
  const missing = memoryIo(cwd)
  t.equal(await main(['publish', 'nope.tgz'], missing), 1)
  t.match(missing.err(), /cannot read the package at .*nope\.tgz: ENOENT/)
  t.equal(await usage('junk.tgz'), 1)
  await t.rejects(packDirectory(cwd, {}, join(cwd, 'no-node-here', 'node')), { message: /could not find npm/ })
  const npmFails = await project(t, { 'package.json': '{broken' })
  const PATH = [join(ROOT, 'node_modules', '.bin'), dirname(process.execPath)].join(delimiter)
  const failing = memoryIo(npmFails, { PATH })
  t.equal(await main(['publish', '--dry-run'], failing), 1)
  t.match(failing.err(), /npm pack failed with exit code/)
  // No CI, no token: libnpmpublish sends the PUT without credentials and the registry decides.
  const anon = memoryIo(cwd, {})
  t.equal(await main(['publish', 'w.tgz', '--registry', `${server.origin}/`, '--provenance'], anon), 1)
  t.match(anon.err(), /publishing widgets failed: provenance was requested but cannot be generated here/)
  const plain = memoryIo(cwd, {})
  t.equal(await main(['publish', 'w.tgz', '--registry', `${server.origin}/`, '--oidc', 'off'], plain), 0)
  t.match(plain.out(), /with no credential; provenance off \(auto\): OIDC was not used/)
  const scoped = makeTarball('@acme/w', '1.0.0')
  await writeFile(join(cwd, 's.tgz'), scoped.tarball)
  const tokenAuth = memoryIo(cwd, { npm_config_registry: 'https://registry.invalid/', [`npm_config_//127.0.0.1:${new URL(server.origin).port}/:_authToken`]: 'static' })
  t.equal(await main(['publish', 's.tgz', '--registry', `${server.origin}/`, '--json'], tokenAuth), 0)
  t.match(JSON.parse(tokenAuth.out()), { auth: { method: 'token' }, registry: `${server.origin}/` })
  const refused = memoryIo(cwd, {})
  server.queue(json(500, { error: 'disk full' }))
  t.equal(await main(['publish', 'w.tgz', '--registry', `${server.origin}/`, '--oidc', 'off', '--json'], refused), 1)
  t.match(JSON.parse(refused.out()), { ok: false, package: 'widgets', message: /500/ })
  t.notOk('code' in JSON.parse(refused.out()))
  const staged = memoryIo(cwd, {})
  server.queue(json(200, { stageId: 'stage-1' }))
  t.equal(await main(['publish', 'w.tgz', '--registry', `${server.origin}/`, '--oidc', 'off', '--stage', '--json'], staged), 0)
  t.match(JSON.parse(staged.out()), { stage: true, stageId: 'stage-1' })
  const stagedText = memoryIo(cwd, {})
  server.queue(json(200, { stageId: 'stage-2' }))
  t.equal(await main(['publish', 'w.tgz', '--registry', `${server.origin}/`, '--oidc', 'off', '--stage'], stagedText), 0)
  t.match(stagedText.out(), /^Staged widgets@1\.0\.0/)
})

t.test('tarball manifests: any top folder, prefix fields, and tarballs without one', async (t) => {
  const manifest = { name: 'a', version: '1.0.0' }
  const plain = gzipSync(ustar([['pkg/README', Buffer.from('x'.repeat(600))], ['pkg/sub/package.json', Buffer.from('{}')], ['pkg/package.json', Buffer.from(JSON.stringify(manifest))]]))
  t.same(await tarballManifest(plain), manifest)
  await t.rejects(tarballManifest(gzipSync(ustar([['package/index.js', Buffer.from('1')]]))), { message: 'the tarball holds no package.json' })
  await t.rejects(tarballManifest(gzipSync(Buffer.alloc(100))), { message: 'the tarball holds no package.json' })
  await t.rejects(tarballManifest(gzipSync(ustar([['package/package.json', Buffer.from('{not json')]]))), { name: 'SyntaxError' })
  const twice = ustar([['package/package.json', Buffer.from('{}')], ['x/package.json', Buffer.from(JSON.stringify(manifest))]])
  await t.rejects(tarballManifest(twice), { message: /^the tarball holds 2 entries that extract to package\.json \("package\/package\.json", "x\/package\.json"\)/ })
  // A symbolic link named package/package.json: typeflag '2', checksum recomputed.
  const link = ustar([['package/package.json', Buffer.alloc(0)]])
  link.write('2', 156)
  link.write('../../etc/passwd', 157)
  link.fill(' ', 148, 156)
  link.write(`${link.subarray(0, 512).reduce((sum, byte) => sum + byte, 0).toString(8).padStart(6, '0')}\0 `, 148)
  await t.rejects(tarballManifest(gzipSync(link)), { message: 'the tarball\'s "package/package.json" is a SymbolicLink, not a file' })
})

t.test('--dry-run without a credential is not ready: same refusal as the real run would reach, exit 1', async (t) => {
  const server = await startServer(json(404, {}))
  t.teardown(() => server.close())
  const { tarball } = makeTarball('widgets', '1.0.0')
  const cwd = await project(t, {})
  await writeFile(join(cwd, 'w.tgz'), tarball)
  const text = memoryIo(cwd, {})
  t.equal(await main(['publish', 'w.tgz', '--dry-run', '--registry', `${server.origin}/`], text), 1)
  t.notMatch(text.out(), /would publish/)
  t.matchSnapshot(normalise(text.err()), 'text: no provider, no token')
  const off = memoryIo(cwd, {})
  t.equal(await main(['publish', 'w.tgz', '--dry-run', '--oidc', 'off', '--json', '--registry', `${server.origin}/`], off), 1)
  t.matchSnapshot(normalise(off.out()), 'json: --oidc off, no token')
  t.equal(server.requests.filter((r) => r.method === 'PUT').length, 0)
})

t.test('--json on failure carries code, message, hint, status and the registry\'s message', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), json(405, { error: 'method not allowed' }))
  const { tarball } = makeTarball('widgets', '1.0.0')
  const cwd = await project(t, {})
  await writeFile(join(cwd, 'w.tgz'), tarball)
  const run = await runCli(['publish', 'w.tgz', '--json', '--registry', job.registry], { cwd, env: job.env })
  t.equal(run.code, 1)
  t.match(JSON.parse(run.stdout), { code: 'ERR_OIDC_EXCHANGE_REJECTED', status: 405, registryMessage: 'method not allowed' })
  t.matchSnapshot(normalise(run.stdout), 'stdout')
  t.matchSnapshot(normalise(run.stderr), 'stderr')
  for (const s of [...job.issued, job.requestToken]) t.notOk((run.stdout + run.stderr).includes(s))
})

t.test('--json on success: auth has the shape of res.oidc.auth, a fallback\'s OIDC error included', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), text(400, ''), json(200, {}))
  const { tarball } = makeTarball('widgets', '1.0.0')
  const cwd = await project(t, {})
  await writeFile(join(cwd, 'w.tgz'), tarball)
  const port = new URL(job.registry).port
  const io = memoryIo(cwd, { ...job.env, [`npm_config_//127.0.0.1:${port}/:_authToken`]: 'static' })
  t.equal(await main(['publish', 'w.tgz', '--json', '--no-provenance', '--registry', job.registry], io), 0)
  const out = JSON.parse(io.out())
  t.match(out.auth, { method: 'token', oidcError: { code: 'ERR_OIDC_EXCHANGE_REJECTED', status: 400, hint: /gave no reason/ } })
  t.matchSnapshot(normalise(JSON.stringify(out.auth, null, 2)), 'auth after a fallback')
  for (const s of [...job.issued, job.requestToken, 'static']) t.notOk(io.out().includes(s))
})
