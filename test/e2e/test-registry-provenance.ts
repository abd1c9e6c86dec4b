// End to end with provenance through the test kit's registry: simulated GitHub Actions and GitLab CI/CD jobs (each
// its own process, so that process.env is the job's) publish through publishWithOidc with provenance signed by local
// Sigstore services; createTestRegistry verifies every bundle with verifyProvenance (its `provenance` option) and
// records the evidence, which verifyPublished and `npm-oidc verify` then check as a release tool would.
import t from 'tap'
import { randomUUID } from 'node:crypto'
import { publish } from 'libnpmpublish'
import { createOidcIssuer, createTestRegistry } from '../../lib/testing/index.js'
import { isOidcError, verifyPublished } from '../../lib/index.js'
import { makeTarball } from '../fixtures/tarball.js'
import { startSigstore } from '../fixtures/sigstore.js'
import { publishInJob } from '../fixtures/job-process.js'
import { startNoNetwork } from '../fixtures/no-network.js'
import { request } from '../fixtures/http-request.js'
import { runCli, project } from '../fixtures/cli.js'
import { JWT_PATTERN } from '../fixtures/e2e.js'

const GITHUB_REPOSITORY = { type: 'git', url: 'git+https://github.com/acme/widgets.git' }
const GITLAB_REPOSITORY = { type: 'git', url: 'git+https://gitlab.com/group/project.git' }
const releaseYml = {
  type: 'github' as const,
  claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' } },
  permissions: ['createPackage' as const],
}
const gitlabCi = {
  type: 'gitlab' as const,
  claims: { project_path: 'group/project', ci_config_ref_uri: { file: '.gitlab-ci.yml' } },
  permissions: ['createPackage' as const],
}
const CLASSIC = `classic-${randomUUID()}`

const github = await createOidcIssuer({ provider: 'github-actions' })
const gitlab = await createOidcIssuer({ provider: 'gitlab' })
// A self-managed GitLab: its certificate and statement name gitlab.example.com, so a package.json naming the
// gitlab.com project passes the client's check (which knows gitlab.com only) and reaches the registry's.
const selfManaged = await createOidcIssuer({
  provider: 'gitlab',
  claims: { ci_config_ref_uri: 'gitlab.example.com/group/project//.gitlab-ci.yml@refs/heads/main' },
})
const sigstore = await startSigstore({ issuers: [github, gitlab, selfManaged] })
const network = await startNoNetwork()
const registry = await createTestRegistry({
  issuers: [github, gitlab, selfManaged],
  trustedPublishers: {
    '@acme/signed': [releaseYml],
    '@acme/token': [releaseYml],
    '@group/signed': [gitlabCi],
    '@group/elsewhere': [gitlabCi],
    '@acme/identity': [releaseYml],
  },
  tokens: { [CLASSIC]: { user: 'alice' } },
  provenance: { trustMaterial: sigstore.trustMaterial() },
})
t.teardown(async () => {
  await registry.close()
  await sigstore.close()
  await network.close()
  for (const issuer of [github, gitlab, selfManaged]) await issuer.close()
})

const publishOptions = (t: { testdir: () => string }) => ({
  registry: registry.url,
  cache: t.testdir(),
  preferOnline: true,
  retry: { retries: 0 },
  timeout: 30_000,
  provenance: true,
  access: 'public',
  ...sigstore.signingOptions,
})
const code = (err: unknown): string => (isOidcError(err) ? err.code : String(err))

t.test('GitHub Actions: signed as the job, verified by verifyProvenance, and verifyPublished passes', async (t) => {
  const { result, stdout, stderr } = await publishInJob({ ...await github.jobEnv(), ...network.env }, {
    name: '@acme/signed', version: '1.0.0', extra: { repository: GITHUB_REPOSITORY }, opts: publishOptions(t),
  })
  t.notMatch(stdout + stderr, JWT_PATTERN, 'no token in the job\'s output')
  t.same(result.error, undefined)
  t.equal(result.status, 200)
  t.same(result.auth, { method: 'oidc', provider: 'github-actions' })
  t.same(result.provenance, { enabled: true, source: 'explicit', reason: 'requested by the caller' })

  const evidence = await verifyPublished('@acme/signed', '1.0.0', {
    registry: registry.url,
    expect: { provider: 'github', repository: 'acme/widgets', workflow: 'release.yml', provenance: true },
  })
  t.match(evidence, {
    trustedPublisher: { id: 'github', oidcConfigId: /^oidc:/ },
    provenance: {
      predicateType: 'https://slsa.dev/provenance/v1',
      subject: 'pkg:npm/%40acme/signed@1.0.0',
      repository: 'acme/widgets',
      workflow: '.github/workflows/release.yml',
      certificateIdentity: 'https://github.com/acme/widgets/.github/workflows/release.yml@refs/heads/main',
    },
  })
  const other = await verifyPublished('@acme/signed', '1.0.0', {
    registry: registry.url, expect: { provider: 'github', repository: 'acme/widgets', workflow: 'nightly.yml' },
  }).catch(code)
  t.equal(other, 'ERR_OIDC_PUBLISHED_OTHER_SOURCE', 'another workflow than the one that signed')
  t.same(network.attempts, [], 'nothing beyond loopback')
})

