import t from 'tap'
import type { ServerResponse } from 'node:http'
import { publish } from 'libnpmpublish'
import type { OidcProvider } from '../../lib/index.js'
import { getOidcTokens } from '../../lib/client/get-oidc-tokens.js'
import { createOidcIssuer } from '../../lib/testing/index.js'
import { fakeGithubJob, exchanged, fast, type FakeJob } from '../fixtures/job.js'
import { json, startServer, type Reply, type SeenRequest } from '../fixtures/server.js'
import { githubClaims, makeIdToken } from '../fixtures/id-token.js'
import { captureLogs } from '../fixtures/logs.js'
import { startRegistry } from '../fixtures/registry.js'
import { makeTarball } from '../fixtures/tarball.js'

const EXCHANGE = '/-/npm/v1/oidc/token/exchange/package/'

const packageOf = (req: SeenRequest): string =>
  decodeURIComponent(req.path.slice(req.path.indexOf(EXCHANGE) + EXCHANGE.length))
const posts = (job: FakeJob): SeenRequest[] => job.server.requests.filter((r) => r.method === 'POST')
const idRequests = (job: FakeJob): SeenRequest[] => job.server.requests.filter((r) => r.path.startsWith('/token'))
const secondsFromNow = (s: number): number => Math.floor(Date.now() / 1000) + s

/** Routes `/token` to fresh ID tokens and every exchange to `exchange`. */
function route (job: FakeJob, exchange: Reply, idToken: Reply = job.idTokenReply()): void {
  job.server.fallback = (res, req) => (req.path.startsWith('/token') ? idToken : exchange)(res, req)
}

/** An exchange that answers each package with a token naming it. */
const perPackage: Reply = (res, req) => exchanged(`npm_for_${packageOf(req)}`)(res, req)

