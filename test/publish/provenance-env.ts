import t from 'tap'
import { assertNoIdentityToken, assertProvenanceEnvIsProcessEnv } from '../../lib/publish/provenance-env.js'
import { isOidcError } from '../../lib/errors.js'

const github = { id: 'github-actions', name: 'GitHub Actions' }
const gitlab = { id: 'gitlab', name: 'GitLab CI/CD' }
const job = {
  GITHUB_ACTIONS: 'true',
  GITHUB_REPOSITORY: 'acme/widgets',
  GITHUB_WORKFLOW_REF: 'acme/widgets/.github/workflows/release.yml@refs/heads/main',
  GITHUB_SHA: 'a'.repeat(40),
  ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-secret-one',
}

function refusal (fn: () => void): Record<string, unknown> {
  try {
    fn()
  } catch (err) {
    return err as Record<string, unknown>
  }
  throw new Error('expected a refusal')
}

t.test('the same job in opts.env and process.env passes', async (t) => {
  t.doesNotThrow(() => assertProvenanceEnvIsProcessEnv(job, github, { ...job, PATH: '/usr/bin', HOME: '/home/runner' }))
  t.doesNotThrow(() => assertProvenanceEnvIsProcessEnv(job, github, job), 'the same object')
  t.doesNotThrow(() => assertProvenanceEnvIsProcessEnv({ ...job, GITHUB_SHA: '' }, github, { ...job, GITHUB_SHA: undefined }),
    'empty and unset are the same, as ci-info reads them')
  t.doesNotThrow(() => assertProvenanceEnvIsProcessEnv(job, undefined, {}), 'no provider: nothing to compare')
  t.doesNotThrow(() => assertProvenanceEnvIsProcessEnv({ CIRCLECI: 'true' }, { id: 'circleci', name: 'CircleCI' }, {}),
    'a provider that signs no provenance')
})

t.test('another job: every differing variable is named, token values never shown', async (t) => {
  const other = { ...job, GITHUB_REPOSITORY: 'evil/widgets', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-secret-two' }
  const err = refusal(() => assertProvenanceEnvIsProcessEnv(job, github, other))
  t.ok(isOidcError(err, 'ERR_OIDC_PROVENANCE_ENV_MISMATCH'))
  t.equal(err.provider, 'github-actions')
  t.equal(err.facts, 'GITHUB_REPOSITORY: "acme/widgets" in opts.env, "evil/widgets" in process.env; ' +
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN differs (value not shown)')
  t.match(err.message, /^GitHub Actions: opts\.env describes another job than process\.env/)
  t.match(err.hint, /leave opts\.env out\), or turn provenance off; nothing was signed or uploaded/)
  t.notMatch(JSON.stringify(err) + String(err.message), /request-secret/)

  const notCi = refusal(() => assertProvenanceEnvIsProcessEnv(job, github, {}))
  t.match(notCi.facts, /^GITHUB_ACTIONS: "true" in opts\.env, unset in process\.env; GITHUB_REPOSITORY: /)
  const long = refusal(() => assertProvenanceEnvIsProcessEnv({ ...job, GITHUB_REF: 'r'.repeat(500) }, github, job))
  t.equal(long.facts, `GITHUB_REF: "${'r'.repeat(120)}…" in opts.env, unset in process.env`)
})

t.test('GitLab: the project, commit and job, and SIGSTORE_ID_TOKEN', async (t) => {
  const gl = { GITLAB_CI: 'true', CI_PROJECT_PATH: 'group/project', CI_COMMIT_SHA: 'b'.repeat(40), CI_JOB_ID: '302', SIGSTORE_ID_TOKEN: 'sig-one' }
  t.doesNotThrow(() => assertProvenanceEnvIsProcessEnv(gl, gitlab, { ...gl }))
  const err = refusal(() => assertProvenanceEnvIsProcessEnv(gl, gitlab, { ...gl, CI_JOB_ID: '303', SIGSTORE_ID_TOKEN: undefined }))
  t.equal(err.facts, 'CI_JOB_ID: "302" in opts.env, "303" in process.env; SIGSTORE_ID_TOKEN differs (value not shown)')
  t.notMatch(JSON.stringify(err) + String(err.message), /sig-one/)
})

t.test('identityToken: refused whenever sigstore would sign with it, never shown', async (t) => {
  t.doesNotThrow(() => assertNoIdentityToken({}))
  t.doesNotThrow(() => assertNoIdentityToken({ identityToken: 'id-secret', provenanceFile: 'prov.json' }),
    'a provenance file is attached as it is: nothing is signed')
  const err = refusal(() => assertNoIdentityToken({ identityToken: 'id-secret' }))
  t.ok(isOidcError(err, 'ERR_OIDC_PROVENANCE_ENV_MISMATCH'))
  t.match(err.message, /opts\.identityToken would sign the provenance with another identity than the job's/)
  t.match(err.hint, /Leave identityToken out/)
  t.notMatch(JSON.stringify(err) + String(err.message), /id-secret/)
})
