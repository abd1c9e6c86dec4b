// Attacks on the client ('libnpmoidc'): each mounts one item of the threat model against the public API, with
// real loopback servers playing GitHub's ID-token endpoint, the registry, a redirect target and a proxy.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { inspect } from 'node:util'
import { getOidcToken, listTrustedPublishers, publishWithOidc, type OidcError } from '../../lib/index.js'
import { json, startServer, text, type Reply, type SeenRequest } from '../fixtures/server.js'
import { fakeGithubJob, exchanged, fast } from '../fixtures/job.js'
import { pkg, publishJob } from '../fixtures/publish-job.js'
import { captureLogs } from '../fixtures/logs.js'

const npmToken = (): string => `npm_${randomBytes(18).toString('hex')}`
const caught = async (promise: Promise<unknown>): Promise<OidcError & Record<string, unknown>> =>
  promise.then(() => { throw new Error('expected a rejection') }, (err: OidcError & Record<string, unknown>) => err)

// Every way an error can be shown: what a caller logs, inspects in depth, or serialises.
function shown (err: unknown): string {
  return [inspect(err, { depth: null, showHidden: true }), JSON.stringify(err), String(err)].join('\n')
}

// A JSON-escaped echo: every `_` and `.` written as `\u005f` / `\u002e`, as a JSON encoder may.
const escaped = (secret: string): string => secret.replace(/[_.]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)

t.test('item 11: caller headers smuggle a credential into every request', async (t) => {
  const token = npmToken()
  const job = await publishJob(t, exchanged(token))
  const { manifest, tarball } = pkg()
  const headers = {
    AUTHORIZATION: 'Bearer smuggled',
    Authorization: 'Bearer smuggled-too',
    'Proxy-Authorization': 'Basic smuggled',
    COOKIE: 'session=smuggled',
    'x-kept': 'yes',
  }
  await publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, headers, ...fast })
  const right = [job.requestToken, job.issued[0], token, token]
  t.same(job.server.requests.map((r) => `${r.method} ${r.path.replace(/\?.*$/, '')}`), [
    'GET /token', 'POST /-/npm/v1/oidc/token/exchange/package/@acme%2fwidgets',
    'GET /-/package/@acme%2fwidgets/visibility', 'PUT /@acme%2fwidgets',
  ])
  job.server.requests.forEach((r, i) => {
    t.equal(r.headers.authorization, `Bearer ${right[i]}`, `${r.method}: exactly one credential, the right one`)
    t.equal(r.headers['proxy-authorization'], undefined, `${r.method}: no Proxy-Authorization`)
    t.equal(r.headers.cookie, undefined, `${r.method}: no Cookie`)
    t.equal(r.headers['x-kept'], 'yes', `${r.method}: other headers still pass`)
  })
})

t.test('item 11: caller headers smuggle a credential into a trust request', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  const userToken = `npm_${randomBytes(12).toString('hex')}`
  server.queue(json(200, []))
  const host = server.origin.slice('http:'.length)
  await listTrustedPublishers('@acme/widgets', {
    registry: `${server.origin}/`,
    [`${host}/:_authToken`]: userToken,
    headers: { AUTHORIZATION: 'Bearer smuggled', Cookie: 'session=smuggled', 'Proxy-Authorization': 'Basic x', 'x-kept': '1' },
  })
  const [req] = server.requests
  t.equal(req?.headers.authorization, `Bearer ${userToken}`, 'only the user token')
  t.notOk(req?.headers.cookie, 'no cookie')
  t.notOk(req?.headers['proxy-authorization'], 'no proxy credential')
  t.equal(req?.headers['x-kept'], '1', 'other headers still pass')
})

