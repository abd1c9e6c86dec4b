// The test kit's registry, driven through the public entries: the library publishes to it from simulated CI jobs,
// and raw HTTP pins the answers a release tool's tests will meet.
import t from 'tap'
import type { Test } from 'tap'
import { publish } from 'libnpmpublish'
import {
  addTrustedPublisher, getOidcToken, getOidcTokens, listTrustedPublishers, publishWithOidc, revokeTrustedPublisher,
} from '../../lib/index.js'
import { createOidcIssuer, createTestRegistry, type OidcIssuer, type TestRegistry } from '../../lib/testing/index.js'
import type { TestRegistryOptions } from '../../lib/testing/index.js'
import { request, type HttpReply } from '../fixtures/http-request.js'
import { makeTarball } from '../fixtures/tarball.js'

const PKG = '@acme/widgets'
const ESCAPED = '@acme%2fwidgets'
const githubPublisher = {
  type: 'github' as const,
  claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' } },
  permissions: ['createPackage' as const],
}

function opts (t: Test, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { cache: t.testdir(), preferOnline: true, retry: { retries: 0 }, timeout: 30_000, ...extra }
}

async function setUp (t: Test, extra: Partial<TestRegistryOptions> = {}): Promise<{
  issuer: OidcIssuer, registry: TestRegistry, env: Record<string, string>
}> {
  const issuer = await createOidcIssuer({ provider: 'github-actions' })
  t.teardown(issuer.close)
  const trustedPublishers = { [PKG]: [githubPublisher] }
  const registry = await createTestRegistry({ issuers: [issuer], trustedPublishers, ...extra })
  t.teardown(registry.close)
  return { issuer, registry, env: await issuer.jobEnv() }
}

function bearer (token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
}