t.test('README example: one token per package, in input order, with one ID token', async (t) => {
  const job = await fakeGithubJob(t)
  const logs = captureLogs(t)
  route(job, perPackage)
  const results = await getOidcTokens(['@acme/core', '@acme/cli', 'plain'], job.registry, job.env, { concurrency: 1 })
  t.same(results?.map((r) => [r.name, r.token?.token, r.token?.package, r.error]),
    [['@acme/core', 'npm_for_@acme/core', '@acme/core', undefined], ['@acme/cli', 'npm_for_@acme/cli', '@acme/cli', undefined], ['plain', 'npm_for_plain', 'plain', undefined]])
  t.equal(idRequests(job).length, 1, 'one ID-token request for the whole batch')
  t.same(posts(job).map((r) => r.path), [`${EXCHANGE}@acme%2fcore`, `${EXCHANGE}@acme%2fcli`, `${EXCHANGE}plain`])
  t.same(posts(job).map((r) => r.headers.authorization), Array(3).fill(`Bearer ${job.issued[0]}`))
  t.ok(results?.every((r) => r.token?.authKey === `//${new URL(job.registry).host}/:_authToken` && r.token.provider === 'github-actions'))
  t.same(logs.map(([level, , message]) => [level, (message as string).replace(/ \(provider.*$/, '')]), [
    ['verbose', 'Got an ID token from the GitHub ID-token endpoint for npm:127.0.0.1'],
    ['verbose', `Exchanged the ID token for a publish token for @acme/core at ${job.registry}`],
    ['silly', 'Reusing the ID token for @acme/cli'],
    ['verbose', `Exchanged the ID token for a publish token for @acme/cli at ${job.registry}`],
    ['silly', 'Reusing the ID token for plain'],
    ['verbose', `Exchanged the ID token for a publish token for plain at ${job.registry}`],
  ])
  t.notMatch(JSON.stringify(logs), job.issued[0] as string)
})

t.test('results keep input order whatever order the exchanges finish in', async (t) => {
  const job = await fakeGithubJob(t)
  const names = ['a', 'b', 'c', 'd', 'e', 'f']
  const held: Array<() => void> = []
  route(job, (res, req) => {
    held.push(() => perPackage(res, req))
    // Answer each wave of four in reverse order of arrival.
    if (held.length === 4 || posts(job).length === names.length) held.splice(0).reverse().forEach((answer) => answer())
  })
  const results = await getOidcTokens(names, job.registry, job.env)
  t.same(results?.map((r) => r.name), names)
  t.same(results?.map((r) => r.token?.token), names.map((n) => `npm_for_${n}`))
})

/** Holds exchanges until `limit` are in flight (or the rest have all arrived), recording the most ever in flight. */
function barrier (job: FakeJob, total: number, limit: number): { max: () => number } {
  const held: Array<() => void> = []
  let inFlight = 0
  let max = 0
  route(job, (res: ServerResponse, req) => {
    inFlight++
    max = Math.max(max, inFlight)
    held.push(() => { inFlight--; perPackage(res, req) })
    if (held.length === limit || posts(job).length === total) held.splice(0).forEach((answer) => answer())
  })
  return { max: () => max }
}

t.test('at most `concurrency` exchanges are in flight (default 4)', async (t) => {
  for (const [concurrency, total] of [[undefined, 10], [2, 7], [1, 3], [8, 5]] as const) {
    const job = await fakeGithubJob(t)
    const limit = Math.min(concurrency ?? 4, total)
    const seen = barrier(job, total, limit)
    const names = Array.from({ length: total }, (_, i) => `pkg-${i}`)
    const results = await getOidcTokens(names, job.registry, job.env, concurrency === undefined ? {} : { concurrency })
    t.equal(seen.max(), limit, `concurrency ${concurrency ?? 'default'}: ${limit} in flight, never more`)
    t.equal(results?.filter((r) => r.token).length, total)
    t.equal(idRequests(job).length, 1, 'workers starting together share one ID-token request')
  }
})

t.test('a failing package never stops or changes another', async (t) => {
  const job = await fakeGithubJob(t)
  route(job, (res, req) => {
    const name = packageOf(req)
    if (name === 'untrusted') return json(404, { message: 'OIDC token exchange error - package not found' })(res, req)
    if (name === 'refused') return json(400, { message: 'bad request' })(res, req)
    perPackage(res, req)
  })
  const names = ['first', 'untrusted', 'middle', 'refused', 'last']
  const results = await getOidcTokens(names, job.registry, job.env, { ...fast, concurrency: 2 })
  t.same(results?.map((r) => r.name), names)
  t.same(results?.map((r) => r.token?.token ?? r.error?.code), ['npm_for_first', 'ERR_OIDC_NO_TRUSTED_PUBLISHER', 'npm_for_middle', 'ERR_OIDC_EXCHANGE_REJECTED', 'npm_for_last'])
  t.match(results?.[1]?.error, { status: 404, provider: 'github-actions', message: /untrusted/ })
  t.ok(results?.every((r) => (r.token === undefined) !== (r.error === undefined)), 'exactly one of token and error')
  t.equal(posts(job).length, 5, 'every package was tried once; 4xx are not retried')
})

t.test('a transient failure is retried for that package only, with a newer ID token', async (t) => {
  const job = await fakeGithubJob(t)
  let busy = true
  route(job, (res, req) => {
    if (packageOf(req) === 'flaky' && busy) { busy = false; return json(503, { message: 'busy' })(res, req) }
    perPackage(res, req)
  })
  const results = await getOidcTokens(['steady', 'flaky', 'other'], job.registry, job.env, { ...fast, concurrency: 1 })
  t.same(results?.map((r) => r.token?.token), ['npm_for_steady', 'npm_for_flaky', 'npm_for_other'])
  t.same(posts(job).map((r) => [packageOf(r), r.headers.authorization]), [
    ['steady', `Bearer ${job.issued[0]}`],
    ['flaky', `Bearer ${job.issued[0]}`],
    ['flaky', `Bearer ${job.issued[1]}`],
    ['other', `Bearer ${job.issued[1]}`],
  ], 'the retry fetched a fresh ID token, which later packages then share')
})

t.test('reuseIdToken: false fetches one ID token per package', async (t) => {
  const job = await fakeGithubJob(t)
  route(job, perPackage)
  const results = await getOidcTokens(['a', 'b', 'c'], job.registry, job.env, { reuseIdToken: false, concurrency: 3 })
  t.equal(results?.filter((r) => r.token).length, 3)
  t.equal(idRequests(job).length, 3)
  t.equal(new Set(posts(job).map((r) => r.headers.authorization)).size, 3, 'each exchange carries its own ID token')
})

t.test('an ID token close to expiry is not reused; a fresh one is', async (t) => {
  const job = await fakeGithubJob(t)
  // 45 s left passes the pre-exchange check (> 30 s) but is inside the 60 s reuse margin.
  job.server.queue(job.idTokenReply({ exp: secondsFromNow(45) }))
  route(job, perPackage)
  const results = await getOidcTokens(['a', 'b', 'c'], job.registry, job.env, { concurrency: 1 })
  t.equal(results?.filter((r) => r.token).length, 3)
  t.equal(idRequests(job).length, 2, 'the short-lived token served one package; the next one fetched a fresh token')
  t.same(posts(job).map((r) => r.headers.authorization), [`Bearer ${job.issued[0]}`, `Bearer ${job.issued[1]}`, `Bearer ${job.issued[1]}`])
})

/** A registry that accepts each ID token once (as PyPI does with `jti`); later uses get 401. */
function refusingReplays (job: FakeJob): void {
  const used = new Set<string>()
  route(job, (res, req) => {
    const auth = String(req.headers.authorization)
    if (used.has(auth)) return json(401, { message: 'OIDC token exchange error - unauthorized' })(res, req)
    used.add(auth)
    perPackage(res, req)
  })
}

t.test('a registry that refuses a replayed ID token: the package retries with a fresh one and reuse stops', async (t) => {
  const job = await fakeGithubJob(t)
  const logs = captureLogs(t)
  refusingReplays(job)
  const results = await getOidcTokens(['a', 'b', 'c'], job.registry, job.env, { concurrency: 3 })
  t.same(results?.map((r) => r.token?.token), ['npm_for_a', 'npm_for_b', 'npm_for_c'])
  // The three start together on one ID token: one exchange is accepted, the two refused ones each fetch their own.
  t.equal(idRequests(job).length, 3)
  t.equal(posts(job).length, 5)
  t.equal(logs.filter(([, , m]) => /refused a shared ID token/.test(m as string)).length, 1, 'said once')

  const serial = await fakeGithubJob(t)
  refusingReplays(serial)
  const later = await getOidcTokens(['a', 'b', 'c', 'd'], serial.registry, serial.env, { concurrency: 1 })
  t.equal(later?.filter((r) => r.token).length, 4)
  t.same(posts(serial).map((r) => [packageOf(r), serial.issued.indexOf(String(r.headers.authorization).slice(7))]),
    [['a', 0], ['b', 0], ['b', 1], ['c', 2], ['d', 3]], 'after the first refusal every package fetches its own')
})

t.test('a 401 for a token used once is the package\'s answer, not a replay', async (t) => {
  const job = await fakeGithubJob(t)
  route(job, json(401, { message: 'OIDC token exchange error - unauthorized' }))
  const results = await getOidcTokens(['a', 'b'], job.registry, job.env, { concurrency: 1 })
  t.same(results?.map((r) => r.error?.code), ['ERR_OIDC_UNAUTHORIZED', 'ERR_OIDC_UNAUTHORIZED'])
  t.same(posts(job).map(packageOf), ['a', 'b', 'b'], 'b shared a\'s token, so it was retried once with a fresh one')
  t.equal(idRequests(job).length, 2)
})

t.test('an ID token that cannot be had is every package\'s error, asked for once', async (t) => {
  const job = await fakeGithubJob(t)
  route(job, perPackage, json(403, { message: 'Forbidden' }))
  const results = await getOidcTokens(['a', 'b', 'c', 'd', 'e'], job.registry, job.env, { ...fast, concurrency: 2 })
  t.same(results?.map((r) => r.error?.code), Array(5).fill('ERR_OIDC_ID_TOKEN_REQUEST_FAILED'))
  t.equal(idRequests(job).length, 1)
  t.equal(posts(job).length, 0)

  const missing = await getOidcTokens(['a', 'b'], job.registry, { GITHUB_ACTIONS: 'true' })
  t.same(missing?.map((r) => r.error?.code), ['ERR_OIDC_NO_PERMISSION', 'ERR_OIDC_NO_PERMISSION'])
})

t.test('NPM_ID_TOKEN is shared, and checked before anything is sent', async (t) => {
  const job = await fakeGithubJob(t)
  route(job, perPackage)
  const idToken = makeIdToken(githubClaims({ aud: 'npm:127.0.0.1' }))
  const results = await getOidcTokens(['a', 'b'], job.registry, { NPM_ID_TOKEN: idToken })
  t.same(results?.map((r) => [r.token?.token, r.token?.provider]), [['npm_for_a', 'npm-id-token'], ['npm_for_b', 'npm-id-token']])
  t.same(posts(job).map((r) => r.headers.authorization), [`Bearer ${idToken}`, `Bearer ${idToken}`])

  const foreign = await getOidcTokens(['a', 'b'], job.registry, { NPM_ID_TOKEN: makeIdToken({ aud: 'npm:registry.npmjs.org' }) })
  t.same(foreign?.map((r) => r.error?.code), ['ERR_OIDC_AUDIENCE_MISMATCH', 'ERR_OIDC_AUDIENCE_MISMATCH'])
  t.equal(posts(job).length, 2, 'no exchange for a token minted for another host')
})

t.test('no provider: null and no request; no packages: an empty list', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  t.equal(await getOidcTokens(['a', 'b'], `${server.origin}/`, { CI: 'true' }), null)
  t.equal(await getOidcTokens([], `${server.origin}/`, {}), null)
  t.same(await getOidcTokens([], `${server.origin}/`, { GITHUB_ACTIONS: 'true' }), [])
  t.equal(server.requests.length, 0)
  const saved = { ...process.env }
  t.teardown(() => { process.env = saved })
  for (const key of ['GITHUB_ACTIONS', 'GITLAB_CI', 'CIRCLECI', 'NPM_ID_TOKEN']) delete process.env[key]
  t.equal(await getOidcTokens(['a'], `${server.origin}/`), null, 'reads process.env when no env is given')
})

