import t from 'tap'
import { verifyIdToken } from '../../lib/registry/verify-id-token.js'
import type { JwksCacheEntry } from '../../lib/registry/verify-options.js'
import { closedPortUrl, makeKey, nowSeconds, signWith, startIssuer } from '../fixtures/issuer-keys.js'

const audience = 'npm:127.0.0.1'

t.test('a valid token verifies against keys found by discovery (RS256 and ES256)', async t => {
  for (const alg of ['RS256', 'ES256'] as const) {
    const issuer = await startIssuer(t, alg)
    const claims = await verifyIdToken(await issuer.sign(), { audience, issuers: [issuer.url] })
    t.equal(claims.repository, 'acme/pkg')
    t.equal(claims.iss, issuer.url)
    t.strictSame(issuer.requests, ['/.well-known/openid-configuration', '/keys'])
  }
})

t.test('every rejection carries its code and never the token', async t => {
  const issuer = await startIssuer(t)
  const other = await makeKey('key-1')
  const now = nowSeconds()
  const cases: Array<{ name: string, token: () => Promise<string>, code: string, facts?: RegExp }> = [
    { name: 'signed by another key', token: () => issuer.sign({}, { key: other }), code: 'ERR_OIDC_VERIFY_SIGNATURE' },
    { name: 'unknown kid', token: () => issuer.sign({}, { key: { ...other, kid: 'nope' } }), code: 'ERR_OIDC_VERIFY_SIGNATURE' },
    { name: 'unknown issuer', token: () => issuer.sign({ iss: 'https://evil.example' }), code: 'ERR_OIDC_VERIFY_ISSUER', facts: /got "https:\/\/evil\.example"/ },
    { name: 'issuer differing in case', token: () => issuer.sign({ iss: issuer.url.toUpperCase() }), code: 'ERR_OIDC_VERIFY_ISSUER' },
    { name: 'wrong audience', token: () => issuer.sign({ aud: 'npm:registry.npmjs.org' }), code: 'ERR_OIDC_VERIFY_AUDIENCE', facts: /expected npm:127\.0\.0\.1, got "npm:registry\.npmjs\.org"/ },
    { name: 'multi-audience containing ours', token: () => issuer.sign({ aud: [audience, 'sigstore'] }), code: 'ERR_OIDC_VERIFY_AUDIENCE', facts: /more than one audience/ },
    { name: 'one-element audience array', token: () => issuer.sign({ aud: [audience] }), code: 'ERR_OIDC_VERIFY_AUDIENCE' },
    { name: 'expired beyond leeway', token: () => issuer.sign({ iat: now - 600, nbf: now - 600, exp: now - 60 }), code: 'ERR_OIDC_VERIFY_EXPIRED', facts: /leeway 30 s/ },
    { name: 'not yet valid', token: () => issuer.sign({ nbf: now + 120 }), code: 'ERR_OIDC_VERIFY_NOT_YET_VALID', facts: /nbf / },
    { name: 'issued in the future', token: () => issuer.sign({ iat: now + 120, nbf: undefined }), code: 'ERR_OIDC_VERIFY_NOT_YET_VALID', facts: /issued in the future/ },
    { name: 'no exp', token: () => issuer.sign({ exp: undefined }), code: 'ERR_OIDC_VERIFY_MALFORMED' },
    { name: 'nbf not a number', token: () => issuer.sign({ nbf: 'soon' }), code: 'ERR_OIDC_VERIFY_MALFORMED' },
    { name: 'not a JWT', token: async () => 'not-a-jwt', code: 'ERR_OIDC_VERIFY_MALFORMED', facts: /1 dot-separated segments/ },
    { name: 'broken signature segment', token: async () => `${(await issuer.sign()).split('.').slice(0, 2).join('.')}.!!!`, code: 'ERR_OIDC_VERIFY_MALFORMED' },
    { name: 'alg none', token: async () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: issuer.url })).toString('base64url')}.`, code: 'ERR_OIDC_VERIFY_SIGNATURE', facts: /got "none"/ },
  ]
  for (const c of cases) {
    const token = await c.token()
    const err = await verifyIdToken(token, { audience, issuers: [issuer.url] })
      .then(() => undefined, (e: unknown) => e as Error)
    t.match(err, { name: 'OidcError', code: c.code }, c.name)
    if (c.facts) t.match(err?.message, c.facts, `${c.name}: facts`)
    t.notOk(err?.message.includes(token), `${c.name}: token not in message`)
    t.notOk(JSON.stringify(err).includes(token), `${c.name}: token not in fields`)
  }
})

t.test('tokens within the leeway pass, and the leeway is configurable', async t => {
  const issuer = await startIssuer(t)
  const now = nowSeconds()
  const opts = { audience, issuers: [issuer.url], cache: new Map() }
  t.ok(await verifyIdToken(await issuer.sign({ exp: now - 10 }), opts), 'expired 10 s ago')
  t.ok(await verifyIdToken(await issuer.sign({ iat: now + 10, nbf: now + 10 }), opts), 'issued 10 s ahead')
  await t.rejects(verifyIdToken(await issuer.sign({ exp: now - 10 }), { ...opts, clockTolerance: 0 }),
    { code: 'ERR_OIDC_VERIFY_EXPIRED' })
})

t.test('keys unreachable or unusable → ERR_OIDC_VERIFY_KEYS', async t => {
  const down = await closedPortUrl()
  const issuer = await startIssuer(t)
  const token = await signWith(issuer.key, { iss: down, aud: audience, iat: nowSeconds(), exp: nowSeconds() + 60 })
  const err = await verifyIdToken(token, { audience, issuers: [down] }).catch((e: Error) => e)
  t.match(err, { code: 'ERR_OIDC_VERIFY_KEYS', message: /could not fetch the discovery document.*ECONNREFUSED/ })
  issuer.jwks = { keys: [{ kty: 'RSA', kid: 'key-1', alg: 'RS256', n: 'AQAB', e: 'AQAB', d: 'AQAB' }] }
  await t.rejects(verifyIdToken(await issuer.sign(), { audience, issuers: [issuer.url] }),
    { code: 'ERR_OIDC_VERIFY_KEYS' }, 'a key jose cannot use')
})

t.test('the cache saves requests, expires, and is refreshed for an unknown kid', async t => {
  const issuer = await startIssuer(t)
  const cache = new Map<string, JwksCacheEntry>()
  const opts = { audience, issuers: [issuer.url], cache }
  await verifyIdToken(await issuer.sign(), opts)
  await verifyIdToken(await issuer.sign(), opts)
  t.equal(issuer.requests.length, 2, 'second verification made no request')
  t.equal(cache.get(issuer.url)?.jwks.keys.length, 1)

  // A freshly fetched set is not refetched for an unknown kid (cooldown)…
  const rotated = await makeKey('key-2')
  issuer.keys.push(rotated)
  await t.rejects(verifyIdToken(await issuer.sign({}, { key: rotated }), opts), { code: 'ERR_OIDC_VERIFY_SIGNATURE' })
  t.equal(issuer.requests.length, 2)
  // …but an older one is, and the rotated key is then accepted.
  cache.set(issuer.url, { ...cache.get(issuer.url) as JwksCacheEntry, fetchedAt: Date.now() - 60_000 })
  t.ok(await verifyIdToken(await issuer.sign({}, { key: rotated }), opts))
  t.equal(issuer.requests.length, 4)

  cache.set(issuer.url, { jwks: { keys: [] }, fetchedAt: 0 })
  t.ok(await verifyIdToken(await issuer.sign(), opts), 'an entry past cacheMaxAge is refetched')
  t.equal(issuer.requests.length, 6)

  cache.set(issuer.url, { jwks: { keys: [] }, fetchedAt: Date.now() - 60_000 })
  issuer.discovery = undefined
  await t.rejects(verifyIdToken(await issuer.sign(), opts), { code: 'ERR_OIDC_VERIFY_KEYS' },
    'a refetch that fails reports the keys, not the signature')
})

t.test('inline keys, shared or per issuer, skip fetching', async t => {
  const issuer = await startIssuer(t)
  const jwks = { keys: [issuer.key.jwk as Record<string, unknown>] }
  const token = await issuer.sign()
  t.ok(await verifyIdToken(token, { audience, issuers: [issuer.url], jwks }))
  t.ok(await verifyIdToken(token, { audience, issuers: [issuer.url], jwks: { [issuer.url]: jwks } }))
  t.equal(issuer.requests.length, 0)
  await t.rejects(verifyIdToken(token, { audience, issuers: [issuer.url], jwks: { keys: [] } }),
    { code: 'ERR_OIDC_VERIFY_SIGNATURE' }, 'inline keys are never refetched')
  t.ok(await verifyIdToken(token, { audience, issuers: [issuer.url], jwks: { 'https://other.example': jwks } }),
    'an issuer without inline keys is fetched')
  t.equal(issuer.requests.length, 2)
})

t.test('a non-string idToken is a TypeError', async t => {
  await t.rejects(verifyIdToken(undefined, { audience, issuers: ['https://x.example'] }),
    new TypeError('Expected `idToken` to be a string, got undefined.'))
})
