import t from 'tap'
import { verifyPublished, isOidcError } from '../../lib/index.js'
import { startPackumentServer, fulcioIdentity, type PackumentServer } from '../fixtures/published.ts'

const release = { repository: 'acme/widgets', workflow: '.github/workflows/release.yml' }
const gitlabRelease = { repository: 'group/sub/lib', workflow: '.gitlab-ci.yml' }

let server: PackumentServer
t.before(async () => {
  server = await startPackumentServer([
    { name: '@acme/widgets', version: '1.0.0', trustedPublisher: null },
    { name: '@acme/widgets', version: '1.1.0', trustedPublisher: 'github' },
    { name: '@acme/widgets', version: '1.2.0', trustedPublisher: 'github', provenance: release },
    { name: '@acme/widgets', version: '1.3.0', trustedPublisher: 'github', provenance: { ...release, workflow: '.github/workflows/other.yml' } },
    { name: '@acme/widgets', version: '1.4.0', trustedPublisher: 'github', provenance: { ...release, repository: 'evil/widgets' } },
    { name: '@acme/widgets', version: '1.5.0', trustedPublisher: 'github', provenance: release, subjectSha512: 'ab'.repeat(64) },
    { name: 'group-lib', version: '2.0.0', trustedPublisher: 'gitlab', provenance: gitlabRelease },
  ])
})
t.teardown(() => server.close())

const code = (err: unknown): string => (isOidcError(err) ? err.code : String(err))

t.test('README example: a trusted publish with provenance from the expected workflow passes', async (t) => {
  const evidence = await verifyPublished('@acme/widgets', '1.2.0', {
    registry: server.registry,
    expect: { provider: 'github', provenance: true, repository: 'acme/widgets', workflow: 'release.yml' },
  })
  t.match(evidence, {
    name: '@acme/widgets',
    version: '1.2.0',
    registry: server.registry,
    trustedPublisher: { id: 'github', oidcConfigId: 'oidc:github-1' },
    integrity: server.integrity.get('@acme/widgets@1.2.0'),
    provenance: {
      url: `${server.origin}/-/npm/v1/attestations/@acme%2fwidgets@1.2.0`,
      predicateType: 'https://slsa.dev/provenance/v1',
      subject: 'pkg:npm/%40acme/widgets@1.2.0',
      repository: 'acme/widgets',
      workflow: '.github/workflows/release.yml',
      ref: 'refs/heads/main',
      certificateIdentity: fulcioIdentity('github', release),
    },
  })
  t.equal(evidence.provenance?.certificateIdentity,
    'https://github.com/acme/widgets/.github/workflows/release.yml@refs/heads/main')
})

t.test('the libnpmoidc provider id, a workflow path and another letter case of the repository pass too', async (t) => {
  const evidence = await verifyPublished('@acme/widgets', '1.2.0', {
    registry: server.registry,
    expect: { provider: 'github-actions', repository: 'Acme/Widgets', workflow: '.github/workflows/release.yml' },
  })
  t.equal(evidence.trustedPublisher.id, 'github')
})

t.test('a GitLab trusted publish with provenance passes', async (t) => {
  const evidence = await verifyPublished('group-lib', '2.0.0', {
    registry: server.registry,
    expect: { provider: 'gitlab', provenance: true, repository: 'group/sub/lib', workflow: '.gitlab-ci.yml' },
  })
  t.match(evidence.provenance, {
    predicateType: 'https://slsa.dev/provenance/v0.2',
    repository: 'group/sub/lib',
    workflow: '.gitlab-ci.yml',
    ref: 'main',
    certificateIdentity: 'https://gitlab.com/group/sub/lib//.gitlab-ci.yml@refs/heads/main',
  })
})

t.test('a trusted publish without provenance passes when provenance is not expected', async (t) => {
  const evidence = await verifyPublished('@acme/widgets', '1.1.0', { registry: server.registry })
  t.equal(evidence.provenance, null)
  t.same(evidence.trustedPublisher, { id: 'github', oidcConfigId: 'oidc:github-1' })
})

