import t from 'tap'
import { assertSecureRegistry, exchangeUrl, parseRegistry } from '../../lib/client/registry-target.js'
import { isLoopbackHost } from '../../lib/util/connection-options.js'

t.test('audience, auth key and exchange URL from one parsed URL', async (t) => {
  const cases = [
    { registry: 'https://registry.npmjs.org', href: 'https://registry.npmjs.org/', audience: 'npm:registry.npmjs.org', authKey: '//registry.npmjs.org/:_authToken' },
    { registry: 'https://host/prefix', href: 'https://host/prefix/', audience: 'npm:host', authKey: '//host/prefix/:_authToken' },
    { registry: 'http://127.0.0.1:4873/prefix/?q=1#x', href: 'http://127.0.0.1:4873/prefix/', audience: 'npm:127.0.0.1', authKey: '//127.0.0.1:4873/prefix/:_authToken' },
    { registry: 'http://localhost:4873/', href: 'http://localhost:4873/', audience: 'npm:localhost', authKey: '//localhost:4873/:_authToken' },
    { registry: 'https://HOST.example.com:8443/artifactory/api/npm/repo/', href: 'https://host.example.com:8443/artifactory/api/npm/repo/', audience: 'npm:host.example.com', authKey: '//host.example.com:8443/artifactory/api/npm/repo/:_authToken' },
  ]
  for (const c of cases) {
    t.match(parseRegistry(c.registry), { href: c.href, audience: c.audience, authKey: c.authKey }, c.registry)
  }
  t.equal(exchangeUrl(parseRegistry('https://host/artifactory/api/npm/repo'), '@scope%2fname'),
    'https://host/artifactory/api/npm/repo/-/npm/v1/oidc/token/exchange/package/@scope%2fname')
})

t.test('loopback hosts', async (t) => {
  for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '[::1]']) t.ok(isLoopbackHost(host), host)
  for (const host of ['example.com', '10.0.0.1', '127.0.0.1.example.com', '1127.0.0.1']) t.notOk(isLoopbackHost(host), host)
  t.ok(parseRegistry('http://[::1]:4873/').loopback)
})

t.test('plain http only for loopback', async (t) => {
  t.doesNotThrow(() => assertSecureRegistry(parseRegistry('http://localhost:4873/')))
  t.doesNotThrow(() => assertSecureRegistry(parseRegistry('https://registry.example.com/')))
  t.throws(() => assertSecureRegistry(parseRegistry('http://registry.example.com/')), { code: 'ERR_OIDC_INSECURE_REGISTRY' })
})

t.test('TypeErrors name the argument', async (t) => {
  t.throws(() => parseRegistry(undefined, 'opts.registry'), { name: 'TypeError', message: 'Expected `opts.registry` to be an absolute http(s) URL, got undefined.' })
  t.throws(() => parseRegistry('file:///x'), { name: 'TypeError', message: /`registry`/ })
  t.throws(() => parseRegistry('https://:secret@host/'), { name: 'TypeError', message: /no credentials/ })
})
