// End to end on real HTTP: a simulated GitHub Actions job (the test kit's issuer and its job environment) publishes
// to Verdaccio through our exchange plugin. Nothing is mocked between publishWithOidc and the registry's storage.
import t from 'tap'
import { publish } from 'libnpmpublish'
import npmFetch from 'npm-registry-fetch'
import { publishWithOidc } from '../../lib/publish/publish-with-oidc.js'
import { getOidcToken } from '../../lib/client/get-oidc-token.js'
import { isOidcError } from '../../lib/errors.js'
import { createOidcIssuer } from '../../lib/testing/index.js'
import { startRegistry } from '../fixtures/registry.js'
import { makeTarball } from '../fixtures/tarball.js'
import { JWT_PATTERN, fetchOptions, publishedVersions, readPackument, watchExchanges } from '../fixtures/e2e.js'

const releaseYml = {
  type: 'github',
  claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' } },
  permissions: ['createPackage'],
}

// The job the trusted publishers describe (acme/widgets, release.yml), and three that differ from it.
const issuer = await createOidcIssuer({ provider: 'github-actions' })
const deployJob = await createOidcIssuer({
  provider: 'github-actions',
  claims: { workflow_ref: 'acme/widgets/.github/workflows/deploy.yml@refs/heads/main' },
})
const forkJob = await createOidcIssuer({ provider: 'github-actions', claims: { repository: 'evil/widgets' } })
const untrusted = await createOidcIssuer({ provider: 'github-actions' })
const trusted = [issuer, deployJob, forkJob]
const registry = await startRegistry({
  issuers: trusted.map((i) => i.url),
  jwks: Object.fromEntries(trusted.map((i) => [i.url, i.jwks])),
  trustedPublishers: Object.fromEntries([
    '@acme/widgets', 'widgets-cli', '@acme/gadgets', 'gadgets-cli', '@acme/refused', '@acme/only-a', '@acme/not-b', 'not-b',
  ].map((name) => [name, [releaseYml]])),
})
t.teardown(async () => {
  await registry.close()
  for (const i of [...trusted, untrusted]) await i.close()
})

t.test('a GitHub Actions job publishes a scoped package; the packument shows it', async (t) => {
  const env = await issuer.jobEnv()
  const before = issuer.requests.length
  const { manifest, tarball, integrity } = makeTarball('@acme/widgets', '1.0.0')
  const res = await publishWithOidc(manifest, tarball, fetchOptions(t.testdir(), { registry: registry.url, access: 'public', env }))

  t.equal(res.status, 201)
  t.match(res.oidc, {
    package: '@acme/widgets',
    version: '1.0.0',
    registry: registry.url,
    auth: { method: 'oidc', provider: 'github-actions', claims: { repository: 'acme/widgets', aud: 'npm:127.0.0.1', iss: issuer.url } },
    stage: false,
    dryRun: false,
  })
  const { auth } = res.oidc
  t.ok(auth.method === 'oidc' && auth.expires instanceof Date && auth.expires.getTime() > Date.now(), 'the exchange said when the token expires')
  // The test kit's claims are public and github-hosted, so auto asks the registry, and Verdaccio has no such route.
  t.same(res.oidc.provenance, { enabled: false, source: 'auto', reason: 'the registry\'s visibility check failed (status 404)' })

  const asked = issuer.requests.slice(before)
  t.same(asked.map((r) => [r.path, r.query, r.authorized, r.status]),
    [['/token', { 'api-version': '2.0', audience: 'npm:127.0.0.1' }, true, 200]],
    'one ID-token request, audience merged into the request URL\'s own query')

  const { status, packument } = await readPackument(registry, '@acme/widgets')
  t.equal(status, 200)
  t.equal(packument.name, '@acme/widgets')
  t.same(packument['dist-tags'], { latest: '1.0.0' })
  t.equal(packument.versions['1.0.0'].dist.integrity, integrity)
  t.equal(packument.versions['1.0.0'].dist.tarball, `${registry.url}@acme/widgets/-/widgets-1.0.0.tgz`)
  const tgz = await npmFetch(packument.versions['1.0.0'].dist.tarball, fetchOptions(t.testdir(), { registry: registry.url }))
  t.same(Buffer.from(await tgz.arrayBuffer()), tarball, 'the tarball downloads byte-identical')
})

t.test('a GitHub Actions job publishes an unscoped package, provenance off by request', async (t) => {
  const env = await issuer.jobEnv()
  const { manifest, tarball, integrity } = makeTarball('widgets-cli', '2.1.0')
  const res = await publishWithOidc(manifest, tarball,
    fetchOptions(t.testdir(), { registry: registry.url, env, oidc: 'required', provenance: false }))
  t.equal(res.status, 201)
  t.match(res.oidc.auth, { method: 'oidc', provider: 'github-actions' })
  t.same(res.oidc.provenance, { enabled: false, source: 'explicit', reason: 'turned off by the caller' })
  const packument = await npmFetch.json('/widgets-cli', fetchOptions(t.testdir(), { registry: registry.url })) as any
  t.equal(packument['dist-tags'].latest, '2.1.0')
  t.equal(packument.versions['2.1.0'].dist.integrity, integrity)
})

