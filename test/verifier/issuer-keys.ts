import t from 'tap'
import { getIssuerKeys, mayRefresh } from '../../lib/verifier/issuer-keys.js'
import { resolveVerifyOptions, type JwksCacheEntry } from '../../lib/verifier/verify-options.js'
import { startIssuer } from '../fixtures/issuer-keys.js'

t.test('inline, cached, expired and forced', async t => {
  const issuer = await startIssuer(t)
  const jwks = { keys: [] }
  const inline = resolveVerifyOptions({ audience: 'npm:x', issuers: [issuer.url], jwks })
  t.strictSame(await getIssuerKeys(issuer.url, inline, 0), { jwks, fetchedAt: undefined })
  const cache = new Map<string, JwksCacheEntry>([[issuer.url, { jwks, fetchedAt: 1000 }]])
  const cached = resolveVerifyOptions({ audience: 'npm:x', issuers: [issuer.url], cache, cacheMaxAge: 100 })
  t.equal((await getIssuerKeys(issuer.url, cached, 1099)).jwks, jwks, 'young entry used')
  t.equal(issuer.requests.length, 0)
  t.equal((await getIssuerKeys(issuer.url, cached, 1100)).jwks.keys.length, 1, 'old entry refetched')
  t.equal((await getIssuerKeys(issuer.url, cached, 1100, true)).fetchedAt, 1100, 'forced')
  t.equal(issuer.requests.length, 4)
  t.equal(cache.get(issuer.url)?.fetchedAt, 1100)
  const uncached = resolveVerifyOptions({ audience: 'npm:x', issuers: [issuer.url] })
  t.equal((await getIssuerKeys(issuer.url, uncached, 5)).fetchedAt, 5, 'works without a cache')
})

t.test('mayRefresh', async t => {
  t.notOk(mayRefresh({ jwks: { keys: [] }, fetchedAt: undefined }, 1e12), 'inline keys never')
  t.notOk(mayRefresh({ jwks: { keys: [] }, fetchedAt: 1000 }, 30_999))
  t.ok(mayRefresh({ jwks: { keys: [] }, fetchedAt: 1000 }, 31_000))
})
