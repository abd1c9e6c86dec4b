import t from 'tap'
import * as testing from '../../lib/testing/index.js'

t.test('named exports only, no default', async (t) => {
  t.same(Object.keys(testing).sort(), ['DEFAULT_EXPIRES_IN', 'DEFAULT_JOB_AUDIENCE', 'createOidcIssuer', 'createTestRegistry', 'providerClaims', 'testkitProviders'])
  t.notOk('default' in testing)
})

t.test('README-style use', async (t) => {
  const issuer = await testing.createOidcIssuer({ provider: 'gitlab' })
  t.teardown(issuer.close)
  const env = await issuer.jobEnv({ audience: 'npm:127.0.0.1' })
  t.equal(env.GITLAB_CI, 'true')
  t.match(env.NPM_ID_TOKEN, /^[\w-]+\.[\w-]+\.[\w-]+$/)
})
