import t from 'tap'
import { normalise } from '../fixtures/normalise.js'
import type { Test } from 'tap'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runTrust } from '../../lib/cli/trust.js'
import { startServer, json, text, type ScriptedServer } from '../fixtures/server.js'
import { fakeIo } from '../fixtures/cli-io.js'

const UUID = ['b2e3a6f4-5c1d-4e8a-9f7b-0c2d4e6f8a1b', 'd4c1e8f2-7a3b-4c5d-8e9f-1a2b3c4d5e6f', 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b'] as const
const otpChallenge = json(401, { error: 'You must provide a one-time pass.' }, { 'www-authenticate': 'OTP' })

interface RunOptions {
  tty?: boolean
  answers?: Array<[RegExp, string]>
  env?: Record<string, string>
  endInput?: boolean
}

interface Project {
  server: ScriptedServer
  dir: string
  token: string
  run: (args: string[], o?: RunOptions) => Promise<{ code: number, stdout: string, stderr: string, pending: number }>
}

/** A project dir whose .npmrc points at a scripted registry with a user token; HOME is an empty dir. */
async function project (t: Test, files: Record<string, unknown> = {}, npmrc = true): Promise<Project> {
  const server = await startServer(json(201, []))
  t.teardown(() => server.close())
  // node_modules makes the dir its own project root, as npm finds it (the repo around it has a package.json).
  const dir = t.testdir({ home: {}, node_modules: {} })
  const token = `npm_${randomBytes(12).toString('hex')}`
  if (npmrc) writeFileSync(join(dir, '.npmrc'), `registry=${server.origin}/\n${server.origin.slice('http:'.length)}/:_authToken=\${TRUST_TEST_TOKEN}\n`)
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true })
    writeFileSync(join(dir, file), JSON.stringify(content))
  }
  const run: Project['run'] = async (args, o = {}) => {
    const fake = fakeIo({ cwd: dir, env: { HOME: join(dir, 'home'), TRUST_TEST_TOKEN: token, ...o.env }, tty: o.tty, answers: o.answers })
    if (o.endInput) fake.endInput()
    const code = await runTrust(args, fake.io)
    return { code, stdout: fake.stdout(), stderr: fake.stderr(), pending: fake.pending() }
  }
  return { server, dir, token, run }
}

const ghArgs = ['github', '@acme/widgets', '--repository', 'acme/widgets', '--file', 'release.yml', '--allow-publish']

t.test('help and usage errors', async (t) => {
  const p = await project(t)
  t.match(await p.run(['--help']), { code: 0, stdout: /Usage: npm-oidc trust <command>/ })
  t.match(await p.run([]), { code: 2, stderr: /Usage: npm-oidc trust/ })
  t.match(await p.run(['edit']), { code: 2, stderr: /unknown trust command "edit"/ })
  t.match(await p.run(['list', '--bogus']), { code: 2, stderr: /^npm-oidc: unknown option --bogus\n\nUsage: npm-oidc trust list / })
  t.match(await p.run(['list']), { code: 2, stderr: /name the package as an argument/ })
  t.match(await p.run(['github', 'pkg', '--file', 'release.yml']), { code: 2, stderr: /at least one permission flag is required/ })
  t.match(await p.run(['revoke', 'pkg']), { code: 2, stderr: /--id/ })
  t.match(await p.run(['list', 'pkg', '--workspaces']), { code: 2, stderr: /do not also name one/ })
  t.match(await p.run(['list', '--workspaces']), { code: 2, stderr: /No package\.json/ })
  t.equal(p.server.requests.length, 0)
})

