import t from 'tap'
import { inspect } from 'node:util'
import { getOidcToken, isOidcError, type OidcProvider } from '../lib/index.js'
import { fakeGithubJob, exchanged, fast } from './fixtures/job.js'
import { json, text, hang, reset, startServer } from './fixtures/server.js'
import { githubClaims, makeIdToken } from './fixtures/id-token.js'
import { captureLogs } from './fixtures/logs.js'

const EXCHANGE = '/-/npm/v1/oidc/token/exchange/package/'

t.test('resolves null with no provider and no NPM_ID_TOKEN, without any request', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  const logs = captureLogs(t)
  t.equal(await getOidcToken('pkg', `${server.origin}/`, { CI: 'true', PATH: '/usr/bin' }), null)
  t.equal(server.requests.length, 0)
  t.same(logs, [
    ['silly', 'oidc', 'Skipped github-actions: GITHUB_ACTIONS not set'],
    ['silly', 'oidc', 'Skipped gitlab: GITLAB_CI not set'],
    ['silly', 'oidc', 'Skipped circleci: CIRCLECI not set'],
    ['silly', 'oidc', 'No OIDC provider detected and NPM_ID_TOKEN is not set: not using trusted publishing'],
  ])
})

t.test('reads process.env when no env is given', async (t) => {
  const saved = { ...process.env }
  t.teardown(() => { process.env = saved })
  for (const key of ['GITHUB_ACTIONS', 'GITLAB_CI', 'CIRCLECI', 'NPM_ID_TOKEN']) delete process.env[key]
  t.equal(await getOidcToken('pkg', 'https://registry.npmjs.org/'), null)
})

t.test('GitHub Actions: ID-token request, then the exchange, on the wire', async (t) => {
  const job = await fakeGithubJob(t)
  const logs = captureLogs(t)
  const expires = new Date(Date.now() + 3_600_000).toISOString()
  job.server.queue(job.idTokenReply(), exchanged('npm_exchanged_1', expires))
  const result = await getOidcToken('@acme/widgets', job.registry, job.env)
  t.ok(result)
  const [idRequest, exchange] = job.server.requests
  t.equal(job.server.requests.length, 2)
  t.equal(idRequest?.method, 'GET')
  t.equal(idRequest?.path, '/token?api-version=2.0&audience=npm%3A127.0.0.1', 'audience joins the existing query; no port')
  t.equal(idRequest?.headers.authorization, `Bearer ${job.requestToken}`)
  t.equal(idRequest?.headers.accept, 'application/json')
  t.equal(idRequest?.headers['npm-command'], undefined, 'no npm headers go to GitHub')
  t.equal(exchange?.method, 'POST')
  t.equal(exchange?.path, `${EXCHANGE}@acme%2fwidgets`, 'scoped names as npa escapes them, undecoded')
  t.equal(exchange?.headers.authorization, `Bearer ${job.issued[0]}`)
  t.equal(exchange?.headers['content-length'], '0')
  t.equal(exchange?.headers['content-type'], undefined)
  t.equal(exchange?.headers['npm-command'], 'publish')
  t.equal(exchange?.headers['npm-auth-type'], 'web')
  t.equal(exchange?.headers.accept, '*/*')
  t.match(exchange?.headers['user-agent'], /^libnpmoidc\/\d+\.\d+\.\d+ node\/v\d+.* ci\/github-actions$/)
  t.equal(exchange?.body, '')
  t.equal(result?.token, 'npm_exchanged_1')
  t.equal(result?.authKey, `//${new URL(job.registry).host}/:_authToken`)
  t.equal(result?.registry, job.registry)
  t.equal(result?.package, '@acme/widgets')
  t.equal(result?.provider, 'github-actions')
  t.equal(result?.expires?.toISOString(), expires)
  t.equal(result?.claims.repository, 'acme/widgets')
  t.notMatch(inspect(result, { showHidden: true, depth: 5 }), 'npm_exchanged_1')
  t.notMatch(JSON.stringify(result), 'npm_exchanged_1')
  t.same(logs.map(([level]) => level), ['verbose', 'verbose'])
  t.match(logs[0]?.[2], /^Got an ID token from the GitHub ID-token endpoint for npm:127\.0\.0\.1 \(provider github-actions, expires /)
  t.equal(logs[1]?.[2], `Exchanged the ID token for a publish token for @acme/widgets at ${job.registry} (expires ${expires})`)
  t.notMatch(JSON.stringify(logs), job.issued[0] as string)
})

t.test('keeps a registry path prefix and omits expires the registry did not send', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), json(200, { token: 'npm_prefixed' }))
  const result = await getOidcToken('widgets', `${job.server.origin}/artifactory/api/npm/repo`, job.env)
  t.equal(job.server.requests[1]?.path, `/artifactory/api/npm/repo${EXCHANGE}widgets`)
  t.equal(result?.registry, `${job.server.origin}/artifactory/api/npm/repo/`)
  t.equal(result?.authKey, `//${new URL(job.registry).host}/artifactory/api/npm/repo/:_authToken`)
  t.notOk(result && 'expires' in result)
})

