import t from 'tap'
import { fetchJwks } from '../../lib/registry/fetch-jwks.js'
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
    ['discovery not JSON', () => { issuer.discovery = '<html>' }, /unusable discovery document .*not JSON/],
    ['discovery too large', () => { issuer.discovery = JSON.stringify({ issuer: issuer.url, pad: 'x'.repeat(300 * 1024) }) }, /unusable discovery document .*larger than 262144 bytes/],
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

t.test('redirects are refused, never followed', async t => {
  const target = await startIssuer(t)
  const issuer = await startIssuer(t)
  issuer.discovery = { issuer: issuer.url, jwks_uri: `${issuer.url}/moved` }
  const { createServer } = await import('node:http')
  const redirector = createServer((req, res) => { res.writeHead(301, { location: `${target.url}/keys` }).end() })
  await new Promise<void>(resolve => redirector.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => { redirector.closeAllConnections(); redirector.close(resolve) }))
  const url = `http://127.0.0.1:${(redirector.address() as { port: number }).port}`
  await t.rejects(fetchJwks(url, {}), { code: 'ERR_OIDC_VERIFY_KEYS', message: /refusing to follow a redirect from the discovery document .*HTTP 301/ })
  issuer.discovery = { issuer: issuer.url, jwks_uri: `${url}/keys` }
  await t.rejects(fetchJwks(issuer.url, {}), { code: 'ERR_OIDC_VERIFY_KEYS', message: /refusing to follow a redirect from the key set/ })
  t.strictSame(target.requests, [], 'the redirect target was never asked')
})

t.test('proxy and timeout options pass through', async t => {
  const issuer = await startIssuer(t)
  const jwks = await fetchJwks(issuer.url, { proxy: undefined, httpsProxy: undefined, noProxy: '127.0.0.1', strictSSL: true, timeout: 5000, retry: { retries: 0 } })
  t.equal(jwks.keys.length, 1)
})

t.test('unreachable and non-https issuers', async t => {
  await t.rejects(fetchJwks(await closedPortUrl(), {}), { code: 'ERR_OIDC_VERIFY_KEYS', message: /ECONNREFUSED/ })
  await t.rejects(fetchJwks('http://issuer.example', {}), { code: 'ERR_OIDC_VERIFY_KEYS', message: /refusing to fetch the discovery document/ })
})
