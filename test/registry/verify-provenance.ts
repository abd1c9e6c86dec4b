// verifyProvenance against bundles signed by the local Sigstore services (test/fixtures/sigstore.ts) with ID tokens
// from the test kit's issuers: the statements are npm's own, signed as libnpmpublish signs them (sigstore.attest).
import t from 'tap'
import { createRequire } from 'node:module'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeJwt } from 'jose'
import { verifyProvenance, provenanceRejection } from '../../lib/registry/index.js'
import { createOidcIssuer } from '../../lib/testing/index.js'
import { isOidcError, type OidcError } from '../../lib/errors.js'
import { startSigstore } from '../fixtures/sigstore.js'
import { githubStatement, gitlabStatement } from '../fixtures/published.js'
import { makeTarball } from '../fixtures/tarball.js'
import { startServer, json } from '../fixtures/server.js'

const sigstore = createRequire(createRequire(import.meta.url).resolve('libnpmpublish'))('sigstore')
const IN_TOTO = 'application/vnd.in-toto+json'

const github = await createOidcIssuer({ provider: 'github-actions' })
const gitlab = await createOidcIssuer({ provider: 'gitlab' })
const services = await startSigstore({ issuers: [github, gitlab] })
const otherServices = await startSigstore({ issuers: [github] })
t.teardown(async () => {
  await services.close()
  await otherServices.close()
  await github.close()
  await gitlab.close()
})

const { manifest: ghManifest, integrity: ghIntegrity } = makeTarball('@acme/widgets', '1.2.0', {
  repository: { type: 'git', url: 'git+https://github.com/acme/widgets.git' },
})
const { manifest: glManifest, integrity: glIntegrity } = makeTarball('group-lib', '2.0.0', {
  repository: 'https://gitlab.com/group/project',
})
const trust = { trustMaterial: services.trustMaterial() }

const subjectOf = (name: string, version: string, integrity: string): unknown =>
  [{ name: `pkg:npm/${name.replace(/^@/, '%40')}@${version}`, digest: { sha512: Buffer.from(integrity.slice(7), 'base64').toString('hex') } }]

type Claims = Record<string, unknown>
async function sign (statement: unknown, token: string, via = services): Promise<Record<string, unknown>> {
  return sigstore.attest(Buffer.from(JSON.stringify(statement)), IN_TOTO,
    { ...via.signingOptions, identityToken: token, timeout: 5000, retry: { retries: 0 } })
}
async function exchangeClaims (issuer: typeof github, claims?: Claims): Promise<Claims> {
  return decodeJwt(await issuer.mint({ audience: 'npm:registry.npmjs.org', ...(claims ? { claims: claims as never } : {}) }))
}

const ghRelease = { repository: 'acme/widgets', workflow: '.github/workflows/release.yml' }
const glRelease = { repository: 'group/project', workflow: '.gitlab-ci.yml', ref: 'main' }
const ghBundle = await sign(githubStatement(subjectOf('@acme/widgets', '1.2.0', ghIntegrity), ghRelease),
  await github.mint({ audience: 'sigstore' }))
const ghClaims = await exchangeClaims(github)

type Input = Parameters<typeof verifyProvenance>[0]
/** verifyProvenance of the good GitHub input with some parts replaced, against the local services' root. */
const gh = (over: Partial<Input> = {}): ReturnType<typeof verifyProvenance> =>
  verifyProvenance({ bundle: ghBundle, integrity: ghIntegrity, manifest: ghManifest, claims: ghClaims, ...over }, trust)

async function refusal (promise: Promise<unknown>): Promise<OidcError> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  if (!isOidcError(err)) throw new Error(`expected an OidcError, got ${String(err)}`)
  return err
}

t.test('a good GitHub Actions bundle passes, with the facts it verified', async (t) => {
  const verified = await gh()
  t.match(verified, {
    certificateIdentity: 'https://github.com/acme/widgets/.github/workflows/release.yml@refs/heads/main',
    issuer: github.url,
    sourceRepository: 'https://github.com/acme/widgets',
    subject: 'pkg:npm/%40acme/widgets@1.2.0',
    repository: 'acme/widgets',
    workflow: '.github/workflows/release.yml',
    predicateType: 'https://slsa.dev/provenance/v1',
  })
  const textInput = { bundle: JSON.stringify(ghBundle), integrity: ghIntegrity, manifest: ghManifest, claims: ghClaims }
  const asText = await verifyProvenance(textInput, { trustedRoot: services.trustedRoot() })
  t.equal(asText.certificateIdentity, verified.certificateIdentity, 'the bundle as JSON text, a TrustedRoot message')
})

t.test('a good GitLab CI/CD bundle passes', async (t) => {
  const bundle = await sign(gitlabStatement(subjectOf('group-lib', '2.0.0', glIntegrity), glRelease), await gitlab.mint({ audience: 'sigstore' }))
  const claims = await exchangeClaims(gitlab)
  const verified = await verifyProvenance({ bundle, integrity: glIntegrity, manifest: glManifest, claims }, trust)
  t.match(verified, {
    certificateIdentity: 'https://gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main',
    sourceRepository: 'https://gitlab.com/group/project',
    repository: 'group/project',
    workflow: '.gitlab-ci.yml',
  })
})

