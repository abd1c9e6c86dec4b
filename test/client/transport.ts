import t, { type Test } from 'tap'
import { Agent, createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendTokenRequest } from '../../lib/client/transport.js'
import { resolveOptions } from '../../lib/client/resolve-options.js'
import { startClock, TransientFailure } from '../../lib/client/retry.js'
import { OidcError } from '../../lib/errors.js'
import { getOidcToken, isOidcError } from '../../lib/index.js'
import { startServer, json, hang } from '../fixtures/server.js'
import { tnock } from '../fixtures/tnock.js'
import { makeIdToken } from '../fixtures/id-token.js'
import { listen, makePki, startProxy, startTlsServer, type Pki } from '../fixtures/tls-proxy.js'

const unreachable = (facts: string, cause: unknown): OidcError =>
  new OidcError('ERR_OIDC_EXCHANGE_FAILED', { what: 'unreachable', facts, hint: 'h', cause })

function request (url: string, opts: Record<string, unknown> = {}) {
  const options = resolveOptions(opts)
  return sendTokenRequest({ method: 'POST', url, headers: { authorization: 'Bearer x' }, options, clock: startClock(options), unreachable })
}

async function failureOf (promise: Promise<unknown>): Promise<OidcError> {
  const err = await promise.catch((e: unknown) => e)
  if (!(err instanceof TransientFailure)) throw new Error('expected a TransientFailure')
  return err.final
}

t.test('a redirect comes back as it is: one request, never followed', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  server.queue(json(307, {}, { location: `${server.origin}/second` }))
  const res = await request(`${server.origin}/first`)
  t.equal(res.status, 307)
  t.equal(res.header('location'), `${server.origin}/second`)
  t.equal(res.header('x-absent'), null)
  t.same(server.requests.map((r) => r.path), ['/first'])
})

t.test('the caller\'s proxy and TLS settings are passed on', async (t) => {
  const server = await startServer(json(200, { ok: 1 }))
  t.teardown(() => server.close())
  const res = await request(`${server.origin}/`, { strictSSL: true, maxSockets: 2, noProxy: '127.0.0.1', ca: null })
  t.equal(res.text, '{"ok":1}')
  t.equal(res.oversized, false)
})

t.test('an error with credentials in its text keeps only its code (nock: no server can produce it)', async (t) => {
  tnock(t, 'https://registry.example.com').post('/x').replyWithError({ message: 'socket hang up at https://user:pass@proxy' })
  const final = await failureOf(request('https://registry.example.com/x'))
  t.match(final.message, /\(network error\)/)
  t.equal((final.cause as Error).message, 'request failed: network error')
  t.notMatch(JSON.stringify(final, Object.getOwnPropertyNames(final)), /pass/)
})