t.test('sends only the ID token, whatever credentials the options carry', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), exchanged())
  const host = new URL(job.registry).host
  await getOidcToken('pkg', job.registry, job.env, {
    [`//${host}/:_authToken`]: 'static-token-must-not-travel',
    forceAuth: { token: 'forced-must-not-travel' },
    headers: { 'x-extra': 'kept', authorization: 'Bearer header-must-not-travel' },
  })
  const exchange = job.server.requests[1]
  t.equal(exchange?.headers.authorization, `Bearer ${job.issued[0]}`)
  t.equal(exchange?.headers['x-extra'], 'kept')
  t.notMatch(JSON.stringify(job.server.requests), /must-not-travel/)
})

t.test('NPM_ID_TOKEN replaces the GitHub request and works outside CI', async (t) => {
  const job = await fakeGithubJob(t)
  const idToken = makeIdToken(githubClaims({ aud: 'npm:127.0.0.1' }))
  job.server.queue(exchanged())
  const onGithub = await getOidcToken('pkg', job.registry, { ...job.env, NPM_ID_TOKEN: idToken })
  t.equal(onGithub?.provider, 'github-actions')
  job.server.queue(exchanged())
  const outside = await getOidcToken('pkg', job.registry, { NPM_ID_TOKEN: idToken })
  t.equal(outside?.provider, 'npm-id-token')
  t.same(job.server.requests.map((r) => r.method), ['POST', 'POST'], 'no ID-token request at all')
  t.equal(job.server.requests[0]?.headers.authorization, `Bearer ${idToken}`)
})

t.test('checks a pre-minted token before sending it: no request on failure', async (t) => {
  const job = await fakeGithubJob(t)
  const cases = [
    { name: 'another audience', token: makeIdToken({ aud: 'npm:registry.npmjs.org' }), code: 'ERR_OIDC_AUDIENCE_MISMATCH', message: /expected npm:127\.0\.0\.1, got npm:registry\.npmjs\.org/ },
    { name: 'several audiences', token: makeIdToken({ aud: ['npm:127.0.0.1', 'sigstore'] }), code: 'ERR_OIDC_AUDIENCE_MISMATCH', message: /got npm:127\.0\.0\.1, sigstore/ },
    { name: 'no audience', token: makeIdToken({}), code: 'ERR_OIDC_AUDIENCE_MISMATCH', message: /got none/ },
    { name: 'expired', token: makeIdToken({ aud: 'npm:127.0.0.1' }, -10), code: 'ERR_OIDC_ID_TOKEN_EXPIRED', message: /-1[0-9] s left/ },
    { name: 'about to expire', token: makeIdToken({ aud: 'npm:127.0.0.1' }, 20), code: 'ERR_OIDC_ID_TOKEN_EXPIRED', message: /(19|20) s left, at least 31 s needed/ },
    { name: 'not a JWT', token: 'not-a-jwt', code: 'ERR_OIDC_ID_TOKEN_MALFORMED', message: /not a JWT \(from NPM_ID_TOKEN, 9 characters\)/ },
    { name: 'no exp', token: makeIdToken({ aud: 'npm:127.0.0.1', exp: undefined }), code: 'ERR_OIDC_ID_TOKEN_MALFORMED', message: /no exp claim/ },
  ]
  for (const c of cases) {
    await t.rejects(getOidcToken('pkg', job.registry, { GITLAB_CI: 'true', NPM_ID_TOKEN: c.token }), { code: c.code, message: c.message, provider: 'gitlab' }, c.name)
  }
  t.equal(job.server.requests.length, 0)
})