t.test('a tampered tarball: the subject digest does not match', async (t) => {
  const tampered = makeTarball('@acme/widgets', '1.2.0', { description: 'changed after signing' })
  const err = await refusal(gh({ integrity: tampered.integrity }))
  t.equal(err.code, 'ERR_OIDC_VERIFY_PROVENANCE_SUBJECT')
  t.match(err.facts, /^expected pkg:npm\/%40acme\/widgets@1\.2\.0 with sha512 [0-9a-f]{128}, got pkg:npm\/%40acme\/widgets@1\.2\.0 with sha512 [0-9a-f]{128}$/)
  const otherVersion = await refusal(verifyProvenance({
    bundle: ghBundle, integrity: ghIntegrity, manifest: { ...ghManifest, version: '1.2.1' }, claims: ghClaims,
  }, trust))
  t.equal(otherVersion.code, 'ERR_OIDC_VERIFY_PROVENANCE_SUBJECT')
  const noSha512 = await refusal(gh({ integrity: 'sha1-abc=' }))
  t.match(noSha512.facts, /with sha512 \(none in the integrity\)/)
  const unsubjected = await sign({ ...githubStatement([{ name: 'pkg:npm/%40acme/widgets@1.2.0' }], ghRelease) as object },
    await github.mint({ audience: 'sigstore' }))
  t.match((await refusal(gh({ bundle: unsubjected }))).facts,
    /got pkg:npm\/%40acme\/widgets@1\.2\.0 with sha512 \(none\)$/)
})

t.test('a statement for another repository, signed in the job', async (t) => {
  const bundle = await sign(githubStatement(subjectOf('@acme/widgets', '1.2.0', ghIntegrity), { ...ghRelease, repository: 'evil/widgets' }),
    await github.mint({ audience: 'sigstore' }))
  const err = await refusal(gh({ bundle }))
  t.equal(err.code, 'ERR_OIDC_VERIFY_PROVENANCE_IDENTITY')
  t.equal(err.what, 'the provenance statement names another repository than the job whose ID token was exchanged')
  t.equal(err.facts, 'expected "acme/widgets", got "evil/widgets"')
  const otherPath = await sign(githubStatement(subjectOf('@acme/widgets', '1.2.0', ghIntegrity), { ...ghRelease, workflow: '.github/workflows/x.yml' }),
    await github.mint({ audience: 'sigstore' }))
  t.equal((await refusal(gh({ bundle: otherPath }))).facts,
    'expected ".github/workflows/release.yml", got ".github/workflows/x.yml"')
  const bare = githubStatement(subjectOf('@acme/widgets', '1.2.0', ghIntegrity), ghRelease) as {
    predicate: { buildDefinition: { externalParameters: Record<string, unknown> } }
  }
  bare.predicate.buildDefinition.externalParameters = {}
  const noSource = await sign(bare, await github.mint({ audience: 'sigstore' }))
  t.equal((await refusal(gh({ bundle: noSource }))).facts,
    'expected "acme/widgets", got (none)')
})

t.test('a certificate for another workflow than the exchanged token', async (t) => {
  const other = 'acme/widgets/.github/workflows/nightly.yml@refs/heads/main'
  const bundle = await sign(githubStatement(subjectOf('@acme/widgets', '1.2.0', ghIntegrity), ghRelease),
    await github.mint({ audience: 'sigstore', claims: { workflow_ref: other, job_workflow_ref: other } as never }))
  const err = await refusal(gh({ bundle }))
  t.equal(err.code, 'ERR_OIDC_VERIFY_PROVENANCE_IDENTITY')
  t.equal(err.what, 'the provenance certificate names another workflow than the job whose ID token was exchanged')
  t.equal(err.facts, `expected "https://github.com/${ghClaims.job_workflow_ref as string}", got "https://github.com/${other}"`)
})

t.test('the certificate\'s issuer, source repository and build config must be the exchanged token\'s', async (t) => {
  const cases: Array<[Claims, RegExp]> = [
    [{ ...ghClaims, iss: 'https://token.actions.githubusercontent.com' }, /another issuer/],
    [{ ...ghClaims, iss: undefined }, /another issuer/],
    [{ ...ghClaims, repository: 'acme/other' }, /another source repository/],
    [{ ...ghClaims, workflow_ref: 'acme/widgets/.github/workflows/caller.yml@refs/heads/main' }, /another build configuration/],
  ]
  for (const [claims, what] of cases) {
    const err = await refusal(gh({ claims }))
    t.equal(err.code, 'ERR_OIDC_VERIFY_PROVENANCE_IDENTITY')
    t.match(err.what, what)
  }
  const circle = await refusal(verifyProvenance({
    bundle: ghBundle, integrity: ghIntegrity, manifest: ghManifest, claims: { iss: 'https://oidc.circleci.com/org/x' },
  }, trust))
  t.match(circle, { code: 'ERR_OIDC_VERIFY_PROVENANCE_IDENTITY', what: 'provenance from this CI provider is not accepted' })
})