t.test('a token publish fails: no trustedPublisher', async (t) => {
  await t.rejects(verifyPublished('@acme/widgets', '1.0.0', { registry: server.registry }), {
    code: 'ERR_OIDC_PUBLISHED_NOT_TRUSTED',
    facts: 'no _npmUser.trustedPublisher; published by "someone"',
  })
  const doc = server.documents.get('/@acme%2fwidgets') as { versions: Record<string, Record<string, unknown>> }
  const { _npmUser: _, ...bare } = doc.versions['1.0.0'] as Record<string, unknown>
  server.documents.set('/bare', { versions: { '1.0.0': bare } })
  await t.rejects(verifyPublished('bare', '1.0.0', { registry: server.registry }), {
    code: 'ERR_OIDC_PUBLISHED_NOT_TRUSTED', facts: 'no _npmUser.trustedPublisher; no _npmUser recorded',
  })
})

t.test('another provider fails', async (t) => {
  const err = await verifyPublished('group-lib', '2.0.0', { registry: server.registry, expect: { provider: 'github' } })
    .catch((e: unknown) => e)
  t.equal(code(err), 'ERR_OIDC_PUBLISHED_OTHER_PROVIDER')
  t.match(err, { facts: 'expected github, got gitlab' })
})

t.test('provenance expected but absent fails; so do repository and workflow expectations', async (t) => {
  await t.rejects(verifyPublished('@acme/widgets', '1.1.0', { registry: server.registry, expect: { provenance: true } }),
    { code: 'ERR_OIDC_PUBLISHED_NO_PROVENANCE', facts: 'no dist.attestations', hint: /Publish with provenance/ })
  await t.rejects(verifyPublished('@acme/widgets', '1.1.0', { registry: server.registry, expect: { workflow: 'a.yml' } }),
    { code: 'ERR_OIDC_PUBLISHED_NO_PROVENANCE', hint: /only be checked from a provenance/ })
  const evidence = await verifyPublished('@acme/widgets', '1.1.0', {
    registry: server.registry, expect: { provenance: false },
  })
  t.equal(evidence.provenance, null, 'provenance: false does not require it')
})

t.test('an attestation for another workflow, repository or tarball fails', async (t) => {
  const expect = { repository: 'acme/widgets', workflow: 'release.yml' }
  await t.rejects(verifyPublished('@acme/widgets', '1.3.0', { registry: server.registry, expect }), {
    code: 'ERR_OIDC_PUBLISHED_OTHER_SOURCE',
    what: 'the provenance of @acme/widgets@1.3.0 names another workflow',
    facts: 'expected "release.yml", got ".github/workflows/other.yml"',
  })
  await t.rejects(verifyPublished('@acme/widgets', '1.4.0', { registry: server.registry, expect }), {
    code: 'ERR_OIDC_PUBLISHED_OTHER_SOURCE', facts: 'expected "acme/widgets", got "evil/widgets"',
  })
  await t.rejects(verifyPublished('@acme/widgets', '1.5.0', { registry: server.registry }), {
    code: 'ERR_OIDC_PUBLISHED_OTHER_SOURCE', what: /another tarball \(sha512\)/,
  })
})

t.test('an attestation for another package version fails', async (t) => {
  const doc = server.documents.get('/@acme%2fwidgets') as { versions: Record<string, { dist: { attestations: unknown } }> }
  const moved = { ...doc, versions: { ...doc.versions, '9.9.9': doc.versions['1.2.0'] } }
  server.documents.set('/moved', { ...moved, name: '@acme/widgets' })
  server.documents.set('/@acme%2fmoved', moved)
  await t.rejects(verifyPublished('@acme/moved', '9.9.9', { registry: server.registry }), {
    code: 'ERR_OIDC_PUBLISHED_OTHER_SOURCE',
    facts: 'expected pkg:npm/%40acme/moved@9.9.9, got "pkg:npm/%40acme/widgets@1.2.0"',
  })
})

t.test('no such version, no such package', async (t) => {
  await t.rejects(verifyPublished('@acme/widgets', '7.0.0', { registry: server.registry }), {
    code: 'ERR_OIDC_PUBLISHED_NOT_FOUND', facts: 'the packument has no such version',
  })
  await t.rejects(verifyPublished('@acme/nothing', '1.0.0', { registry: server.registry }), {
    code: 'ERR_OIDC_PUBLISHED_NOT_FOUND', facts: 'status 404 for the packument',
  })
})

