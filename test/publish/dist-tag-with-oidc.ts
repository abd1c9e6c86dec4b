import t from 'tap'
import { distTagWithOidc, getOidcToken, isOidcError } from '../../lib/index.js'
import { exchanged, fast } from '../fixtures/job.js'
import { json, type SeenRequest } from '../fixtures/server.js'
import { line, publishJob } from '../fixtures/publish-job.js'

const authKey = (registry: string) => `//${new URL(registry).host}/:_authToken`
const throwaway = () => `tok-${Math.random().toString(36).slice(2)}`
const tagRequests = (requests: SeenRequest[]) => requests.filter((r) => r.path.includes('/dist-tags/'))

t.test('exchanges for the package and sets the tag as npm dist-tag add does', async (t) => {
  const token = throwaway()
  const job = await publishJob(t, exchanged(token))
  const lines: string[] = []
  const res = await distTagWithOidc('@acme/widgets', '1.2.0', ' next ', {
    registry: job.registry, env: job.env, logger: (level, message) => { lines.push(`${level} ${message}`) }, ...fast,
  })
  t.same(job.server.requests.map(line), [
    `GET /token [${job.requestToken}]`,
    `POST /-/npm/v1/oidc/token/exchange/package/@acme%2fwidgets [${job.issued[0]}]`,
    `PUT /-/package/@acme%2fwidgets/dist-tags/next [${token}]`,
  ])
  const [put] = tagRequests(job.server.requests)
  t.equal(put?.body, '"1.2.0"')
  t.equal(put?.headers['content-type'], 'application/json')
  t.match(res, { package: '@acme/widgets', version: '1.2.0', tag: 'next', registry: job.registry, auth: { method: 'oidc', provider: 'github-actions' } })
  t.ok(lines.includes(`verbose Set @acme/widgets@next to 1.2.0 at ${job.registry} (oidc)`))
  t.notMatch(JSON.stringify(res) + lines.join('\n'), token)
})

t.test('a handed-over token: no second exchange', async (t) => {
  const token = throwaway()
  const job = await publishJob(t, exchanged(token))
  const oidcToken = await getOidcToken('plain', job.registry, job.env, fast) ?? undefined
  await distTagWithOidc('plain', '2.0.0', 'beta', { registry: job.registry, env: job.env, oidcToken })
  t.same(job.server.requests.map(line).slice(2), [`PUT /-/package/plain/dist-tags/beta [${token}]`])
  await t.rejects(distTagWithOidc('other', '2.0.0', 'next', { registry: job.registry, env: job.env, oidcToken }),
    { code: 'ERR_OIDC_TOKEN_MISMATCH', facts: `expected other at ${job.registry}, got plain at ${job.registry}` })
  t.equal(job.server.requests.length, 3, 'nothing sent for another package')
})

t.test('a registry that refuses trusted-publishing tokens for dist-tags', async (t) => {
  for (const status of [401, 403]) {
    const token = throwaway()
    const job = await publishJob(t, exchanged(token))
    const body = status === 403 ? { error: `no dist-tags with ${token}` } : {}
    job.server.queue(job.idTokenReply(), exchanged(token), json(status, body))
    const err = await distTagWithOidc('@acme/widgets', '1.0.0', 'next', { registry: job.registry, env: job.env, ...fast }).catch((e: unknown) => e)
    t.ok(isOidcError(err, 'ERR_OIDC_DIST_TAG_REFUSED'), `${status}: typed`)
    t.match(err, { status, facts: status === 403 ? /^status 403: no dist-tags with / : 'status 401', what: 'the registry refused to set the dist-tag "next" with the trusted-publishing token', hint: /publish with `tag` set instead, or change the dist-tag with a granular access token/ })
    t.notMatch(String((err as Error).message) + JSON.stringify(err), token, 'the token is scrubbed')
  }
})

t.test('other failures pass through, scrubbed; redirects are refused', async (t) => {
  const token = throwaway()
  const job = await publishJob(t, exchanged(token))
  job.server.queue(job.idTokenReply(), exchanged(token), json(400, { error: `bad ${token}` }))
  const err = await distTagWithOidc('@acme/widgets', '1.0.0', 'next', { registry: job.registry, env: job.env, ...fast }).catch((e: unknown) => e)
  t.match(err, { statusCode: 400 })
  t.notOk(isOidcError(err))
  t.notMatch(String((err as Error).message), token)
  job.server.queue(job.idTokenReply(), exchanged(token), json(302, {}, { location: `${job.server.origin}/elsewhere` }))
  await t.rejects(distTagWithOidc('@acme/widgets', '1.0.0', 'next', { registry: job.registry, env: job.env, ...fast }), { code: 'ERR_OIDC_REDIRECT_REFUSED', status: 302 })
  t.notOk(job.server.requests.some((r) => r.path === '/elsewhere'))
})