const randomToken = (): string => `npm_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
const EXCHANGE_PATH = '/-/npm/v1/oidc/token/exchange/package/'

/** An HTTPS registry (the PKI's certificate) that answers every exchange with `token`. */
async function tlsRegistry (t: Test, pki: Pki, token: string): ReturnType<typeof startTlsServer> {
  return startTlsServer(t, pki, (req, res) => {
    const ok = req.method === 'POST' && req.url?.startsWith(EXCHANGE_PATH)
    res.writeHead(ok ? 201 : 404, { 'content-type': 'application/json' })
      .end(JSON.stringify(ok ? { token } : { message: 'not found' }))
  })
}

t.test('through a CONNECT proxy to an HTTPS registry with a private CA', async (t) => {
  const pki = await makePki(t)
  const noRetry = { retry: { retries: 0 } }
  const idTokenFor = (host: string): string => makeIdToken({ aud: `npm:${host}` })

  t.test('the exchange succeeds; the proxy only tunnels and never sees a token', async (t) => {
    const token = randomToken()
    const registry = await tlsRegistry(t, pki, token)
    const proxy = await startProxy(t, registry.port)
    const idToken = idTokenFor('registry.test')
    const oidc = await getOidcToken('@acme/widgets', 'https://registry.test/', { NPM_ID_TOKEN: idToken },
      { ...noRetry, httpsProxy: `http://127.0.0.1:${proxy.port}/`, ca: pki.ca })
    t.equal(oidc?.token, token)
    t.same(proxy.targets, ['CONNECT registry.test:443'], 'one tunnel, nothing else')
    t.same(registry.seen.map((r) => [r.method, r.path, r.authorization]),
      [['POST', `${EXCHANGE_PATH}@acme%2fwidgets`, `Bearer ${idToken}`]], 'the ID token reached the registry')
    const relayed = proxy.relayed().toString('latin1')
    t.ok(relayed.length > 1000, 'the proxy relayed the whole TLS conversation')
    t.notOk(relayed.includes(idToken), 'no ID token in clear in what the proxy relayed')
    t.notOk(relayed.includes(idToken.split('.')[1] as string), 'not even its payload')
    t.notOk(relayed.includes(token), 'no exchanged token in clear either')
  })

  t.test('HTTPS_PROXY from the environment is honoured, as npm does', async (t) => {
    const token = randomToken()
    const registry = await tlsRegistry(t, pki, token)
    const proxy = await startProxy(t, registry.port)
    const saved = process.env.HTTPS_PROXY
    process.env.HTTPS_PROXY = `http://127.0.0.1:${proxy.port}`
    t.teardown(() => { if (saved === undefined) delete process.env.HTTPS_PROXY; else process.env.HTTPS_PROXY = saved })
    const oidc = await getOidcToken('widgets', 'https://registry.test/', { NPM_ID_TOKEN: idTokenFor('registry.test') },
      { ...noRetry, ca: pki.ca })
    t.equal(oidc?.token, token)
    t.same(proxy.targets, ['CONNECT registry.test:443'])
  })

  t.test('without `ca` the private CA is not trusted: a typed error, and no request got through', async (t) => {
    const registry = await tlsRegistry(t, pki, randomToken())
    const proxy = await startProxy(t, registry.port)
    const err = await getOidcToken('widgets', 'https://registry.test/', { NPM_ID_TOKEN: idTokenFor('registry.test') },
      { ...noRetry, httpsProxy: `http://127.0.0.1:${proxy.port}/` }).catch((e: unknown) => e)
    t.ok(isOidcError(err))
    t.match(err, { code: 'ERR_OIDC_EXCHANGE_FAILED', message: /\(SELF_SIGNED_CERT_IN_CHAIN from https:\/\/registry\.test\/\)/ })
    t.match((err as OidcError).cause, { code: 'SELF_SIGNED_CERT_IN_CHAIN' })
    t.same(registry.seen, [])
  })

  t.test('direct (loopback): `ca` trusts, strictSSL: false accepts, cert/key reach the server', async (t) => {
    const registry = await tlsRegistry(t, pki, randomToken())
    const url = `https://127.0.0.1:${registry.port}${EXCHANGE_PATH}x`
    t.equal((await request(url, { ca: pki.ca, maxSockets: 2 })).status, 201, 'ca')
    t.equal((await request(url, { strictSSL: false })).status, 201, 'strictSSL: false')
    t.equal((await request(url, { ca: [pki.ca.toString()], cert: pki.clientCert, key: pki.clientKey })).status, 201)
    t.same(registry.seen.map((r) => r.clientCn), [undefined, undefined, 'libnpmoidc test client'],
      'only the request with cert/key presented the client certificate, and the server verified it')
    const final = await failureOf(request(url, { strictSSL: true }))
    t.match(final.message, /SELF_SIGNED_CERT_IN_CHAIN/, 'strictSSL: true without the CA fails')
  })
})

/** A plain HTTP server that answers 200 with the path, and counts connections and requests in flight. */
async function countingServer (t: Test, delayMs = 0) {
  const state = { connections: 0, inFlight: 0, maxInFlight: 0, remote: [] as string[], paths: [] as string[] }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    state.inFlight++
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight)
    state.remote.push(req.socket.remoteAddress ?? '')
    state.paths.push(req.url ?? '')
    req.resume()
    setTimeout(() => {
      state.inFlight--
      res.writeHead(200, { 'content-type': 'text/plain' }).end(req.url)
    }, delayMs)
  })
  server.on('connection', () => { state.connections++ })
  return { port: await listen(t, server), state }
}