t.test('a job whose workflow file or repository is not trusted publishes nothing', async (t) => {
  const cases = [
    { job: deployJob, pkg: '@acme/gadgets', differs: /workflow filename "deploy\.yml"/ },
    { job: forkJob, pkg: 'gadgets-cli', differs: /repository "evil\/widgets"/ },
  ]
  for (const { job, pkg, differs } of cases) {
    const exchanges = watchExchanges(t)
    const { manifest, tarball } = makeTarball(pkg, '1.0.0')
    const options = fetchOptions(t.testdir(), { registry: registry.url, env: await job.jobEnv() })
    const err = await publishWithOidc(manifest, tarball, options)
      .then(() => undefined, (e: unknown) => e)
    t.ok(isOidcError(err, 'ERR_OIDC_NO_TRUSTED_PUBLISHER'), `${pkg}: ERR_OIDC_NO_TRUSTED_PUBLISHER`)
    t.match(err, { status: 404, provider: 'github-actions', registryMessage: 'OIDC token exchange error - package not found' })
    t.match((err as Error).message, /^GitHub Actions: the registry has no trusted publisher for /)
    t.match((err as { hint: string }).hint, differs, 'the hint names the value the registry compared')
    t.notMatch((err as Error).message, JWT_PATTERN)
    t.equal(exchanges.paths.length, 1, 'one exchange, refused')
    t.same(await readPackument(registry, pkg), { status: 404, packument: undefined }, `${pkg} was not published`)
  }
})

t.test('a token that is certain to fail never leaves the job', async (t) => {
  const cases = [
    { name: 'NPM_ID_TOKEN for the public registry', npmIdToken: () => issuer.mint({ audience: 'npm:registry.npmjs.org' }), code: 'ERR_OIDC_AUDIENCE_MISMATCH' },
    { name: 'an expired NPM_ID_TOKEN', npmIdToken: () => issuer.mint({ audience: 'npm:127.0.0.1', expiresIn: -120 }), code: 'ERR_OIDC_ID_TOKEN_EXPIRED' },
  ] as const
  for (const { name, npmIdToken, code } of cases) {
    const exchanges = watchExchanges(t)
    const before = issuer.requests.length
    const env = await issuer.jobEnv({ overrides: { NPM_ID_TOKEN: await npmIdToken() } })
    const { manifest, tarball } = makeTarball('@acme/refused', '1.0.0')
    const p = publishWithOidc(manifest, tarball, fetchOptions(t.testdir(), { registry: registry.url, env }))
    await t.rejects(p, { name: 'OidcError', code }, name)
    t.same(exchanges.paths, [], `${name}: no exchange request was made`)
    t.equal(issuer.requests.length, before, `${name}: NPM_ID_TOKEN wins over the ID-token endpoint`)
  }
  t.same(await publishedVersions(registry, '@acme/refused'), [])
})

t.test('the registry refuses a forged token and an issuer it does not trust (401)', async (t) => {
  const cases = [
    { name: 'signed by a foreign key', env: async () => issuer.jobEnv({ overrides: { NPM_ID_TOKEN: await issuer.mintWithForeignKey({ audience: 'npm:127.0.0.1' }) } }) },
    { name: 'minted by an untrusted issuer', env: () => untrusted.jobEnv() },
  ]
  for (const { name, env } of cases) {
    const exchanges = watchExchanges(t)
    const { manifest, tarball } = makeTarball('@acme/refused', '1.0.0')
    const options = fetchOptions(t.testdir(), { registry: registry.url, env: await env() })
    const err = await publishWithOidc(manifest, tarball, options)
      .then(() => undefined, (e: unknown) => e)
    t.ok(isOidcError(err, 'ERR_OIDC_UNAUTHORIZED'), `${name}: ERR_OIDC_UNAUTHORIZED`)
    t.match(err, { status: 401, registryMessage: /^OIDC token exchange error - unauthorized: / }, name)
    t.notMatch((err as Error).message, JWT_PATTERN)
    t.equal(exchanges.paths.length, 1, `${name}: the registry was asked once`)
  }
  t.match(untrusted.requests, [{ query: { audience: 'npm:127.0.0.1' }, status: 200 }], 'the untrusted job did get its ID token')
  t.same(await publishedVersions(registry, '@acme/refused'), [])
})

t.test('a token exchanged for package A cannot publish package B', async (t) => {
  const oidc = await getOidcToken('@acme/only-a', registry.url, await issuer.jobEnv())
  t.ok(oidc, 'exchanged for @acme/only-a')
  if (!oidc) return
  t.equal(oidc.package, '@acme/only-a')
  t.equal(oidc.authKey, registry.authKey)
  const withToken = fetchOptions(t.testdir(), { registry: registry.url, [oidc.authKey]: oidc.token, access: 'public' })
  for (const other of ['@acme/not-b', 'not-b']) {
    const b = makeTarball(other, '1.0.0')
    await t.rejects(publish(b.manifest, b.tarball, withToken), { statusCode: 403 }, `${other} is refused`)
    t.same(await readPackument(registry, other), { status: 404, packument: undefined }, `${other} is absent`)
  }
  const a = makeTarball('@acme/only-a', '1.0.0')
  const res = await publish(a.manifest, a.tarball, withToken)
  t.equal(res.status, 201, 'the same token does publish A')
  t.same(await publishedVersions(registry, '@acme/only-a'), ['1.0.0'])
})
