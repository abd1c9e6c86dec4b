// The README's recipes, run as printed: each code block is written to a file with its imports of 'libnpmoidc'
// and '@npmcli/map-workspaces' pointed at this repository's copies (nothing else changes), and run in a simulated
// CI job against the test kit's registry, on a monorepo on disk packed by the real npm.
import t from 'tap'
import type { Test } from 'tap'
import { createRequire } from 'node:module'
import { readFile, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parse } from 'yaml'
import { publishWithOidc } from '../lib/index.js'
import { createOidcIssuer, createTestRegistry, type OidcIssuer, type TestRegistry } from '../lib/testing/index.js'
import { runCli, runScript } from './fixtures/cli.js'
import { GLOB_PATTERNS, PLAIN_PATTERNS, PUBLISHABLE, writeMonorepo } from './fixtures/monorepo.js'
import { makeTarball } from './fixtures/tarball.js'

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
const recipesAt = readme.indexOf('\n## Recipes\n')
const recipes = readme.slice(recipesAt, readme.indexOf('\n## ', recipesAt + 1))

/** The code block of the recipe whose heading starts with `heading`. */
function recipe (heading: string, lang: 'js' | 'yaml'): string {
  const start = recipes.indexOf(`\n### ${heading}`)
  const end = recipes.indexOf('\n### ', start + 1)
  const body = recipes.slice(start, end === -1 ? undefined : end)
  return new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(body)?.[1] ?? ''
}

const require = createRequire(import.meta.url)
const SPECIFIERS: Record<string, string> = {
  libnpmoidc: pathToFileURL(new URL('../lib/index.ts', import.meta.url).pathname).href,
  '@npmcli/map-workspaces': pathToFileURL(require.resolve('@npmcli/map-workspaces')).href,
}

/** The recipe's import specifiers, checked to be Node's, libnpmoidc's or map-workspaces', and redirected. */
function runnable (code: string): string {
  const specifiers = [...code.matchAll(/^import .* from '([^']+)'$/gm)].map((m) => m[1] as string)
  for (const specifier of specifiers) {
    if (!specifier.startsWith('node:') && !(specifier in SPECIFIERS)) throw new Error(`unexpected import ${specifier}`)
  }
  return code.replace(/^(import .* from ')([^']+)'$/gm, (line, head: string, specifier: string) =>
    specifier in SPECIFIERS ? `${head}${SPECIFIERS[specifier] as string}'` : line)
}

const RELEASE = recipe('A release script for a monorepo', 'js')
const CHANGESETS = recipe('A changesets-style publish step', 'js')
const PLUGIN = recipe('A semantic-release-style plugin', 'js')
const WORKFLOW = recipe('A GitHub Actions job', 'yaml')

const publisher = (file: string) => ({
  type: 'github' as const,
  claims: { repository: 'acme/widgets', workflow_ref: { file } },
  permissions: ['createPackage' as const],
})

/** A GitHub Actions issuer and a test registry trusting it for the monorepo; `misfit`'s publisher names other.yml. */
async function setUp (t: Test, misfit?: string): Promise<{ issuer: OidcIssuer, registry: TestRegistry }> {
  const issuer = await createOidcIssuer({ provider: 'github-actions', claims: { repository: 'acme/widgets' } })
  t.teardown(issuer.close)
  const names = [...PUBLISHABLE, '@acme/internal', '@acme/scripts']
  const trustedPublishers = Object.fromEntries(names.map((name) =>
    [name, [publisher(name === misfit ? 'other.yml' : 'release.yml')]]))
  const registry = await createTestRegistry({ issuers: [issuer], trustedPublishers })
  t.teardown(registry.close)
  return { issuer, registry }
}

/** The environment of the simulated job's steps: the issuer's job, npm's registry, and what npm itself needs. */
async function jobEnv (t: Test, issuer: OidcIssuer, registry: TestRegistry): Promise<Record<string, string>> {
  return {
    ...await issuer.jobEnv() as Record<string, string>,
    PATH: process.env.PATH ?? '',
    HOME: t.testdir(),
    npm_config_registry: registry.url,
    npm_config_cache: t.testdir(),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  }
}

async function script (dir: string, name: string, code: string): Promise<string> {
  const file = join(dir, name)
  await mkdir(join(file, '..'), { recursive: true })
  await writeFile(file, runnable(code))
  return file
}

