import t from 'tap'
import { createServer, request, type IncomingMessage, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { createExchangeHandler, type ExchangeHandlerOptions } from '../../lib/registry/create-exchange-handler.js'
import { closedPortUrl, nowSeconds, startIssuer, makeKey, type TestIssuer } from '../fixtures/issuer-keys.js'

const route = '/-/npm/v1/oidc/token/exchange/package/'
const ghPub = { type: 'github', claims: { repository: 'acme/pkg', workflow_ref: { file: 'release.yml' } }, permissions: ['createPackage'] }

interface Answer { status: number, headers: IncomingMessage['headers'], body: Record<string, unknown> }

async function serve (
  t: { teardown (fn: () => unknown): void },
  listener: RequestListener
): Promise<(path: string, token?: string, method?: string) => Promise<Answer>> {
  const server = createServer(listener)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => { server.closeAllConnections(); server.close(resolve) }))
  const { port } = server.address() as AddressInfo
  return (path, token, method = 'POST') => new Promise((resolve, reject) => {
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` }
    request({ host: '127.0.0.1', port, path, method, headers }, res => {
      let text = ''
      res.setEncoding('utf8').on('data', chunk => { text += chunk }).on('end', () => {
        resolve({ status: res.statusCode as number, headers: res.headers, body: JSON.parse(text) })
      })
    }).on('error', reject).end()
  })
}

function options (issuer: TestIssuer, overrides: Partial<ExchangeHandlerOptions> = {}): ExchangeHandlerOptions {
  return {
    audience: 'npm:127.0.0.1',
    issuers: [issuer.url],
    publisherIssuers: { github: [issuer.url] },
    getTrustedPublishers: name => name === '@acme/pkg' || name === 'pkg' ? [ghPub] : null,
    mintToken: () => ({ token: 'npm_minted', expires: '2030-01-01T00:00:00Z' }),
    ...overrides,
  }
}

t.test('201 with npmjs\'s body for a scoped name under a path prefix', async t => {
  const issuer = await startIssuer(t)
  const minted: unknown[] = []
  const post = await serve(t, createExchangeHandler(options(issuer, {
    mintToken: (...args) => { minted.push(args); return { token: 'npm_minted', expires: new Date('2030-01-01T00:00:00Z') } },
  })))
  const res = await post(`/prefix${route}@acme%2fpkg`, await issuer.sign())
  t.equal(res.status, 201)
  t.match(res.headers, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  t.strictSame(Object.keys(res.body), ['token', 'expires', 'token_type', 'created'])
  t.match(res.body, { token: 'npm_minted', expires: '2030-01-01T00:00:00.000Z', token_type: 'oidc', created: /^\d{4}-\d\d-\d\dT/ })
  t.match(minted, [['@acme/pkg', { repository: 'acme/pkg', iss: issuer.url }, ghPub, ['createPackage']]])
  t.equal((await post(`${route}@acme/pkg`, await issuer.sign())).status, 201, 'unescaped name')
  t.equal(issuer.requests.length, 2, 'keys cached per handler')
})

t.test('a string from mintToken, and a list of audiences', async t => {
  const issuer = await startIssuer(t)
  const post = await serve(t, createExchangeHandler(options(issuer, {
    audience: ['npm:127.0.0.1', 'npm:127.0.0.1:4873'],
    mintToken: () => 'npm_plain',
  })))
  const res = await post(`${route}pkg`, await issuer.sign())
  t.equal(res.status, 201)
  t.match(res.body, { token: 'npm_plain', token_type: 'oidc' })
  t.notOk('expires' in res.body, 'no expiry is invented')
  t.equal((await post(`${route}pkg`, await issuer.sign({ aud: 'npm:127.0.0.1:4873' }))).status, 201)
  t.equal((await post(`${route}pkg`, await issuer.sign({ aud: 'npm:localhost' }))).status, 401)
})

t.test('400, 401 and 404 answers', async t => {
  const issuer = await startIssuer(t)
  const post = await serve(t, createExchangeHandler(options(issuer)))
  const now = nowSeconds()
  const other = await makeKey('key-1')
  const cases: Array<{
    name: string
    path?: string
    token?: () => Promise<string>
    method?: string
    status: number
    message: RegExp
  }> = [
    { name: 'bad name', path: `${route}a%2fb%2fc`, token: () => issuer.sign(), status: 400, message: /^OIDC token exchange error - bad request: package name/ },
    { name: 'wrong method', method: 'GET', status: 405, message: /^OIDC token exchange error - method not allowed/ },
    { name: 'no bearer', status: 401, message: /^OIDC token exchange error - unauthorized: no bearer token$/ },
    { name: 'bad signature', token: () => issuer.sign({}, { key: other }), status: 401, message: /^OIDC token exchange error - unauthorized: ID token signature is invalid$/ },
    { name: 'unknown issuer', token: () => issuer.sign({ iss: 'https://evil.example' }), status: 401, message: /^OIDC token exchange error - unauthorized: ID token issuer is not trusted$/ },
    { name: 'wrong audience', token: () => issuer.sign({ aud: 'npm:registry.npmjs.org' }), status: 401, message: /^OIDC token exchange error - unauthorized: ID token audience mismatch$/ },
    { name: 'expired', token: () => issuer.sign({ exp: now - 120 }), status: 401, message: /^OIDC token exchange error - unauthorized: ID token has expired$/ },
    { name: 'not yet valid', token: () => issuer.sign({ nbf: now + 600, iat: now }), status: 401, message: /unauthorized: ID token is not valid yet$/ },
    { name: 'malformed', token: async () => 'x.y', status: 401, message: /unauthorized: ID token is malformed$/ },
    { name: 'claim mismatch', token: () => issuer.sign({ repository: 'acme/other' }), status: 404, message: /^OIDC token exchange error - package not found$/ },
    { name: 'environment not configured', token: () => issuer.sign({ environment: 'prod' }), status: 404, message: /^OIDC token exchange error - package not found$/ },
    { name: 'package without publishers', path: `${route}unknown`, token: () => issuer.sign(), status: 404, message: /^OIDC token exchange error - package not found$/ },
  ]
  for (const c of cases) {
    const token = c.token ? await c.token() : undefined
    const res = await post(c.path ?? `${route}pkg`, token, c.method)
    t.equal(res.status, c.status, c.name)
    t.match(res.body.message, c.message, c.name)
    t.strictSame(Object.keys(res.body), ['message'], `${c.name}: body shape`)
    if (token) t.notOk(JSON.stringify(res.body).includes(token), `${c.name}: token not echoed`)
  }
  t.equal((await post(`${route}pkg`, undefined, 'GET')).headers.allow, 'POST')
  const down = await closedPortUrl()
  const unreachable = await serve(t, createExchangeHandler(options(issuer, { issuers: [issuer.url, down] })))
  t.match(await unreachable(`${route}pkg`, await issuer.sign({ iss: down })),
    { status: 401, body: { message: 'OIDC token exchange error - unauthorized: ID token could not be verified' } })
})

t.test('500 when looking up publishers or minting fails', async t => {
  const issuer = await startIssuer(t)
  const failures: Array<[string, Partial<ExchangeHandlerOptions>]> = [
    ['mint throws', { mintToken: () => { throw new Error('db down: secret=xyz') } }],
    ['mint returns nothing', { mintToken: () => ({}) as never }],
    ['mint returns null', { mintToken: () => null as never }],
    ['mint returns a bad expiry', { mintToken: () => ({ token: 'npm_x', expires: 'soon' }) }],
    // eslint-disable-next-line prefer-promise-reject-errors -- a lookup rejecting with a non-Error is under test
    ['lookup rejects with a non-error', { getTrustedPublishers: () => Promise.reject('nope') }],
    ['replay guard fails', { seenJti: () => { throw new Error('store down') } }],
  ]
  for (const [name, overrides] of failures) {
    const post = await serve(t, createExchangeHandler(options(issuer, overrides)))
    const res = await post(`${route}pkg`, await issuer.sign({ jti: 'jti-1' }))
    t.equal(res.status, 500, name)
    t.strictSame(res.body, { message: 'OIDC token exchange error - internal server error' }, name)
  }
})

t.test('other paths: next() when given, else 404', async t => {
  const issuer = await startIssuer(t)
  const handler = createExchangeHandler(options(issuer))
  const plain = await serve(t, handler)
  t.match(await plain('/-/whoami'), { status: 404, body: { message: 'OIDC token exchange error - not found' } })
  const chained = await serve(t, (req, res) => handler(req, res, () => res.writeHead(418).end('{"next":true}')))
  t.match(await chained('/-/whoami'), { status: 418, body: { next: true } })
})

t.test('mounted as an Express route', async t => {
  const issuer = await startIssuer(t)
  const app = express()
  const handler = createExchangeHandler(options(issuer))
  app.post('/-/npm/v1/oidc/token/exchange/package/:scope/:name', handler)
  app.post('/-/npm/v1/oidc/token/exchange/package/:name', handler)
  const post = await serve(t, app)
  t.equal((await post(`${route}@acme%2fpkg`, await issuer.sign())).status, 201)
  t.equal((await post(`${route}@acme/pkg`, await issuer.sign())).status, 201)
  t.equal((await post(`${route}pkg`, await issuer.sign({ repository: 'x/y' }))).status, 404)
})

t.test('options are checked eagerly', async t => {
  const base = { audience: 'npm:x', issuers: ['https://i.example'], getTrustedPublishers: () => [], mintToken: () => 'x' }
  t.throws(() => createExchangeHandler(null as never), { name: 'TypeError', message: /`options`/ })
  t.throws(() => createExchangeHandler({ ...base, issuers: [] }), { name: 'TypeError', message: /`options\.issuers`/ })
  t.throws(() => createExchangeHandler({ ...base, audience: (() => 'npm:x') as never }), { name: 'TypeError', message: /`options\.audience`.*never derived from a request/ })
  for (const publisherIssuers of [[], { github: 'x' }, { buildkite: ['x'] }, { gitlab: [''] }]) {
    t.throws(() => createExchangeHandler({ ...base, publisherIssuers: publisherIssuers as never }), { name: 'TypeError', message: /`options\.publisherIssuers`/ })
  }
  t.throws(() => createExchangeHandler({ ...base, getTrustedPublishers: undefined as never }), { name: 'TypeError', message: /`options\.getTrustedPublishers`/ })
  t.throws(() => createExchangeHandler({ ...base, mintToken: 'x' as never }), { name: 'TypeError', message: /`options\.mintToken`/ })
})

t.test('an answer after the response was already sent is dropped, never thrown', async t => {
  const issuer = await startIssuer(t)
  const lines: string[] = []
  const onLog = (...args: unknown[]): void => { lines.push(args.map(String).join(' ')) }
  process.on('log', onLog)
  t.teardown(() => { process.off('log', onLog) })
  const cases: Array<[string, () => Promise<string | undefined>, Partial<ExchangeHandlerOptions>]> = [
    ['no bearer', async () => undefined, {}],
    ['refused token', () => issuer.sign({ aud: 'npm:other' }), {}],
    ['no match', () => issuer.sign({ repository: 'x/y' }), {}],
    ['minted', () => issuer.sign(), {}],
    ['mint fails', () => issuer.sign(), { mintToken: () => { throw new Error('x') } }],
  ]
  const minted: string[] = []
  for (const [name, token, overrides] of cases) {
    lines.length = 0
    const handler = createExchangeHandler(options(issuer, { mintToken: (name) => { minted.push(name); return 'npm_x' }, ...overrides }))
    let done: () => void = () => {}
    const finished = new Promise<void>(resolve => { done = resolve })
    const post = await serve(t, (req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"early":true}')
      handler(req, res)
      res.on('finish', () => setTimeout(done, 100))
    })
    const res = await post(`${route}pkg`, await token())
    await finished
    t.match(res, { status: 503, body: { early: true } }, name)
    t.ok(lines.some(line => line.includes('answer dropped')), `${name}: logged`)
  }
  t.strictSame(minted, [], 'no publish token is minted for a response already sent')
})

t.test('log lines carry the detail, never the token', async t => {
  const issuer = await startIssuer(t)
  const lines: string[] = []
  const onLog = (...args: unknown[]): void => { lines.push(args.map(String).join(' ')) }
  process.on('log', onLog)
  t.teardown(() => { process.off('log', onLog) })
  const post = await serve(t, createExchangeHandler(options(issuer)))
  const tokens = [await issuer.sign({ iss: 'https://evil.example' }), await issuer.sign({ repository: 'x/y' }), await issuer.sign()]
  for (const token of tokens) await post(`${route}pkg`, token)
  t.match(lines.join('\n'), /refused: ERR_OIDC_VERIFY_ISSUER: ID token issuer is not trusted \(expected one of/)
  t.match(lines.join('\n'), /no trusted publisher matched \[\[\{"field":"repository","expected":"acme\/pkg","actual":"x\/y"\}\]\]/)
  t.match(lines.join('\n'), /token minted for github publisher #0 \(createPackage\)/)
  await post(`${route}unknown`, tokens[2])
  t.match(lines.at(-1), /no trusted publisher matched \[\]$/)
  for (const token of tokens) t.notOk(lines.some(line => line.includes(token)), 'no token in any line')
})
