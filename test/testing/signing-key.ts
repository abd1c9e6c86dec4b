import t from 'tap'
import { loadJose } from '../../lib/util/jose.js'
import { createSigningKey, encodeUnsigned, signJwt } from '../../lib/testing/signing-key.js'

t.test('a fresh RS256 key whose kid is its thumbprint', async (t) => {
  const jose = await loadJose()
  const key = await createSigningKey()
  t.match(key.publicJwk, { kty: 'RSA', alg: 'RS256', use: 'sig', kid: key.kid })
  t.notOk('d' in key.publicJwk, 'no private parts in the public JWK')
  t.equal(key.kid, await jose.calculateJwkThumbprint({ kty: 'RSA', n: key.publicJwk.n, e: key.publicJwk.e }))
  const other = await createSigningKey()
  t.not(other.publicJwk.n, key.publicJwk.n, 'generated at run time, not fixed')
  const named = await createSigningKey('fixed-kid')
  t.equal(named.kid, 'fixed-kid')
  t.equal(named.publicJwk.kid, 'fixed-kid')
})

t.test('signJwt produces a token that verifies against the public JWK only', async (t) => {
  const jose = await loadJose()
  const key = await createSigningKey()
  const jwt = await signJwt(key, { iss: 'i', aud: 'npm:127.0.0.1', exp: Math.floor(Date.now() / 1000) + 60 })
  const jwks = jose.createLocalJWKSet({ keys: [key.publicJwk] })
  const { payload, protectedHeader } = await jose.jwtVerify(jwt, jwks, { audience: 'npm:127.0.0.1', issuer: 'i' })
  t.same(protectedHeader, { alg: 'RS256', typ: 'JWT', kid: key.kid })
  t.equal(payload.aud, 'npm:127.0.0.1')
  const foreign = await createSigningKey(key.kid)
  const forged = await signJwt(foreign, { aud: 'npm:127.0.0.1' })
  await t.rejects(jose.jwtVerify(forged, jwks), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' })
})

t.test('encodeUnsigned makes an alg:none token that verifiers refuse', async (t) => {
  const jose = await loadJose()
  const key = await createSigningKey()
  const jwt = await encodeUnsigned({ aud: 'npm:127.0.0.1' })
  t.match(jwt, /^[\w-]+\.[\w-]+\.$/)
  t.same(jose.decodeProtectedHeader(jwt), { alg: 'none' })
  t.same(jose.decodeJwt(jwt), { aud: 'npm:127.0.0.1' })
  await t.rejects(jose.jwtVerify(jwt, jose.createLocalJWKSet({ keys: [key.publicJwk] })))
})