t.test('every recipe imports only Node, libnpmoidc and npm\'s workspace reader', async (t) => {
  for (const code of [RELEASE, CHANGESETS, PLUGIN]) {
    t.match(code, /from 'libnpmoidc'\n/)
    t.doesNotThrow(() => runnable(code))
  }
  t.throws(() => runnable('import x from \'left-pad\'\n'), /unexpected import left-pad/)
  t.match(WORKFLOW, /npm-oidc preflight --workspaces/)
})

t.test('the release script: one exchange per public package, the misfit fails typed, the rest publish', async (t) => {
  const { issuer, registry } = await setUp(t, 'acme-plain')
  const root = await writeMonorepo(t)
  const file = await script(root, 'scripts/release.mjs', RELEASE)
  const started = performance.now()
  const run = await runScript(file, [], { cwd: root, env: await jobEnv(t, issuer, registry) })
  const wall = performance.now() - started
  t.equal(run.code, 1, 'exit code 1: a package failed')
  t.match(run.stdout, /^✓ @acme\/core@1\.0\.0 published$/m)
  t.match(run.stdout, /^✓ @acme\/cli@1\.0\.0 published$/m)
  t.match(run.stdout, /^✗ acme-plain@1\.0\.0 ERR_OIDC_NO_TRUSTED_PUBLISHER: /m)
  t.match(run.stdout, /^2 of 3 published$/m)
  t.match(run.stderr, /^exchange 3\/3 \S+: (done|failed)$/m)
  t.match(run.stderr, /^publish 3\/3 \S+: (done|failed)$/m)
  t.equal(issuer.requests.length, 1, 'one ID token for the whole release')
  t.equal(registry.exchanges(), 3, 'one exchange per public package')
  for (const name of PUBLISHABLE) t.equal(registry.exchanges(name), 1, `${name}: one exchange`)
  t.equal(registry.exchanges('@acme/scripts') + registry.exchanges('@acme/internal'), 0, 'private and excluded: none')
  t.same(registry.requests.filter((r) => r.kind === 'publish').map((r) => [r.pkgName, r.status, r.auth]).sort(),
    [['@acme/cli', 200, 'oidc'], ['@acme/core', 200, 'oidc']])
  const packument = await (await fetch(new URL('@acme%2fcore', registry.url))).json() as {
    versions: Record<string, { _npmUser: { trustedPublisher: { id: string } } }>
  }
  t.equal(packument.versions['1.0.0']?._npmUser.trustedPublisher.id, 'github', 'published by the trusted publisher')
  t.comment(`release script, createTestRegistry: ${registry.exchanges()} exchanges, ${registry.publishes()} uploads, ` +
    `${Math.round(wall)} ms (npm pack included)`)
})

t.test('the changesets-style step: what is published is skipped, one exchange per pending package', async (t) => {
  const { issuer, registry: ignored } = await setUp(t)
  await ignored.close()
  const classic = `classic-${Math.random().toString(36).slice(2)}`
  const registry = await createTestRegistry({
    issuers: [issuer],
    tokens: { [classic]: { user: 'maintainer' } },
    trustedPublishers: { '@acme/cli': [publisher('release.yml')], 'acme-plain': [publisher('other.yml')] },
  })
  t.teardown(registry.close)
  const core = makeTarball('@acme/core', '1.0.0')
  await publishWithOidc(core.manifest, core.tarball, {
    registry: registry.url, oidc: 'off', access: 'public', [registry.authKey]: classic, cache: t.testdir(),
  })
  const root = await writeMonorepo(t)
  const file = await script(root, 'publish.mjs', CHANGESETS)
  const run = await runScript(file, [], { cwd: root, env: await jobEnv(t, issuer, registry) })
  t.equal(run.code, 1, 'exit code 1: a package failed')
  t.match(run.stdout, /^= @acme\/core@1\.0\.0 is already published$/m)
  t.match(run.stdout, /^✓ @acme\/cli@1\.0\.0 published \(oidc\)$/m)
  t.match(run.stdout, /^✗ acme-plain@1\.0\.0 ERR_OIDC_NO_TRUSTED_PUBLISHER: .*release\.yml/m)
  t.equal(issuer.requests.length, 1, 'one ID token')
  t.same([registry.exchanges('@acme/core'), registry.exchanges('@acme/cli'), registry.exchanges('acme-plain')],
    [0, 1, 1], 'one exchange per pending package, none for the published one')
  t.same(registry.requests.filter((r) => r.kind === 'publish').map((r) => [r.pkgName, r.auth]),
    [['@acme/core', 'token'], ['@acme/cli', 'oidc']])

  const again = await runScript(file, [], { cwd: root, env: await jobEnv(t, issuer, registry) })
  t.equal(again.code, 1, 'acme-plain still cannot be published')
  t.match(again.stdout, /^= @acme\/cli@1\.0\.0 is already published$/m)
  t.equal(registry.exchanges('@acme/cli'), 1, 'no exchange for what was published')
})

