// End to end with provenance: a simulated GitHub Actions job (its own process, so that process.env is the job's)
// publishes through publishWithOidc to Verdaccio with provenance signed by local Sigstore services. The registry
// verifies the bundle and records the evidence npmjs records. Nothing beyond loopback: a refusing proxy sees any try.
import t from 'tap'
import { createHash } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Verifier, toSignedEntity } from '@sigstore/verify'
import { bundleFromJSON } from '@sigstore/bundle'
import { createOidcIssuer } from '../../lib/testing/index.js'
import { startRegistry } from '../fixtures/registry.js'
import { makeTarball } from '../fixtures/tarball.js'
import { startSigstore } from '../fixtures/sigstore.js'
import { publishInJob } from '../fixtures/job-process.js'
import { startNoNetwork } from '../fixtures/no-network.js'
import { request } from '../fixtures/http-request.js'
import { JWT_PATTERN, readPackument, watchExchanges } from '../fixtures/e2e.js'
import { publish } from 'libnpmpublish'
import { isOidcError, verifyPublished } from '../../lib/index.js'

const REPOSITORY = { type: 'git', url: 'git+https://github.com/acme/widgets.git' }
const releaseYml = {
  type: 'github',
  claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' } },
  permissions: ['createPackage'],
}
const PACKAGES = ['@acme/token', '@acme/signed', 'signed-cli', '@acme/unsigned', '@acme/auto', '@acme/untrusted-signer', '@acme/other-job', '@acme/offline']

const issuer = await createOidcIssuer({ provider: 'github-actions' })
const otherJob = await createOidcIssuer({ provider: 'github-actions', claims: { repository: 'acme/other' } })
const sigstore = await startSigstore({ issuers: [issuer, otherJob] })
const network = await startNoNetwork()
const registry = await startRegistry({
  issuers: [issuer.url],
  jwks: { [issuer.url]: issuer.jwks },
  trustedPublishers: Object.fromEntries(PACKAGES.map((name) => [name, [releaseYml]])),
  provenanceTrustedRoot: sigstore.trustedRootJSON(),
})
t.teardown(async () => {
  await registry.close()
  await sigstore.close()
  await network.close()
  await issuer.close()
  await otherJob.close()
})

const jobEnv = async () => ({ ...await issuer.jobEnv(), ...network.env })
const publishOptions = (t: { testdir: () => string }, extra: Record<string, unknown> = {}) => ({
  registry: registry.url,
  cache: t.testdir(),
  preferOnline: true,
  retry: { retries: 0 },
  timeout: 30_000,
  ...sigstore.signingOptions,
  ...extra,
})
const sigstoreCalls = () => sigstore.requests.length

t.test('provenance: true signs as the job, and the registry verifies and records it', async (t) => {
  for (const name of ['@acme/signed', 'signed-cli']) {
    const before = { sigstore: sigstoreCalls(), issuer: issuer.requests.length }
    const { integrity } = makeTarball(name, '1.0.0', { repository: REPOSITORY })
    const { result, stdout, stderr } = await publishInJob(await jobEnv(), {
      name, version: '1.0.0', extra: { repository: REPOSITORY }, opts: publishOptions(t, { provenance: true, access: 'public' }),
    })
    t.notMatch(stdout + stderr, JWT_PATTERN, 'no token in the job\'s output')
    t.same(result.error, undefined, `${name}: no error`)
    t.equal(result.status, 201)
    t.same(result.auth, { method: 'oidc', provider: 'github-actions' })
    t.same(result.provenance, { enabled: true, source: 'explicit', reason: 'requested by the caller' })
    t.match(result.transparencyLogUrl, /^https:\/\/search\.sigstore\.dev\/\?logIndex=\d+$/)
    t.same(issuer.requests.slice(before.issuer).map((r) => r.query.audience), ['npm:127.0.0.1', 'sigstore'],
      'one ID token for the exchange, one for Fulcio, both requested by the job')
    t.match(sigstore.requests.slice(before.sigstore), [
      { service: 'fulcio', status: 201, detail: 'https://github.com/acme/widgets/.github/workflows/release.yml@refs/heads/main' },
      { service: 'rekor', status: 201 },
    ])

    const { packument } = await readPackument(registry, name)
    const version = packument.versions['1.0.0']
    t.equal(version.dist.integrity, integrity)
    t.match(version._npmUser, { name: 'GitHub Actions', trustedPublisher: { id: 'github', oidcConfigId: /^oidc:\w+/ } })
    t.same(version.dist.attestations, {
      url: `${registry.url}-/npm/v1/attestations/${name}@1.0.0`,
      provenance: { predicateType: 'https://slsa.dev/provenance/v1' },
    })

    const [attestation] = (await request(version.dist.attestations.url)).json().attestations
    const signer = new Verifier(sigstore.trustMaterial()).verify(toSignedEntity(bundleFromJSON(attestation.bundle)))
    t.equal(signer.identity?.subjectAlternativeName, 'https://github.com/acme/widgets/.github/workflows/release.yml@refs/heads/main')
    const statement = JSON.parse(Buffer.from(attestation.bundle.dsseEnvelope.payload, 'base64').toString())
    t.same(statement.subject, [{
      name: `pkg:npm/${name.replace('@', '%40')}@1.0.0`,
      digest: { sha512: createHash('sha512').update(makeTarball(name, '1.0.0', { repository: REPOSITORY }).tarball).digest('hex') },
    }], 'the subject is the tarball, by its sha512')
    const build = statement.predicate.buildDefinition
    t.same(build.externalParameters.workflow, { ref: 'refs/heads/main', repository: 'https://github.com/acme/widgets', path: '.github/workflows/release.yml' })
    t.same(build.resolvedDependencies, [{
      uri: 'git+https://github.com/acme/widgets@refs/heads/main', digest: { gitCommit: issuer.claims.sha },
    }], 'the source repository and commit are the job\'s')
    t.equal(statement.predicate.runDetails.metadata.invocationId, 'https://github.com/acme/widgets/actions/runs/9876543210/attempts/1')
  }
  t.same(network.attempts, [], 'signing needed nothing beyond loopback (no TUF download)')
})