t.test('unreadable answers', async (t) => {
  server.queue((res) => { res.writeHead(503).end('busy') })
  await t.rejects(verifyPublished('@acme/widgets', '1.2.0', { registry: server.registry, fetchRetries: 0 }), {
    code: 'ERR_OIDC_PUBLISHED_UNREADABLE', facts: 'status 503', status: 503,
  })
  await t.rejects(verifyPublished('@acme/widgets', '1.2.0', { registry: 'http://127.0.0.1:1/', fetchRetries: 0 }), {
    code: 'ERR_OIDC_PUBLISHED_UNREADABLE', facts: 'ECONNREFUSED',
  })
  const doc = server.documents.get('/@acme%2fwidgets') as { versions: Record<string, { dist: Record<string, unknown> }> }
  const version = doc.versions['1.2.0'] as { dist: Record<string, unknown> }
  const broken = (url: string): unknown => ({ versions: { '1.0.0': { ...version, dist: { ...version.dist, attestations: { url } } } } })
  server.documents.set('/gone', broken('/-/npm/v1/attestations/gone@1.0.0'))
  await t.rejects(verifyPublished('gone', '1.0.0', { registry: server.registry }), {
    code: 'ERR_OIDC_PUBLISHED_UNREADABLE', facts: /^status 404 from http:\/\/127\.0\.0\.1:\d+\/-\/npm\/v1\/attestations\/gone@1\.0\.0$/,
  })
  const shapes: unknown[] = [
    { nothing: true },
    { attestations: [{ predicateType: 'https://github.com/npm/attestation/tree/main/specs/publish/v0.1' }] },
    { attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: { dsseEnvelope: {} } }] },
    { attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: { dsseEnvelope: { payload: 'bm90IGpzb24' } } }] },
    { attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: { dsseEnvelope: { payload: Buffer.from('{}').toString('base64') } } }] },
    { attestations: [null] },
  ]
  for (const [i, shape] of shapes.entries()) {
    server.documents.set(`/shape${i}`, broken(`/att/${i}`))
    server.documents.set(`/att/${i}`, shape)
    await t.rejects(verifyPublished(`shape${i}`, '1.0.0', { registry: server.registry }), {
      code: 'ERR_OIDC_PUBLISHED_UNREADABLE', what: `the attestations of shape${i}@1.0.0 hold no readable provenance statement`,
    }, JSON.stringify(shape))
  }
})

t.test('a bundle with an unreadable or absent certificate still gives the statement', async (t) => {
  const att = server.documents.get('/-/npm/v1/attestations/@acme%2fwidgets@1.2.0') as { attestations: Array<{ bundle: Record<string, unknown> }> }
  const bundle = att.attestations[1]?.bundle as Record<string, unknown>
  const doc = server.documents.get('/@acme%2fwidgets') as { versions: Record<string, { dist: Record<string, unknown> }> }
  const version = doc.versions['1.2.0'] as { dist: Record<string, unknown> }
  const materials = [
    { x509CertificateChain: { certificates: [{ rawBytes: Buffer.from('junk').toString('base64') }] } },
    {},
  ]
  for (const [i, verificationMaterial] of materials.entries()) {
    server.documents.set(`/@acme%2fcert${i}`, { versions: { '1.2.0': { ...version, dist: { ...version.dist, attestations: { url: `/c/${i}` } } } } })
    server.documents.set(`/c/${i}`, { attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle: { ...bundle, verificationMaterial } }] })
  }
  // The subject names @acme/widgets: read the evidence through the OTHER_SOURCE facts.
  for (const i of [0, 1]) {
    await t.rejects(verifyPublished(`@acme/cert${i}`, '1.2.0', { registry: server.registry }), { code: 'ERR_OIDC_PUBLISHED_OTHER_SOURCE' })
  }
})

t.test('no credential is ever sent, whatever the options hold', async (t) => {
  const before = server.requests.length
  const host = new URL(server.registry).host
  await verifyPublished('@acme/widgets', '1.2.0', {
    registry: server.registry,
    [`//${host}/:_authToken`]: 'configured-secret',
    '@acme:registry': server.registry,
    forceAuth: { token: 'forced-secret' },
    headers: { Authorization: 'Bearer header-secret', cookie: 'c=1', 'x-trace': 'kept' },
    userAgent: 'release-tool/1.0',
  } as Parameters<typeof verifyPublished>[2])
  const seen = server.requests.slice(before)
  t.equal(seen.length, 2, 'packument and attestations')
  for (const req of seen) {
    t.equal(req.headers.authorization, undefined, `${req.path} carries no Authorization`)
    t.equal(req.headers.cookie, undefined)
    t.equal(req.headers['x-trace'], 'kept')
    t.match(req.headers['user-agent'], /^release-tool\/1\.0/)
    t.notMatch(JSON.stringify(req.headers), /secret/)
  }
})