t.test('item 12: a redirect, a plain-http ID-token URL, or a proxy takes a token elsewhere', async (t) => {
  t.test('the visibility GET is redirected to another port', async (t) => {
    const token = npmToken()
    const elsewhere = await startServer(json(200, { public: true }))
    t.teardown(() => elsewhere.close())
    const job = await publishJob(t, exchanged(token))
    const fallback = job.server.fallback
    job.server.fallback = (res, req) => req.path.endsWith('/visibility')
      ? res.writeHead(302, { location: `${elsewhere.origin}/steal` }).end()
      : fallback(res, req)
    const { manifest, tarball } = pkg()
    const res = await publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, ...fast })
      .catch((err: unknown) => err) as { oidc?: { provenance: unknown } }
    t.same(elsewhere.requests, [], 'the redirect target never sees the exchanged token')
    t.match(res.oidc?.provenance, {
      enabled: false, reason: /visibility check answered with a redirect \(status 302\), not followed/,
    })
  })

  t.test('ACTIONS_ID_TOKEN_REQUEST_URL is plain http to a host that is not loopback', async (t) => {
    const proxy = await startServer(text(502, 'bad gateway'))
    t.teardown(() => proxy.close())
    const job = await fakeGithubJob(t)
    const env = { ...job.env, ACTIONS_ID_TOKEN_REQUEST_URL: 'http://token.actions.example/token?api-version=2.0' }
    // The proxy stands in for the network: whatever would travel in clear text arrives there.
    const err = await caught(getOidcToken('@acme/widgets', job.registry, env, { proxy: proxy.origin, ...fast }))
    t.match(err, { code: 'ERR_OIDC_ID_TOKEN_REQUEST_FAILED', message: /scheme is http:, not https:/ })
    t.same(proxy.requests, [], 'the request token was never sent')
    t.same(job.server.requests, [])
  })

  t.test('a proxy is configured while the registry and the ID-token endpoint are on loopback', async (t) => {
    const proxy = await startServer(text(502, 'bad gateway'))
    t.teardown(() => proxy.close())
    const token = npmToken()
    const job = await publishJob(t, exchanged(token))
    const { manifest, tarball } = pkg()
    const opts = { registry: job.registry, env: job.env, proxy: proxy.origin, ...fast }
    const res = await publishWithOidc(manifest, tarball, opts)
    t.equal(res.status, 201)
    t.same(proxy.requests.map((r: SeenRequest) => r.path), [], 'no request, hence no token, went through the proxy')
    t.equal(job.server.requests.length, 4, 'all four hops reached the loopback registry directly')
  })
})

