import t from 'tap'
import { OidcError, isOidcError, oidcErrorCodes } from '../lib/errors.js'

t.test('message format: provider prefix, facts, hint, docs link', async (t) => {
  const err = new OidcError('ERR_OIDC_AUDIENCE_MISMATCH', {
    what: 'ID token audience mismatch',
    facts: 'expected npm:registry.npmjs.org, got sigstore',
    hint: 'Mint the token for npm:registry.npmjs.org',
    provider: 'gitlab',
    providerName: 'GitLab CI/CD',
    status: 0,
    registryMessage: 'nope',
    claims: { aud: 'sigstore' },
    cause: new Error('inner'),
  })
  t.equal(err.message, 'GitLab CI/CD: ID token audience mismatch (expected npm:registry.npmjs.org, got sigstore). ' +
    'Mint the token for npm:registry.npmjs.org. See https://www.npmjs.com/package/libnpmoidc#err_oidc_audience_mismatch')
  t.equal(err.name, 'OidcError')
  t.equal(err.hint, 'Mint the token for npm:registry.npmjs.org')
  t.match(err, { code: 'ERR_OIDC_AUDIENCE_MISMATCH', provider: 'gitlab', status: 0, registryMessage: 'nope', claims: { aud: 'sigstore' }, cause: { message: 'inner' } })
})

t.test('optional facts stay out when absent', async (t) => {
  const err = new OidcError('ERR_OIDC_NO_PROVIDER', { what: 'no CI provider detected', hint: 'Run this in CI.' })
  t.equal(err.message, 'no CI provider detected. Run this in CI. See https://www.npmjs.com/package/libnpmoidc#err_oidc_no_provider')
  for (const key of ['provider', 'status', 'registryMessage', 'claims', 'cause']) t.notOk(key in err, key)
})

t.test('isOidcError works across copies of the class', async (t) => {
  const real = new OidcError('ERR_OIDC_NO_PERMISSION', { what: 'x', hint: 'y' })
  const fromOtherBuild = Object.assign(new Error('x'), { name: 'OidcError', code: 'ERR_OIDC_NO_PERMISSION' })
  t.ok(isOidcError(real))
  t.ok(isOidcError(real, 'ERR_OIDC_NO_PERMISSION'))
  t.notOk(isOidcError(real, 'ERR_OIDC_NO_ID_TOKEN'))
  t.ok(isOidcError(fromOtherBuild, 'ERR_OIDC_NO_PERMISSION'))
  t.notOk(isOidcError(Object.assign(new Error('x'), { name: 'OidcError', code: 'EOTHER' })))
  t.notOk(isOidcError(Object.assign(new Error('x'), { name: 'OidcError', code: 42 })))
  t.notOk(isOidcError(Object.assign(new Error('x'), { code: 'ERR_OIDC_NO_PERMISSION' })))
  t.notOk(isOidcError({ name: 'OidcError', code: 'ERR_OIDC_NO_PERMISSION' }))
  t.notOk(isOidcError(undefined))
})

t.test('the code list has no duplicates and snapshot', async (t) => {
  t.equal(new Set(oidcErrorCodes).size, oidcErrorCodes.length)
  t.ok(Object.isFrozen(oidcErrorCodes))
  t.matchSnapshot(oidcErrorCodes, 'error codes')
})