// libnpmpublish's publish document, built by hand where a test needs to vary it.
function publishBody (name: string, version: string, extra: { bundle?: string, integrity?: string } = {}) {
  const { manifest, tarball, integrity } = makeTarball(name, version)
  const attachments: Record<string, unknown> = {
    [`${name}-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length },
  }
  if (extra.bundle !== undefined) attachments[`${name}-${version}.sigstore`] = { content_type: 'application/json', data: extra.bundle }
  const body = {
    _id: name,
    name,
    'dist-tags': { latest: version },
    versions: { [version]: { ...manifest, dist: { integrity: extra.integrity ?? integrity } } },
    access: 'public',
    _attachments: attachments,
  }
  return { body: JSON.stringify(body), integrity, tarball }
}

function bundleFor (predicateType: unknown): string {
  const payload = Buffer.from(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', predicateType })).toString('base64')
  return JSON.stringify({ mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json', dsseEnvelope: { payload } })
}

async function exchanged (registry: TestRegistry, env: Record<string, string>, pkg = PKG): Promise<string> {
  const oidc = await getOidcToken(pkg, registry.url, env)
  if (oidc === null) throw new Error('no provider')
  return oidc.token
}

async function put (url: string, body: string, token?: string): Promise<HttpReply> {
  return request(url, { method: 'PUT', headers: token === undefined ? {} : bearer(token), body })
}

t.test('publishWithOidc from a simulated GitHub Actions job: one exchange, one upload, npmjs\'s evidence', async (t) => {
  const { registry, env } = await setUp(t)
  t.match(registry.url, /^http:\/\/127\.0\.0\.1:\d+\/$/)
  t.equal(registry.origin, `http://127.0.0.1:${registry.port}`)
  t.same(registry.audience, ['npm:127.0.0.1', `npm:127.0.0.1:${registry.port}`])
  t.equal(registry.authKey, `//127.0.0.1:${registry.port}/:_authToken`)
  const { manifest, tarball, integrity } = makeTarball(PKG, '1.0.0')
  const res = await publishWithOidc({ ...manifest, description: 'widgets' }, tarball,
    opts(t, { registry: registry.url, env, access: 'public' }))
  t.equal(res.status, 200)
  t.match(res.oidc.auth, { method: 'oidc', provider: 'github-actions' })
  t.match(res.oidc.provenance, { enabled: false, reason: /visibility check failed \(status 404\)/ }, 'a new package')
  t.equal(registry.exchanges(PKG), 1)
  t.equal(registry.publishes(PKG), 1)
  t.equal(registry.exchanges(), 1)
  t.equal(registry.publishes('other'), 0)
  t.match(registry.requests, [
    { method: 'POST', path: `/-/npm/v1/oidc/token/exchange/package/${ESCAPED}`, kind: 'exchange', pkgName: PKG, status: 201, auth: 'id-token' },
    { method: 'GET', path: `/-/package/${ESCAPED}/visibility`, kind: 'visibility', pkgName: PKG, status: 404, auth: 'oidc' },
    { method: 'PUT', path: `/${ESCAPED}`, kind: 'publish', pkgName: PKG, status: 200, auth: 'oidc' },
  ])
  t.ok(Object.isFrozen(registry.requests) && Object.isFrozen(registry.requests[0]), 'a frozen snapshot')

  const packument = (await request(`${registry.url}${ESCAPED}`)).json()
  t.same(Object.keys(packument).sort(), ['_id', 'description', 'dist-tags', 'name', 'time', 'versions'], 'no _attachments')
  t.match(packument, { name: PKG, description: 'widgets', 'dist-tags': { latest: '1.0.0' } })
  t.match(packument.time, { created: String, modified: String, '1.0.0': String })
  const version = packument.versions['1.0.0']
  t.match(version, {
    name: PKG,
    version: '1.0.0',
    _id: `${PKG}@1.0.0`,
    _npmUser: {
      name: 'GitHub Actions',
      email: 'npm-oidc-no-reply@github.com',
      trustedPublisher: { id: 'github', oidcConfigId: registry.trustedPublishers(PKG)[0]?.id },
    },
    dist: { integrity, tarball: `${registry.url}${PKG}/-/widgets-1.0.0.tgz` },
  })
  t.match(registry.trustedPublishers(PKG)[0]?.id, /^oidc:[\da-f-]{36}$/, 'the registry gave the publisher an id')
  t.notOk('attestations' in version.dist, 'no provenance, no attestations')

  const download = await fetch(version.dist.tarball)
  t.equal(download.status, 200)
  t.same(Buffer.from(await download.arrayBuffer()), tarball, 'the tarball, byte for byte')
  t.same((await request(`${registry.url}-/package/${ESCAPED}/dist-tags`)).json(), { latest: '1.0.0' })
  t.same((await request(`${registry.url}-/package/${ESCAPED}/visibility`)).json(), { public: true })
  t.same((await request(`${registry.url}@acme/widgets`)).json().name, PKG, 'an unescaped name reads the same')
})

t.test('a batch: one exchange per package, one ID token, each token publishes its own package', async (t) => {
  const names = ['@acme/core', '@acme/cli', 'acme-plain']
  const { issuer, registry, env } = await setUp(t, {
    trustedPublishers: Object.fromEntries(names.map((name) => [name, [githubPublisher]])),
  })
  const results = await getOidcTokens(names, registry.url, env, { concurrency: 3 })
  t.same(results?.map((r) => r.error), [undefined, undefined, undefined])
  t.equal(issuer.requests.length, 1, 'one ID token for the batch')
  t.same(names.map((name) => registry.exchanges(name)), [1, 1, 1])
  for (const [i, name] of names.entries()) {
    const token = results?.[i]?.token?.token as string
    const next = names[(i + 1) % names.length] as string
    const escaped = (n: string) => n.replace('/', '%2f')
    t.equal((await put(`${registry.url}${escaped(next)}`, publishBody(next, '1.0.0').body, token)).status, 400)
    t.equal((await put(`${registry.url}${escaped(name)}`, publishBody(name, '1.0.0').body, token)).status, 200)
  }
  t.same(names.map((name) => registry.publishes(name)), [2, 2, 2])
  t.equal(registry.exchanges(), 3)
})

t.test('an exchanged token publishes its own package only, and no version twice', async (t) => {
  const { registry, env } = await setUp(t, {
    trustedPublishers: { [PKG]: [githubPublisher], other: [{ ...githubPublisher, id: 'cfg-other' }] },
  })
  const token = await exchanged(registry, env)
  const other = publishBody('other', '1.0.0')
  const refused = await put(`${registry.url}other`, other.body, token)
  t.equal(refused.status, 400)
  t.same(refused.json(), { error: 'OIDC publish authorize: Invalid token' })
  t.equal(registry.trustedPublishers('other')[0]?.id, 'cfg-other', 'an id given is kept')

  const anonymous = await put(`${registry.url}other`, other.body)
  t.equal(anonymous.status, 401)
  t.match(anonymous.json(), { error: /requires auth credentials/ })
  const unknown = await put(`${registry.url}other`, other.body, 'not-a-token-of-this-registry')
  t.equal(unknown.status, 401)
  t.match(unknown.json(), { error: /authentication token seems to be invalid/ })
  t.same((await request(`${registry.url}other`)).json(), { error: 'Not found' }, 'nothing was published')

  const { manifest, tarball } = makeTarball(PKG, '1.0.0')
  await t.rejects(publishWithOidc(manifest, tarball, opts(t, { registry: registry.url, env, stage: true })),
    { code: 'ERR_OIDC_PUBLISH_FORBIDDEN', hint: /createStagedPackage/ }, 'a publisher without staged publishing')
  await publishWithOidc(manifest, tarball, opts(t, { registry: registry.url, env }))
  const again = publishWithOidc(manifest, tarball, opts(t, { registry: registry.url, env, provenance: false }))
  await t.rejects(again, { statusCode: 403, message: /You cannot publish over the previously published versions: 1\.0\.0\./ })
  t.same((await request(`${registry.url}-/package/${ESCAPED}/visibility`)).json(), { public: true },
    'libnpmpublish sends access: public')
  t.match(registry.requests.filter((r) => r.kind === 'publish').map((r) => [r.pkgName, r.status, r.auth]), [
    ['other', 400, 'oidc'], ['other', 401, 'none'], ['other', 401, 'unknown'], [PKG, 200, 'oidc'], [PKG, 403, 'oidc'],
  ])
  t.equal(registry.publishes(), 5)
})

t.test('a stage-only publisher, an expired token, and libnpmpublish with a classic token', async (t) => {
  const staged = { ...githubPublisher, permissions: ['createStagedPackage' as const] }
  const { registry, env } = await setUp(t, {
    trustedPublishers: { [PKG]: [staged] },
    tokens: { 'classic-token-of-alice': { user: 'alice' } },
  })
  const { manifest, tarball } = makeTarball(PKG, '1.0.0')
  await t.rejects(publishWithOidc(manifest, tarball, opts(t, { registry: registry.url, env })),
    { code: 'ERR_OIDC_PUBLISH_FORBIDDEN', registryMessage: 'OIDC permission denied for this action' })
  const stagedRes = await publishWithOidc(manifest, tarball, opts(t, { registry: registry.url, env, stage: true }))
  t.equal(stagedRes.status, 201)
  t.match((stagedRes as unknown as { stageId: string }).stageId, /^[\da-f-]{36}$/, 'a staged publish gets a stageId')
  t.match(registry.requests.at(-1), { method: 'POST', path: `/-/stage/package/${ESCAPED}`, kind: 'stage', status: 201, auth: 'oidc' })
  t.equal((await request(`${registry.url}${ESCAPED}`)).status, 404, 'a staged version is not published')
  t.equal((await request(`${registry.url}-/stage/package/${ESCAPED}`)).status, 405)

  const res = await publish(manifest, tarball, opts(t, { registry: registry.url, [registry.authKey]: 'classic-token-of-alice' }))
  t.equal(res.status, 200)
  const packument = (await request(`${registry.url}${ESCAPED}`)).json()
  t.same(packument.versions['1.0.0']._npmUser, { name: 'alice' }, 'a classic publish names the user, no trusted publisher')
  t.match(registry.requests.at(-2), { kind: 'publish', auth: 'token', status: 200 })

  const shortLived = await setUp(t, { tokenLifetime: 0.001 })
  const expired = await exchanged(shortLived.registry, shortLived.env)
  await new Promise((resolve) => setTimeout(resolve, 5))
  const late = await put(`${shortLived.registry.url}${ESCAPED}`, publishBody(PKG, '1.0.0').body, expired)
  t.same([late.status, late.json()], [400, { error: 'OIDC publish authorize: Invalid token' }])
  t.match(shortLived.registry.requests.at(-1), { kind: 'publish', auth: 'oidc', status: 400 })
})

t.test('GitLab and CircleCI publishers are recorded under their own ids', async (t) => {
  for (const provider of ['gitlab', 'circleci'] as const) {
    const issuer = await createOidcIssuer({ provider })
    t.teardown(issuer.close)
    const c = issuer.claims
    const publisher = provider === 'gitlab'
      ? { type: 'gitlab' as const, claims: { project_path: String(c.project_path), ci_config_ref_uri: { file: '.gitlab-ci.yml' } }, permissions: ['createPackage' as const] }
      : {
          type: 'circleci' as const,
          claims: {
            'oidc.circleci.com/org-id': String(c['oidc.circleci.com/org-id']),
            'oidc.circleci.com/project-id': String(c['oidc.circleci.com/project-id']),
            'oidc.circleci.com/pipeline-definition-id': String(c['oidc.circleci.com/pipeline-definition-id']),
            'oidc.circleci.com/vcs-origin': String(c['oidc.circleci.com/vcs-origin']),
          },
          permissions: ['createPackage' as const],
        }
    // Issuers given by URL alone: their keys come from OpenID discovery.
    const issuers = [provider === 'gitlab' ? issuer.url : { url: issuer.url }]
    const registry = await createTestRegistry({ issuers, trustedPublishers: { pkg: [publisher] }, audience: 'npm:127.0.0.1' })
    t.teardown(registry.close)
    t.same(registry.audience, ['npm:127.0.0.1'])
    const env = await issuer.jobEnv({ audience: 'npm:127.0.0.1' })
    const { manifest, tarball } = makeTarball('pkg', '2.0.0')
    await publishWithOidc(manifest, tarball, opts(t, { registry: registry.url, env }))
    const user = (await request(`${registry.url}pkg`)).json().versions['2.0.0']._npmUser
    t.match(user, { name: String, email: String, trustedPublisher: { id: publisher.type, oidcConfigId: /^oidc:/ } }, provider)
  }
})

t.test('provenance: stored, served at dist.attestations.url, and checked by the verifyProvenance hook', async (t) => {
  const checks: unknown[] = []
  let refusal: unknown
  const { registry, env } = await setUp(t, {
    tokens: { 'classic-token-of-bob': { user: 'bob' } },
    verifyProvenance: (check) => {
      checks.push(check)
      if (refusal !== undefined) throw refusal
    },
  })
  const token = await exchanged(registry, env)
  const signed = publishBody(PKG, '1.0.0', { bundle: bundleFor('https://slsa.dev/provenance/v1') })
  t.equal((await put(`${registry.url}${ESCAPED}`, signed.body, token)).status, 200)
  const version = (await request(`${registry.url}${ESCAPED}`)).json().versions['1.0.0']
  const url = `${registry.url}-/npm/v1/attestations/${ESCAPED}@1.0.0`
  t.same(version.dist.attestations, { url, provenance: { predicateType: 'https://slsa.dev/provenance/v1' } })
  const served = (await request(url)).json()
  t.same(served.attestations, [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: JSON.parse(bundleFor('https://slsa.dev/provenance/v1')) }])
  t.match(checks[0], {
    bundle: { dsseEnvelope: Object },
    integrity: signed.integrity,
    manifest: { name: PKG, version: '1.0.0' },
    claims: { repository: 'acme/widgets', iss: String },
  })

  refusal = Object.assign(new Error('"repository.url" is "", expected to match https://github.com/acme/widgets'), { status: 422 })
  const rejected = await put(`${registry.url}${ESCAPED}`, publishBody(PKG, '1.0.1', { bundle: bundleFor(1) }).body, token)
  t.same([rejected.status, rejected.json()], [422, {
    error: 'Error verifying sigstore provenance bundle: "repository.url" is "", expected to match https://github.com/acme/widgets',
  }])
  refusal = 'not an Error'
  const odd = await put(`${registry.url}${ESCAPED}`, publishBody(PKG, '1.0.1', { bundle: '{}' }).body, token)
  t.same(odd.json(), { error: 'Error verifying sigstore provenance bundle: not an Error' })
  t.equal((await request(`${registry.url}-/npm/v1/attestations/${ESCAPED}@1.0.1`)).status, 404, 'nothing stored')

  refusal = undefined
  const classic = await put(`${registry.url}${ESCAPED}`, publishBody(PKG, '1.0.2', { bundle: '{"unreadable":true}' }).body, 'classic-token-of-bob')
  t.equal(classic.status, 200)
  t.notOk('claims' in (checks.at(-1) as object), 'a classic token has no claims')
  const unread = (await request(`${registry.url}${ESCAPED}`)).json().versions['1.0.2'].dist.attestations
  t.same(unread.provenance, { predicateType: 'https://slsa.dev/provenance/v1' }, 'SLSA v1 when the statement cannot be read')
  const notJson = await put(`${registry.url}${ESCAPED}`, publishBody(PKG, '1.0.3', { bundle: 'not json' }).body, token)
  t.same([notJson.status, notJson.json()], [400, { error: 'the provenance bundle is not JSON' }])
})