interface Logger { log: (line: string) => void, warn: (line: string) => void }
interface Plugin {
  publish: (config: object, context: object) => Promise<{ channel: string, url: string }>
  addChannel: (config: object, context: object) => Promise<{ channel: string } | false>
}

for (const oidcDistTags of [true, false]) {
  t.test(`the semantic-release-style plugin, dist-tags with trusted publishing ${oidcDistTags ? 'allowed' : 'refused'}`,
    async (t) => {
      const issuer = await createOidcIssuer({ provider: 'gitlab' })
      t.teardown(issuer.close)
      const gitlab = {
        type: 'gitlab' as const,
        claims: { project_path: issuer.claims.project_path, ci_config_ref_uri: { file: '.gitlab-ci.yml' } },
        permissions: ['createPackage' as const],
      }
      const trustedPublishers = { 'acme-lib': [gitlab] }
      const registry = await createTestRegistry({ issuers: [issuer], trustedPublishers, oidcDistTags })
      t.teardown(registry.close)
      const cwd = t.testdir({ 'index.js': 'module.exports = 1\n' })
      const plugin = await import(pathToFileURL(await script(t.testdir(), 'plugin.mjs', PLUGIN)).href) as Plugin
      const lines: string[] = []
      const logger: Logger = { log: (line) => lines.push(`log ${line}`), warn: (line) => lines.push(`warn ${line}`) }
      const env = { ...await issuer.jobEnv({ audience: 'npm:127.0.0.1' }), npm_config_registry: registry.url }
      const release = async (version: string, channel?: string): Promise<object> => {
        await writeFile(join(cwd, 'package.json'), JSON.stringify({ name: 'acme-lib', version, main: 'index.js' }))
        return { cwd, env, logger, nextRelease: { version, channel } }
      }
      const distTags = async () =>
        ((await (await fetch(new URL('acme-lib', registry.url))).json()) as { 'dist-tags': object })['dist-tags']

      t.match(await plugin.publish({}, await release('1.0.0')), { channel: 'latest', url: /acme-lib\/v\/1\.0\.0$/ })
      t.match(await plugin.publish({}, await release('1.1.0', 'next')), { channel: 'next' })
      t.same(await distTags(), { latest: '1.0.0', next: '1.1.0' }, 'published on each release\'s channel')
      const added = await plugin.addChannel({}, await release('1.1.0'))
      if (oidcDistTags) {
        t.same(added, { name: 'npm package', channel: 'latest' })
        t.same(await distTags(), { latest: '1.1.0', next: '1.1.0' }, 'latest moved with the exchanged token')
        t.match(lines.at(-1), /^log Added acme-lib@1\.1\.0 to latest$/)
      } else {
        t.equal(added, false, 'reported as not added, the release goes on')
        t.same(await distTags(), { latest: '1.0.0', next: '1.1.0' }, 'nothing changed')
        t.match(lines.at(-1), /^warn acme-lib@1\.1\.0 was not added to latest: .*granular access token/)
      }
      t.match(lines.slice(0, 2), [/^log Published acme-lib@1\.0\.0 on latest with oidc$/, /on next with oidc$/])
      t.equal(registry.exchanges('acme-lib'), 3, 'one exchange per publish and per dist-tag change')
      t.same(registry.requests.filter((r) => r.kind === 'publish').map((r) => r.auth), ['oidc', 'oidc'])
    })
}

t.test('the plugin\'s addChannel lets other failures through', async (t) => {
  const plugin = await import(pathToFileURL(await script(t.testdir(), 'plugin.mjs', PLUGIN)).href) as Plugin
  const cwd = t.testdir({ 'package.json': JSON.stringify({ name: 'acme-lib', version: '1.0.0' }) })
  const logger: Logger = { log: () => {}, warn: () => {} }
  await t.rejects(plugin.addChannel({}, { cwd, env: {}, logger, nextRelease: { version: '1.0.0' } }),
    { code: 'ERR_OIDC_NO_PROVIDER' })
})

