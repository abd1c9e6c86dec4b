// A release tool's whole pipeline against a real registry (Verdaccio with libnpmoidc's verifier; `npm run build`
// first): a four-package monorepo published with one exchange per package, one misconfigured package failing with
// its typed error while the others publish, then a dist-tag moved with trusted publishing.
import t from 'tap'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { ClientRequest } from 'node:http'
import { distTagWithOidc, getOidcToken, isOidcError, publishAllWithOidc, publishWithOidc } from '../lib/index.js'
import { createOidcIssuer } from '../lib/testing/index.js'
import { startRegistry } from './fixtures/registry.js'
import { makeTarball } from './fixtures/tarball.js'
import { request } from './fixtures/http-request.js'

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