t.test('GitLab CI/CD: signed as the project\'s CI file, verified, and verifyPublished passes', async (t) => {
  const env = { ...await gitlab.jobEnv({ audience: 'npm:127.0.0.1', sigstore: true }), ...network.env }
  const { result } = await publishInJob(env, {
    name: '@group/signed', version: '1.0.0', extra: { repository: GITLAB_REPOSITORY }, opts: publishOptions(t),
  })
  t.same(result.error, undefined)
  t.same(result.auth, { method: 'oidc', provider: 'gitlab' })
  const evidence = await verifyPublished('@group/signed', '1.0.0', {
    registry: registry.url,
    expect: { provider: 'gitlab', repository: 'group/project', workflow: '.gitlab-ci.yml', provenance: true },
  })
  t.match(evidence.provenance, {
    predicateType: 'https://slsa.dev/provenance/v0.2',
    repository: 'group/project',
    certificateIdentity: 'https://gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main',
  })
})

t.test('a repository.url the signed source does not name: npmjs\'s 422, ERR_OIDC_PROVENANCE_REJECTED', async (t) => {
  const before = registry.publishes('@group/elsewhere')
  const env = { ...await selfManaged.jobEnv({ audience: 'npm:127.0.0.1', sigstore: true }), ...network.env }
  const { result } = await publishInJob(env, {
    name: '@group/elsewhere', version: '1.0.0', extra: { repository: GITLAB_REPOSITORY }, opts: publishOptions(t),
  })
  t.equal(result.error?.code, 'ERR_OIDC_PROVENANCE_REJECTED')
  t.match(result.error?.message, 'Error verifying sigstore provenance bundle: Failed to validate repository ' +
    'information: package.json: "repository.url" is "git+https://gitlab.com/group/project.git", expected to match ' +
    '"https://gitlab.example.com/group/project" from provenance')
  t.equal(registry.publishes('@group/elsewhere'), before + 1, 'the upload reached the registry')
  t.equal((await request(`${registry.url}@group%2felsewhere`)).status, 404, 'nothing stored')
})

t.test('sigstore\'s identityToken with provenance on (true or auto): refused, nothing signed or uploaded',
  async (t) => {
    // 'auto' turns provenance on for a public package that exists: @acme/signed, published above.
    for (const [name, provenance] of [['@acme/identity', true], ['@acme/signed', 'auto']] as const) {
      const before = { sigstore: sigstore.requests.length, publishes: registry.publishes(name) }
      const { result, stdout } = await publishInJob({ ...await github.jobEnv(), ...network.env }, {
        name,
        version: '1.1.0',
        extra: { repository: GITHUB_REPOSITORY },
        opts: { ...publishOptions(t), provenance, identityToken: `not-the-job-${CLASSIC}` },
      })
      t.equal(result.error?.code, 'ERR_OIDC_PROVENANCE_ENV_MISMATCH', String(provenance))
      t.match(result.error?.message, /opts\.identityToken would sign the provenance/)
      t.notMatch(stdout, CLASSIC, 'the token is never shown')
      t.equal(sigstore.requests.length, before.sigstore, 'nothing signed')
      t.equal(registry.publishes(name), before.publishes, 'nothing uploaded')
    }
  })

t.test('after a token publish verifyPublished and npm-oidc verify fail; after the trusted one they pass', async (t) => {
  const { manifest, tarball } = makeTarball('@acme/token', '1.0.0')
  const res = await publish(manifest, tarball, {
    registry: registry.url, cache: t.testdir(), [registry.authKey]: CLASSIC, provenance: false,
  })
  t.equal(res.status, 200)
  const err = await verifyPublished('@acme/token', '1.0.0', { registry: registry.url }).catch((e: unknown) => e)
  t.equal(code(err), 'ERR_OIDC_PUBLISHED_NOT_TRUSTED')

  const cwd = await project(t, {})
  const notTrusted = await runCli(['verify', '@acme/token@1.0.0', '--registry', registry.url], { cwd })
  t.equal(notTrusted.code, 1)
  t.match(notTrusted.stderr, /ERR_OIDC_PUBLISHED_NOT_TRUSTED|not published through trusted publishing/)
  const expectations = ['--provider', 'github', '--repository', 'acme/widgets', '--workflow', 'release.yml']
  const trusted = await runCli(['verify', '@acme/signed@1.0.0', '--registry', registry.url, '--provenance',
    ...expectations], { cwd })
  t.equal(trusted.code, 0, trusted.stderr)
  t.match(trusted.stdout, /✓ @acme\/signed@1\.0\.0 was published through trusted publishing: github/)
  t.match(trusted.stdout, /provenance: acme\/widgets, \.github\/workflows\/release\.yml/)
  const otherWorkflow = await runCli(['verify', '@acme/signed@1.0.0', '--registry', registry.url,
    '--provider', 'github', '--repository', 'acme/widgets', '--workflow', 'nightly.yml'], { cwd })
  t.equal(otherWorkflow.code, 1)
  t.match(otherWorkflow.stderr, /ERR_OIDC_PUBLISHED_OTHER_SOURCE|nightly\.yml/)
})

t.test('provenance with a classic token is refused: there is no exchanged job to check the signer against',
  async (t) => {
    const { manifest, tarball } = makeTarball('@acme/token', '2.0.0')
    const doc = {
      _id: '@acme/token',
      name: '@acme/token',
      'dist-tags': { latest: '2.0.0' },
      versions: { '2.0.0': manifest },
      _attachments: {
        '@acme/token-2.0.0.tgz': { content_type: 'application/octet-stream', data: tarball.toString('base64') },
        '@acme/token-2.0.0.sigstore': { content_type: 'application/vnd.dev.sigstore.bundle+json', data: '{}' },
      },
    }
    const res = await fetch(`${registry.url}@acme%2ftoken`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CLASSIC}` },
      body: JSON.stringify(doc),
    })
    t.equal(res.status, 422)
    t.same(await res.json(), {
      error: 'Error verifying sigstore provenance bundle: a publish with a classic token has no exchanged job to ' +
        'check the signing identity against',
    })
  })