t.test('the exchange answers, one by one', async (t) => {
  const cases = [
    { name: '404', reply: json(404, { message: 'OIDC token exchange error - package not found' }), code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER', status: 404, registryMessage: 'OIDC token exchange error - package not found', hint: /repository "acme\/widgets", workflow filename "release\.yml", environment \(none\); the publisher must name exactly these, case included\)\. `npm-oidc doctor` also looks the package up/ },
    { name: '401', reply: json(401, { message: 'OIDC token exchange error - unauthorized' }), code: 'ERR_OIDC_UNAUTHORIZED', status: 401, registryMessage: 'OIDC token exchange error - unauthorized', hint: /issuer \(https:\/\/token\.actions\.githubusercontent\.com\).*audience must be npm:127\.0\.0\.1/ },
    { name: '400', reply: json(400, { message: 'OIDC token exchange error - bad request' }), code: 'ERR_OIDC_EXCHANGE_REJECTED', status: 400, registryMessage: 'OIDC token exchange error - bad request', hint: /registry's message/ },
    { name: '403 from a Verdaccio-style body', reply: json(403, { error: 'forbidden' }), code: 'ERR_OIDC_EXCHANGE_REJECTED', status: 403, registryMessage: 'forbidden', hint: /registry's message/ },
    { name: '400 without a message', reply: text(400, ''), code: 'ERR_OIDC_EXCHANGE_REJECTED', status: 400, hint: /gave no reason/ },
    { name: '405 from a registry without the exchange', reply: text(405, ''), code: 'ERR_OIDC_EXCHANGE_REJECTED', status: 405, hint: /does not implement the trusted-publishing token exchange/ },
    { name: '2xx without a token', reply: json(201, { ok: true }), code: 'ERR_OIDC_EXCHANGE_BAD_RESPONSE', status: 201, hint: /does not implement the exchange/ },
    { name: '2xx with an empty token', reply: json(200, { token: '' }), code: 'ERR_OIDC_EXCHANGE_BAD_RESPONSE', status: 200, hint: /does not implement/ },
    { name: '2xx that is not JSON', reply: text(200, '<html>welcome</html>'), code: 'ERR_OIDC_EXCHANGE_BAD_RESPONSE', status: 200, hint: /does not implement/ },
    { name: '2xx with a huge body', reply: text(200, `{"token":"${'x'.repeat(200_000)}"}`), code: 'ERR_OIDC_EXCHANGE_BAD_RESPONSE', status: 200, hint: /does not implement/ },
    { name: '307', reply: json(307, {}, { location: 'http://127.0.0.1:1/elsewhere' }), code: 'ERR_OIDC_REDIRECT_REFUSED', status: 307, hint: /never sent to a redirect target/ },
  ]
  for (const c of cases) {
    const job = await fakeGithubJob(t)
    job.server.queue(job.idTokenReply(), c.reply)
    const err = await getOidcToken('@acme/widgets', job.registry, job.env, fast).catch((e: unknown) => e)
    t.ok(isOidcError(err, c.code as never), `${c.name}: ${c.code}`)
    t.match(err, { status: c.status, hint: c.hint, provider: 'github-actions', claims: { repository: 'acme/widgets' } }, c.name)
    if (c.registryMessage) t.equal((err as { registryMessage?: string }).registryMessage, c.registryMessage)
    t.equal(job.server.requests.filter((r) => r.method === 'POST').length, 1, `${c.name}: never retried`)
    t.notMatch((err as Error).message, job.issued[0] as string)
  }
})

t.test('an HTML error page keeps the status and an excerpt', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), text(404, `<html><body>   Not   Found ${'!'.repeat(300)}</body></html>`))
  const err = await getOidcToken('pkg', job.registry, job.env, fast).catch((e: unknown) => e)
  t.match(err, { code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER', status: 404, registryMessage: /^<html><body> Not Found !+…$/ })
})

t.test('an immutable GitHub subject adds the known registry issue to the hint', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply({ sub: 'repo:acme@123/widgets@456:ref:refs/heads/main' }), json(404, { message: 'not found' }))
  await t.rejects(getOidcToken('pkg', job.registry, job.env), { hint: /npm\/cli#9969/ })
})

t.test('transient exchange failures are retried, each time with a fresh ID token', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(
    job.idTokenReply(), json(503, { message: 'busy' }),
    job.idTokenReply(), json(429, { message: 'slow down' }, { 'retry-after': '0' }),
    job.idTokenReply(), exchanged('npm_third_time')
  )
  const result = await getOidcToken('pkg', job.registry, job.env, fast)
  t.equal(result?.token, 'npm_third_time')
  const posts = job.server.requests.filter((r) => r.method === 'POST')
  t.equal(posts.length, 3)
  t.same(posts.map((p) => p.headers.authorization), job.issued.map((tok) => `Bearer ${tok}`))
  t.equal(new Set(job.issued).size, 3, 'three different ID tokens')
})

t.test('gives up after the allowed tries with ERR_OIDC_EXCHANGE_FAILED', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.fallback = (res, req) => req.path.startsWith('/token') ? job.idTokenReply()(res, req) : json(500, { message: 'OIDC token exchange error - internal server error' })(res, req)
  const err = await getOidcToken('pkg', job.registry, job.env, { ...fast, retry: { retries: 1, minTimeout: 1 } }).catch((e: unknown) => e)
  t.match(err, { code: 'ERR_OIDC_EXCHANGE_FAILED', status: 500, registryMessage: 'OIDC token exchange error - internal server error' })
  t.equal(job.server.requests.filter((r) => r.method === 'POST').length, 2)
})

