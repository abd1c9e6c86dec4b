import t from 'tap'
import { ACCEPTED_ALGORITHMS, decodeUnverifiedIdToken } from '../../lib/registry/decode-id-token.js'

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

t.test('reads header and payload without verifying', async t => {
  t.strictSame(ACCEPTED_ALGORITHMS, ['RS256', 'ES256'])
  const decoded = await decodeUnverifiedIdToken(`${segment({ alg: 'ES256' })}.${segment({ iss: 'x' })}.sig`)
  t.strictSame(decoded, { alg: 'ES256', payload: { iss: 'x' } })
})

t.test('refuses what is not a JWT or uses another algorithm', async t => {
  const cases: Array<[string, string, RegExp]> = [
    ['', 'ERR_OIDC_VERIFY_MALFORMED', /ID token is not a JWT \(1 dot-separated segments, length 0\)/],
    ['a.b.c', 'ERR_OIDC_VERIFY_MALFORMED', /not a JWT/],
    [`${segment({ alg: 'RS256' })}.${segment([1])}.x`, 'ERR_OIDC_VERIFY_MALFORMED', /not a JWT/],
    [`${segment({ alg: 'HS256' })}.${segment({})}.x`, 'ERR_OIDC_VERIFY_SIGNATURE', /expected one of RS256, ES256, got "HS256"/],
    [`${segment({})}.${segment({})}.x`, 'ERR_OIDC_VERIFY_SIGNATURE', /got none/],
  ]
  for (const [token, code, message] of cases) {
    await t.rejects(decodeUnverifiedIdToken(token), { code, message }, token || 'empty')
  }
})