interface Workflow {
  on: { push: { tags: string[] } }
  jobs: Record<string, { permissions: Record<string, string>, steps: Array<{ uses?: string, run?: string }> }>
}

t.test('the GitHub Actions job: id-token write, preflight before the release, and both steps as a job runs them',
  async (t) => {
    const workflow = parse(WORKFLOW) as Workflow
    const [job, ...others] = Object.values(workflow.jobs)
    t.equal(others.length, 0, 'one job')
    t.equal(job?.permissions['id-token'], 'write', 'the job may request an ID token')
    t.equal(job?.permissions.contents, 'read', 'and nothing more than it needs')
    const steps = job?.steps ?? []
    const at = (match: RegExp) => steps.findIndex((s) => match.test(s.uses ?? s.run ?? ''))
    const order = [/^actions\/checkout@/, /^actions\/setup-node@/, /^npm ci$/, /^npm run build$/,
      /^npx npm-oidc preflight --workspaces$/, /^node scripts\/release\.mjs$/].map(at)
    t.same(order, [0, 1, 2, 3, 4, 5], 'checkout, install, build, preflight, then publish')
    const preflightArgs = (steps[4]?.run ?? '').split(' ').slice(2)
    const releaseScript = (steps[5]?.run ?? '').split(' ')[1] as string

    t.test('a misconfigured package stops the job at the preflight', async (t) => {
      const { issuer, registry } = await setUp(t, '@acme/cli')
      const root = await writeMonorepo(t)
      const env = { ...await jobEnv(t, issuer, registry), GITHUB_STEP_SUMMARY: join(root, 'summary.md') }
      const run = await runCli(preflightArgs, { cwd: root, env })
      t.equal(run.code, 1, 'the step fails, so the release step never runs')
      t.match(run.stdout, /^✗ @acme\/cli@1\.0\.0: exchange: /m)
      t.match(run.stdout, /^1 of 3 not ready\.$/m)
      t.match(run.stdout, /^::error title=npm-oidc%3A @acme\/cli exchange::/m)
      t.match(await readFile(join(root, 'summary.md'), 'utf8'), /\| ❌ \| @acme\/cli@1\.0\.0 \| exchange: /)
      t.equal(registry.publishes(), 0, 'nothing published')
    })

    t.test('a ready monorepo passes the preflight, then the release step publishes it', async (t) => {
      const { issuer, registry } = await setUp(t)
      const root = await writeMonorepo(t)
      await script(root, releaseScript, RELEASE)
      const env = { ...await jobEnv(t, issuer, registry), GITHUB_STEP_SUMMARY: join(root, 'summary.md') }
      const preflight = await runCli(preflightArgs, { cwd: root, env })
      t.equal(preflight.code, 0, 'the preflight passes')
      t.match(preflight.stdout, /^All 3 ready\.$/m)
      t.equal(registry.exchanges(), 3, 'the preflight exchanged once per package')
      t.equal(registry.publishes(), 0, 'and published nothing')
      const release = await runScript(join(root, releaseScript), [], { cwd: root, env })
      t.equal(release.code, 0, 'the release exits 0')
      t.match(release.stdout, /^3 of 3 published$/m)
      t.equal(registry.exchanges(), 6, 'the release exchanged once per package again: preflight tokens are discarded')
      const published = registry.requests.filter((r) => r.kind === 'publish').map((r) => r.pkgName)
      t.same(published.sort(), [...PUBLISHABLE].sort())
    })
  })

t.test('the monorepo fixture\'s globs and plain patterns select the same packages', async (t) => {
  const { default: mapWorkspaces } = await import('@npmcli/map-workspaces')
  const dirsOf = async (patterns: readonly string[]) => {
    const root = await writeMonorepo(t, { patterns })
    const found = await mapWorkspaces({ cwd: root, pkg: { workspaces: [...patterns] } })
    return [...found.keys()].sort()
  }
  const expected = ['@acme/cli', '@acme/core', '@acme/scripts', 'acme-plain']
  t.same(await dirsOf(GLOB_PATTERNS), expected, '`**` reaches packages/tools/*, the negation drops packages/internal')
  t.same(await dirsOf(PLAIN_PATTERNS), expected)
})