t.test('a Retry-After beyond the deadline ends the call at once', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), json(429, { message: 'rate limited' }, { 'retry-after': '3600' }))
  await t.rejects(getOidcToken('pkg', job.registry, job.env, fast), { code: 'ERR_OIDC_EXCHANGE_FAILED', status: 429 })
  t.equal(job.server.requests.length, 2)
})

t.test('network failures: reset, refused, no answer', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), reset, job.idTokenReply(), exchanged('npm_after_reset'))
  t.equal((await getOidcToken('pkg', job.registry, job.env, fast))?.token, 'npm_after_reset')

  const closed = await startServer()
  const refused = `${closed.origin}/`
  await closed.close()
  job.server.fallback = job.idTokenReply()
  await t.rejects(getOidcToken('pkg', refused, { ...job.env }, { ...fast, retry: { retries: 0 } }),
    { code: 'ERR_OIDC_EXCHANGE_FAILED', message: /ECONNREFUSED from http:\/\/127\.0\.0\.1/ })

  const silent = await startServer(hang)
  t.teardown(() => silent.close())
  await t.rejects(getOidcToken('pkg', `${silent.origin}/`, { ...job.env }, { timeout: 50, retry: { retries: 1, minTimeout: 1 } }),
    { code: 'ERR_OIDC_EXCHANGE_FAILED', message: /no answer within 50 ms/ })
  t.equal(silent.requests.length, 2, 'a timed-out request is retried')
})