t.test('plain http to a host that is not loopback: every entry says so, nothing is sent', async (t) => {
  const job = await fakeGithubJob(t)
  const results = await getOidcTokens(['a', 'b'], 'http://registry.example.com/', job.env)
  t.same(results?.map((r) => [r.name, r.error?.code]), [['a', 'ERR_OIDC_INSECURE_REGISTRY'], ['b', 'ERR_OIDC_INSECURE_REGISTRY']])
  t.equal(job.server.requests.length, 0)
})

t.test('programmer errors reject the whole call before any request', async (t) => {
  const job = await fakeGithubJob(t)
  route(job, perPackage)
  const { registry, env } = job
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['not an array', () => getOidcTokens('pkg' as never, registry, env), /`pkgNames` to be an array of package names, got string/],
    ['one bad name among good ones', () => getOidcTokens(['good', 'Not Good', 'fine'], registry, env), /`pkgNames\[1\]` to be a valid npm package name, got "Not Good"/],
    ['a name of the wrong type', () => getOidcTokens(['good', 42 as never], registry, env), /`pkgNames\[1\]`.*got 42/],
    ['a repeated name', () => getOidcTokens(['a', 'b', 'a'], registry, env), /each name once, got "a" twice/],
    ['concurrency 0', () => getOidcTokens(['a'], registry, env, { concurrency: 0 }), /`opts\.concurrency` to be a positive integer, got 0/],
    ['fractional concurrency', () => getOidcTokens(['a'], registry, env, { concurrency: 1.5 }), /`opts\.concurrency`.*1\.5/],
    ['string concurrency', () => getOidcTokens(['a'], registry, env, { concurrency: '2' as never }), /`opts\.concurrency`.*"2"/],
    ['reuseIdToken', () => getOidcTokens(['a'], registry, env, { reuseIdToken: 'yes' as never }), /`opts\.reuseIdToken` to be a boolean/],
    ['string opts', () => getOidcTokens(['a'], registry, env, 'x' as never), /`opts` to be an object/],
    ['relative registry', () => getOidcTokens(['a'], 'registry.npmjs.org', env), /`registry`/],
    ['null env', () => getOidcTokens(['a'], registry, null as never), /`env` to be an object/],
  ]
  for (const [name, call, message] of cases) await t.rejects(call(), { name: 'TypeError', message }, name)
  t.equal(job.server.requests.length, 0)
})