t.test('a bundle is stored unchecked without the hook; restricted packages turn public when asked', async (t) => {
  const { registry, env } = await setUp(t)
  const token = await exchanged(registry, env)
  const bundle = bundleFor('https://slsa.dev/provenance/v0.2')
  const first = JSON.parse(publishBody(PKG, '1.0.0', { bundle }).body)
  delete first.access
  t.equal((await put(`${registry.url}${ESCAPED}`, JSON.stringify(first), token)).status, 200)
  t.same((await request(`${registry.url}-/package/${ESCAPED}/visibility`)).json(), { public: false })
  t.match((await request(`${registry.url}${ESCAPED}`)).json().versions['1.0.0'].dist.attestations,
    { provenance: { predicateType: 'https://slsa.dev/provenance/v0.2' } })
  t.equal((await put(`${registry.url}${ESCAPED}`, publishBody(PKG, '1.0.1').body, token)).status, 200)
  t.same((await request(`${registry.url}-/package/${ESCAPED}/visibility`)).json(), { public: true })
  const third = JSON.parse(publishBody(PKG, '1.0.2').body)
  third.access = null
  t.equal((await put(`${registry.url}${ESCAPED}`, JSON.stringify(third), token)).status, 200)
  t.same((await request(`${registry.url}-/package/${ESCAPED}/visibility`)).json(), { public: true }, 'kept')
})

