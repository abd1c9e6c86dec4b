import t from 'tap'
import type { Test } from 'tap'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { publish } from 'libnpmpublish'
import npmFetch from 'npm-registry-fetch'
import { createOidcIssuer } from '../lib/testing/index.js'
import { startRegistry } from './fixtures/registry.js'
import { makeTarball } from './fixtures/tarball.js'
import { request } from './fixtures/http-request.js'

const here = dirname(fileURLToPath(import.meta.url))
const VERIFIER_BUILD = resolve(here, '../dist/commonjs/registry/index.js')
const STUB_VERIFIER = join(here, 'fixtures/stub-verifier.cjs')

const githubPublisher = {
  type: 'github',
  claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' } },
  permissions: ['createPackage'],
}

function fetchOpts (t: Test, extra: Record<string, unknown> = {}) {
  return { cache: t.testdir(), preferOnline: true, retry: { retries: 0 }, ...extra }
}

t.test('tarball: a real gzipped ustar with package/package.json and package/index.js', async (t) => {
  const { manifest, tarball, integrity } = makeTarball('@acme/widgets', '1.2.3')
  const tar = gunzipSync(tarball)
  t.equal(tar.length % 512, 0)
  t.equal(tar.subarray(0, 20).toString('utf8').replace(/\0+$/, ''), 'package/package.json')
  t.equal(tar.subarray(257, 262).toString('ascii'), 'ustar')
  const size = parseInt(tar.subarray(124, 135).toString('ascii'), 8)
  t.same(JSON.parse(tar.subarray(512, 512 + size).toString('utf8')), manifest)
  const header = Buffer.from(tar.subarray(0, 512))
  const stored = parseInt(header.subarray(148, 154).toString('ascii'), 8)
  header.fill(' ', 148, 156)
  t.equal(header.reduce((a, b) => a + b, 0), stored, 'header checksum')
  t.match(integrity, /^sha512-/)
})

t.test('the real verifier route, as built (or its fail-soft answer)', async (t) => {
  const issuer = await createOidcIssuer({ provider: 'github-actions' })
  t.teardown(issuer.close)
  const registry = await startRegistry({ issuers: [issuer.url], jwks: issuer.jwks, trustedPublishers: { '@acme/widgets': [githubPublisher] } })
  t.teardown(registry.close)
  const probe = await request(registry.exchangeUrl('@acme/widgets'), { method: 'POST' })
  t.not(probe.status, 404, 'the exchange route exists')
  t.type(probe.json().message, 'string', 'errors are { message }')
  if (!existsSync(VERIFIER_BUILD)) {
    t.equal(probe.status, 500)
    t.match(probe.json().message, /verifier build is missing/)
    return
  }
  t.equal(probe.status, 401, 'no bearer: 401 from the verifier')
  const idToken = await issuer.mint({ audience: registry.audience })
  const ex = await request(registry.exchangeUrl('@acme/widgets'), { method: 'POST', headers: { authorization: `Bearer ${idToken}` } })
  t.equal(ex.status, 201)
  const { token, expires } = ex.json()
  t.type(token, 'string')
  t.ok(Date.parse(expires) > Date.now())
  const { manifest, tarball, integrity } = makeTarball('@acme/widgets', '1.0.0')
  await publish(manifest, tarball, fetchOpts(t, { registry: registry.url, [registry.authKey]: token, access: 'public' }))
  const packument = await npmFetch.json('/@acme%2fwidgets', fetchOpts(t, { registry: registry.url })) as any
  t.equal(packument.versions['1.0.0'].dist.integrity, integrity)
  const unscoped = await issuer.mint({ audience: registry.audience })
  const none = await request(registry.exchangeUrl('not-trusted'), { method: 'POST', headers: { authorization: `Bearer ${unscoped}` } })
  t.equal(none.status, 404)
})