t.test('the caller\'s signal rejects the whole call with its reason and stops starting packages', async (t) => {
  const job = await fakeGithubJob(t)
  const controller = new AbortController()
  route(job, (res, req) => {
    controller.abort(new Error('release cancelled'))
    perPackage(res, req)
  })
  await t.rejects(getOidcTokens(['a', 'b', 'c', 'd'], job.registry, job.env, { concurrency: 1, signal: controller.signal }), { message: 'release cancelled' })
  t.equal(posts(job).length, 1, 'no package started after the abort')
  await t.rejects(getOidcTokens(['a'], job.registry, job.env, { signal: controller.signal }), { message: 'release cancelled' }, 'already aborted')
  t.equal(posts(job).length, 1)
})

t.test('a defect in a custom provider rejects the call, as getOidcToken would', async (t) => {
  const job = await fakeGithubJob(t)
  const broken: OidcProvider = {
    id: 'broken-ci',
    name: 'Broken CI',
    detectedBy: 'BROKEN_CI',
    detect: () => true,
    getIdToken: async () => { throw new Error('provider bug') },
  }
  await t.rejects(getOidcTokens(['a', 'b', 'c'], job.registry, {}, { providers: [broken], concurrency: 2 }), { message: 'provider bug' })
  t.equal(job.server.requests.length, 0)
})