t.test('publish bodies the registry refuses', async (t) => {
  const { registry, env } = await setUp(t)
  const token = await exchanged(registry, env)
  const good = JSON.parse(publishBody(PKG, '1.0.0').body)
  const cases: Array<[string, string, RegExp]> = [
    ['not JSON', '{', /does not describe @acme\/widgets/],
    ['another name', JSON.stringify({ ...good, name: 'other' }), /does not describe/],
    ['no versions', JSON.stringify({ ...good, versions: undefined }), /exactly one version/],
    ['two versions', JSON.stringify({ ...good, versions: { ...good.versions, '2.0.0': good.versions['1.0.0'] } }), /exactly one version/],
    ['a manifest for another version', JSON.stringify({ ...good, versions: { '2.0.0': good.versions['1.0.0'] } }), /exactly one version/],
    ['no tarball', JSON.stringify({ ...good, _attachments: undefined }), /tarball @acme\/widgets-1\.0\.0\.tgz is not attached/],
    ['a tarball without data', JSON.stringify({ ...good, _attachments: { [`${PKG}-1.0.0.tgz`]: 'x' } }), /not attached/],
    ['another tarball', publishBody(PKG, '1.0.0', { integrity: 'sha512-AAAA' }).body, /integrity sha512-\S+ is not the declared sha512-AAAA/],
  ]
  for (const [name, body, error] of cases) {
    const res = await put(`${registry.url}${ESCAPED}`, body, token)
    t.equal(res.status, 400, name)
    t.match(res.json().error, error, name)
  }
  const bare = { ...good, 'dist-tags': { latest: '1.0.0', odd: 7 } }
  bare.versions['1.0.0'] = { ...bare.versions['1.0.0'], dist: undefined }
  t.equal((await put(`${registry.url}${ESCAPED}`, JSON.stringify(bare), token)).status, 200, 'no dist: integrity computed')
  t.same((await request(`${registry.url}-/package/${ESCAPED}/dist-tags`)).json(), { latest: '1.0.0' }, 'only string tags')
})