t.test('the scope registry from npm options is used when no registry is given', async (t) => {
  const evidence = await verifyPublished('@acme/widgets', '1.1.0', { '@acme:registry': server.registry })
  t.equal(evidence.registry, server.registry)
})

t.test('programmer errors are TypeErrors naming the argument', async (t) => {
  await t.rejects(verifyPublished('Not A Name', '1.0.0'), { name: 'TypeError', message: /`pkg`/ })
  await t.rejects(verifyPublished('a', ''), { name: 'TypeError', message: /`version`/ })
  await t.rejects(verifyPublished('a', '1.0.0', null as never), { name: 'TypeError', message: /`opts`/ })
  await t.rejects(verifyPublished('a', '1.0.0', { expect: 'x' as never }), { name: 'TypeError', message: /`opts.expect`/ })
  await t.rejects(verifyPublished('a', '1.0.0', { expect: { provider: '' } }), { message: /`opts.expect.provider`/ })
  await t.rejects(verifyPublished('a', '1.0.0', { expect: { provenance: 'yes' as never } }), { message: /`opts.expect.provenance`/ })
  await t.rejects(verifyPublished('a', '1.0.0', { timeout: -1 }), { message: /`opts.timeout`/ })
  await t.rejects(verifyPublished('a', '1.0.0', { headers: 'x' as never }), { message: /`opts.headers`/ })
})

t.test('sparse records: no integrity, no oidcConfigId, a statement without repository, a certificate without SAN', async (t) => {
  const att = server.documents.get('/-/npm/v1/attestations/@acme%2fwidgets@1.2.0') as { attestations: Array<{ bundle: Record<string, unknown> }> }
  const bundle = att.attestations[1]?.bundle as { dsseEnvelope: { payload: string } }
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()) as {
    subject: Array<{ name: string }>
    predicate: { buildDefinition: { externalParameters: { workflow: Record<string, unknown> } } }
  }
  statement.subject = [{ name: 'pkg:npm/sparse@1.0.0' }]
  delete statement.predicate.buildDefinition.externalParameters.workflow.repository
  const { initializeCA } = await import('@sigstore/mock')
  const { generateKeyPairSync } = await import('node:crypto')
  const ca = await initializeCA(generateKeyPairSync('ec', { namedCurve: 'P-384' }))
  server.documents.set('/att/sparse', {
    attestations: [{
      predicateType: 'https://slsa.dev/provenance/v1',
      bundle: {
        ...bundle,
        dsseEnvelope: { ...bundle.dsseEnvelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') },
        verificationMaterial: { x509CertificateChain: { certificates: [{ rawBytes: Buffer.from(ca.rootCertificate.buffer).toString('base64') }] } },
      },
    }],
  })
  server.documents.set('/sparse', {
    versions: { '1.0.0': { name: 'sparse', _npmUser: { trustedPublisher: { id: 'github' } }, dist: { attestations: { url: '/att/sparse' } } } },
  })
  const evidence = await verifyPublished('sparse', '1.0.0', { registry: server.registry, expect: { workflow: 'release.yml' } })
  t.same(evidence.trustedPublisher, { id: 'github' })
  t.equal(evidence.integrity, undefined)
  t.equal(evidence.provenance?.repository, undefined)
  t.equal(evidence.provenance?.sha512, undefined)
  t.equal(evidence.provenance?.certificateIdentity, undefined, 'a certificate without a SAN names no identity')
  await t.rejects(verifyPublished('sparse', '1.0.0', { registry: server.registry, expect: { repository: 'acme/widgets' } }), {
    code: 'ERR_OIDC_PUBLISHED_OTHER_SOURCE', facts: 'expected "acme/widgets", got (none)',
  })
  const doc = server.documents.get('/sparse') as { versions: Record<string, { dist: Record<string, unknown> }> }
  ;(doc.versions['1.0.0'] as { dist: Record<string, unknown> }).dist.integrity = 'sha1-abc='
  t.equal((await verifyPublished('sparse', '1.0.0', { registry: server.registry })).integrity, 'sha1-abc=',
    'an integrity without sha512 cannot be compared')
})