t.test('verifyPublished after the trusted publish with provenance: passes as expected, fails for another workflow',
  async (t) => {
    const expect = { provider: 'github', repository: 'acme/widgets', workflow: 'release.yml', provenance: true }
    const evidence = await verifyPublished('@acme/signed', '1.0.0', { registry: registry.url, expect })
    t.match(evidence, {
      trustedPublisher: { id: 'github', oidcConfigId: /^oidc:/ },
      provenance: {
        subject: 'pkg:npm/%40acme/signed@1.0.0',
        repository: 'acme/widgets',
        workflow: '.github/workflows/release.yml',
        certificateIdentity: 'https://github.com/acme/widgets/.github/workflows/release.yml@refs/heads/main',
      },
    })
    const other = await verifyPublished('@acme/signed', '1.0.0', {
      registry: registry.url, expect: { ...expect, workflow: 'nightly.yml' },
    }).catch((err: unknown) => err)
    t.equal(isOidcError(other) && other.code, 'ERR_OIDC_PUBLISHED_OTHER_SOURCE')
  })

t.test('provenance false and auto-off upload no bundle, and sign nothing', async (t) => {
  const cases = [
    { name: '@acme/unsigned', provenance: false, decision: { enabled: false, source: 'explicit', reason: 'turned off by the caller' } },
    // Verdaccio has no visibility route, so auto stays off.
    { name: '@acme/auto', provenance: 'auto', decision: { enabled: false, source: 'auto', reason: 'the registry\'s visibility check failed (status 404)' } },
  ]
  for (const c of cases) {
    const before = sigstoreCalls()
    const { result } = await publishInJob(await jobEnv(), {
      name: c.name, version: '1.0.0', extra: { repository: REPOSITORY }, opts: publishOptions(t, { provenance: c.provenance }),
    })
    t.equal(result.status, 201, c.name)
    t.same(result.provenance, c.decision)
    t.equal(sigstoreCalls(), before, `${c.name}: nothing signed`)
    const version = (await readPackument(registry, c.name)).packument.versions['1.0.0']
    t.equal(version.dist.attestations, undefined, `${c.name}: no attestation`)
    t.match(version._npmUser, { trustedPublisher: { id: 'github' } }, `${c.name}: still a trusted publish`)
  }
})

