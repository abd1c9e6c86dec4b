import t from 'tap'
import { publish } from 'libnpmpublish'
import npmFetch from 'npm-registry-fetch'
import { createOidcIssuer } from '../../lib/testing/index.js'
import { addTrustedPublisher } from '../../lib/trust/add-trusted-publisher.js'
import { listTrustedPublishers } from '../../lib/trust/list-trusted-publishers.js'
import { revokeTrustedPublisher } from '../../lib/trust/revoke-trusted-publisher.js'
import { publishWithOidc } from '../../lib/publish/publish-with-oidc.js'
import { startRegistry } from '../fixtures/registry.js'
import { makeTarball } from '../fixtures/tarball.js'
import { request } from '../fixtures/http-request.js'

t.test('add a trusted publisher through the trust API, then publish through it from a simulated GitHub job', async (t) => {
  const issuer = await createOidcIssuer({ provider: 'github-actions' })
  t.teardown(issuer.close)
  const registry = await startRegistry({ issuers: [issuer.url], jwks: issuer.jwks })
  t.teardown(registry.close)
  const base = { registry: registry.url, cache: t.testdir(), preferOnline: true, retry: { retries: 0 } }
  const user = { ...base, [registry.authKey]: registry.mintToken({ name: 'release-admin' }) }
  const name = '@acme/widgets'
  const publisher = { type: 'github', repository: String(issuer.claims.repository), file: 'release.yml', permissions: ['createPackage'] } as const

  await t.rejects(addTrustedPublisher(name, publisher, user), { code: 'E404', message: /does not exist/ }, 'trust needs an existing package')
  const first = makeTarball(name, '1.0.0')
  await publish(first.manifest, first.tarball, { ...user, access: 'public' })

  t.same(await listTrustedPublishers(name, user), [])
  await t.rejects(listTrustedPublishers(name, base), { code: 'E401' }, 'anonymous: 401')
  const created = await addTrustedPublisher(first.manifest as never, publisher, user)
  t.match(created, [{ id: /^[0-9a-f-]{36}$/, type: 'github', claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' } }, permissions: ['createPackage'] }])
  const id = String(created[0]?.id)
  t.same(await registry.getTrustedPublishers(name), created, 'stored in the trust file the exchange reads')
  t.same(await listTrustedPublishers(name, user), created)

  const env = await issuer.jobEnv()
  const next = makeTarball(name, '1.0.1')
  const res = await publishWithOidc(next.manifest, next.tarball, { ...base, env, provenance: false, oidc: 'required', access: 'public' })
  t.equal(res.status, 201)
  t.match(res.oidc.auth, { method: 'oidc', provider: 'github-actions' })
  const packument = await npmFetch.json('/@acme%2fwidgets', base) as { versions: Record<string, { dist: { integrity: string } }> }
  t.equal(packument.versions['1.0.1']?.dist.integrity, next.integrity)

  const idToken = await issuer.mint({ audience: registry.audience })
  const exchanged = await request(registry.exchangeUrl(name), { method: 'POST', headers: { authorization: `Bearer ${idToken}` } })
  const trustUrl = `${registry.url}-/package/@acme%2fwidgets/trust`
  const asOidc = await request(trustUrl, { headers: { authorization: `Bearer ${exchanged.json().token}` } })
  t.equal(asOidc.status, 403, 'an exchanged publish token cannot manage trust')
  const human = { authorization: `Bearer ${String(user[registry.authKey])}`, 'content-type': 'application/json' }
  t.equal((await request(trustUrl, { method: 'POST', headers: human, body: '{' })).status, 400, 'not JSON')
  t.equal((await request(trustUrl, { method: 'POST', headers: human, body: '[{"type":"github","claims":{},"permissions":[]}]' })).status, 400, 'no permission')
  t.equal((await request(`${registry.url}-/package/@acme/widgets/trust`, { headers: human })).status, 200, 'the unescaped form is served too')

  await t.rejects(revokeTrustedPublisher(name, 'cfg/1:x', user), { code: 'E404' })
  await revokeTrustedPublisher(name, id, user)
  t.same(await listTrustedPublishers(name, user), [])
  const late = makeTarball(name, '1.0.2')
  await t.rejects(publishWithOidc(late.manifest, late.tarball, { ...base, env, provenance: false, oidc: 'required', access: 'public' }),
    { code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER' }, 'revoked: the exchange finds no publisher')
})
