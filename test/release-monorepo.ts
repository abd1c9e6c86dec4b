// A release tool's whole pipeline against a real registry (Verdaccio with libnpmoidc's verifier; `npm run build`
// first): a four-package monorepo published with one exchange per package, one misconfigured package failing with
// its typed error while the others publish, then a dist-tag moved with trusted publishing. And a monorepo on disk,
// found by the workspace reader of `npm-oidc preflight --workspaces` and packed by its package manager, published
// through the test kit's registry and through Verdaccio.
import t from 'tap'
import { execFile } from 'node:child_process'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { delimiter } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { ClientRequest } from 'node:http'
import {
  distTagWithOidc, getOidcToken, isOidcError, publishAllWithOidc, publishWithOidc, type PublishAllPackage,
  type PublishAllResult,
} from '../lib/index.js'
import { createOidcIssuer, createTestRegistry } from '../lib/testing/index.js'
import { packDirectory } from '../lib/cli/pack.js'
import { readWorkspaces } from '../lib/util/workspaces.js'
import { tarballManifest } from '../lib/cli/tarball-manifest.js'
import { startRegistry } from './fixtures/registry.js'
import { makeTarball } from './fixtures/tarball.js'
import { request } from './fixtures/http-request.js'
import { PNPM_BIN, PUBLISHABLE, writeMonorepo } from './fixtures/monorepo.js'

const EXCHANGE = '/-/npm/v1/oidc/token/exchange/package/'

/** Counts the requests this process sends, by method and path, while a test runs (never their headers). */
function countRequests (
  t: { teardown: (fn: () => void) => void }
): { exchanges: () => number, uploads: () => string[] } {
  const seen: Array<{ method: string, path: string }> = []
  const onStart = (message: unknown) => {
    const { method, path } = (message as { request: ClientRequest }).request
    seen.push({ method, path })
  }
  subscribe('http.client.request.start', onStart)
  t.teardown(() => unsubscribe('http.client.request.start', onStart))
  return {
    exchanges: () => seen.filter((r) => r.method === 'POST' && r.path.includes(EXCHANGE)).length,
    uploads: () => seen.filter((r) => r.method === 'PUT' && !r.path.includes('/dist-tags/')).map((r) => r.path),
  }
}

t.test('a monorepo release through Verdaccio: one exchange per package, bail: false', async (t) => {
  const issuer = await createOidcIssuer({ provider: 'github-actions' })
  t.teardown(issuer.close)
  const repository = issuer.claims.repository
  const publisher = { type: 'github', claims: { repository, workflow_ref: { file: 'release.yml' } }, permissions: ['createPackage'] }
  const wrongWorkflow = { ...publisher, claims: { repository, workflow_ref: { file: 'other.yml' } } }
  const names = ['@acme/core', '@acme/cli', 'acme-plain', '@acme/misconfigured']
  const registry = await startRegistry({
    issuers: [issuer.url],
    jwks: issuer.jwks,
    trustedPublishers: { '@acme/core': [publisher], '@acme/cli': [publisher], 'acme-plain': [publisher], '@acme/misconfigured': [wrongWorkflow] },
  })
  t.teardown(registry.close)
  const env = await issuer.jobEnv()
  const counts = countRequests(t)
  const packages = names.map((name) => makeTarball(name, '1.0.0'))
  const started = performance.now()
  const results = await publishAllWithOidc(packages, {
    registry: registry.url, env, access: 'public', oidc: 'required', provenance: false, bail: false, cache: t.testdir(),
  })
  const wall = performance.now() - started
  t.same(results.map((r) => [r.name, r.ok]), [['@acme/core', true], ['@acme/cli', true], ['acme-plain', true], ['@acme/misconfigured', false]])
  t.ok(isOidcError(results[3]?.error, 'ERR_OIDC_NO_TRUSTED_PUBLISHER'), 'the misconfigured package fails with its typed error')
  t.equal(issuer.requests.length, 1, 'one ID token')
  t.equal(counts.exchanges(), 4, 'one exchange per package')
  t.same(counts.uploads(), ['/@acme%2fcore', '/@acme%2fcli', '/acme-plain'], 'three uploads, in order')
  for (const name of names.slice(0, 3)) {
    const packument = JSON.parse((await request(`${registry.url}${name.replace('/', '%2f')}`)).text) as { 'dist-tags': Record<string, string> }
    t.equal(packument['dist-tags'].latest, '1.0.0', `${name} is in the registry`)
  }
  t.comment(`monorepo release: ${counts.exchanges()} exchanges, ${counts.uploads().length} uploads, ${Math.round(wall)} ms`)

  const core = await getOidcToken('@acme/core', registry.url, env)
  const cli = makeTarball('@acme/cli', '1.0.1')
  const handOver = { registry: registry.url, env, oidcToken: core ?? undefined }
  await t.rejects(publishWithOidc(cli.manifest, cli.tarball, handOver),
    { code: 'ERR_OIDC_TOKEN_MISMATCH' }, 'one package\'s token is never used for another')
  t.same(counts.uploads().length, 3, 'nothing uploaded')

  const tagged = await distTagWithOidc('@acme/core', '1.0.0', 'next', { registry: registry.url, env, oidcToken: core ?? undefined })
  t.equal(tagged.auth.method, 'oidc')
  const packument = JSON.parse((await request(`${registry.url}@acme%2fcore`)).text) as { 'dist-tags': Record<string, string> }
  t.same(packument['dist-tags'], { latest: '1.0.0', next: '1.0.0' }, 'the dist-tag was set with the exchanged token')
})