t.test('list: exact request, human and JSON output', async (t) => {
  const p = await project(t)
  const listed = [
    { id: 'g1', type: 'github', claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' }, environment: 'prod' }, permissions: ['createPackage', 'createStagedPackage'] },
    { id: 'c1', type: 'circleci', claims: { 'oidc.circleci.com/org-id': UUID[0], 'oidc.circleci.com/vcs-origin': 'github.com/a/b', 'oidc.circleci.com/context-ids': [UUID[1], UUID[2]] }, permissions: ['createPackage'] },
    { id: 'l1', type: 'gitlab', claims: { project_path: 'g/p', ci_config_ref_uri: { file: '.gitlab-ci.yml' } }, permissions: null },
    { id: 'f1', type: 'future', claims: { host: 'ci.example' }, permissions: ['somethingNew'] },
    { id: 'f2', type: 'future' },
  ]
  p.server.queue(json(200, listed), json(200, listed), json(200, []))
  const human = await p.run(['list', '@acme/widgets'])
  t.equal(human.code, 0)
  t.equal(human.stdout, `@acme/widgets: 5 trusted publishers

  id: g1
  type: github
  repository: acme/widgets
  file: release.yml
  environment: prod
  permissions: publish, stage publish

  id: c1
  type: circleci
  org-id: ${UUID[0]}
  vcs-origin: github.com/a/b
  context-ids: ${UUID[1]}, ${UUID[2]}
  permissions: publish

  id: l1
  type: gitlab
  project: g/p
  file: .gitlab-ci.yml

  id: f1
  type: future
  host: ci.example
  permissions: somethingNew

  id: f2
  type: future
`)
  const [req] = p.server.requests
  t.equal(req?.path, '/-/package/@acme%2fwidgets/trust')
  t.equal(req?.headers.authorization, `Bearer ${p.token}`)
  t.equal(req?.headers['npm-command'], 'trust')
  t.same(JSON.parse((await p.run(['list', '@acme/widgets', '--json'])).stdout), listed)
  t.match(await p.run(['list', 'plain']), { code: 0, stdout: 'plain: no trusted publishers\n' })
  t.notMatch(human.stdout + human.stderr, p.token, 'the token is never printed')
})

t.test('list: failures exit 1 with the explanation; a bad name is a usage error', async (t) => {
  const p = await project(t)
  p.server.queue(json(404, { error: 'Not found' }))
  const r = await p.run(['list', 'ghost'])
  t.equal(r.code, 1)
  t.match(r.stderr, /^npm-oidc: Listing the trusted publishers of ghost failed \(GET http:\/\/127\.0\.0\.1:\d+\/-\/package\/ghost\/trust answered 404: "Not found"\)\. ghost does not exist/)
  p.server.queue(json(404, {}))
  t.match(JSON.parse((await p.run(['list', 'ghost', '--json'])).stdout), { package: 'ghost', ok: false, error: { code: 'E404' } })
  t.match(await p.run(['list', 'Bad Name']), { code: 2, stderr: /the package name must be a valid npm package name/ })
})

t.test('github: package.json defaults, the warning, the exact body, --yes', async (t) => {
  const p = await project(t, { 'package.json': { name: '@acme/widgets', repository: 'github:acme/widgets' } })
  p.server.queue(json(201, [{ id: 'new', type: 'github', claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' } }, permissions: ['createPackage'] }]))
  const r = await p.run(['github', '--file', 'release.yml', '--allow-publish', '--yes'])
  t.equal(r.code, 0)
  t.equal(r.stdout, 'Added a trusted publisher to @acme/widgets:\n  id: new\n  type: github\n  repository: acme/widgets\n  file: release.yml\n  permissions: publish\n')
  t.notMatch(r.stderr, /may not support trusted publishing/, 'no warning when the registry did what was asked')
  t.matchSnapshot(normalise(r.stderr), 'stderr of an add to a non-npmjs registry that supports it')
  const [req] = p.server.requests
  t.equal(req?.method, 'POST')
  t.equal(req?.path, '/-/package/@acme%2fwidgets/trust')
  t.equal(req?.body, '[{"type":"github","claims":{"repository":"acme/widgets","workflow_ref":{"file":"release.yml"}},"permissions":["createPackage"]}]')
  t.equal(req?.headers['npm-auth-type'], 'web')
  t.equal(req?.headers.authorization, `Bearer ${p.token}`)

  const w = await p.run(['github', '--repo', 'acme/fork', '--file', 'release.yml', '--env', 'prod', '--allow-stage-publish', '--yes', '--json'])
  t.equal(w.code, 0)
  t.match(w.stderr, 'npm-oidc: warning: @acme/widgets: The repository in package.json (acme/widgets) differs from the given GitHub repository (acme/fork); using acme/fork.')
  t.same(JSON.parse(w.stdout), [])
  t.equal(p.server.requests[1]?.body, '[{"type":"github","claims":{"repository":"acme/fork","workflow_ref":{"file":"release.yml"},"environment":"prod"},"permissions":["createStagedPackage"]}]')

  const other = await p.run(['github', 'other-pkg', '--file', 'release.yml', '--allow-publish', '--yes'])
  t.match(other, { code: 2, stderr: /Expected --repository to be a GitHub repository as `owner\/repo`, got nothing/ }, 'package.json describes another package: no defaults')
})

t.test('gitlab and circleci flags', async (t) => {
  const p = await project(t)
  t.equal((await p.run(['gitlab', 'pkg', '--project', 'group/sub/project', '--file', '.gitlab-ci.yml', '--allow-publish', '--allow-staged-publish', '-y'])).code, 0)
  t.equal((await p.run(['gitlab', 'pkg', '--repository', 'group/project', '--file', '.gitlab-ci.yml', '--environment', 'e', '--allow-publish', '-y'])).code, 0)
  const c = await p.run(['circleci', 'pkg', '--org-id', UUID[0], '--project-id', UUID[1], '--pipeline-definition-id', UUID[2], '--vcs-origin', 'github.com/acme/widgets',
    '--context-id', UUID[0], '--context-id', UUID[1], '--allow-publish', '-y'])
  t.equal(c.code, 0)
  t.match(c.stdout, /org-id: b2e3a6f4-5c1d-4e8a-9f7b-0c2d4e6f8a1b\n/)
  t.same(p.server.requests.map((r) => JSON.parse(r.body)), [
    [{ type: 'gitlab', claims: { project_path: 'group/sub/project', ci_config_ref_uri: { file: '.gitlab-ci.yml' } }, permissions: ['createPackage', 'createStagedPackage'] }],
    [{ type: 'gitlab', claims: { project_path: 'group/project', ci_config_ref_uri: { file: '.gitlab-ci.yml' }, environment: 'e' }, permissions: ['createPackage'] }],
    [{
      type: 'circleci',
      claims: { 'oidc.circleci.com/org-id': UUID[0], 'oidc.circleci.com/project-id': UUID[1], 'oidc.circleci.com/pipeline-definition-id': UUID[2], 'oidc.circleci.com/vcs-origin': 'github.com/acme/widgets', 'oidc.circleci.com/context-ids': [UUID[0], UUID[1]] },
      permissions: ['createPackage'],
    }],
  ])
})

t.test('validation errors name the flag and send nothing', async (t) => {
  const p = await project(t)
  const cases: Array<[string[], RegExp]> = [
    [['github', 'pkg', '--repository', 'acme/widgets', '--file', '.github/workflows/release.yml', '--allow-publish', '-y'], /Expected --file to be a bare file name without a path/],
    [['github', 'pkg', '--repository', 'acme', '--file', 'release.yml', '--allow-publish', '-y'], /Expected --repository to be a GitHub repository as `owner\/repo`, got "acme"/],
    [['github', 'pkg', '--repository', 'acme/widgets', '--file', 'release.json', '--allow-publish', '-y'], /--file to be a file name ending in \.yml or \.yaml/],
    [['gitlab', 'pkg', '--project', 'project', '--file', '.gitlab-ci.yml', '--allow-publish', '-y'], /--project to be a GitLab project path/],
    [['circleci', 'pkg', '--org-id', 'x', '--allow-publish', '-y'], /--org-id to be a UUID/],
    [['circleci', 'pkg', '--org-id', UUID[0], '--project-id', UUID[1], '--pipeline-definition-id', UUID[2], '--vcs-origin', 'https://github.com/a/b', '--allow-publish', '-y'], /--vcs-origin to be `provider\/owner\/repo` without a scheme/],
    [['circleci', 'pkg', '--org-id', UUID[0], '--project-id', UUID[1], '--pipeline-definition-id', UUID[2], '--vcs-origin', 'github.com/a/b', '--context-id', 'nope', '--allow-publish', '-y'], /--context-id to be a UUID/],
  ]
  for (const [args, message] of cases) t.match(await p.run(args), { code: 2, stderr: message }, args.join(' '))
  t.equal(p.server.requests.length, 0)
})

t.test('--dry-run sends nothing and prints what would be sent', async (t) => {
  const p = await project(t)
  const r = await p.run([...ghArgs, '--environment', 'prod', '--dry-run'])
  t.equal(r.code, 0)
  t.match(r.stdout, /^Dry run: nothing was sent\. Would send:\n\nPOST http:\/\/127\.0\.0\.1:\d+\/-\/package\/@acme%2fwidgets\/trust\n {2}npm-command: trust\n {2}npm-auth-type: web\n {2}content-type: application\/json\n {2}authorization: \(the token configured for http:\/\/127\.0\.0\.1:\d+\/\)\n\n\[\n {2}\{\n {4}"type": "github"/)
  t.match((await p.run(['revoke', '@acme/widgets', '--id', 'cfg/1:x', '--dry-run'])).stdout,
    /^Dry run: nothing was sent\. Would send:\n\nDELETE http:\/\/127\.0\.0\.1:\d+\/-\/package\/@acme%2fwidgets\/trust\/cfg%2F1%3Ax\n {2}npm-command: trust\n {2}authorization: \(the token configured for http:\/\/127\.0\.0\.1:\d+\/\)\n$/)
  const j = JSON.parse((await p.run(['revoke', '@acme/widgets', '--id', 'cfg/1:x', '--dry-run', '--json'])).stdout)
  t.match(j, { method: 'DELETE', url: /\/-\/package\/@acme%2fwidgets\/trust\/cfg%2F1%3Ax$/, headers: { 'npm-command': 'trust' } })
  const none = await project(t, {}, false)
  t.match((await none.run([...ghArgs, '--registry', `${p.server.origin}/`, '--dry-run'])).stdout, /authorization: \(no token is configured for this registry\)/)
  t.equal(p.server.requests.length, 0)
  t.notMatch(r.stdout, p.token)
})

t.test('confirmation: refused without a terminal, declined, accepted, input closed', async (t) => {
  const p = await project(t)
  const noTty = await p.run(ghArgs)
  t.equal(noTty.code, 2)
  t.match(noTty.stderr, /Adding to @acme\/widgets:\n {2}type: github\n {2}repository: acme\/widgets\n {2}file: release\.yml\n {2}permissions: publish\nAnyone who can run that CI job/)
  t.match(noTty.stderr, /refusing to change trusted publishers without confirmation: stdin is not a terminal\. Pass --yes/)
  const declined = await p.run(ghArgs, { tty: true, answers: [[/proceed\? \(y\/N\)/, 'n']] })
  t.match(declined, { code: 1, stderr: /Cancelled; nothing was changed\./, pending: 0 })
  const closed = await p.run(['revoke', '@acme/widgets', '--id', 'x'], { tty: true, endInput: true })
  t.match(closed, { code: 1, stderr: /Revoking trusted publisher "x" of @acme\/widgets\.[\s\S]*Cancelled/ })
  t.equal(p.server.requests.length, 0, 'nothing sent while unconfirmed')
  const accepted = await p.run(ghArgs, { tty: true, answers: [[/proceed\?/, 'YES']] })
  t.match(accepted, { code: 0, stdout: /Added a trusted publisher to @acme\/widgets/ })
  t.equal(p.server.requests.length, 1)
})

t.test('OTP: prompt on challenge and retry; --otp; no terminal', async (t) => {
  const p = await project(t)
  const otp = String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000))
  p.server.queue(otpChallenge, json(201, []))
  const r = await p.run(ghArgs, { tty: true, answers: [[/proceed\?/, 'y'], [/This operation requires a one-time password\.\nEnter OTP:/, otp]] })
  t.match(r, { code: 0, pending: 0 })
  t.notOk(p.server.requests[0]?.headers['npm-otp'])
  t.equal(p.server.requests[1]?.headers['npm-otp'], otp)
  t.equal(p.server.requests[1]?.body, p.server.requests[0]?.body)
  t.notMatch(r.stdout + r.stderr, new RegExp(`${otp}(?!\\n)`), 'the OTP is echoed only as typed input, never printed by us')

  p.server.queue(otpChallenge)
  const noTty = await p.run([...ghArgs, '--yes'])
  t.match(noTty, { code: 1, stderr: /requires a one-time password .*Without a terminal to ask on, pass --otp <code>\./ })

  p.server.queue(json(204, {}))
  t.equal((await p.run(['revoke', '@acme/widgets', '--id', 'cfg/1:x', '--otp', otp, '--yes'])).code, 0)
  const revoke = p.server.requests.at(-1)
  t.equal(revoke?.path, '/-/package/@acme%2fwidgets/trust/cfg%2F1%3Ax')
  t.equal(revoke?.headers['npm-otp'], otp)

  p.server.queue(otpChallenge, otpChallenge)
  const wrong = await p.run([...ghArgs, '--otp', '000000', '--yes'], { tty: true, answers: [[/Enter OTP:/, '']] })
  t.match(wrong, { code: 1, stderr: /requires a one-time password/ }, 'a refused code asks again; an empty answer gives up')
})

t.test('revoke: output and failures', async (t) => {
  const p = await project(t)
  p.server.queue(text(204, ''), text(204, ''), json(404, { message: 'no such trust configuration' }))
  t.match(await p.run(['revoke', 'pkg', '--id', 'a b', '-y']), { code: 0, stdout: 'Revoked trusted publisher "a b" of pkg.\n' })
  t.same(JSON.parse((await p.run(['revoke', 'pkg', '--id', 'x', '-y', '--json'])).stdout), { package: 'pkg', id: 'x', revoked: true })
  const gone = await p.run(['revoke', 'pkg', '--id', 'gone', '-y'])
  t.match(gone, { code: 1, stderr: /answered 404: "no such trust configuration"\)\. pkg has no trusted publisher with that id/ })
  t.same(p.server.requests.map((r) => r.path), ['/-/package/pkg/trust/a%20b', '/-/package/pkg/trust/x', '/-/package/pkg/trust/gone'])
})

t.test('no token configured: nothing is sent', async (t) => {
  const p = await project(t, {}, false)
  const r = await p.run([...ghArgs, '--registry', `${p.server.origin}/`, '--yes'])
  t.match(r, { code: 1, stderr: /no token for http:\/\/127\.0\.0\.1:\d+\/ in \.npmrc or npm_config_\*; log in first/ })
  t.equal(p.server.requests.length, 0)
})

t.test('--workspaces: one confirmation, one OTP prompt, a table, past a failure', async (t) => {
  const repository = { type: 'git', url: 'git+https://github.com/acme/mono.git' }
  const p = await project(t, {
    'package.json': { name: 'mono', private: true, workspaces: ['packages/*', 'tools/cli'], repository },
    'packages/a/package.json': { name: '@acme/a' },
    'packages/b/package.json': { name: '@acme/b', repository: 'github:acme/b-elsewhere' },
    'packages/private/package.json': { name: '@acme/private', private: true },
    'tools/cli/package.json': { name: 'acme-cli' },
  })
  const otp = String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000))
  p.server.queue(otpChallenge, json(201, []), json(404, { message: 'package not found' }), json(201, []))
  const r = await p.run(['github', '--workspaces', '--file', 'release.yml', '--allow-publish'], {
    tty: true, answers: [[/proceed\?/, 'y'], [/Enter OTP:/, otp]],
  })
  t.equal(r.code, 1)
  t.equal((r.stderr.match(/Enter OTP:/g) ?? []).length, 1, 'one OTP prompt')
  t.equal((r.stderr.match(/proceed\?/g) ?? []).length, 1, 'one confirmation')
  t.match(r.stderr, /Adding to @acme\/a, @acme\/b, acme-cli:/)
  t.same(p.server.requests.map((q) => [q.path, q.headers['npm-otp'] ?? null, JSON.parse(q.body)[0].claims.repository]), [
    ['/-/package/@acme%2fa/trust', null, 'acme/mono'],
    ['/-/package/@acme%2fa/trust', otp, 'acme/mono'],
    ['/-/package/@acme%2fb/trust', otp, 'acme/b-elsewhere'],
    ['/-/package/acme-cli/trust', otp, 'acme/mono'],
  ])
  const lines = r.stdout.trimEnd().split('\n')
  t.match(lines[0], /^PACKAGE\s+RESULT\s+DETAIL$/)
  t.match(lines[1], /^@acme\/a\s+ok\s+Added a trusted publisher to @acme\/a:/)
  t.match(r.stdout, /\n@acme\/b\s+failed\s+Adding a trusted publisher to @acme\/b failed \(POST .* answered 404: "package not found"\)/)
  t.match(r.stdout, /\nacme-cli\s+ok\s+Added a trusted publisher to acme-cli:/)
  t.notMatch(r.stdout, /private/)
})

t.test('--workspaces: an empty OTP answer stops asking for the rest of the run', async (t) => {
  const p = await project(t, {
    'package.json': { name: 'mono', workspaces: ['packages/*'] },
    'packages/a/package.json': { name: 'a' },
    'packages/b/package.json': { name: 'b' },
  })
  p.server.queue(otpChallenge, otpChallenge)
  const r = await p.run(['revoke', '--workspaces', '--id', 'x'], { tty: true, answers: [[/proceed\?/, 'y'], [/Enter OTP:/, '']] })
  t.equal(r.code, 1)
  t.equal((r.stderr.match(/Enter OTP:/g) ?? []).length, 1)
  t.match(r.stdout, /\na\s+failed\s+Revoking a trusted publisher of a failed \(DELETE .* answered 401: "You must provide a one-time pass\."\)\. The registry requires a one-time password/)
  t.match(r.stdout, /\nb\s+failed\s+Revoking/)
  t.equal(p.server.requests.length, 2)
})

t.test('--workspaces: list, JSON, a package whose defaults fail, dry run', async (t) => {
  const p = await project(t, {
    'package.json': { name: 'mono', workspaces: { packages: ['packages/*'] } },
    'packages/a/package.json': { name: 'a', repository: 'github:acme/a' },
    'packages/b/package.json': { name: 'b' },
  })
  p.server.queue(json(200, [{ id: '1', type: 'github', claims: {}, permissions: ['createPackage'] }]), json(500, { message: 'down' }))
  const list = await p.run(['list', '--workspaces'])
  t.equal(list.code, 1)
  t.match(list.stdout, /^a: 1 trusted publisher\n\n {2}id: 1\n {2}type: github\n {2}permissions: publish\n\nPACKAGE\s+RESULT\s+DETAIL\na\s+ok\s+1 trusted publisher\(s\)\nb\s+failed\s+Listing the trusted publishers of b failed/)

  const add = await p.run(['github', '--workspaces', '--file', 'release.yml', '--allow-publish', '--yes', '--json'])
  t.equal(add.code, 1)
  t.match(JSON.parse(add.stdout), [{ package: 'a', ok: true, result: [] }, { package: 'b', ok: false, error: { message: /--repository/ } }])
  t.equal(p.server.requests.length, 3, 'b was never sent')

  const dry = await p.run(['github', '--workspaces', '--file', 'release.yml', '--allow-publish', '--dry-run', '--json'])
  t.equal(dry.code, 1)
  t.match(JSON.parse(dry.stdout), [{ method: 'POST', url: /\/-\/package\/a\/trust$/ }])
  t.equal(p.server.requests.length, 3)

  const empty = await project(t, { 'package.json': { name: 'mono', workspaces: ['packages/*'] } })
  t.match(await empty.run(['list', '--workspaces']), { code: 2, stderr: /no public workspace packages found/ })
})

t.test('--registry wins over a scope registry from npm config; one carrying a CI credential is refused', async (t) => {
  const p = await project(t)
  writeFileSync(join(p.dir, '.npmrc'), `@acme:registry=http://127.0.0.1:9/\n${p.server.origin.slice('http:'.length)}/:_authToken=\${TRUST_TEST_TOKEN}\n`)
  p.server.queue(json(200, []))
  t.match(await p.run(['list', '@acme/widgets', '--registry', `${p.server.origin}/`]), { code: 0, stdout: /@acme\/widgets: no trusted publishers/ })
  t.equal(p.server.requests.length, 1)
  await t.rejects(p.run(['list', '@acme/widgets', '--registry', `${p.server.origin}/gh-secret/`], { env: { GITHUB_TOKEN: 'gh-secret' } }),
    { code: 'ERR_OIDC_INSECURE_REGISTRY' })
  t.equal(p.server.requests.length, 1)
})

t.test('a registry without trusted-publisher management says so itself (405), with no guessing beforehand', async (t) => {
  const p = await project(t)
  p.server.queue(json(405, {}))
  const r = await p.run([...ghArgs, '--yes'])
  t.equal(r.code, 1)
  t.matchSnapshot(normalise(r.stderr), 'stderr')
  t.notOk(r.stderr.includes(p.token))
})
