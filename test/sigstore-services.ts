// The local Sigstore services the provenance tests sign with (test/fixtures/sigstore.ts): Fulcio checks the ID
// token and names the job as real Fulcio does, Rekor stores the entry as real Rekor does, and the bundles they
// produce verify with @sigstore/verify against the trust root the fixture hands out.
import t from 'tap'
import { createRequire } from 'node:module'
import { Verifier, toSignedEntity } from '@sigstore/verify'
import { bundleFromJSON } from '@sigstore/bundle'
import { createOidcIssuer } from '../lib/testing/index.js'
import { startSigstore } from './fixtures/sigstore.js'

// sigstore is what libnpmpublish signs with; reach it through libnpmpublish so the version is the one it uses.
const sigstore = createRequire(createRequire(import.meta.url).resolve('libnpmpublish'))('sigstore')
const PAYLOAD_TYPE = 'application/vnd.in-toto+json'

const github = await createOidcIssuer({ provider: 'github-actions' })
const gitlab = await createOidcIssuer({ provider: 'gitlab' })
const stranger = await createOidcIssuer({ provider: 'github-actions' })
const services = await startSigstore({ issuers: [github, gitlab] })
t.teardown(async () => {
  await services.close()
  for (const i of [github, gitlab, stranger]) await i.close()
})

const sign = async (identityToken: string, extra: Record<string, unknown> = {}) =>
  sigstore.attest(Buffer.from('{"_type":"statement"}'), PAYLOAD_TYPE,
    { ...services.signingOptions, identityToken, timeout: 2000, retry: { retries: 0 }, ...extra })

t.test('a GitHub Actions token signs as the job workflow, and the bundle verifies', async (t) => {
  const bundle = await sign(await github.mint({ audience: 'sigstore' }))
  const signer = new Verifier(services.trustMaterial()).verify(toSignedEntity(bundleFromJSON(bundle)))
  t.equal(signer.identity?.subjectAlternativeName,
    'https://github.com/acme/widgets/.github/workflows/release.yml@refs/heads/main')
  t.equal(signer.identity?.extensions?.issuer, github.url)
  t.equal(bundle.verificationMaterial.tlogEntries[0].kindVersion.kind, 'dsse')
  const body = JSON.parse(Buffer.from(bundle.verificationMaterial.tlogEntries[0].canonicalizedBody, 'base64').toString())
  t.equal(body.spec.signatures.length, 1, 'Rekor stores one signature with its verifier, as real Rekor does')
})

t.test('a GitLab token signs as the CI config of the project and ref', async (t) => {
  const bundle = await sign(await gitlab.mint({ audience: 'sigstore' }))
  const signer = new Verifier(services.trustMaterial()).verify(toSignedEntity(bundleFromJSON(bundle)))
  t.equal(signer.identity?.subjectAlternativeName, 'https://gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main')
})

t.test('a timestamp from the local TSA verifies against the same trust root', async (t) => {
  const bundle = await sign(await github.mint({ audience: 'sigstore' }), { tsaServerURL: services.tsaURL, tlogUpload: false })
  t.same(bundle.verificationMaterial.tlogEntries ?? [], [])
  t.equal(bundle.verificationMaterial.timestampVerificationData.rfc3161Timestamps.length, 1)
  const verifier = new Verifier(services.trustMaterial(), { tlogThreshold: 0, tsaThreshold: 1 })
  t.ok(verifier.verify(toSignedEntity(bundleFromJSON(bundle))))
  t.match(services.trustedRootJSON(), {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{ baseUrl: services.rekorURL, hashAlgorithm: 'SHA2_256', publicKey: { rawBytes: String } }],
    certificateAuthorities: [{ uri: services.fulcioURL, certChain: { certificates: [{ rawBytes: String }] } }],
    timestampAuthorities: [{ uri: services.tsaURL }],
  })
})

t.test('Fulcio refuses what real Fulcio refuses, and issues nothing', async (t) => {
  const cases = [
    { name: 'npm audience', token: () => github.mint({ audience: 'npm:registry.npmjs.org' }), detail: /"aud"/ },
    { name: 'unknown issuer', token: () => stranger.mint({ audience: 'sigstore' }), detail: /is not configured/ },
    { name: 'forged signature', token: () => github.mintWithForeignKey({ audience: 'sigstore' }), detail: /signature/ },
    { name: 'expired', token: () => github.mint({ audience: 'sigstore', expiresIn: -300 }), detail: /"exp"/ },
  ]
  for (const c of cases) {
    const before = services.requests.length
    const err = await sign(await c.token()).then(() => undefined, (e: Error) => e)
    t.match(err, { message: /error creating signing certificate - \(401\)/ }, c.name)
    t.match(services.requests.slice(before), [{ service: 'fulcio', status: 401, detail: c.detail }], c.name)
    t.notOk(services.requests.slice(before).some((r) => r.service === 'rekor'), `${c.name}: nothing logged`)
  }
})

t.test('the trust root of other services does not verify these bundles', async (t) => {
  const other = await startSigstore({ issuers: [github] })
  t.teardown(other.close)
  const bundle = await sign(await github.mint({ audience: 'sigstore' }))
  t.throws(() => new Verifier(other.trustMaterial()).verify(toSignedEntity(bundleFromJSON(bundle))))
})