t.test('repository.url must match the signed source; the 422 body is npm\'s', async (t) => {
  const cases: Array<[unknown, string]> = [
    [undefined, '""'],
    [{ type: 'git', url: 'git+https://github.com/acme/other.git' }, '"git+https://github.com/acme/other.git"'],
  ]
  for (const [repository, shown] of cases) {
    const err = await refusal(verifyProvenance({
      bundle: ghBundle, integrity: ghIntegrity, manifest: { ...ghManifest, repository }, claims: ghClaims,
    }, trust))
    t.equal(err.code, 'ERR_OIDC_VERIFY_PROVENANCE_REPOSITORY')
    t.same(provenanceRejection(err), {
      status: 422,
      body: {
        error: 'Error verifying sigstore provenance bundle: Failed to validate repository information: package.json: ' +
          `"repository.url" is ${shown}, expected to match "https://github.com/acme/widgets" from provenance`,
      },
    })
  }
  for (const url of ['https://github.com/Acme/Widgets', 'git@github.com:acme/widgets.git', 'github:acme/widgets']) {
    t.ok(await gh({ manifest: { ...ghManifest, repository: url } }), url)
  }
})

t.test('a bundle signed by another Sigstore instance is refused', async (t) => {
  const bundle = await sign(githubStatement(subjectOf('@acme/widgets', '1.2.0', ghIntegrity), ghRelease),
    await github.mint({ audience: 'sigstore' }), otherServices)
  const err = await refusal(gh({ bundle }))
  t.equal(err.code, 'ERR_OIDC_VERIFY_PROVENANCE_SIGNATURE')
  t.match(provenanceRejection(err).body.error,
    /^Error verifying sigstore provenance bundle: the provenance bundle does not verify against the trust root \(.+\)$/)
})

t.test('malformed bundles', async (t) => {
  const input = { integrity: ghIntegrity, manifest: ghManifest, claims: ghClaims }
  const { dsseEnvelope: _, ...withoutEnvelope } = ghBundle
  const messageBundle = { ...withoutEnvelope, messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: 'AAAA' }, signature: 'AAAA' } }
  const material = ghBundle.verificationMaterial as Record<string, unknown>
  const keyBundle = { ...ghBundle, verificationMaterial: { tlogEntries: material.tlogEntries, publicKey: { hint: 'a key' } } }
  const envelope = ghBundle.dsseEnvelope as Record<string, unknown>
  const cases: Array<[unknown, RegExp]> = [
    ['not json', /is not JSON/],
    [42, /is not an object/],
    [{ mediaType: 'nope' }, /not a valid Sigstore bundle/],
    [messageBundle, /holds no certificate-signed statement/],
    [keyBundle, /holds no certificate-signed statement/],
    [{ ...ghBundle, dsseEnvelope: { ...envelope, payloadType: 'text/plain' } }, /holds no certificate-signed statement/],
  ]
  for (const [bundle, what] of cases) {
    const err = await refusal(verifyProvenance({ ...input, bundle }, trust))
    t.equal(err.code, 'ERR_OIDC_VERIFY_PROVENANCE_MALFORMED', String(what))
    t.match(err.what, what)
  }
  const notInToto = await sign({ hello: 'world' }, await github.mint({ audience: 'sigstore' }))
  t.match(await refusal(verifyProvenance({ ...input, bundle: notInToto }, trust)),
    { code: 'ERR_OIDC_VERIFY_PROVENANCE_MALFORMED', what: 'the signed payload is not an in-toto statement' })
})

t.test('without a trust root, Sigstore\'s public-good root is loaded through TUF (here from an unusable mirror)', async (t) => {
  const mirror = await startServer(json(404, {}))
  const cachePath = await mkdtemp(join(tmpdir(), 'libnpmoidc-tuf-'))
  t.teardown(async () => { await mirror.close(); await rm(cachePath, { recursive: true, force: true }) })
  const input = { bundle: ghBundle, integrity: ghIntegrity, manifest: ghManifest, claims: ghClaims }
  const err = await verifyProvenance(input,
    { tuf: { mirrorURL: mirror.origin, cachePath, retry: 0, timeout: 2000 } }).then(() => undefined, (e: unknown) => e)
  t.ok(err instanceof Error && !isOidcError(err), 'a trust root that cannot be loaded is the registry\'s failure, not the client\'s')
  t.match(err, { name: 'TUFError' }, (err as Error).message)
})

t.test('programmer errors name the argument', async (t) => {
  const good = { bundle: ghBundle, integrity: ghIntegrity, manifest: ghManifest, claims: ghClaims }
  await t.rejects(verifyProvenance(null as never), { name: 'TypeError', message: /`input`/ })
  await t.rejects(verifyProvenance({ ...good, integrity: 1 as never }), { name: 'TypeError', message: /`input.integrity`/ })
  await t.rejects(verifyProvenance({ ...good, manifest: null as never }), { name: 'TypeError', message: /`input.manifest`/ })
  await t.rejects(verifyProvenance({ ...good, claims: 'x' as never }), { name: 'TypeError', message: /`input.claims`/ })
})
