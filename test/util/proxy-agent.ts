import t from 'tap'
import { chooseProxy } from '../../lib/util/proxy-agent.js'

const https = new URL('https://registry.example.com/x')
const http = new URL('http://registry.example.com/x')
const choose = (url: URL, proxy: unknown, noProxy: unknown, env: NodeJS.ProcessEnv) =>
  chooseProxy(url, proxy, noProxy, env)?.proxy.href

t.test('the configured proxy wins; else the environment, case-insensitively, as @npmcli/agent reads it', async (t) => {
  t.equal(choose(https, 'http://configured:1', undefined, { HTTPS_PROXY: 'http://env:2' }), 'http://configured:1/')
  t.equal(choose(https, new URL('http://as-url:1'), undefined, {}), 'http://as-url:1/')
  t.equal(choose(https, undefined, undefined, { HTTPS_PROXY: 'http://upper:2' }), 'http://upper:2/')
  t.equal(choose(https, false, undefined, { https_proxy: 'http://lower:2' }), 'http://lower:2/', 'proxy: false falls back')
  t.equal(choose(https, undefined, undefined, { HTTP_PROXY: 'http://plain:3', PROXY: 'http://any:4' }), undefined,
    'https: only https_proxy')
  t.equal(choose(http, undefined, undefined, { HTTP_PROXY: 'http://plain:3', PROXY: 'http://any:4' }), 'http://plain:3/')
  t.equal(choose(http, undefined, undefined, { proxy: 'http://any:4' }), 'http://any:4/')
  t.equal(choose(http, undefined, undefined, { HTTPS_PROXY: 'http://s:5', http_proxy: 'http://p:6' }), 'http://s:5/')
  t.equal(choose(https, undefined, undefined, {}), undefined)
  t.throws(() => chooseProxy(https, 'not a url', undefined, {}), { code: 'ERR_INVALID_URL' })
})

t.test('noProxy (else NO_PROXY) lists hosts and parent domains', async (t) => {
  const p = 'http://proxy:1'
  t.equal(choose(https, p, 'other.com, example.com', {}), undefined, 'parent domain')
  t.equal(choose(https, p, '.example.com', {}), undefined, 'leading dot')
  t.equal(choose(https, p, ['registry.example.com'], {}), undefined, 'a list')
  t.equal(choose(https, p, 'ample.com,.,', {}), 'http://proxy:1/', 'not a suffix by segments; empty entries ignored')
  t.equal(choose(https, p, 'other.example.com', {}), 'http://proxy:1/')
  t.equal(choose(https, p, undefined, { NO_PROXY: 'example.com' }), undefined, 'from the environment')
  t.equal(choose(https, p, 'other.com', { NO_PROXY: 'example.com' }), 'http://proxy:1/', 'the configured list wins')
  t.equal(choose(https, p, 42, {}), 'http://proxy:1/', 'neither a string nor a list: no exception')
  t.same(chooseProxy(https, p, 'x.com', {})?.noProxy, 'x.com', 'the list travels with the choice')
})