t.test('modes: off uses the configured token; auto falls back; required needs a provider', async (t) => {
  const job = await publishJob(t, json(404, { message: 'not found' }))
  const configured = { registry: job.registry, [authKey(job.registry)]: 'static_secret', headers: { authorization: 'Bearer nope' } }
  const off = await distTagWithOidc('plain', '1.0.0', 'next', { ...configured, oidc: 'off' })
  t.same(off.auth, { method: 'token' })
  const auto = await distTagWithOidc('plain', '1.0.0', 'next', { ...configured, env: job.env, ...fast })
  t.ok(auto.auth.method === 'token' && isOidcError(auto.auth.oidcError, 'ERR_OIDC_NO_TRUSTED_PUBLISHER'))
  t.same(tagRequests(job.server.requests).map(line), ['PUT /-/package/plain/dist-tags/next [static_secret]', 'PUT /-/package/plain/dist-tags/next [static_secret]'])
  await t.rejects(distTagWithOidc('plain', '1.0.0', 'next', { registry: job.registry, env: {}, oidc: 'required' }), { code: 'ERR_OIDC_NO_PROVIDER' })
  job.server.queue(json(500, { error: 'down' }))
  await t.rejects(distTagWithOidc('plain', '1.0.0', 'next', { ...configured, env: {}, retry: { retries: 0 } }), { statusCode: 500 })
})

t.test('argument errors, before any request', async (t) => {
  const job = await publishJob(t)
  const oidcToken = await getOidcToken('plain', job.registry, job.env, fast) ?? undefined
  const sent = job.server.requests.length
  const cases: Array<[unknown[], string]> = [
    [['Bad Name', '1.0.0', 'next', {}], 'pkg'],
    [['plain', 'latest', 'next', {}], 'Expected `version` to be a version, got "latest".'],
    [['plain', 1, 'next', {}], 'Expected `version` to be a version, got 1.'],
    [['plain', '1.0.0', '1.0.0', {}], 'Expected `tag` to be a dist-tag name, got "1.0.0".'],
    [['plain', '1.0.0', '^1', {}], 'Expected `tag` to be a dist-tag name, got "^1".'],
    [['plain', '1.0.0', '', {}], 'Expected `tag` to be a dist-tag name, got "".'],
    [['plain', '1.0.0', 'beta/1', {}], 'Expected `tag` to be a dist-tag name, got "beta/1".'],
    [['plain', '1.0.0', 'a b', {}], 'Expected `tag` to be a dist-tag name, got "a b".'],
    [['plain', '1.0.0', 'next', null], 'Expected `opts` to be an object.'],
    [['plain', '1.0.0', 'next', { oidc: 'sometimes' }], 'Expected `opts.oidc` to be \'auto\', \'required\' or \'off\', got "sometimes".'],
    [['plain', '1.0.0', 'next', { env: null }], 'Expected `opts.env` to be an object.'],
    [['plain', '1.0.0', 'next', { forceRegistry: 1 }], 'Expected `opts.forceRegistry` to be a URL.'],
    [['plain', '1.0.0', 'next', { oidcToken, oidc: 'off' }], 'Expected no `opts.oidcToken` with `opts.oidc: \'off\'`, which never uses one.'],
    [['plain', '1.0.0', 'next', { logger: 1 }], 'Expected `opts.logger` to be a function.'],
  ]
  for (const [args, message] of cases) {
    const call = (distTagWithOidc as (...a: unknown[]) => Promise<unknown>)(...args)
    await t.rejects(call, { name: 'TypeError', message: message === 'pkg' ? /pkg/ : message }, message)
  }
  t.equal(job.server.requests.length, sent)
})

t.test('forceRegistry and the scope registry, as npm picks them', async (t) => {
  const job = await publishJob(t)
  const put = () => json(200, { ok: true })
  job.server.fallback = ((fallback) => (res, req) => req.method === 'PUT' ? put()(res, req) : fallback(res, req))(job.server.fallback)
  const res = await distTagWithOidc('@acme/widgets', '1.0.0', 'next', { registry: 'https://registry.invalid/', forceRegistry: `${job.server.origin}/fork`, env: job.env, ...fast })
  t.equal(res.registry, `${job.server.origin}/fork/`)
  const scoped = await distTagWithOidc('@acme/widgets', '1.0.0', 'next', { registry: 'https://registry.invalid/', '@acme:registry': job.registry, env: job.env, ...fast })
  t.equal(scoped.registry, job.registry)
})