t.test('the deadline bounds the whole call', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.fallback = (res, req) => req.path.startsWith('/token') ? job.idTokenReply()(res, req) : hang(res, req)
  await t.rejects(getOidcToken('pkg', job.registry, job.env, { deadline: 150, timeout: 10_000, retry: { retries: 5, minTimeout: 1 } }),
    { code: 'ERR_OIDC_EXCHANGE_FAILED' })
})

t.test('the caller\'s signal aborts the call with its reason', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.fallback = hang
  const controller = new AbortController()
  const pending = getOidcToken('pkg', job.registry, job.env, { signal: controller.signal })
  setTimeout(() => controller.abort(new Error('release cancelled')), 20)
  await t.rejects(pending, { message: 'release cancelled' })
  await t.rejects(getOidcToken('pkg', job.registry, job.env, { signal: controller.signal }), { message: 'release cancelled' }, 'already aborted')

  const sleeping = new AbortController()
  job.server.queue(job.idTokenReply(), json(503, {}, { 'retry-after': '5' }))
  const backingOff = getOidcToken('pkg', job.registry, job.env, { signal: sleeping.signal })
  setTimeout(() => sleeping.abort(new Error('stop waiting')), 50)
  await t.rejects(backingOff, { message: 'stop waiting' }, 'aborts a backoff wait too')
})

t.test('plain http is refused for hosts that are not loopback', async (t) => {
  const job = await fakeGithubJob(t)
  await t.rejects(getOidcToken('pkg', 'http://registry.example.com/', job.env), {
    code: 'ERR_OIDC_INSECURE_REGISTRY', message: /plain http \(registry http:\/\/registry\.example\.com\/\)/,
  })
  t.equal(job.server.requests.length, 0)
})

t.test('custom providers replace the list', async (t) => {
  const job = await fakeGithubJob(t)
  const seen: string[] = []
  const custom: OidcProvider = {
    id: 'acme-ci',
    name: 'Acme CI',
    detectedBy: 'ACME_CI',
    detect: (env) => env.ACME_CI === '1',
    async getIdToken (context) {
      seen.push(context.audience, String(context.signal instanceof AbortSignal), String(context.timeout))
      const left = context.deadlineAt - Date.now()
      seen.push(String(left > 0 && left <= 5000))
      return { idToken: makeIdToken({ aud: context.audience }), source: 'the Acme token file' }
    },
  }
  job.server.queue(exchanged('npm_custom'))
  const result = await getOidcToken('pkg', job.registry, { ACME_CI: '1', GITHUB_ACTIONS: 'true' }, {
    providers: [custom], timeout: 1234, deadline: 5000,
  })
  t.equal(result?.provider, 'acme-ci')
  t.same(seen, ['npm:127.0.0.1', 'true', '1234', 'true'], 'the context: audience, signal, timeout, deadline')
})