t.test('item 13: a registry echoes the token encoded, in a header, or deep in an upload error', async (t) => {
  const logs = captureLogs(t)

  t.test('the exchange echoes the ID token JSON-escaped', async (t) => {
    const job = await fakeGithubJob(t)
    let idToken = ''
    const echo: Reply = (res, req) => {
      idToken = String(req.headers.authorization).replace(/^Bearer /, '')
      text(400, `{"message":"cannot use ${escaped(idToken)}"}`, { 'content-type': 'application/json' })(res, req)
    }
    job.server.fallback = (res, req) => req.path.startsWith('/token') ? job.idTokenReply()(res, req) : echo(res, req)
    const err = await caught(getOidcToken('@acme/widgets', job.registry, job.env, fast))
    t.match(err, { code: 'ERR_OIDC_EXCHANGE_REJECTED', registryMessage: 'cannot use ***' })
    t.notOk(shown(err).includes(idToken), 'no decoded echo anywhere in the error')
  })

  t.test('the exchange quotes the ID token in its content-type', async (t) => {
    const job = await fakeGithubJob(t)
    let idToken = ''
    job.server.fallback = (res, req) => {
      if (req.path.startsWith('/token')) return job.idTokenReply()(res, req)
      idToken = String(req.headers.authorization).replace(/^Bearer /, '')
      text(200, 'not json', { 'content-type': `text/plain; echo=${idToken}` })(res, req)
    }
    const err = await caught(getOidcToken('@acme/widgets', job.registry, job.env, fast))
    t.match(err, {
      code: 'ERR_OIDC_EXCHANGE_BAD_RESPONSE', message: /not JSON \(text\/plain; echo=\*\*\*, 8 characters\)/,
    })
    t.notOk(shown(err).includes(idToken))
  })

  t.test('the upload fails with the token deep in its JSON body, in a text body and in a header', async (t) => {
    const token = npmToken()
    const deepBody = { error: 'rejected', detail: { a: { b: { c: { d: { e: `Bearer ${token}` } } } } } }
    const job = await publishJob(t, exchanged(token))
    const fallback = job.server.fallback
    job.server.fallback = (res, req) => req.method === 'PUT'
      ? json(400, deepBody, { 'x-echo': `Bearer ${escaped(token)}` })(res, req)
      : fallback(res, req)
    const { manifest, tarball } = pkg()
    const jsonErr = await caught(publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, ...fast }))
    t.equal(jsonErr.statusCode, 400)

    job.server.fallback = (res, req) => req.method === 'PUT'
      ? text(400, `echo: ${escaped(token)} and ${token}`, { 'content-type': 'text/plain' })(res, req)
      : fallback(res, req)
    const textErr = await caught(publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, ...fast }))
    t.ok(Buffer.isBuffer(textErr.body), 'npm-registry-fetch keeps a text body as a Buffer')
    t.equal(String(textErr.body), 'echo: *** and ***')
    for (const err of [jsonErr, textErr]) {
      t.notOk(shown(err).includes(token), 'not in inspect (any depth), JSON or the message')
      t.notOk(shown(err).includes(escaped(token)), 'nor JSON-escaped')
    }
  })

  t.test('no log line carries a token', async (t) => {
    t.ok(logs.length > 0)
    t.notOk(logs.some((line) => /npm_[0-9a-f]{36}|Bearer \S/.test(line.join(' '))))
  })
})

t.test('item 14: the registry redirects the upload to another port of the same host', async (t) => {
  const token = npmToken()
  const elsewhere = await startServer(json(201, { ok: true }))
  t.teardown(() => elsewhere.close())
  const job = await publishJob(t, exchanged(token))
  const fallback = job.server.fallback
  job.server.fallback = (res, req) => req.method === 'PUT'
    ? res.writeHead(307, { location: `${elsewhere.origin}${req.path}` }).end()
    : fallback(res, req)
  const { manifest, tarball } = pkg()
  const err: unknown = await publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, ...fast })
    .catch((err: unknown) => err)
  t.same(elsewhere.requests.map((r) => r.headers.authorization), [], 'the redirect target never sees the token')
  t.match(err, { code: 'ERR_OIDC_REDIRECT_REFUSED', status: 307, message: /answered the upload with a redirect/ })
  t.notOk(shown(err).includes(token))
})

t.test('item 19: a 128 KiB hostile registry message reaches the error whole', async (t) => {
  // Dots and letters: the run that made the old URL pattern quadratic.
  const hostile = 'a.'.repeat(64 * 1024)

  t.test('from the upload', async (t) => {
    const job = await publishJob(t)
    const fallback = job.server.fallback
    job.server.fallback = (res, req) =>
      req.method === 'PUT' ? json(400, { error: hostile })(res, req) : fallback(res, req)
    const { manifest, tarball } = pkg()
    const err = await caught(publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, ...fast }))
    t.equal(err.statusCode, 400)
    t.ok(err.message.length <= 1025, `capped before anyone formats it (${err.message.length} characters)`)
    t.ok(err.message.endsWith('…'))
  })

  t.test('from the exchange (under its 64 KiB body limit)', async (t) => {
    const job = await publishJob(t, json(403, { message: hostile.slice(0, 60 * 1024) }))
    const err = await caught(getOidcToken('@acme/widgets', job.registry, job.env, fast))
    t.equal(err.code, 'ERR_OIDC_EXCHANGE_REJECTED')
    t.equal(err.registryMessage?.length, 1025, 'registryMessage is capped')
    t.ok(err.message.length < 2000, `and so is the message built from it (${err.message.length} characters)`)
  })
})
