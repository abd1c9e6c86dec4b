import t from 'tap'
import { checkAudience, checkIssuedAt, checkIssuer, checkLifetime, checkReplay } from '../../lib/registry/check-claims.js'

t.test('checkIssuer: exact match against the allow-list', async t => {
  t.equal(checkIssuer({ iss: 'https://a.example' }, ['https://a.example']), 'https://a.example')
  t.throws(() => checkIssuer({ iss: 'https://a.example/' }, ['https://a.example']),
    { code: 'ERR_OIDC_VERIFY_ISSUER', message: /expected one of https:\/\/a\.example, got "https:\/\/a\.example\/"/ })
  t.throws(() => checkIssuer({}, ['https://a.example']), { code: 'ERR_OIDC_VERIFY_ISSUER', message: /got none/ })
})

t.test('checkAudience: one audience, equal', async t => {
  t.doesNotThrow(() => checkAudience({ aud: 'npm:x' }, ['npm:x']))
  t.doesNotThrow(() => checkAudience({ aud: 'npm:x:8080' }, ['npm:x', 'npm:x:8080']))
  t.throws(() => checkAudience({ aud: 'npm:X' }, ['npm:x']), { code: 'ERR_OIDC_VERIFY_AUDIENCE', message: /audience mismatch/ })
  t.throws(() => checkAudience({ aud: ['npm:x'] }, ['npm:x', 'npm:y']),
    { code: 'ERR_OIDC_VERIFY_AUDIENCE', message: /more than one audience \(expected npm:x or npm:y/ })
})

t.test('checkIssuedAt: future iat beyond the leeway', async t => {
  t.doesNotThrow(() => checkIssuedAt({ iat: 1030 }, 30, 1000))
  t.throws(() => checkIssuedAt({ iat: 1031 }, 30, 1000), {
    code: 'ERR_OIDC_VERIFY_NOT_YET_VALID',
    message: /iat 1970-01-01T00:17:11\.000Z, now 1970-01-01T00:16:40\.000Z, leeway 30 s/,
  })
})

t.test('checkLifetime: exp - iat at most maxTokenAge', async t => {
  t.doesNotThrow(() => checkLifetime({ iat: 0, exp: 1e9 }, undefined), 'off by default')
  t.doesNotThrow(() => checkLifetime({ iat: 1000, exp: 4600 }, 3600))
  t.throws(() => checkLifetime({ iat: 1000, exp: 4601 }, 3600),
    { code: 'ERR_OIDC_VERIFY_LIFETIME', message: /exp - iat is 3601 s, at most 3600 s accepted/ })
})

t.test('checkReplay: asks the guard, needs a jti', async t => {
  await t.resolves(checkReplay({}, undefined), 'off by default')
  const calls: unknown[] = []
  await t.resolves(checkReplay({ jti: 'a', exp: 5 }, async (jti, exp) => { calls.push([jti, exp]); return false }))
  t.strictSame(calls, [['a', 5]])
  await t.rejects(checkReplay({ jti: 'a', exp: 5 }, () => true), { code: 'ERR_OIDC_VERIFY_REPLAYED' })
  await t.rejects(checkReplay({ jti: '', exp: 5 }, () => false), { code: 'ERR_OIDC_VERIFY_MALFORMED', message: /no `jti`/ })
  await t.rejects(checkReplay({ exp: 5 }, () => false), { code: 'ERR_OIDC_VERIFY_MALFORMED' })
})