t.test('harness: route check, plugin minting, publish, read back, per-package scoping', async (t) => {
  const registry = await startRegistry({
    issuers: ['http://127.0.0.1:1'],
    trustedPublishers: { '@acme/widgets': [githubPublisher] },
    verifierModule: STUB_VERIFIER,
  })
  t.teardown(registry.close)
  t.match(registry.url, /^http:\/\/127\.0\.0\.1:\d+\/$/)
  t.equal(registry.exchangeUrl('@acme/widgets'), `${registry.url}-/npm/v1/oidc/token/exchange/package/@acme%2fwidgets`)
  const seeded = JSON.parse(await readFile(join(registry.storage, '.verdaccio-db.json'), 'utf8'))
  t.equal(seeded.secret.length, 32)

  const noBearer = await request(registry.exchangeUrl('@acme/widgets'), { method: 'POST' })
  t.equal(noBearer.status, 401)
  t.same(noBearer.json(), { message: 'OIDC token exchange error - unauthorized' })
  const auth = { authorization: 'Bearer stub-id-token' }
  t.equal((await request(registry.exchangeUrl('@acme/other'), { method: 'POST', headers: auth })).status, 404, 'no trusted publisher')
  const unescaped = await request(`${registry.url}-/npm/v1/oidc/token/exchange/package/@acme/widgets`, { method: 'POST', headers: auth })
  t.equal(unescaped.status, 201, 'the unescaped :scope/:name form reaches the handler too')

  const ex = await request(registry.exchangeUrl('@acme/widgets'), { method: 'POST', headers: auth })
  t.equal(ex.status, 201)
  const body = ex.json()
  t.equal(body.audience, 'npm:127.0.0.1', 'plugin passed the audience')
  t.same(body.issuers, ['http://127.0.0.1:1'])
  const payload = JSON.parse(Buffer.from(body.token.split('.')[1], 'base64url').toString('utf8'))
  t.equal(payload.name, 'oidc:@acme/widgets')
  t.strictSame(payload.groups, ['$all', '$authenticated', '@all', '@authenticated', 'all', 'oidc', 'oidc:@acme/widgets', 'oidc-permission:createPackage'])
  t.equal(new Date(payload.exp * 1000).toISOString(), body.expires)
  t.equal(payload.exp - payload.iat, 3600)

  const whoami = await npmFetch.json('/-/whoami', fetchOpts(t, { registry: registry.url, [registry.authKey]: body.token })) as any
  t.equal(whoami.username, 'oidc:@acme/widgets', 'Verdaccio accepts the minted JWT')

  const pkg = makeTarball('@acme/widgets', '1.0.0')
  const opts = fetchOpts(t, { registry: registry.url, [registry.authKey]: body.token, access: 'public' })
  const res = await publish(pkg.manifest, pkg.tarball, opts)
  t.equal(res.status, 201)
  const packument = await npmFetch.json('/@acme%2fwidgets', fetchOpts(t, { registry: registry.url })) as any
  t.equal(packument['dist-tags'].latest, '1.0.0')
  t.equal(packument.versions['1.0.0'].version, '1.0.0')
  t.equal(packument.versions['1.0.0'].dist.integrity, pkg.integrity)
  const tgz = await npmFetch(packument.versions['1.0.0'].dist.tarball, fetchOpts(t, { registry: registry.url }))
  t.same(Buffer.from(await tgz.arrayBuffer()), pkg.tarball, 'tarball downloads byte-identical')
  await t.rejects(publish(pkg.manifest, pkg.tarball, opts), { statusCode: 409 }, 'republish is refused')

  const other = makeTarball('@acme/other', '1.0.0')
  await t.rejects(publish(other.manifest, other.tarball, opts), { statusCode: 403 }, 'token for A cannot publish scoped B')
  const plain = makeTarball('plain-pkg', '1.0.0')
  await t.rejects(publish(plain.manifest, plain.tarball, opts), { statusCode: 403 }, 'nor an unscoped package')
  const tag = await request(`${registry.url}-/package/@acme%2fother/dist-tags/next`, { method: 'PUT', headers: { authorization: `Bearer ${body.token}`, 'content-type': 'application/json' }, body: '"1.0.0"' })
  t.equal(tag.status, 403, 'nor tag another package')
  const user = await request(`${registry.url}-/user/org.couchdb.user:mallory`, { method: 'PUT', headers: { authorization: `Bearer ${body.token}`, 'content-type': 'application/json' }, body: '{"name":"mallory","password":"x"}' })
  t.equal(user.status, 403, 'nor other registry writes')

  const human = registry.mintToken({ name: 'release-admin' })
  const humanRes = await publish(other.manifest, other.tarball, fetchOpts(t, { registry: registry.url, [registry.authKey]: human, access: 'public' }))
  t.equal(humanRes.status, 201, 'a harness-minted user token publishes any $authenticated package')
  const expired = registry.mintToken({ name: 'release-admin', expiresIn: -10 })
  const late = makeTarball('@acme/late', '1.0.0')
  await t.rejects(publish(late.manifest, late.tarball, fetchOpts(t, { registry: registry.url, [registry.authKey]: expired, access: 'public' })), { statusCode: 401 })

  t.same(await registry.getTrustedPublishers('@acme/widgets'), [githubPublisher])
  await registry.setTrustedPublishers('@acme/new', [githubPublisher])
  t.equal((await request(registry.exchangeUrl('@acme/new'), { method: 'POST', headers: auth })).status, 201, 'the trust store is read per request')
  await registry.setTrustedPublishers('@acme/new', undefined)
  t.equal((await request(registry.exchangeUrl('@acme/new'), { method: 'POST', headers: auth })).status, 404)
})