t.test('a publish with a registry token is not recorded as a trusted publish', async (t) => {
  const { manifest, tarball } = makeTarball('@acme/token', '1.0.0')
  const res = await publish(manifest, tarball, {
    registry: registry.url, cache: t.testdir(), [registry.authKey]: registry.mintToken({ name: 'alice' }), provenance: false,
  })
  t.equal(res.status, 201)
  const version = (await readPackument(registry, '@acme/token')).packument.versions['1.0.0']
  t.equal(version._npmUser?.trustedPublisher, undefined)
  t.equal(version.dist.attestations, undefined)
  const err = await verifyPublished('@acme/token', '1.0.0', { registry: registry.url }).catch((e: unknown) => e)
  t.equal(isOidcError(err) && err.code, 'ERR_OIDC_PUBLISHED_NOT_TRUSTED', 'verifyPublished, after a token publish')

  const next = makeTarball('@acme/token', '2.0.0')
  const withBundle = await fetch(`${registry.url}@acme%2ftoken`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${registry.mintToken({ name: 'alice' })}` },
    body: JSON.stringify({
      _id: '@acme/token',
      name: '@acme/token',
      'dist-tags': { latest: '2.0.0' },
      versions: { '2.0.0': next.manifest },
      _attachments: {
        '@acme/token-2.0.0.tgz': { content_type: 'application/octet-stream', data: next.tarball.toString('base64') },
        '@acme/token-2.0.0.sigstore': { content_type: 'application/vnd.dev.sigstore.bundle+json', data: '{}' },
      },
    }),
  })
  t.same([withBundle.status, await withBundle.json()], [422, {
    error: 'Error verifying sigstore provenance bundle: a publish with a classic token has no exchanged job to ' +
      'check the signing identity against',
  }], 'provenance with a registry token: no exchanged job to check the signer against')
})

t.test('a registry that does not trust the signer refuses with npmjs\'s 422; nothing is published', async (t) => {
  const stranger = await startSigstore({ issuers: [issuer] })
  t.teardown(stranger.close)
  const rootFile = join(registry.dir, 'trusted_root.json')
  await writeFile(rootFile, JSON.stringify(stranger.trustedRootJSON()))
  t.teardown(() => writeFile(rootFile, JSON.stringify(sigstore.trustedRootJSON())))
  const { result } = await publishInJob(await jobEnv(), {
    name: '@acme/untrusted-signer', version: '1.0.0', extra: { repository: REPOSITORY }, opts: publishOptions(t, { provenance: true, access: 'public' }),
  })
  t.equal(result.error?.code, 'ERR_OIDC_PROVENANCE_REJECTED')
  t.match(result.error?.message, 'Error verifying sigstore provenance bundle: the provenance bundle does not verify ' +
    'against the trust root', 'verifyProvenance\'s refusal, in provenanceRejection\'s words')
  t.equal((await readPackument(registry, '@acme/untrusted-signer')).status, 404)
})

t.test('opts.env of another job: refused before the exchange, nothing signed or uploaded', async (t) => {
  const exchanges = watchExchanges(t)
  const before = { sigstore: sigstoreCalls(), issuer: issuer.requests.length, other: otherJob.requests.length }
  const { result, stdout } = await publishInJob(await jobEnv(), {
    name: '@acme/other-job',
    version: '1.0.0',
    extra: { repository: REPOSITORY },
    opts: publishOptions(t, { provenance: true, access: 'public', env: await otherJob.jobEnv() }),
  })
  t.equal(result.error?.code, 'ERR_OIDC_PROVENANCE_ENV_MISMATCH')
  t.match(result.error?.facts, /GITHUB_REPOSITORY: "acme\/other" in opts\.env, "acme\/widgets" in process\.env/)
  t.match(result.error?.facts, /ACTIONS_ID_TOKEN_REQUEST_TOKEN differs \(value not shown\)/)
  t.notMatch(stdout, JWT_PATTERN)
  t.equal(exchanges.paths.length, 0, 'no exchange')
  t.equal(sigstoreCalls(), before.sigstore, 'nothing signed')
  t.equal(issuer.requests.length + otherJob.requests.length, before.issuer + before.other, 'no ID token requested')
  t.equal((await readPackument(registry, '@acme/other-job')).status, 404)
})

t.test('without the local service URLs sigstore goes to the public services: refused by the proxy, at once', async (t) => {
  const attempts = network.attempts.length
  const started = Date.now()
  const { result } = await publishInJob(await jobEnv(), {
    name: '@acme/offline',
    version: '1.0.0',
    extra: { repository: REPOSITORY },
    opts: { ...publishOptions(t, { provenance: true, access: 'public' }), fulcioURL: undefined, rekorURL: undefined },
  })
  t.ok(result.error, 'the publish failed')
  t.match(result.error?.message, /fulcio|signing certificate/i)
  t.ok(Date.now() - started < 60_000, 'it did not hang')
  t.match(network.attempts.slice(attempts), [/^fulcio\.sigstore\.dev:443$/], 'the only try beyond loopback was Fulcio\'s')
  t.equal((await readPackument(registry, '@acme/offline')).status, 404)
})