t.test('programmer errors are TypeErrors naming the argument', async (t) => {
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['invalid name', () => getOidcToken('Not A Name', 'https://registry.npmjs.org/', {}), /`pkgName` to be a valid npm package name, got "Not A Name"/],
    ['name with a version', () => getOidcToken('pkg@1.0.0', 'https://registry.npmjs.org/', {}), /`pkgName`/],
    ['name of the wrong type', () => getOidcToken(42 as never, 'https://registry.npmjs.org/', {}), /`pkgName`.*got 42/],
    ['relative registry', () => getOidcToken('pkg', 'registry.npmjs.org', {}), /`registry` to be an absolute http\(s\) URL, got "registry\.npmjs\.org"/],
    ['ftp registry', () => getOidcToken('pkg', 'ftp://registry.npmjs.org/', {}), /`registry`/],
    ['registry with credentials', () => getOidcToken('pkg', 'https://u:p@registry.npmjs.org/', {}), /`registry` to carry no credentials/],
    ['null env', () => getOidcToken('pkg', 'https://registry.npmjs.org/', null as never), /`env` to be an object, got null/],
    ['string env', () => getOidcToken('pkg', 'https://registry.npmjs.org/', 'x' as never), /`env` to be an object, got string/],
    ['string opts', () => getOidcToken('pkg', 'https://registry.npmjs.org/', {}, 'x' as never), /`opts` to be an object/],
    ['negative timeout', () => getOidcToken('pkg', 'https://registry.npmjs.org/', {}, { timeout: -1 }), /`opts\.timeout` to be a non-negative number, got -1/],
    ['retry not an object', () => getOidcToken('pkg', 'https://registry.npmjs.org/', {}, { retry: 3 as never }), /`opts\.retry`/],
    ['string retries', () => getOidcToken('pkg', 'https://registry.npmjs.org/', {}, { retry: { retries: '2' as never } }), /`opts\.retry\.retries`/],
    ['signal', () => getOidcToken('pkg', 'https://registry.npmjs.org/', {}, { signal: {} as never }), /`opts\.signal`/],
    ['headers', () => getOidcToken('pkg', 'https://registry.npmjs.org/', {}, { headers: 'x' as never }), /`opts\.headers`/],
    ['userAgent', () => getOidcToken('pkg', 'https://registry.npmjs.org/', {}, { userAgent: 1 as never }), /`opts\.userAgent`/],
    ['providers', () => getOidcToken('pkg', 'https://registry.npmjs.org/', {}, { providers: [{}] as never }), /`opts\.providers`/],
    ['providers not an array', () => getOidcToken('pkg', 'https://registry.npmjs.org/', {}, { providers: {} as never }), /`opts\.providers`/],
  ]
  for (const [name, call, message] of cases) await t.rejects(call(), { name: 'TypeError', message }, name)
})

t.test('the caller\'s options are never mutated', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.queue(job.idTokenReply(), exchanged())
  const opts = Object.freeze({ timeout: 0, retry: Object.freeze({ retries: 1 }), userAgent: 'npm/11.19.1', headers: Object.freeze({}) })
  await getOidcToken('pkg', job.registry, Object.freeze({ ...job.env }), opts)
  t.match(job.server.requests[1]?.headers['user-agent'], /^npm\/11\.19\.1 libnpmoidc\//)
})

t.test('hints when the token lacks the usual claims, and an empty error body', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  const env = { NPM_ID_TOKEN: makeIdToken({ aud: 'npm:127.0.0.1' }) }
  server.queue(json(404, {}))
  await t.rejects(getOidcToken('pkg', `${server.origin}/`, env), { code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER', hint: /check the trusted publisher on the registry/, registryMessage: '{}' })
  server.queue(json(401, { message: 'unauthorized' }))
  await t.rejects(getOidcToken('pkg', `${server.origin}/`, env), { code: 'ERR_OIDC_UNAUTHORIZED', hint: /issuer \(unknown\)/ })
  server.queue(text(400, ''))
  const err = await getOidcToken('pkg', `${server.origin}/`, env).catch((e: unknown) => e)
  t.match(err, { code: 'ERR_OIDC_EXCHANGE_REJECTED', message: /\(status 400 from http:\/\/127\.0\.0\.1:\d+\/\)/ })
  t.notOk(err && typeof err === 'object' && 'registryMessage' in err)
})

t.test('concurrent calls with their own loggers each see only their own lines', async (t) => {
  const job = await fakeGithubJob(t)
  job.server.fallback = (res, req) => (req.path.startsWith('/token') ? job.idTokenReply() : exchanged())(res, req)
  const seen: Record<string, string[]> = { '@acme/a': [], '@acme/b': [] }
  await Promise.all(Object.keys(seen).map((name) => getOidcToken(name, job.registry, job.env, {
    ...fast, logger: (_level, message) => { seen[name]?.push(message) },
  })))
  for (const [name, lines] of Object.entries(seen)) {
    const other = name === '@acme/a' ? '@acme/b' : '@acme/a'
    t.ok(lines.some((l) => l.includes(`publish token for ${name}`)), `${name}: its exchange`)
    t.notOk(lines.some((l) => l.includes(other)), `${name}: nothing of ${other}`)
  }
})