t.test('a staged-only publisher\'s token can publish nothing', async (t) => {
  const staged = { ...githubPublisher, permissions: ['createStagedPackage'] }
  const registry = await startRegistry({ issuers: ['http://127.0.0.1:1'], trustedPublishers: { '@acme/widgets': [staged] }, verifierModule: STUB_VERIFIER })
  t.teardown(registry.close)
  const ex = await request(registry.exchangeUrl('@acme/widgets'), { method: 'POST', headers: { authorization: 'Bearer stub-id-token' } })
  t.equal(ex.status, 201)
  const { token } = ex.json()
  const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'))
  t.ok(payload.groups.includes('oidc-permission:createStagedPackage'))
  t.notOk(payload.groups.includes('oidc-permission:createPackage'))
  const pkg = makeTarball('@acme/widgets', '1.0.0')
  await t.rejects(publish(pkg.manifest, pkg.tarball, fetchOpts(t, { registry: registry.url, [registry.authKey]: token, access: 'public' })),
    { statusCode: 403, message: /OIDC permission denied/ })
})

t.test('provenance without a verifier is refused with npmjs\'s 422; the attestations route; a broken body', async (t) => {
  const registry = await startRegistry({ issuers: ['http://127.0.0.1:1'], verifierModule: STUB_VERIFIER })
  t.teardown(registry.close)
  const { manifest, tarball, integrity } = makeTarball('@acme/signed', '1.0.0')
  const token = registry.mintToken({ name: 'alice' })
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  const url = `${registry.url}@acme%2fsigned`
  const body = {
    _id: '@acme/signed',
    name: '@acme/signed',
    'dist-tags': { latest: '1.0.0' },
    versions: { '1.0.0': { ...manifest, _id: '@acme/signed@1.0.0', dist: { integrity, tarball: `${url}/-/signed-1.0.0.tgz` } } },
    _attachments: {
      '@acme/signed-1.0.0.tgz': { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length },
      '@acme/signed-1.0.0.sigstore': { content_type: 'application/vnd.dev.sigstore.bundle.v0.3+json', data: '{}', length: 2 },
    },
  }
  const refused = await request(url, { method: 'PUT', headers, body: JSON.stringify(body) })
  t.equal(refused.status, 422)
  t.same(refused.json(), { error: 'Error verifying sigstore provenance bundle: no provenance verifier is configured on this registry' })
  t.equal((await request(url)).status, 404, 'nothing published')
  const broken = await request(url, { method: 'PUT', headers, body: '{"name":' })
  t.equal(broken.status, 400)
  t.equal((await request(`${registry.url}-/npm/v1/attestations/@acme/signed@1.0.0`)).status, 404)
})

t.test('the plugin passes maxTokenAge and the replay guard to the real verifier', async (t) => {
  const issuer = await createOidcIssuer({ provider: 'github-actions' })
  t.teardown(issuer.close)
  const registry = await startRegistry({
    issuers: [issuer.url],
    jwks: issuer.jwks,
    trustedPublishers: { '@acme/widgets': [githubPublisher] },
    maxTokenAge: 3600,
    refuseReplays: true,
  })
  t.teardown(registry.close)
  const exchange = (idToken: string) => request(registry.exchangeUrl('@acme/widgets'), { method: 'POST', headers: { authorization: `Bearer ${idToken}` } })
  const idToken = await issuer.mint({ audience: registry.audience })
  const first = await exchange(idToken)
  if (!existsSync(VERIFIER_BUILD)) {
    t.match(first.json(), { message: /verifier build is missing/ })
    return
  }
  t.equal(first.status, 201, 'first use')
  t.match(await exchange(idToken), { status: 401 }, 'replay refused')
  t.match(await exchange(await issuer.mint({ audience: registry.audience, expiresIn: 7200 })), { status: 401 }, 'too long-lived')
})

t.test('fail soft while the verifier build is missing', async (t) => {
  const registry = await startRegistry({ issuers: ['http://127.0.0.1:1'], verifierModule: join(here, 'fixtures/no-such-verifier.cjs') })
  t.teardown(registry.close)
  const r = await request(registry.exchangeUrl('@acme/widgets'), { method: 'POST', headers: { authorization: 'Bearer stub-id-token' } })
  t.equal(r.status, 500)
  t.match(r.json(), { message: /verifier build is missing.*npm run build/ })
})

t.test('close() removes the temp dir and stops listening', async (t) => {
  const registry = await startRegistry({ issuers: ['http://127.0.0.1:1'], verifierModule: STUB_VERIFIER })
  await registry.close()
  await registry.close()
  t.notOk(existsSync(registry.dir))
  await t.rejects(request(registry.url), { code: 'ECONNREFUSED' })
})