t.test('Verdaccio refusing a dist-tag change from a stage-only trusted publisher: the typed error', async (t) => {
  const issuer = await createOidcIssuer({ provider: 'github-actions' })
  t.teardown(issuer.close)
  const stageOnly = { type: 'github', claims: { repository: issuer.claims.repository, workflow_ref: { file: 'release.yml' } }, permissions: ['createStagedPackage'] }
  const registry = await startRegistry({ issuers: [issuer.url], jwks: issuer.jwks, trustedPublishers: { 'staged-only': [stageOnly] } })
  t.teardown(registry.close)
  await t.rejects(distTagWithOidc('staged-only', '1.0.0', 'next', { registry: registry.url, env: await issuer.jobEnv() }), {
    code: 'ERR_OIDC_DIST_TAG_REFUSED', status: 403, registryMessage: /OIDC permission denied/,
  })
})

/** The same monorepo as npm workspaces and as a pnpm workspace, both with `packages/**` and a negation. */
const LAYOUTS = ['npm', 'pnpm'] as const
const BIN_DIR = fileURLToPath(new URL('../node_modules/.bin', import.meta.url))

/** Runs pnpm offline, by this Node, as a CI step would after checkout. */
async function pnpm (args: readonly string[], cwd: string, home: string): Promise<string> {
  const env = { PATH: process.env.PATH, HOME: home, npm_config_offline: 'true' }
  const { stdout } = await promisify(execFile)(process.execPath, [PNPM_BIN, ...args], { cwd, env })
  return stdout
}

/**
 * What a release tool hands to publishAllWithOidc: the workspace packages found by the reader of `npm-oidc
 * preflight --workspaces`, packed as `npm-oidc publish <dir>` packs them (with the repository's package manager,
 * pnpm from this repository's node_modules/.bin), each with the manifest inside its tarball.
 */
async function packMonorepo (root: string, home: string): Promise<PublishAllPackage[]> {
  const PATH = `${BIN_DIR}${delimiter}${process.env.PATH ?? ''}`
  const env = { PATH, HOME: home, npm_config_cache: home, npm_config_update_notifier: 'false' }
  const packed: PublishAllPackage[] = []
  for (const found of await readWorkspaces(root)) {
    const tarball = await packDirectory(found.dir, env)
    packed.push({ manifest: await tarballManifest(tarball) as PublishAllPackage['manifest'], tarball })
  }
  return packed
}

function outcomes (results: readonly PublishAllResult[]): Array<[string, boolean, string | undefined]> {
  return results.map((r) => [r.name, r.ok, r.ok ? undefined : (r.error as { code?: string } | undefined)?.code])
}

