import t from 'tap'
import { checkAudience, checkIssuedAt, checkIssuer } from '../../lib/verifier/check-claims.js'

t.test('checkIssuer: exact match against the allow-list', async t => {
  t.equal(checkIssuer({ iss: 'https://a.example' }, ['https://a.example']), 'https://a.example')
  t.throws(() => checkIssuer({ iss: 'https://a.example/' }, ['https://a.example']),
    { code: 'ERR_OIDC_VERIFY_ISSUER', message: /expected one of https:\/\/a\.example, got "https:\/\/a\.example\/"/ })
  t.throws(() => checkIssuer({}, ['https://a.example']), { code: 'ERR_OIDC_VERIFY_ISSUER', message: /got none/ })
})

t.test('checkAudience: one audience, equal', async t => {
  t.doesNotThrow(() => checkAudience({ aud: 'npm:x' }, 'npm:x'))
  t.throws(() => checkAudience({ aud: 'npm:X' }, 'npm:x'), { code: 'ERR_OIDC_VERIFY_AUDIENCE', message: /audience mismatch/ })
  t.throws(() => checkAudience({ aud: ['npm:x'] }, 'npm:x'), { code: 'ERR_OIDC_VERIFY_AUDIENCE', message: /more than one audience/ })
})

t.test('checkIssuedAt: future iat beyond the leeway', async t => {
  t.doesNotThrow(() => checkIssuedAt({ iat: 1030 }, 30, 1000))
  t.throws(() => checkIssuedAt({ iat: 1031 }, 30, 1000), {
    code: 'ERR_OIDC_VERIFY_NOT_YET_VALID',
    message: /iat 1970-01-01T00:17:11\.000Z, now 1970-01-01T00:16:40\.000Z, leeway 30 s/,
  })
})