t.test('dist-tags: classic tokens set them; exchanged tokens only when allowed, for their own package', async (t) => {
  const tags = (pkg: string, tag = '') => `-/package/${pkg}/dist-tags${tag === '' ? '' : `/${tag}`}`
  for (const oidcDistTags of [false, true]) {
    const { registry, env } = await setUp(t, { tokens: { 'classic-token-of-carol': { user: 'carol' } }, oidcDistTags })
    const token = await exchanged(registry, env)
    const classic = 'classic-token-of-carol'
    const send = (method: string, path: string, body?: string, auth?: string) =>
      request(`${registry.url}${path}`, { method, headers: auth === undefined ? {} : bearer(auth), body })
    t.equal((await send('PUT', tags(ESCAPED, 'next'), '"1.0.0"', classic)).status, 404, 'no package yet')
    t.equal((await send('GET', tags(ESCAPED))).status, 404)
    for (const v of ['1.0.0', '2.0.0-beta.0']) t.equal((await put(`${registry.url}${ESCAPED}`, publishBody(PKG, v).body, token)).status, 200)

    const byOidc = await send('PUT', tags(ESCAPED, 'next'), '"2.0.0-beta.0"', token)
    if (oidcDistTags) {
      t.same([byOidc.status, byOidc.json()], [200, { ok: true, 'dist-tags': { latest: '2.0.0-beta.0', next: '2.0.0-beta.0' } }])
    } else {
      t.same([byOidc.status, byOidc.json()], [403, { error: 'OIDC permission denied for this action' }], 'as npmjs documents')
    }
    const set = await send('PUT', tags('@acme/widgets', 'beta'), '"1.0.0"', classic)
    t.same([set.status, set.json()['dist-tags'].beta], [200, '1.0.0'], 'an unescaped name works too')
    t.same((await send('GET', tags(ESCAPED))).json().beta, '1.0.0')
    t.equal((await send('DELETE', tags(ESCAPED, 'beta'), undefined, classic)).status, 200)
    t.notOk('beta' in (await send('GET', tags(ESCAPED))).json())

    const refusals: Array<[string, string, string | undefined, string | undefined, number, RegExp]> = [
      ['PUT', tags(ESCAPED, 'x'), '"9.9.9"', classic, 404, /version not found: 9\.9\.9/],
      ['PUT', tags(ESCAPED, 'x'), '{"v":1}', classic, 400, /JSON string/],
      ['DELETE', tags(ESCAPED, 'x'), undefined, classic, 404, /dist-tag x not found/],
      ['PUT', tags(ESCAPED, 'x'), '"1.0.0"', undefined, 401, /requires auth/],
      ['PUT', tags('other', 'x'), '"1.0.0"', token, 400, /Invalid token/],
      ['POST', tags(ESCAPED, 'x'), '"1.0.0"', classic, 405, /method not allowed/],
      ['PUT', tags(ESCAPED), '"1.0.0"', classic, 405, /method not allowed/],
      ['GET', `${tags(ESCAPED, 'x')}/y`, undefined, undefined, 404, /Not found/],
    ]
    for (const [method, path, body, auth, status, error] of refusals) {
      const res = await send(method, path, body, auth)
      t.equal(res.status, status, `${method} ${path}`)
      t.match(res.json().error, error, `${method} ${path}`)
    }
    t.match(registry.requests.filter((r) => r.kind === 'dist-tags').at(0), { pkgName: PKG, auth: 'token', status: 404 })
  }
})

