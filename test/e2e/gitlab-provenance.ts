// End to end with provenance: a simulated GitLab CI/CD job (its own process, so that process.env is the job's, with
// NPM_ID_TOKEN and SIGSTORE_ID_TOKEN declared under `id_tokens:`) publishes through publishWithOidc to Verdaccio
// with provenance signed by local Sigstore services; the registry verifies the bundle and records the evidence.
import t from 'tap'
import { createHash } from 'node:crypto'
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

const REPOSITORY = { type: 'git', url: 'git+https://gitlab.com/group/project.git' }
const SAN = 'https://gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main'
const gitlabCi = {
  type: 'gitlab',
  claims: { project_path: 'group/project', ci_config_ref_uri: { file: '.gitlab-ci.yml' } },
  permissions: ['createPackage'],
}
const PACKAGES = ['@group/signed', '@group/unsigned', '@group/auto', '@group/other-job', '@group/no-sigstore']

const issuer = await createOidcIssuer({ provider: 'gitlab' })
const sigstore = await startSigstore({ issuers: [issuer] })
const network = await startNoNetwork()
const registry = await startRegistry({
  issuers: [issuer.url],
  jwks: { [issuer.url]: issuer.jwks },
  trustedPublishers: Object.fromEntries(PACKAGES.map((name) => [name, [gitlabCi]])),
  provenanceTrustedRoot: sigstore.trustedRootJSON(),
})
t.teardown(async () => {
  await registry.close()
  await sigstore.close()
  await network.close()
  await issuer.close()
})

const jobEnv = async (sigstoreToken = true) =>
  ({ ...await issuer.jobEnv({ audience: registry.audience, sigstore: sigstoreToken }), ...network.env })
const publishOptions = (t: { testdir: () => string }, extra: Record<string, unknown> = {}) => ({
  registry: registry.url,
  cache: t.testdir(),
  preferOnline: true,
  retry: { retries: 0 },
  timeout: 30_000,
  ...sigstore.signingOptions,
  ...extra,
})

t.test('provenance: true signs as the project\'s CI config and ref; the registry verifies and records it', async (t) => {
  const before = sigstore.requests.length
  const { tarball } = makeTarball('@group/signed', '1.0.0', { repository: REPOSITORY })
  const { result, stdout, stderr } = await publishInJob(await jobEnv(), {
    name: '@group/signed', version: '1.0.0', extra: { repository: REPOSITORY }, opts: publishOptions(t, { provenance: true, access: 'public' }),
  })
  t.notMatch(stdout + stderr, JWT_PATTERN, 'no token in the job\'s output')
  t.same(result.error, undefined)
  t.equal(result.status, 201)
  t.same(result.auth, { method: 'oidc', provider: 'gitlab' })
  t.same(result.provenance, { enabled: true, source: 'explicit', reason: 'requested by the caller' })
  t.match(sigstore.requests.slice(before), [{ service: 'fulcio', status: 201, detail: SAN }, { service: 'rekor', status: 201 }])

  const version = (await readPackument(registry, '@group/signed')).packument.versions['1.0.0']
  t.match(version._npmUser, { name: 'GitLab CI/CD', trustedPublisher: { id: 'gitlab', oidcConfigId: /^oidc:\w+/ } })
  t.same(version.dist.attestations, {
    url: `${registry.url}-/npm/v1/attestations/@group/signed@1.0.0`,
    provenance: { predicateType: 'https://slsa.dev/provenance/v0.2' },
  })
  const [attestation] = (await request(version.dist.attestations.url)).json().attestations
  const signer = new Verifier(sigstore.trustMaterial()).verify(toSignedEntity(bundleFromJSON(attestation.bundle)))
  t.equal(signer.identity?.subjectAlternativeName, SAN, 'the certificate names the project, its CI file and the ref')
  const statement = JSON.parse(Buffer.from(attestation.bundle.dsseEnvelope.payload, 'base64').toString())
  t.same(statement.subject, [{
    name: 'pkg:npm/%40group/signed@1.0.0', digest: { sha512: createHash('sha512').update(tarball).digest('hex') },
  }])
  t.same(statement.predicate.materials, [{ uri: 'git+https://gitlab.com/group/project', digest: { sha1: issuer.claims.sha } }],
    'the source repository and commit are the job\'s')
  t.match(statement.predicate.invocation, {
    configSource: { uri: 'git+https://gitlab.com/group/project', digest: { sha1: issuer.claims.sha } },
    environment: { project: 'group/project', job: { id: '302' } },
  })
  t.equal(statement.predicate.metadata.buildInvocationId, 'https://gitlab.com/group/project/-/jobs/302')
  t.same(network.attempts, [], 'nothing beyond loopback')
})

t.test('provenance false and auto-off upload no bundle, and sign nothing', async (t) => {
  const cases = [
    { name: '@group/unsigned', provenance: false, reason: 'turned off by the caller' },
    { name: '@group/auto', provenance: 'auto', reason: 'the registry\'s visibility check failed (status 404)' },
  ]
  for (const c of cases) {
    const before = sigstore.requests.length
    const { result } = await publishInJob(await jobEnv(), {
      name: c.name, version: '1.0.0', extra: { repository: REPOSITORY }, opts: publishOptions(t, { provenance: c.provenance }),
    })
    t.equal(result.status, 201, c.name)
    t.match(result.provenance, { enabled: false, reason: c.reason })
    t.equal(sigstore.requests.length, before, `${c.name}: nothing signed`)
    const version = (await readPackument(registry, c.name)).packument.versions['1.0.0']
    t.equal(version.dist.attestations, undefined, `${c.name}: no attestation`)
    t.match(version._npmUser, { trustedPublisher: { id: 'gitlab' } })
  }
})

t.test('opts.env of another job, or no SIGSTORE_ID_TOKEN: refused before the exchange', async (t) => {
  const cases = [
    {
      name: '@group/other-job',
      env: await jobEnv(),
      opts: { env: await issuer.jobEnv({ sigstore: true, overrides: { CI_JOB_ID: '303', CI_COMMIT_SHA: 'f'.repeat(40) } }) },
      code: 'ERR_OIDC_PROVENANCE_ENV_MISMATCH',
      facts: /^CI_COMMIT_SHA: "f{40}" in opts\.env, "8d3f\w+" in process\.env; CI_JOB_ID: "303" in opts\.env, "302" in process\.env; SIGSTORE_ID_TOKEN differs \(value not shown\)$/,
    },
    { name: '@group/no-sigstore', env: await jobEnv(false), opts: {}, code: 'ERR_OIDC_PROVENANCE_UNAVAILABLE', facts: /without SIGSTORE_ID_TOKEN/ },
  ]
  for (const c of cases) {
    const exchanges = watchExchanges(t)
    const before = sigstore.requests.length
    const { result, stdout } = await publishInJob(c.env, {
      name: c.name, version: '1.0.0', extra: { repository: REPOSITORY }, opts: publishOptions(t, { provenance: true, access: 'public', ...c.opts }),
    })
    t.equal(result.error?.code, c.code, c.name)
    t.match(result.error?.facts, c.facts)
    t.notMatch(stdout, JWT_PATTERN)
    t.equal(sigstore.requests.length, before, 'nothing signed')
    t.equal((await readPackument(registry, c.name)).status, 404, 'nothing uploaded')
    if (c.code === 'ERR_OIDC_PROVENANCE_ENV_MISMATCH') t.equal(exchanges.paths.length, 0, 'no exchange')
  }
})
