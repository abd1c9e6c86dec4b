import t from 'tap'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCli, project } from '../fixtures/cli.js'
import { memoryIo } from '../fixtures/io.js'
import { json, startServer, type Reply } from '../fixtures/server.js'
import { githubClaims, makeIdToken } from '../fixtures/id-token.js'
import { main } from '../../lib/cli/main.js'

const secret = `npm_${'p'.repeat(36)}`
const registryReply: Reply = (res, req) => {
  if (req.method === 'POST') {
    if (req.path.endsWith('missing')) return json(404, { message: 'OIDC token exchange error - package not found' })(res, req)
    return json(201, { token: secret })(res, req)
  }
  if (req.path.startsWith('/-/package/')) return json(200, { public: false })(res, req)
  json(req.path.includes('missing') ? 404 : 200, { versions: {} })(res, req)
}

async function workspace (t: Tap.Test, registry: string): Promise<string> {
  const cwd = await project(t, {
    'package.json': { name: 'root', private: true, workspaces: ['packages/*'] },
    '.npmrc': `registry=${registry}\n`,
  })
  for (const [dir, manifest] of Object.entries({ a: { name: '@acme/a', version: '1.0.0' }, missing: { name: '@acme/missing', version: '0.1.0' } })) {
    await mkdir(join(cwd, 'packages', dir), { recursive: true })
    await writeFile(join(cwd, 'packages', dir, 'package.json'), JSON.stringify(manifest))
  }
  return cwd
}

t.test('--workspaces --json: report on stdout, progress on stderr, annotations and summary on GitHub', async (t) => {
  const server = await startServer(registryReply)
  t.teardown(() => server.close())
  const cwd = await workspace(t, `${server.origin}/`)
  const idToken = makeIdToken(githubClaims({ aud: 'npm:127.0.0.1' }))
  const summary = join(cwd, 'summary.md')
  const run = await runCli(['preflight', '--workspaces', '--json', '--concurrency', '1'], {
    cwd, env: { GITHUB_ACTIONS: 'true', NPM_ID_TOKEN: idToken, GITHUB_STEP_SUMMARY: summary },
  })
  t.equal(run.code, 1)
  const report = JSON.parse(run.stdout)
  t.same(report.packages.map((p: { name: string, ready: boolean }) => [p.name, p.ready]), [['@acme/a', true], ['@acme/missing', false]])
  t.match(run.stderr, /^\[1\/2\] @acme\/a\n\[2\/2\] @acme\/missing\n/)
  t.match(run.stderr, /^::error title=npm-oidc%3A @acme\/missing exchange::/m)
  const md = await readFile(summary, 'utf8')
  t.match(md, /\| ✅ \| @acme\/a@1\.0\.0 \| {2}\|/)
  t.match(md, /\| ❌ \| @acme\/missing@0\.1\.0 \| exchange: /)
  t.notOk((run.stdout + run.stderr + md).includes(secret) || (run.stdout + run.stderr + md).includes(idToken))
})

t.test('text output, names on the command line, the cwd package, usage errors', async (t) => {
  const server = await startServer(registryReply)
  t.teardown(() => server.close())
  const cwd = await workspace(t, `${server.origin}/`)
  const env = { GITHUB_ACTIONS: 'true', NPM_ID_TOKEN: makeIdToken(githubClaims({ aud: 'npm:127.0.0.1' })) }
  const io = memoryIo(cwd, env)
  t.equal(await main(['preflight', '@acme/a', '@acme/missing'], io), 1)
  t.match(io.out(), /^✓ @acme\/a ready\n✗ @acme\/missing: exchange: .*\n {4}→ .*\n1 of 2 not ready\.\n(::error .*\n)$/)
  const ok = memoryIo(cwd, env, true)
  t.equal(await main(['preflight', '@acme/a', '--registry', `${server.origin}/`], ok), 0)
  // eslint-disable-next-line no-control-regex -- matches the ANSI colour escapes of a terminal's output
  t.match(ok.out(), /\u001b\[32m✓\u001b\[39m @acme\/a ready\nAll 1 ready\.\n/)
  const own = await project(t, { 'package.json': { name: '@acme/a', version: '2.0.0' }, '.npmrc': `registry=${server.origin}/\n` })
  const single = memoryIo(own, { NPM_ID_TOKEN: env.NPM_ID_TOKEN })
  t.equal(await main(['preflight'], single), 0)
  t.match(single.out(), /^✓ @acme\/a@2\.0\.0 ready/)
  const versionless = await project(t, { 'package.json': { name: '@acme/a' }, '.npmrc': `registry=${server.origin}/\n` })
  const noVersion = memoryIo(versionless, { NPM_ID_TOKEN: env.NPM_ID_TOKEN })
  t.equal(await main(['preflight'], noVersion), 0)
  t.match(noVersion.out(), /^✓ @acme\/a ready/)
  const ranged = await project(t, { 'package.json': { name: '@acme/a', version: '2.0.0', dependencies: { '@acme/b': 'workspace:^' } }, '.npmrc': `registry=${server.origin}/\n` })
  const flagged = memoryIo(ranged, { NPM_ID_TOKEN: env.NPM_ID_TOKEN })
  t.equal(await main(['preflight'], flagged), 1, 'a workspace: range fails the package check')
  t.match(flagged.out(), /^✗ @acme\/a@2\.0\.0: package: The manifest still holds workspace-only dependency ranges \(dependencies @acme\/b@workspace:\^\)\n {4}→ Pack with /)
  const unnamed = await project(t, { 'package.json': { private: true } })
  t.equal(await main(['preflight'], memoryIo(unnamed)), 2)
  t.equal(await main(['preflight', '--concurrency', '0'], memoryIo(cwd)), 2)
  t.equal(await main(['preflight', '--workspaces', 'x'], memoryIo(cwd)), 2)
  t.equal(await main(['preflight', '--workspaces'], memoryIo(own)), 2, 'no workspaces declared')
  const badName = memoryIo(cwd)
  t.equal(await main(['preflight', 'Bad Name'], badName), 2)
  t.match(badName.err(), /valid npm package name/)
  t.equal(await main(['preflight', '--help'], memoryIo(cwd)), 0)
})
