// End to end on real HTTP: a simulated CircleCI job (NPM_ID_TOKEN minted with npm's audience, as
// `circleci run oidc get --claims` would) publishes to Verdaccio through our exchange plugin.
import t from 'tap'
import { publishWithOidc } from '../../lib/publish/publish-with-oidc.js'
import { isOidcError } from '../../lib/errors.js'
import { createOidcIssuer } from '../../lib/testing/index.js'
import { startRegistry } from '../fixtures/registry.js'
import { makeTarball } from '../fixtures/tarball.js'
import { JWT_PATTERN, fetchOptions, publishedVersions, readPackument, watchExchanges } from '../fixtures/e2e.js'

const issuer = await createOidcIssuer({ provider: 'circleci' })
const otherProjectId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'
const otherProject = await createOidcIssuer({ provider: 'circleci', claims: { 'oidc.circleci.com/project-id': otherProjectId } })
const ids = ['org-id', 'project-id', 'pipeline-definition-id', 'vcs-origin'].map((k) => `oidc.circleci.com/${k}`)
const circleci = {
  type: 'circleci',
  claims: Object.fromEntries(ids.map((k) => [k, issuer.claims[k]])),
  permissions: ['createPackage'],
}
const trusted = [issuer, otherProject]
const registry = await startRegistry({
  issuers: trusted.map((i) => i.url),
  jwks: Object.fromEntries(trusted.map((i) => [i.url, i.jwks])),
  trustedPublishers: Object.fromEntries(['@acme/circle', 'circle-cli', '@acme/circle-other', '@acme/circle-refused'].map((name) => [name, [circleci]])),
})
t.teardown(async () => {
  await registry.close()
  for (const i of trusted) await i.close()
})

t.test('a CircleCI job publishes a scoped and an unscoped package', async (t) => {
  for (const pkg of ['@acme/circle', 'circle-cli']) {
    const env = await issuer.jobEnv({ audience: registry.audience })
    t.equal(env.CIRCLECI, 'true')
    const { manifest, tarball, integrity } = makeTarball(pkg, '0.4.0')
    const res = await publishWithOidc(manifest, tarball, fetchOptions(t.testdir(), { registry: registry.url, env, oidc: 'required' }))
    t.equal(res.status, 201, `${pkg} published`)
    t.match(res.oidc.auth, { method: 'oidc', provider: 'circleci', claims: { 'oidc.circleci.com/vcs-origin': 'github.com/acme/widgets' } })
    t.same(res.oidc.provenance, { enabled: false, source: 'auto', reason: 'circleci cannot sign provenance' })
    const { packument } = await readPackument(registry, pkg)
    t.same(packument['dist-tags'], { latest: '0.4.0' })
    t.equal(packument.versions['0.4.0'].dist.integrity, integrity)
  }
})

t.test('a job of another CircleCI project publishes nothing', async (t) => {
  const exchanges = watchExchanges(t)
  const env = await otherProject.jobEnv({ audience: registry.audience })
  const { manifest, tarball } = makeTarball('@acme/circle-other', '1.0.0')
  const err = await publishWithOidc(manifest, tarball, fetchOptions(t.testdir(), { registry: registry.url, env }))
    .then(() => undefined, (e: unknown) => e)
  t.ok(isOidcError(err, 'ERR_OIDC_NO_TRUSTED_PUBLISHER'))
  t.match(err, { status: 404, provider: 'circleci', claims: { 'oidc.circleci.com/project-id': otherProjectId } })
  t.match((err as Error).message, /^CircleCI: /)
  t.match((err as { hint: string }).hint, `project-id "${otherProjectId}"`)
  t.notMatch((err as Error).message, JWT_PATTERN)
  t.equal(exchanges.paths.length, 1)
  t.same(await readPackument(registry, '@acme/circle-other'), { status: 404, packument: undefined })
})

t.test('tokens refused before or by the registry', async (t) => {
  const withToken = (mint: () => Promise<string>) => async () =>
    issuer.jobEnv({ overrides: { NPM_ID_TOKEN: await mint() } })
  const cases = [
    // $CIRCLE_OIDC_TOKEN's audience is the organisation: a job that exports it as NPM_ID_TOKEN is stopped here.
    { name: 'the org-audience token', env: async () => { const e = await issuer.jobEnv(); return { ...e, NPM_ID_TOKEN: e.CIRCLE_OIDC_TOKEN as string } }, code: 'ERR_OIDC_AUDIENCE_MISMATCH', exchanges: 0 },
    { name: 'an expired token', env: withToken(() => issuer.mint({ audience: registry.audience, expiresIn: -60 })), code: 'ERR_OIDC_ID_TOKEN_EXPIRED', exchanges: 0 },
    { name: 'an SSH-rerun token', env: withToken(() => issuer.mint({ audience: registry.audience, claims: { 'oidc.circleci.com/ssh-rerun': true } })), code: 'ERR_OIDC_SSH_RERUN', exchanges: 0 },
    { name: 'a forged token', env: withToken(() => issuer.mintWithForeignKey({ audience: registry.audience })), code: 'ERR_OIDC_UNAUTHORIZED', exchanges: 1 },
  ] as const
  for (const c of cases) {
    const exchanges = watchExchanges(t)
    const { manifest, tarball } = makeTarball('@acme/circle-refused', '1.0.0')
    const options = fetchOptions(t.testdir(), { registry: registry.url, env: await c.env() })
    const err = await publishWithOidc(manifest, tarball, options)
      .then(() => undefined, (e: unknown) => e)
    t.ok(isOidcError(err, c.code), `${c.name}: ${c.code}`)
    t.notMatch((err as Error).message, JWT_PATTERN)
    t.equal(exchanges.paths.length, c.exchanges, `${c.name}: ${c.exchanges} exchange request(s)`)
  }
  t.same(await publishedVersions(registry, '@acme/circle-refused'), [])
})