for (const manager of LAYOUTS) {
  t.test(`the ${manager} monorepo on disk, through the test registry and through Verdaccio`, async (t) => {
    const issuer = await createOidcIssuer({ provider: 'github-actions' })
    t.teardown(issuer.close)
    const repository = issuer.claims.repository
    const publisher = {
      type: 'github' as const,
      claims: { repository, workflow_ref: { file: 'release.yml' } },
      permissions: ['createPackage' as const],
    }
    const misfit = { ...publisher, claims: { repository, workflow_ref: { file: 'other.yml' } } }
    const trustedPublishers = {
      '@acme/cli': [misfit],
      '@acme/core': [publisher],
      'acme-plain': [publisher],
      '@acme/internal': [publisher],
      '@acme/scripts': [publisher],
    }
    const root = await writeMonorepo(t, { manager })
    const home = t.testdir()
    if (manager === 'pnpm') await pnpm(['install', '--offline'], root, home)
    let started = performance.now()
    const packages = await packMonorepo(root, home)
    const packMs = performance.now() - started
    t.same(packages.map((p) => p.manifest.name), PUBLISHABLE, 'the public packages; private and excluded ones left out')
    t.same(packages[2]?.manifest.dependencies, { '@acme/core': '^1.0.0' }, 'a real range in the packed manifest')
    const expected = [
      ['@acme/cli', false, 'ERR_OIDC_NO_TRUSTED_PUBLISHER'],
      ['@acme/core', true, undefined],
      ['acme-plain', true, undefined],
    ]
    const env = await issuer.jobEnv()
    const opts = { env, access: 'public', oidc: 'required', provenance: false, bail: false } as const

    const kit = await createTestRegistry({ issuers: [issuer], trustedPublishers })
    t.teardown(kit.close)
    started = performance.now()
    const kitResults = await publishAllWithOidc(packages, { ...opts, registry: kit.url, cache: t.testdir() })
    const kitMs = performance.now() - started
    t.same(outcomes(kitResults), expected, 'test registry: the misfit fails typed, the others publish')
    t.same(PUBLISHABLE.map((name) => kit.exchanges(name)), [1, 1, 1], 'one exchange per publishable package')
    t.equal(kit.exchanges(), 3, 'and no other')
    t.same(kit.requests.filter((r) => r.kind === 'publish').map((r) => [r.pkgName, r.status, r.auth]),
      [['@acme/core', 200, 'oidc'], ['acme-plain', 200, 'oidc']], 'two uploads, in order, each with its own token')
    const kitCounts = { exchanges: kit.exchanges(), uploads: kit.publishes() }

    const verdaccio = await startRegistry({ issuers: [issuer.url], jwks: issuer.jwks, trustedPublishers })
    t.teardown(verdaccio.close)
    const counts = countRequests(t)
    started = performance.now()
    const verdaccioResults = await publishAllWithOidc(packages, {
      ...opts, registry: verdaccio.url, cache: t.testdir(),
    })
    const verdaccioMs = performance.now() - started
    t.same(outcomes(verdaccioResults), expected, 'Verdaccio: the same outcome')
    t.equal(counts.exchanges(), 3, 'one exchange per publishable package')
    t.same(counts.uploads(), ['/@acme%2fcore', '/acme-plain'], 'two uploads, in order')
    const reply = await request(`${verdaccio.url}acme-plain`)
    const packument = JSON.parse(reply.text) as {
      'dist-tags': Record<string, string>, versions: Record<string, { dependencies?: unknown }>
    }
    t.equal(packument['dist-tags'].latest, '1.0.0', 'acme-plain is in Verdaccio')
    t.same(packument.versions['1.0.0']?.dependencies, { '@acme/core': '^1.0.0' }, 'with the range its users install')
    t.equal(issuer.requests.length, 2, 'one ID token per run')
    t.comment(`${manager} monorepo: packed ${packages.length} packages in ${Math.round(packMs)} ms; ` +
      `test registry ${kitCounts.exchanges} exchanges, ${kitCounts.uploads} uploads, ${Math.round(kitMs)} ms; ` +
      `Verdaccio ${counts.exchanges()} exchanges, ${counts.uploads().length} uploads, ${Math.round(verdaccioMs)} ms`)

    if (manager === 'pnpm') {
      // npm pack ships `workspace:^` as it is: a tool that packs a pnpm package with npm is stopped.
      const plain = packages[2] as PublishAllPackage
      const asOnDisk = { ...plain.manifest, version: '1.0.1', dependencies: { '@acme/core': 'workspace:^' } }
      await t.rejects(publishWithOidc(asOnDisk, plain.tarball, { ...opts, registry: kit.url }),
        { code: 'ERR_OIDC_WORKSPACE_PROTOCOL' }, 'a workspace:^ range is refused')
      t.equal(kit.exchanges(), kitCounts.exchanges, 'before any exchange')
      const [batched] = await publishAllWithOidc([{ manifest: asOnDisk, tarball: plain.tarball }], {
        ...opts, registry: kit.url,
      })
      t.equal(batched?.ok === false && (batched.error as { code?: string } | undefined)?.code,
        'ERR_OIDC_WORKSPACE_PROTOCOL', 'and in a batch, where it fails that package')
      t.equal(kit.publishes(), kitCounts.uploads, 'nothing uploaded')
    }
  })
}