t.test('trust routes: the library\'s trust calls with a classic token; exchanged tokens refused', async (t) => {
  const { issuer, registry } = await setUp(t, { tokens: { 'classic-token-of-dave': { user: 'dave' } } })
  const asDave = { registry: registry.url, [registry.authKey]: 'classic-token-of-dave', cache: t.testdir(), retry: { retries: 0 } }
  const listed = await listTrustedPublishers(PKG, asDave)
  t.match(listed, [{ type: 'github', id: /^oidc:/ }])
  const added = await addTrustedPublisher('fresh', {
    type: 'github', repository: 'acme/widgets', file: 'release.yml', permissions: ['createPackage'],
  }, asDave).catch((err: unknown) => err)
  t.match(added, { statusCode: 404 }, 'a package that exists nowhere cannot be trusted')

  const created = await addTrustedPublisher(PKG, {
    type: 'github', repository: 'acme/widgets', file: 'deploy.yml', permissions: ['createPackage'],
  }, asDave)
  t.match(created, [{ id: /^oidc:/, type: 'github', claims: { repository: 'acme/widgets', workflow_ref: { file: 'deploy.yml' } } }])
  t.equal(registry.trustedPublishers(PKG).length, 2)
  const deployJob = await createOidcIssuer({
    provider: 'github-actions', claims: { workflow_ref: 'acme/widgets/.github/workflows/deploy.yml@refs/heads/main' },
  })
  t.teardown(deployJob.close)
  // The registry trusts `issuer` only: the deploy job's token is refused at the exchange whatever trust says.
  await t.rejects(getOidcToken(PKG, registry.url, await deployJob.jobEnv()), { code: 'ERR_OIDC_UNAUTHORIZED' })
  await revokeTrustedPublisher(PKG, (created[0] as { id: string }).id, asDave)
  t.same(registry.trustedPublishers(PKG).map((p) => p.claims), [githubPublisher.claims])
  await revokeTrustedPublisher(PKG, registry.trustedPublishers(PKG)[0]?.id as string, asDave)
  await t.rejects(getOidcToken(PKG, registry.url, await issuer.jobEnv()), { code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER' })
  t.same(await listTrustedPublishers(PKG, asDave), [])
})

t.test('trust routes refuse what npmjs refuses', async (t) => {
  const { registry, env } = await setUp(t, { tokens: { 'classic-token-of-erin': { user: 'erin' } } })
  const token = await exchanged(registry, env)
  const classic = 'classic-token-of-erin'
  const trust = `${registry.url}-/package/${ESCAPED}/trust`
  const send = (method: string, url: string, auth?: string, body?: string) =>
    request(url, { method, headers: auth === undefined ? {} : bearer(auth), body })
  const cases: Array<[string, string, string | undefined, string | undefined, number, RegExp]> = [
    ['GET', trust, undefined, undefined, 401, /requires auth/],
    ['GET', trust, 'nobody-knows-this', undefined, 401, /seems to be invalid/],
    ['GET', trust, token, undefined, 403, /OIDC permission denied/],
    ['GET', `${registry.url}-/package/missing/trust`, classic, undefined, 404, /Not found/],
    ['POST', trust, classic, '{', 400, /non-empty array/],
    ['POST', trust, classic, '[]', 400, /non-empty array/],
    ['POST', trust, classic, '[{"type":"travis","claims":{}}]', 400, /needs a type/],
    ['POST', trust, classic, '[{"type":"github","claims":{},"permissions":[]}]', 400, /permissions must list/],
    ['POST', trust, classic, '[{"type":"github","claims":{},"permissions":["admin"]}]', 400, /permissions must list/],
    ['DELETE', `${trust}/nope`, classic, undefined, 404, /no trusted publisher nope/],
    ['DELETE', trust, classic, undefined, 405, /method not allowed/],
    ['GET', `${trust}/id/extra`, classic, undefined, 405, /method not allowed/],
  ]
  for (const [method, url, auth, body, status, error] of cases) {
    const res = await send(method, url, auth, body)
    t.equal(res.status, status, `${method} ${url.slice(registry.url.length)} ${body ?? ''}`)
    t.match(res.json().error, error)
  }
})

t.test('reads: missing packages, tarballs and attestations, methods, unknown routes', async (t) => {
  const { registry, env } = await setUp(t, { tokens: { 'classic-token-of-frank': { user: 'frank' } } })
  const token = await exchanged(registry, env)
  t.equal((await put(`${registry.url}${ESCAPED}`, publishBody(PKG, '1.0.0').body, token)).status, 200)
  // Trust for a published package without configured publishers answers an empty list.
  const fresh = await createTestRegistry({ issuers: ['http://127.0.0.1:9/unused'], tokens: { 'classic-token-of-gina': { user: 'gina' } } })
  t.teardown(fresh.close)
  t.equal((await put(`${fresh.url}solo`, publishBody('solo', '1.0.0').body, 'classic-token-of-gina')).status, 200)
  const solo = await request(`${fresh.url}-/package/solo/trust`, { headers: bearer('classic-token-of-gina') })
  t.same([solo.status, solo.json()], [200, []])
  t.same(fresh.trustedPublishers('solo'), [])
  // No dist-tags at all, and a statement whose predicateType is not a string.
  const untagged = JSON.parse(publishBody('solo', '1.0.1', { bundle: bundleFor(1) }).body)
  delete untagged['dist-tags']
  t.equal((await put(`${fresh.url}solo`, JSON.stringify(untagged), 'classic-token-of-gina')).status, 200)
  const soloPackument = (await request(`${fresh.url}solo`)).json()
  t.same(soloPackument['dist-tags'], { latest: '1.0.0' })
  t.same(soloPackument.versions['1.0.1'].dist.attestations.provenance, { predicateType: 'https://slsa.dev/provenance/v1' })
  const lonely = await createTestRegistry({ issuers: ['http://127.0.0.1:9/unused'], tokens: { 'classic-token-of-ivan': { user: 'ivan' } } })
  t.teardown(lonely.close)
  const nextOnly = JSON.parse(publishBody('nexty', '0.1.0').body)
  nextOnly['dist-tags'] = { next: '0.1.0' }
  nextOnly.versions['0.1.0'].description = 'only next'
  t.equal((await put(`${lonely.url}nexty`, JSON.stringify(nextOnly), 'classic-token-of-ivan')).status, 200)
  const nexty = (await request(`${lonely.url}nexty`)).json()
  t.same([nexty['dist-tags'], 'description' in nexty], [{ next: '0.1.0' }, false], 'no latest, no description')

  const cases: Array<[string, string, number, string]> = [
    ['GET', 'missing', 404, 'packument'],
    ['DELETE', ESCAPED, 405, 'packument'],
    ['GET', `${PKG}/-/widgets-9.0.0.tgz`, 404, 'tarball'],
    ['POST', `${PKG}/-/widgets-1.0.0.tgz`, 405, 'tarball'],
    ['GET', `-/npm/v1/attestations/${ESCAPED}@1.0.0`, 404, 'attestations'],
    ['POST', `-/npm/v1/attestations/${ESCAPED}@1.0.0`, 405, 'attestations'],
    ['GET', '-/package/missing/visibility', 404, 'visibility'],
    ['POST', `-/package/${ESCAPED}/visibility`, 405, 'visibility'],
    ['GET', '-/whoami', 404, 'other'],
    ['GET', '-/v1/search?text=widgets', 404, 'other'],
  ]
  for (const [method, path, status, kind] of cases) {
    const res = await request(`${registry.url}${path}`, { method })
    t.equal(res.status, status, `${method} ${path}`)
    t.type(res.json().error, 'string')
    t.match(registry.requests.at(-1), { method, kind, status }, `${method} ${path} is recorded as ${kind}`)
  }
  t.notOk('pkgName' in (registry.requests.at(-1) as object), 'no package for an unknown route')
  t.equal(registry.requests.at(-1)?.path, '/-/v1/search', 'the path without its query')
})

t.test('the request log holds no token: ID tokens, exchanged tokens and classic tokens', async (t) => {
  const classic = `classic-${Math.random().toString(36).slice(2)}`
  const { issuer, registry, env } = await setUp(t, { tokens: { [classic]: { user: 'hana' } } })
  const idToken = await issuer.mint({ audience: 'npm:127.0.0.1' })
  const direct = await request(`${registry.url}-/npm/v1/oidc/token/exchange/package/${ESCAPED}`,
    { method: 'POST', headers: { authorization: `Bearer ${idToken}` } })
  t.equal(direct.status, 201)
  const minted = direct.json().token as string
  const token = await exchanged(registry, env)
  t.equal((await put(`${registry.url}${ESCAPED}`, publishBody(PKG, '1.0.0').body, minted)).status, 200)
  t.equal((await put(`${registry.url}${ESCAPED}`, publishBody(PKG, '1.0.1').body, token)).status, 200)
  t.equal((await put(`${registry.url}${ESCAPED}`, publishBody(PKG, '1.0.2').body, classic)).status, 200)
  const noBearer = await request(`${registry.url}-/npm/v1/oidc/token/exchange/package/${ESCAPED}`, { method: 'POST' })
  t.equal(noBearer.status, 401)
  t.match(registry.requests.map((r) => r.auth), ['id-token', 'id-token', 'oidc', 'oidc', 'token', 'none'])
  const log = JSON.stringify(registry.requests)
  for (const secret of [idToken, minted, token, classic, env.ACTIONS_ID_TOKEN_REQUEST_TOKEN as string]) {
    t.notOk(log.includes(secret), 'no token in the log')
  }
  t.equal(registry.exchanges(PKG), 3, 'refused exchanges count too')
})

t.test('under a path prefix, as behind Artifactory: the library keeps the path, the registry sees it', async (t) => {
  const { registry, env } = await setUp(t, { pathPrefix: '/api/npm/npm/', tokens: { 'classic-token-of-jo': { user: 'jo' } } })
  t.equal(registry.url, `${registry.origin}/api/npm/npm/`)
  t.equal(registry.authKey, `//127.0.0.1:${registry.port}/api/npm/npm/:_authToken`)
  const { manifest, tarball, integrity } = makeTarball(PKG, '1.0.0')
  const res = await publishWithOidc(manifest, tarball, opts(t, { registry: registry.url, env }))
  t.equal(res.status, 200)
  t.match(registry.requests.map((r) => [r.kind, r.path]), [
    ['exchange', `/api/npm/npm/-/npm/v1/oidc/token/exchange/package/${ESCAPED}`],
    ['visibility', `/api/npm/npm/-/package/${ESCAPED}/visibility`],
    ['publish', `/api/npm/npm/${ESCAPED}`],
  ])
  const version = (await request(`${registry.url}${ESCAPED}`)).json().versions['1.0.0']
  t.equal(version.dist.tarball, `${registry.url}${PKG}/-/widgets-1.0.0.tgz`)
  t.equal(version.dist.integrity, integrity)
  t.equal((await fetch(version.dist.tarball)).status, 200)
  const outside = await request(`${registry.origin}/${ESCAPED}`)
  t.same([outside.status, outside.json()], [404, { error: 'Not found' }])
  t.match(registry.requests.at(-1), { kind: 'other', path: `/${ESCAPED}` })
  t.notOk('pkgName' in (registry.requests.at(-1) as object))
  const trust = await listTrustedPublishers(PKG, { registry: registry.url, [registry.authKey]: 'classic-token-of-jo', cache: t.testdir() })
  t.equal(trust.length, 1, 'the trust routes keep the prefix too')
})

t.test('options are checked before anything listens', async (t) => {
  const issuer = { url: 'http://127.0.0.1:9', jwks: { keys: [] } }
  const bad: Array<[unknown, RegExp]> = [
    [null, /`options` to be an object/],
    [{ issuers: [] }, /`options.issuers`/],
    [{ issuers: [{ jwks: { keys: [] } }] }, /`options.issuers`/],
    [{ issuers: [''] }, /`options.issuers`/],
    [{ issuers: [42] }, /`options.issuers`/],
    [{ issuers: 'http://127.0.0.1:9' }, /`options.issuers`/],
    [{ issuers: [issuer], trustedPublishers: { a: {} } }, /`options.trustedPublishers`/],
    [{ issuers: [issuer], trustedPublishers: [] }, /`options.trustedPublishers`/],
    [{ issuers: [issuer], tokens: { t: 'alice' } }, /`options.tokens`/],
    [{ issuers: [issuer], tokens: [] }, /`options.tokens`/],
    [{ issuers: [issuer], tokenLifetime: 0 }, /`options.tokenLifetime`/],
    [{ issuers: [issuer], tokenLifetime: '60' }, /`options.tokenLifetime`/],
    [{ issuers: [issuer], verifyProvenance: true }, /`options.verifyProvenance`/],
    [{ issuers: [issuer], provenance: true }, /`options.provenance`/],
    [{ issuers: [issuer], provenance: {}, verifyProvenance: () => {} }, /without `options.verifyProvenance`/],
    [{ issuers: [issuer], maxTokenAge: -1 }, /maxTokenAge/],
    [{ issuers: [issuer], pathPrefix: 'npm/' }, /`options.pathPrefix`/],
    [{ issuers: [issuer], pathPrefix: '/npm' }, /`options.pathPrefix`/],
    [{ issuers: [issuer], pathPrefix: 7 }, /`options.pathPrefix`/],
  ]
  for (const [options, message] of bad) {
    await t.rejects(createTestRegistry(options as TestRegistryOptions), { name: 'TypeError', message })
  }
})
