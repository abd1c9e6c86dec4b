import t from 'tap'
import { fetchJwks } from '../../lib/verifier/fetch-jwks.js'
import { closedPortUrl, startIssuer } from '../fixtures/issuer-keys.js'

t.test('discovery then jwks_uri, with no registry credential sent', async t => {
  const issuer = await startIssuer(t)
  const jwks = await fetchJwks(issuer.url, { [`//127.0.0.1:${new URL(issuer.url).port}/:_authToken`]: 'static-secret' })
  t.equal(jwks.keys[0]?.kid, 'key-1')
  t.strictSame(issuer.requests, ['/.well-known/openid-configuration', '/keys'])
})

t.test('faults → ERR_OIDC_VERIFY_KEYS with the reason', async t => {
  const issuer = await startIssuer(t)
  const cases: Array<[string, () => void, RegExp]> = [
    ['discovery 404', () => { issuer.discovery = undefined }, /could not fetch the discovery document .*HTTP 404/],
    ['discovery not JSON', () => { issuer.discovery = '<html>' }, /could not fetch the discovery document/],
    ['discovery not an object', () => { issuer.discovery = [] }, /unusable discovery document .*no JSON object/],
    ['discovery names another issuer', () => { issuer.discovery = { issuer: 'https://evil.example', jwks_uri: `${issuer.url}/keys` } }, /names issuer "https:\/\/evil\.example"/],
    ['no jwks_uri', () => { issuer.discovery = { issuer: issuer.url } }, /no `jwks_uri`/],
    ['jwks_uri over plain http to another host', () => { issuer.discovery = { issuer: issuer.url, jwks_uri: 'http://keys.example/jwks' } }, /refusing to fetch the key set .*not an https URL/],
    ['jwks_uri not a URL', () => { issuer.discovery = { issuer: issuer.url, jwks_uri: 'keys' } }, /refusing to fetch the key set/],
    ['jwks 404', () => { issuer.discovery = { issuer: issuer.url, jwks_uri: `${issuer.url}/missing` } }, /could not fetch the key set .*HTTP 404/],
    ['jwks without keys', () => { issuer.discovery = { issuer: issuer.url, jwks_uri: `${issuer.url}/keys` }; issuer.jwks = { keys: 'x' } }, /unusable key set/],
  ]
  for (const [name, setup, message] of cases) {
    setup()
    await t.rejects(fetchJwks(issuer.url, {}), { code: 'ERR_OIDC_VERIFY_KEYS', message }, name)
  }
})

t.test('unreachable and non-https issuers', async t => {
  await t.rejects(fetchJwks(await closedPortUrl(), {}), { code: 'ERR_OIDC_VERIFY_KEYS', message: /ECONNREFUSED/ })
  await t.rejects(fetchJwks('http://issuer.example', {}), { code: 'ERR_OIDC_VERIFY_KEYS', message: /refusing to fetch the discovery document/ })
})
