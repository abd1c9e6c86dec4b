import t from 'tap'
import { DEFAULT_EXPIRES_IN, idTokenPayload } from '../../lib/testing/id-token-payload.js'

const base = Object.freeze({ iss: 'http://127.0.0.1:4000', sub: 'repo:acme/widgets:ref:refs/heads/main' })

t.test('defaults: iat = now, nbf = iat, exp = iat + 5 min, jti unique', async (t) => {
  const p = idTokenPayload(base, { audience: 'npm:127.0.0.1' }, 1_700_000_000)
  t.equal(DEFAULT_EXPIRES_IN, 300)
  t.match(p, { ...base, aud: 'npm:127.0.0.1', iat: 1_700_000_000, nbf: 1_700_000_000, exp: 1_700_000_300 })
  t.match(p.jti, /^[0-9a-f-]{36}$/)
  t.not(idTokenPayload(base, { audience: 'x' }, 1).jti, p.jti)
})

t.test('explicit times, audience array and per-token claims', async (t) => {
  const aud = ['npm:127.0.0.1', 'sigstore']
  const p = idTokenPayload(base, { audience: aud, issuedAt: 100, notBefore: 150, expiresIn: -50, claims: { sub: 'other', iss: undefined } }, 999)
  t.same(p.aud, aud)
  t.not(p.aud, aud, 'the array is copied')
  t.equal(p.iat, 100)
  t.equal(p.nbf, 150)
  t.equal(p.exp, 50)
  t.equal(p.sub, 'other')
  t.notOk('iss' in p)
  const noExp = idTokenPayload(base, { audience: 'a', claims: { exp: undefined } }, 1)
  t.notOk('exp' in noExp)
})

t.test('a missing or empty audience is a TypeError', async (t) => {
  for (const audience of [undefined, '', [], ['ok', ''], [1]]) {
    t.throws(() => idTokenPayload(base, { audience } as never, 1), { name: 'TypeError', message: /`audience`/ }, JSON.stringify(audience))
  }
})