t.test('http:// through an HTTP proxy goes in absolute form; noProxy and loopback bypass it', async (t) => {
  const upstream = await countingServer(t)
  const proxy = await startProxy(t, upstream.port)
  const proxyUrl = `http://127.0.0.1:${proxy.port}`
  const res = await request('http://registry.test/absolute?x=1', { proxy: proxyUrl })
  t.equal(res.text, '/absolute?x=1')
  t.same(proxy.targets, ['POST http://registry.test/absolute?x=1'], 'absolute-form request line')
  // 0.0.0.0 reaches this machine without a DNS lookup, but is not a loopback name, so a proxy would apply.
  const bypassed = await request(`http://0.0.0.0:${upstream.port}/direct`, { proxy: proxyUrl, noProxy: 'example.com, 0.0.0.0' })
  t.equal(bypassed.text, '/direct')
  await request(`http://127.0.0.1:${upstream.port}/loopback`, { proxy: proxyUrl, httpsProxy: proxyUrl })
  t.equal(proxy.targets.length, 1, 'neither noProxy nor loopback went through the proxy')
  t.same(upstream.state.paths, ['/absolute?x=1', '/direct', '/loopback'])
})

t.test('the caller\'s agent is used for a remote host, never for loopback', async (t) => {
  const upstream = await countingServer(t)
  const proxy = await startProxy(t, upstream.port)
  const used: string[] = []
  class Watched extends Agent {
    override addRequest (req: unknown, options: { host?: string }): void {
      used.push(options.host as string)
      ;(Agent.prototype as unknown as { addRequest: (...args: unknown[]) => void }).addRequest.call(this, req, options)
    }
  }
  const agent = new Watched()
  t.teardown(() => agent.destroy())
  await request(`http://0.0.0.0:${upstream.port}/agent`, { agent, proxy: `http://127.0.0.1:${proxy.port}` })
  await request(`http://127.0.0.1:${upstream.port}/loopback`, { agent })
  t.same(used, ['0.0.0.0'], 'the agent carried the remote request only')
  t.same(proxy.targets, [], 'an agent wins over the proxy, as in npm')
})

t.test('localAddress binds the socket; maxSockets bounds the requests of one options bag', async (t) => {
  const upstream = await countingServer(t, 30)
  const res = await request(`http://127.0.0.1:${upstream.port}/`, { localAddress: '127.0.0.2' })
  t.equal(res.status, 200)
  t.same(upstream.state.remote, ['127.0.0.2'])
  const opts = { maxSockets: 1 }
  const options = resolveOptions(opts)
  const send = (path: string) => sendTokenRequest({
    method: 'GET', url: `http://127.0.0.1:${upstream.port}${path}`, headers: {}, options, clock: startClock(options), unreachable,
  })
  await Promise.all([send('/1'), send('/2'), send('/3')])
  t.equal(upstream.state.maxInFlight, 1, 'one request at a time')
})

t.test('an unusable proxy fails as a network error naming only its code', async (t) => {
  const closed = await startServer()
  await closed.close()
  const cases: Array<[string, RegExp]> = [
    [`http://user:secret@${closed.origin.slice('http://'.length)}`, /ECONNREFUSED/],
    ['ftp://user:secret@proxy.example', /EINVALIDPROXY/],
    ['not a url :secret', /ERR_INVALID_URL/],
  ]
  for (const [proxy, code] of cases) {
    const final = await failureOf(request('https://registry.test/x', { httpsProxy: proxy, timeout: 2000 }))
    t.match(final.message, code, proxy.replace('secret', '…'))
    t.notMatch(JSON.stringify(final, Object.getOwnPropertyNames(final)), /secret/)
  }
})

t.test('one limit covers the whole request; the caller\'s abort wins; a huge body hangs up', async (t) => {
  const server = await startServer(hang)
  t.teardown(() => server.close())
  const slow = await failureOf(request(`${server.origin}/hang`, { timeout: 50 }))
  t.match(slow.message, /no answer within 50 ms/)
  const controller = new AbortController()
  const reason = new Error('stopped by the caller')
  setTimeout(() => controller.abort(reason), 20)
  t.equal(await request(`${server.origin}/hang`, { signal: controller.signal }).catch((e: unknown) => e), reason)

  let closedEarly = false
  server.fallback = (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    let sent = 0
    res.on('close', () => { closedEarly = sent < 256 })
    const pump = (): void => {
      while (sent < 256 && !res.destroyed) {
        sent++
        if (!res.write(chunk)) {
          res.once('drain', pump)
          return
        }
      }
      if (!res.destroyed) res.end()
    }
    pump()
  }
  const huge = await request(`${server.origin}/huge`)
  t.equal(huge.oversized, true)
  t.ok(huge.text.length > 0 && huge.text.length <= 64 * 1024, 'kept whole chunks up to the limit')
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.ok(closedEarly, 'the connection was dropped long before 16 MiB')
})