// The measurement behind sharing one ID token: our registry side (Verdaccio + libnpmoidc's verifier, `npm run
// build` first) accepts the same ID token for several packages and mints each its own package-scoped token.
t.test('Verdaccio + our verifier accept one ID token for several packages; each token publishes only its package', async (t) => {
  const issuer = await createOidcIssuer({ provider: 'github-actions' })
  t.teardown(issuer.close)
  const publisher = { type: 'github', claims: { repository: issuer.claims.repository, workflow_ref: { file: 'release.yml' } }, permissions: ['createPackage'] }
  const names = ['@acme/core', '@acme/cli', 'acme-plain']
  const registry = await startRegistry({
    issuers: [issuer.url],
    jwks: issuer.jwks,
    trustedPublishers: Object.fromEntries(names.map((n) => [n, [publisher]])),
  })
  t.teardown(registry.close)
  const results = await getOidcTokens(names, registry.url, await issuer.jobEnv(), { concurrency: 3 })
  t.same(results?.map((r) => r.error?.code), [undefined, undefined, undefined], 'every exchange accepted')
  t.equal(issuer.requests.length, 1, 'with a single ID token')
  const tokens = results?.map((r) => r.token?.token as string) ?? []
  t.equal(new Set(tokens).size, 3, 'each package got its own token')
  const opts = (token: string) => ({ registry: registry.url, [registry.authKey]: token, access: 'public', cache: t.testdir(), retry: { retries: 0 } })
  for (const [i, name] of names.entries()) {
    const pkg = makeTarball(name, '1.0.0')
    const other = makeTarball(names[(i + 1) % names.length] as string, '2.0.0')
    await t.rejects(publish(other.manifest, other.tarball, opts(tokens[i] as string)), { statusCode: 403 }, `${name}'s token cannot publish another package`)
    t.equal((await publish(pkg.manifest, pkg.tarball, opts(tokens[i] as string))).status, 201, `${name}'s token publishes ${name}`)
  }
})

t.test('onProgress: one event per finished exchange, names and codes only; the logger gets the batch\'s lines', async (t) => {
  const job = await fakeGithubJob(t)
  route(job, (res, req) => packageOf(req) === 'b' ? json(404, { message: 'not found' })(res, req) : perPackage(res, req))
  const events: string[] = []
  const lines: string[] = []
  await getOidcTokens(['a', 'b'], job.registry, job.env, {
    ...fast,
    concurrency: 1,
    onProgress: (done, total, name, e) => { events.push(`${done}/${total} ${name} ${e.phase} ${e.status} ${e.code ?? ''}`) },
    logger: (level, message) => { lines.push(`${level} ${message}`) },
  })
  t.same(events, ['1/2 a exchange done ', '2/2 b exchange failed ERR_OIDC_NO_TRUSTED_PUBLISHER'])
  t.ok(lines.includes('verbose Trusted publishing failed for b: ERR_OIDC_NO_TRUSTED_PUBLISHER'))
  t.notMatch(lines.join('\n'), job.issued[0] as string)
  const insecure: string[] = []
  await getOidcTokens(['a'], 'http://registry.example/', job.env, {
    onProgress: (_d, _t, name, e) => { insecure.push(`${name} ${e.status} ${e.code ?? ''}`) },
  })
  t.same(insecure, ['a failed ERR_OIDC_INSECURE_REGISTRY'])
  await t.rejects(getOidcTokens(['a'], job.registry, job.env, { onProgress: 1 as never }), new TypeError('Expected `opts.onProgress` to be a function.'))
})
