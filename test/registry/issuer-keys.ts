import t from 'tap'
import { getIssuerKeys, keyFetches, mayRefresh } from '../../lib/registry/issuer-keys.js'
import { resolveVerifyOptions, type JwksCacheEntry } from '../../lib/registry/verify-options.js'
import { startIssuer } from '../fixtures/issuer-keys.js'

t.test('inline, cached, expired and forced', async t => {
  const issuer = await startIssuer(t)
  const fetches = keyFetches()
  const jwks = { keys: [] }
  const inline = resolveVerifyOptions({ audience: 'npm:x', issuers: [issuer.url], jwks })
  t.strictSame(await getIssuerKeys(issuer.url, inline, fetches, 0), { jwks, fetchedAt: undefined })
  const cache = new Map<string, JwksCacheEntry>([[issuer.url, { jwks, fetchedAt: 1000 }]])
  const cached = resolveVerifyOptions({ audience: 'npm:x', issuers: [issuer.url], cache, cacheMaxAge: 100 })
  t.equal((await getIssuerKeys(issuer.url, cached, fetches, 1099)).jwks, jwks, 'young entry used')
  t.equal(issuer.requests.length, 0)
  t.equal((await getIssuerKeys(issuer.url, cached, fetches, 1100)).jwks.keys.length, 1, 'old entry refetched')
  t.equal((await getIssuerKeys(issuer.url, cached, fetches, 31_099, true)).fetchedAt, 1100, 'a refresh within the cooldown reuses')
  t.equal((await getIssuerKeys(issuer.url, cached, fetches, 31_100, true)).fetchedAt, 31_100, 'forced after the cooldown')
  t.equal(issuer.requests.length, 4)
  t.equal(cache.get(issuer.url)?.fetchedAt, 31_100)
  const uncached = resolveVerifyOptions({ audience: 'npm:x', issuers: [issuer.url] })
  t.equal((await getIssuerKeys(issuer.url, uncached, fetches, 5)).fetchedAt, 5, 'works without a cache')
})

t.test('concurrent lookups share one fetch, and a failed one is not kept', async t => {
  const issuer = await startIssuer(t)
  const fetches = keyFetches()
  const opts = resolveVerifyOptions({ audience: 'npm:x', issuers: [issuer.url], cache: new Map() })
  const all = await Promise.all(Array.from({ length: 20 }, () => getIssuerKeys(issuer.url, opts, fetches, 1)))
  t.ok(all.every(keys => keys === all[0]), 'the same entry for all')
  t.equal(issuer.requests.length, 2, 'one discovery, one key set')
  t.equal(fetches.inFlight.size, 0, 'nothing left in flight')
  issuer.discovery = undefined
  const failing = resolveVerifyOptions({ audience: 'npm:x', issuers: [issuer.url] })
  await t.rejects(Promise.all([
    getIssuerKeys(issuer.url, failing, fetches, 2),
    getIssuerKeys(issuer.url, failing, fetches, 2),
  ]), { code: 'ERR_OIDC_VERIFY_KEYS' })
  t.equal(issuer.requests.length, 3, 'the failure was shared too')
  t.equal(fetches.inFlight.size, 0)
})

t.test('mayRefresh', async t => {
  t.notOk(mayRefresh({ jwks: { keys: [] }, fetchedAt: undefined }, 1e12), 'inline keys never')
  t.notOk(mayRefresh({ jwks: { keys: [] }, fetchedAt: 1000 }, 30_999))
  t.ok(mayRefresh({ jwks: { keys: [] }, fetchedAt: 1000 }, 31_000))
})
