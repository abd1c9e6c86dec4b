// End to end on real HTTP: a simulated GitLab CI/CD job (NPM_ID_TOKEN declared under `id_tokens:`) publishes to
// Verdaccio through our exchange plugin.
import t from 'tap'
import { publishWithOidc } from '../../lib/publish/publish-with-oidc.js'
import { isOidcError } from '../../lib/errors.js'
import { createOidcIssuer } from '../../lib/testing/index.js'
import { startRegistry } from '../fixtures/registry.js'
import { makeTarball } from '../fixtures/tarball.js'
import { JWT_PATTERN, fetchOptions, publishedVersions, readPackument, watchExchanges } from '../fixtures/e2e.js'

const gitlabCi = {
  type: 'gitlab',
  claims: { project_path: 'group/project', ci_config_ref_uri: { file: '.gitlab-ci.yml' } },
  permissions: ['createPackage'],
}

const issuer = await createOidcIssuer({ provider: 'gitlab' })
const otherProject = await createOidcIssuer({ provider: 'gitlab', claims: { project_path: 'group/other' } })
const trusted = [issuer, otherProject]
const registry = await startRegistry({
  issuers: trusted.map((i) => i.url),
  jwks: Object.fromEntries(trusted.map((i) => [i.url, i.jwks])),
  trustedPublishers: Object.fromEntries(['@group/lib', 'group-cli', '@group/other', '@group/refused'].map((name) => [name, [gitlabCi]])),
})
t.teardown(async () => {
  await registry.close()
  for (const i of trusted) await i.close()
})

t.test('a GitLab job publishes a scoped and an unscoped package', async (t) => {
  const cases = [
    // Without SIGSTORE_ID_TOKEN, auto stops before asking the registry.
    { pkg: '@group/lib', sigstore: false, reason: 'SIGSTORE_ID_TOKEN is not set' },
    // With it, auto asks the registry's visibility route, which Verdaccio does not have.
    { pkg: 'group-cli', sigstore: true, reason: 'the registry\'s visibility check failed (status 404)' },
  ]
  for (const { pkg, sigstore, reason } of cases) {
    const env = await issuer.jobEnv({ audience: registry.audience, sigstore })
    t.equal(env.GITLAB_CI, 'true')
    const { manifest, tarball, integrity } = makeTarball(pkg, '3.0.0')
    const res = await publishWithOidc(manifest, tarball, fetchOptions(t.testdir(), { registry: registry.url, env, oidc: 'required' }))
    t.equal(res.status, 201, `${pkg} published`)
    t.match(res.oidc.auth, { method: 'oidc', provider: 'gitlab', claims: { project_path: 'group/project', aud: 'npm:127.0.0.1' } })
    t.same(res.oidc.provenance, { enabled: false, source: 'auto', reason }, `${pkg}: ${reason}`)
    const { packument } = await readPackument(registry, pkg)
    t.same(packument['dist-tags'], { latest: '3.0.0' })
    t.equal(packument.versions['3.0.0'].dist.integrity, integrity)
  }
})

t.test('a job from another project publishes nothing', async (t) => {
  const exchanges = watchExchanges(t)
  const env = await otherProject.jobEnv({ audience: registry.audience })
  const { manifest, tarball } = makeTarball('@group/other', '1.0.0')
  const err = await publishWithOidc(manifest, tarball, fetchOptions(t.testdir(), { registry: registry.url, env }))
    .then(() => undefined, (e: unknown) => e)
  t.ok(isOidcError(err, 'ERR_OIDC_NO_TRUSTED_PUBLISHER'))
  t.match(err, { status: 404, provider: 'gitlab', claims: { project_path: 'group/other' } })
  t.match((err as Error).message, /^GitLab CI\/CD: /)
  t.match((err as { hint: string }).hint, /project path "group\/other", CI file "\.gitlab-ci\.yml"/)
  t.notMatch((err as Error).message, JWT_PATTERN)
  t.equal(exchanges.paths.length, 1)
  t.same(await readPackument(registry, '@group/other'), { status: 404, packument: undefined })
})

t.test('tokens refused before or by the registry', async (t) => {
  const cases = [
    // The audience npm's docs tell a job to declare is the public registry's; this registry is another host.
    { name: 'NPM_ID_TOKEN declared for npm:registry.npmjs.org', env: () => issuer.jobEnv(), code: 'ERR_OIDC_AUDIENCE_MISMATCH', exchanges: 0 },
    { name: 'expired NPM_ID_TOKEN', env: async () => issuer.jobEnv({ overrides: { NPM_ID_TOKEN: await issuer.mint({ audience: registry.audience, expiresIn: -300 }) } }), code: 'ERR_OIDC_ID_TOKEN_EXPIRED', exchanges: 0 },
    { name: 'forged NPM_ID_TOKEN', env: async () => issuer.jobEnv({ overrides: { NPM_ID_TOKEN: await issuer.mintWithForeignKey({ audience: registry.audience }) } }), code: 'ERR_OIDC_UNAUTHORIZED', exchanges: 1 },
    { name: 'no NPM_ID_TOKEN declared', env: () => issuer.jobEnv({ overrides: { NPM_ID_TOKEN: undefined } }), code: 'ERR_OIDC_NO_ID_TOKEN', exchanges: 0 },
  ] as const
  for (const c of cases) {
    const exchanges = watchExchanges(t)
    const { manifest, tarball } = makeTarball('@group/refused', '1.0.0')
    const options = fetchOptions(t.testdir(), { registry: registry.url, env: await c.env() })
    const err = await publishWithOidc(manifest, tarball, options)
      .then(() => undefined, (e: unknown) => e)
    t.ok(isOidcError(err, c.code), `${c.name}: ${c.code}`)
    t.notMatch((err as Error).message, JWT_PATTERN)
    t.equal(exchanges.paths.length, c.exchanges, `${c.name}: ${c.exchanges} exchange request(s)`)
  }
  t.same(await publishedVersions(registry, '@group/refused'), [])
})
