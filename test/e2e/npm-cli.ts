// Interop: the unmodified npm CLI (the pinned devDependency) publishes to Verdaccio through our exchange handler,
// so the registry side speaks npm's protocol. npm runs as an async child process: a synchronous one would block
// this process's event loop, which serves the in-process registry, and hang.
import t from 'tap'
import type { Test } from 'tap'
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createOidcIssuer } from '../../lib/testing/index.js'
import { startRegistry } from '../fixtures/registry.js'
import { JWT_PATTERN, readPackument, watchExchanges } from '../fixtures/e2e.js'

const NPM_PACKAGE_JSON = createRequire(import.meta.url).resolve('npm/package.json')
// npm's `exports` does not list its bin; the file sits next to its package.json.
const NPM_CLI = join(dirname(NPM_PACKAGE_JSON), 'bin', 'npm-cli.js')
const npmVersion = (JSON.parse(readFileSync(NPM_PACKAGE_JSON, 'utf8')) as { version: string }).version

const issuer = await createOidcIssuer({ provider: 'github-actions' })
const publisher = {
  type: 'github',
  claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' } },
  permissions: ['createPackage'],
}
const registry = await startRegistry({
  issuers: [issuer.url],
  jwks: issuer.jwks,
  trustedPublishers: { '@acme/cli-pkg': [publisher], 'cli-plain': [publisher], '@acme/cli-untrusted': [] },
})
t.teardown(async () => {
  await registry.close()
  await issuer.close()
})

interface NpmRun { code: number | null, stdout: string, stderr: string }

/** `npm publish` in a fresh package folder, with nothing from this process's environment but PATH. */
async function npmPublish (t: Test, name: string, version: string, ciEnv: Record<string, string>): Promise<NpmRun> {
  const root = t.testdir({ home: {}, cache: {}, etc: {}, pkg: {} })
  const pkg = join(root, 'pkg')
  await writeFile(join(pkg, 'package.json'), JSON.stringify({ name, version, main: 'index.js', license: 'ISC' }, null, 2))
  await writeFile(join(pkg, 'index.js'), 'module.exports = 42\n')
  const userconfig = join(root, 'home', '.npmrc')
  await writeFile(userconfig, '') // no token anywhere: a publish that works was authenticated by the exchange
  const env = {
    PATH: dirname(process.execPath),
    HOME: join(root, 'home'),
    ...ciEnv,
  }
  const args = [
    NPM_CLI, 'publish',
    '--registry', registry.url,
    '--userconfig', userconfig,
    '--globalconfig', join(root, 'etc', 'npmrc'),
    '--cache', join(root, 'cache'),
    '--provenance=false',
    '--ignore-scripts',
    '--access', 'public',
    '--update-notifier=false',
    '--audit=false',
    '--fund=false',
    '--loglevel', 'verbose',
  ]
  return new Promise((resolve, reject) => {
    const options = { cwd: pkg, env, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 }
    execFile(process.execPath, args, options, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0
      if (err && code === null) return reject(new Error(`npm did not finish: ${err.message.split('\n')[0]}`))
      resolve({ code, stdout, stderr })
    })
  })
}

t.test(`npm ${npmVersion} publishes through our exchange with the GitHub ID-token endpoint`, { timeout: 120_000 }, async (t) => {
  const exchanges = watchExchanges(t)
  const before = issuer.requests.length
  const job = await issuer.jobEnv()
  const env = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    ACTIONS_ID_TOKEN_REQUEST_URL: job.ACTIONS_ID_TOKEN_REQUEST_URL as string,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: job.ACTIONS_ID_TOKEN_REQUEST_TOKEN as string,
  }
  const run = await npmPublish(t, '@acme/cli-pkg', '2.0.0', env)
  t.equal(run.code, 0, 'npm publish exits 0')
  t.match(run.stdout, '+ @acme/cli-pkg@2.0.0')
  t.match(run.stderr, /verbose oidc Successfully retrieved and set token/)
  t.notMatch(run.stdout + run.stderr, JWT_PATTERN, 'npm printed no token')
  t.same(issuer.requests.slice(before).map((r) => [r.query, r.authorized, r.status]),
    [[{ 'api-version': '2.0', audience: 'npm:127.0.0.1' }, true, 200]], 'npm asked the job\'s ID-token endpoint once')
  t.same(exchanges.paths, ['/-/npm/v1/oidc/token/exchange/package/@acme%2fcli-pkg'], 'and our exchange once, with npm\'s escaping')
  const { status, packument } = await readPackument(registry, '@acme/cli-pkg')
  t.equal(status, 200)
  t.same(packument['dist-tags'], { latest: '2.0.0' })
  t.match(packument.versions['2.0.0'].dist, { integrity: /^sha512-/, tarball: `${registry.url}@acme/cli-pkg/-/cli-pkg-2.0.0.tgz` })
})

t.test(`npm ${npmVersion} publishes an unscoped package with a pre-minted NPM_ID_TOKEN`, { timeout: 120_000 }, async (t) => {
  const exchanges = watchExchanges(t)
  const before = issuer.requests.length
  const env = { GITHUB_ACTIONS: 'true', CI: 'true', NPM_ID_TOKEN: await issuer.mint({ audience: registry.audience }) }
  const run = await npmPublish(t, 'cli-plain', '1.0.0', env)
  t.equal(run.code, 0, 'npm publish exits 0')
  t.match(run.stdout, '+ cli-plain@1.0.0')
  t.notMatch(run.stdout + run.stderr, JWT_PATTERN, 'npm printed no token')
  t.equal(issuer.requests.length, before, 'no ID-token request: NPM_ID_TOKEN was used')
  t.same(exchanges.paths, ['/-/npm/v1/oidc/token/exchange/package/cli-plain'])
  const { packument } = await readPackument(registry, 'cli-plain')
  t.same(Object.keys(packument.versions), ['1.0.0'])
})

t.test(`npm ${npmVersion} gets our 404 for a package without a trusted publisher, and publishes nothing`, { timeout: 120_000 }, async (t) => {
  const exchanges = watchExchanges(t)
  const env = { GITHUB_ACTIONS: 'true', CI: 'true', NPM_ID_TOKEN: await issuer.mint({ audience: registry.audience }) }
  const run = await npmPublish(t, '@acme/cli-untrusted', '1.0.0', env)
  t.not(run.code, 0, 'npm publish fails')
  // npm reads the registry's `{ message }`; with no static token it ends in ENEEDAUTH.
  t.match(run.stderr, 'OIDC token exchange error - package not found')
  t.match(run.stderr, /ENEEDAUTH/)
  t.notMatch(run.stdout + run.stderr, JWT_PATTERN, 'npm printed no token')
  t.equal(exchanges.paths.length, 1)
  t.same(await readPackument(registry, '@acme/cli-untrusted'), { status: 404, packument: undefined })
})