t.test('a GitLab statement without CI_PROJECT_PATH names the project from its config source', async (t) => {
  const att = server.documents.get('/-/npm/v1/attestations/group-lib@2.0.0') as { attestations: Array<{ bundle: Record<string, unknown> }> }
  const bundle = att.attestations[1]?.bundle as { dsseEnvelope: { payload: string } }
  const statement = JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString()) as {
    predicate: { invocation: { parameters: Record<string, unknown> } }
  }
  delete statement.predicate.invocation.parameters.CI_PROJECT_PATH
  const doc = server.documents.get('/group-lib') as { versions: Record<string, { dist: Record<string, unknown> }> }
  const version = doc.versions['2.0.0'] as { dist: Record<string, unknown> }
  server.documents.set('/att/gl', {
    attestations: [{
      predicateType: 'https://slsa.dev/provenance/v0.2',
      bundle: { ...bundle, dsseEnvelope: { ...bundle.dsseEnvelope, payload: Buffer.from(JSON.stringify(statement)).toString('base64') } },
    }],
  })
  server.documents.set('/group-lib-copy', { versions: { '2.0.0': { ...version, dist: { ...version.dist, attestations: { url: '/att/gl' } } } } })
  await t.rejects(verifyPublished('group-lib-copy', '2.0.0', { registry: server.registry }), {
    code: 'ERR_OIDC_PUBLISHED_OTHER_SOURCE', facts: 'expected pkg:npm/group-lib-copy@2.0.0, got "pkg:npm/group-lib@2.0.0"',
  })
  server.documents.set('/group-lib', { versions: { '2.0.0': { ...version, dist: { ...version.dist, attestations: { url: '/att/gl' } } } } })
  const evidence = await verifyPublished('group-lib', '2.0.0', { registry: server.registry, expect: { repository: 'group/sub/lib' } })
  t.equal(evidence.provenance?.repository, 'group/sub/lib')
})

t.test('a bundle signed by the local Sigstore services, as libnpmpublish attaches it, is read the same way', async (t) => {
  const { createRequire } = await import('node:module')
  const { createOidcIssuer } = await import('../../lib/testing/index.js')
  const { startSigstore } = await import('../fixtures/sigstore.js')
  const { githubStatement } = await import('../fixtures/published.js')
  const github = await createOidcIssuer({ provider: 'github-actions' })
  const services = await startSigstore({ issuers: [github] })
  t.teardown(async () => { await services.close(); await github.close() })
  const sigstore = createRequire(createRequire(import.meta.url).resolve('libnpmpublish'))('sigstore')
  const integrity = server.integrity.get('@acme/widgets@1.2.0') as string
  const subject = [{ name: 'pkg:npm/%40acme/widgets@1.2.0', digest: { sha512: Buffer.from(integrity.slice(7), 'base64').toString('hex') } }]
  const bundle = await sigstore.attest(Buffer.from(JSON.stringify(githubStatement(subject, release))), 'application/vnd.in-toto+json',
    { ...services.signingOptions, identityToken: await github.mint({ audience: 'sigstore' }), timeout: 5000, retry: { retries: 0 } })
  // Replaces the fixture's unsigned attestation of 1.2.0 (this is the last test of the file).
  server.documents.set('/-/npm/v1/attestations/@acme%2fwidgets@1.2.0', {
    attestations: [{ predicateType: 'https://slsa.dev/provenance/v1', bundle }],
  })
  const evidence = await verifyPublished('@acme/widgets', '1.2.0', {
    registry: server.registry, expect: { provider: 'github', provenance: true, repository: 'acme/widgets', workflow: 'release.yml' },
  })
  t.equal(evidence.provenance?.certificateIdentity,
    'https://github.com/acme/widgets/.github/workflows/release.yml@refs/heads/main', 'the SAN Fulcio wrote')
  t.equal(evidence.provenance?.sha512, subject[0]?.digest.sha512)
})
