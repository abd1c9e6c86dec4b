// Attacks on the registry side, mounted against the public 'libnpmoidc/registry' API with real servers on
// 127.0.0.1 and real JWTs from the test kit's issuer (or the verifier fixtures' signer where a token must be odd).
import t from 'tap'
import { createServer, request, type IncomingHttpHeaders, type RequestListener } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CompactSign } from 'jose'
import {
  createExchangeHandler,
  verifyIdToken,
  type ExchangeHandlerOptions,
  type TrustedPublisherPermission,
} from '../../lib/registry/index.js'
import { createOidcIssuer, type OidcIssuer, type TestkitProvider } from '../../lib/testing/index.js'
import { closedPortUrl, makeKey, startIssuer } from '../fixtures/issuer-keys.js'
import { captureLogs } from '../fixtures/logs.js'

const ROUTE = '/-/npm/v1/oidc/token/exchange/package/'
const AUD = 'npm:127.0.0.1'

interface Answer { status: number, body: Record<string, unknown>, text: string }
type Post = (pkg: string, token?: string, headers?: Record<string, string>) => Promise<Answer>

async function listen (t: Tap.Test, listener: RequestListener): Promise<number> {
  const server = createServer(listener)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => { server.closeAllConnections(); server.close(resolve) }))
  return (server.address() as AddressInfo).port
}

async function serve (t: Tap.Test, listener: RequestListener): Promise<Post> {
  const port = await listen(t, listener)
  return (pkg, token, headers = {}) => new Promise((resolve, reject) => {
    const auth: IncomingHttpHeaders = token === undefined ? {} : { authorization: `Bearer ${token}` }
    request({ host: '127.0.0.1', port, path: `${ROUTE}${pkg}`, method: 'POST', headers: { ...auth, ...headers } }, res => {
      let text = ''
      res.setEncoding('utf8').on('data', chunk => { text += chunk }).on('end', () => {
        resolve({ status: res.statusCode as number, text, body: JSON.parse(text) })
      })
    }).on('error', reject).end()
  })
}

async function issuerFor (
  t: Tap.Test,
  provider: TestkitProvider,
  claims?: Record<string, unknown>
): Promise<OidcIssuer> {
  const issuer = await createOidcIssuer({ provider, ...(claims ? { claims } : {}) })
  t.teardown(issuer.close)
  return issuer
}

const github = (permissions: unknown = ['createPackage'], claims: Record<string, unknown> = {}): unknown => ({
  type: 'github',
  claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' }, ...claims },
  permissions,
})

function handlerOptions (issuer: OidcIssuer, publishers: readonly unknown[],
  overrides: Partial<ExchangeHandlerOptions> = {}): ExchangeHandlerOptions {
  return {
    audience: AUD,
    issuers: [issuer.url],
    publisherIssuers: { github: [issuer.url], gitlab: [issuer.url], circleci: [issuer.url] },
    getTrustedPublishers: () => publishers,
    mintToken: () => 'npm_minted_for_test',
    ...overrides,
  }
}

declare namespace Tap { type Test = typeof t }

t.test('item 1: a token minted for another registry, replayed with a forged Host header', async t => {
  const issuer = await issuerFor(t, 'github-actions')
  // What the old TSDoc suggested: an audience built from the request's host.
  t.throws(() => createExchangeHandler(handlerOptions(issuer, [github()], {
    audience: ((req: { headers: IncomingHttpHeaders }) => `npm:${req.headers.host}`) as never,
  })), { name: 'TypeError', message: /`options\.audience`/ }, 'an audience derived from the request is refused')

  const post = await serve(t, createExchangeHandler(handlerOptions(issuer, [github()])))
  const stolen = await issuer.mint({ audience: 'npm:evil.example' })
  for (const headers of [{ host: 'evil.example' }, { 'x-forwarded-host': 'evil.example' }]) {
    const res = await post('pkg', stolen, headers)
    t.equal(res.status, 401, `replay with ${Object.keys(headers)[0]}`)
    t.notOk(res.text.includes('npm_minted'), 'no publish token')
  }
  t.equal((await post('pkg', await issuer.mint({ audience: AUD }))).status, 201, 'the configured audience works')

  // A registry on a non-default port lists both forms; each token still carries exactly one audience.
  const listed = await serve(t, createExchangeHandler(handlerOptions(issuer, [github()], {
    audience: ['npm:127.0.0.1', 'npm:127.0.0.1:4873'],
  })))
  t.equal((await listed('pkg', await issuer.mint({ audience: 'npm:127.0.0.1:4873' }))).status, 201, 'Yarn 4 form')
  t.equal((await listed('pkg', await issuer.mint({ audience: 'npm:127.0.0.1' }))).status, 201, 'npm form')
  t.equal((await listed('pkg', await issuer.mint({ audience: ['npm:127.0.0.1', 'npm:127.0.0.1:4873'] }))).status,
    401, 'a token naming both is refused')
  t.equal((await listed('pkg', await issuer.mint({ audience: 'npm:evil.example' }))).status, 401, 'others refused')
})

t.test('item 2: publishers that grant nothing, or only staging, get no full publish token', async t => {
  const issuer = await issuerFor(t, 'github-actions')
  const cases: Array<[string, unknown, number, TrustedPublisherPermission[] | undefined]> = [
    ['permissions: []', github([]), 404, undefined],
    ['no permissions', { type: 'github', claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' } } }, 404, undefined],
    ['unknown permission only', github(['createEverything']), 404, undefined],
    ['staged only', github(['createStagedPackage']), 201, ['createStagedPackage']],
    ['both', github(['createPackage', 'createStagedPackage']), 201, ['createPackage', 'createStagedPackage']],
  ]
  for (const [name, publisher, status, granted] of cases) {
    const minted: unknown[] = []
    const post = await serve(t, createExchangeHandler(handlerOptions(issuer, [publisher], {
      mintToken: (pkg, claims, pub, permissions) => { minted.push(permissions); return 'npm_minted_for_test' },
    })))
    const res = await post('pkg', await issuer.mint({ audience: AUD }))
    t.equal(res.status, status, name)
    t.strictSame(minted, granted === undefined ? [] : [granted], `${name}: what mintToken may grant`)
    if (status === 404) t.strictSame(res.body, { message: 'OIDC token exchange error - package not found' })
  }
})

// An issuer at `url` whose discovery document or key set answers with a redirect to `target`.
async function redirectingIssuer (t: Tap.Test, kind: 'discovery' | 'jwks', target: (issuerUrl: string) => string): Promise<string> {
  let url = ''
  const port = await listen(t, (req, res) => {
    if (req.url === '/.well-known/openid-configuration' && kind === 'jwks') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: url, jwks_uri: `${url}/keys` }))
    } else {
      res.writeHead(302, { location: target(url) }).end()
    }
  })
  url = `http://127.0.0.1:${port}`
  return url
}

t.test('item 3: discovery and JWKS redirects are not followed; concurrent unknown kids share one fetch', async t => {
  const keys = await issuerFor(t, 'github-actions')
  // The redirect target stands for a host the registry must not be steered to (an internal service).
  const hits: string[] = []
  let redirector = ''
  const targetPort = await listen(t, (req, res) => {
    hits.push(req.url as string)
    const body = req.url === '/discovery' ? { issuer: redirector, jwks_uri: `${target}/keys` } : keys.jwks
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
  })
  const target = `http://127.0.0.1:${targetPort}`
  for (const kind of ['discovery', 'jwks'] as const) {
    hits.length = 0
    redirector = await redirectingIssuer(t, kind, () => `${target}/${kind === 'discovery' ? 'discovery' : 'keys'}`)
    const post = await serve(t, createExchangeHandler({
      audience: AUD,
      issuers: [redirector],
      publisherIssuers: { github: [redirector] },
      getTrustedPublishers: () => [github()],
      mintToken: () => 'npm_minted_for_test',
    }))
    const res = await post('pkg', await keys.mint({ audience: AUD, claims: { iss: redirector } }))
    t.equal(res.status, 401, `${kind} redirect: refused`)
    t.strictSame(hits, [], `${kind} redirect: the target was never requested`)
  }

  // 100 tokens with made-up `kid`s on a cold cache.
  const issuer = await startIssuer(t)
  const post = await serve(t, createExchangeHandler({
    audience: AUD,
    issuers: [issuer.url],
    publisherIssuers: { github: [issuer.url] },
    getTrustedPublishers: () => [github()],
    mintToken: () => 'npm_minted_for_test',
  }))
  const tokens = await Promise.all(Array.from({ length: 100 }, async (_, i) =>
    issuer.sign({ aud: AUD, repository: 'acme/widgets' }, { key: await makeKey(`unknown-${i}`) })))
  const answers = await Promise.all(tokens.map(token => post('pkg', token)))
  t.ok(answers.every(a => a.status === 401), 'all refused')
  const discoveries = issuer.requests.filter(path => path === '/.well-known/openid-configuration').length
  t.ok(discoveries <= 2, `a handful of discovery fetches, not 100 (got ${discoveries})`)
  t.ok(issuer.requests.length <= 4, `a handful of fetches in all (got ${issuer.requests.length})`)
})

t.test('item 3: 100 direct verifyIdToken calls with unknown kids and one shared cache share the fetches', async t => {
  const issuer = await startIssuer(t)
  const cache = new Map()
  const tokens = await Promise.all(Array.from({ length: 100 }, async (_, i) =>
    issuer.sign({ aud: AUD, repository: 'acme/widgets' }, { key: await makeKey(`direct-unknown-${i}`) })))
  const outcomes = await Promise.allSettled(tokens.map(token =>
    verifyIdToken(token, { audience: AUD, issuers: [issuer.url], cache })))
  t.ok(outcomes.every(o => o.status === 'rejected'), 'all refused')
  const discoveries = issuer.requests.filter(path => path === '/.well-known/openid-configuration').length
  t.ok(discoveries <= 2, `a handful of discovery fetches, not 100 (got ${discoveries})`)
  t.ok(issuer.requests.length <= 4, `a handful of fetches in all (got ${issuer.requests.length})`)
})

t.test('item 4: look-alike workflow files, CI files of other projects, tokens of another provider', async t => {
  const gh = await issuerFor(t, 'github-actions')
  const post = await serve(t, createExchangeHandler(handlerOptions(gh, [github()])))
  t.equal((await post('pkg', await gh.mint({ audience: AUD }))).status, 201, 'the real workflow matches')
  const lookAlike = 'acme/widgets/.github/workflows/release.yml@evil.yml@refs/heads/main'
  t.equal((await post('pkg', await gh.mint({ audience: AUD, claims: { workflow_ref: lookAlike } }))).status, 404,
    'release.yml@evil.yml is not release.yml')

  const gl = await issuerFor(t, 'gitlab', { project_path: 'acme/widgets' })
  const glPublisher = { type: 'gitlab', claims: { project_path: 'acme/widgets', ci_config_ref_uri: { file: '.gitlab-ci.yml' } }, permissions: ['createPackage'] }
  const glPost = await serve(t, createExchangeHandler(handlerOptions(gl, [glPublisher])))
  t.equal((await glPost('pkg', await gl.mint({ audience: AUD }))).status, 201, 'own CI file matches')
  const foreign = 'gitlab.com/evil/fork//.gitlab-ci.yml@refs/heads/main'
  t.equal((await glPost('pkg', await gl.mint({ audience: AUD, claims: { ci_config_ref_uri: foreign } }))).status, 404,
    'a CI file from another project does not match')

  // Both issuers trusted, no binding configured: GitLab's token carries GitHub's claim names.
  const impostor = await issuerFor(t, 'gitlab', {
    repository: 'acme/widgets',
    workflow_ref: 'acme/widgets/.github/workflows/release.yml@refs/heads/main',
  })
  const unbound = await serve(t, createExchangeHandler({
    audience: AUD,
    issuers: [gh.url, impostor.url],
    getTrustedPublishers: () => [github()],
    mintToken: () => 'npm_minted_for_test',
  }))
  t.equal((await unbound('pkg', await impostor.mint({ audience: AUD }))).status, 404,
    'a GitLab token never matches a github publisher by default')
  const bound = await serve(t, createExchangeHandler({
    ...handlerOptions(gh, [github()]),
    issuers: [gh.url, impostor.url],
    publisherIssuers: { github: [gh.url] },
  }))
  t.equal((await bound('pkg', await gh.mint({ audience: AUD }))).status, 201, 'the bound issuer matches')
  t.equal((await bound('pkg', await impostor.mint({ audience: AUD }))).status, 404, 'the other does not')
})

t.test('item 5: 401 and 404 bodies disclose no configuration and no internal error', async t => {
  const trusted = await issuerFor(t, 'github-actions')
  const stranger = await issuerFor(t, 'github-actions')
  const down = await closedPortUrl()
  const logs = captureLogs(t)
  const post = await serve(t, createExchangeHandler({
    ...handlerOptions(trusted, [github()]),
    issuers: [trusted.url, down],
    publisherIssuers: { github: [trusted.url, down] },
  }))
  const untrusted = await post('pkg', await stranger.mint({ audience: AUD }))
  t.equal(untrusted.status, 401)
  t.notOk(untrusted.text.includes(trusted.url), 'no trusted issuer listed')
  t.notOk(untrusted.text.includes(down), 'no trusted issuer listed')
  const unreachable = await post('pkg', await trusted.mint({ audience: AUD, claims: { iss: down } }))
  t.equal(unreachable.status, 401)
  t.notMatch(unreachable.text, /ECONNREFUSED|127\.0\.0\.1|https?:/, 'no network error, host or URL')
  const wrongAudience = await post('pkg', await trusted.mint({ audience: 'npm:other.example' }))
  t.notOk(wrongAudience.text.includes(AUD), 'the expected audience is not revealed')
  const mismatch = await post('pkg', await trusted.mint({ audience: AUD, claims: { repository: 'acme/other' } }))
  t.strictSame(mismatch.body, { message: 'OIDC token exchange error - package not found' })
  const logged = logs.map(line => line.join(' ')).join('\n')
  t.match(logged, /ERR_OIDC_VERIFY_ISSUER/, 'the detail goes to the log')
  t.match(logged, /ECONNREFUSED/, 'the network error goes to the log')
})

t.test('item 6: tokens that live too long, and replayed tokens', async t => {
  const issuer = await issuerFor(t, 'github-actions')
  const seen = new Map<string, number>()
  const post = await serve(t, createExchangeHandler(handlerOptions(issuer, [github()], {
    maxTokenAge: 3600,
    seenJti: (jti, exp) => {
      if (seen.has(jti)) return true
      seen.set(jti, exp)
      return false
    },
  })))
  const longLived = await post('pkg', await issuer.mint({ audience: AUD, expiresIn: 24 * 3600 }))
  t.equal(longLived.status, 401, 'a day-long token is refused')
  t.match(longLived.body, { message: /lives too long/ })
  const token = await issuer.mint({ audience: AUD })
  t.equal((await post('pkg', token)).status, 201, 'first use')
  const replay = await post('pkg', token)
  t.equal(replay.status, 401, 'the replay is refused')
  t.match(replay.body, { message: /already used/ })
  t.equal(seen.size, 1, 'the guard saw the jti once')
  const noJti = await post('pkg', await issuer.mint({ audience: AUD, claims: { jti: undefined } }))
  t.equal(noJti.status, 401, 'no jti, no token when a replay guard is configured')
})

t.test('item 16: a CircleCI SSH rerun gets no publish token', async t => {
  const issuer = await issuerFor(t, 'circleci')
  const publisher = {
    type: 'circleci',
    claims: Object.fromEntries(['org-id', 'project-id', 'pipeline-definition-id', 'vcs-origin']
      .map(k => [`oidc.circleci.com/${k}`, issuer.claims[`oidc.circleci.com/${k}`]])),
    permissions: ['createPackage'],
  }
  const post = await serve(t, createExchangeHandler(handlerOptions(issuer, [publisher])))
  t.equal((await post('pkg', await issuer.mint({ audience: AUD }))).status, 201, 'a normal job')
  const rerun = await post('pkg', await issuer.mint({ audience: AUD, claims: { 'oidc.circleci.com/ssh-rerun': true } }))
  t.equal(rerun.status, 404, 'the SSH rerun is refused')
  const allowed = await serve(t, createExchangeHandler(handlerOptions(issuer, [publisher], { allowSshRerun: true })))
  t.equal((await allowed('pkg', await issuer.mint({ audience: AUD, claims: { 'oidc.circleci.com/ssh-rerun': true } }))).status,
    201, 'only when the registry opts in')
})

t.test('item 17: claims the matcher did not know, and re-registered names', async t => {
  const gh = await issuerFor(t, 'github-actions')
  // The name acme/widgets was deleted and re-registered by someone else: same name, new ids.
  const reRegistered = { repository_id: '999999', repository_owner_id: '424242' }
  const cases: Array<[string, unknown, Record<string, unknown>, number]> = [
    ['repository_id pinned, name re-registered', github(['createPackage'], { repository_id: '690412345' }), reRegistered, 404],
    ['owner id pinned, name re-registered', github(['createPackage'], { repository_owner_id: 81234567 }), reRegistered, 404],
    ['ids pinned, original repository', github(['createPackage'], { repository_id: '690412345', repository_owner_id: 81234567 }), {}, 201],
    ['ref pinned', github(['createPackage'], { ref: 'refs/tags/v1' }), {}, 404],
    ['event_name pinned', github(['createPackage'], { event_name: 'release' }), { event_name: 'pull_request_target' }, 404],
    ['runner_environment pinned', github(['createPackage'], { runner_environment: 'github-hosted' }), { runner_environment: 'self-hosted' }, 404],
    ['a claim the matcher cannot compare', github(['createPackage'], { ref: { startsWith: 'refs/tags/' } }), {}, 404],
  ]
  for (const [name, publisher, claims, status] of cases) {
    const post = await serve(t, createExchangeHandler(handlerOptions(gh, [publisher])))
    t.equal((await post('pkg', await gh.mint({ audience: AUD, claims }))).status, status, name)
  }

  const gl = await issuerFor(t, 'gitlab', { project_path: 'acme/widgets' })
  const glPublisher = (ids: Record<string, unknown>): unknown => ({
    type: 'gitlab',
    claims: { project_path: 'acme/widgets', ci_config_ref_uri: { file: '.gitlab-ci.yml' }, ...ids },
    permissions: ['createPackage'],
  })
  const glPost = await serve(t, createExchangeHandler(handlerOptions(gl, [glPublisher({ project_id: '20', namespace_id: 72 })])))
  t.equal((await glPost('pkg', await gl.mint({ audience: AUD }))).status, 201, 'GitLab ids of the original project')
  t.equal((await glPost('pkg', await gl.mint({ audience: AUD, claims: { project_id: '31337' } }))).status, 404,
    'GitLab project re-registered under the same path')
  t.equal((await glPost('pkg', await gl.mint({ audience: AUD, claims: { namespace_id: '31337' } }))).status, 404,
    'GitLab group re-registered under the same path')
})

t.test('item 18: a late answer after a timeout, and a pathologically nested token', async t => {
  const issuer = await issuerFor(t, 'github-actions')
  const logs = captureLogs(t)
  const rejections: unknown[] = []
  const onRejection = (err: unknown): void => { rejections.push(err) }
  process.on('unhandledRejection', onRejection)
  t.teardown(() => { process.off('unhandledRejection', onRejection) })

  let releaseMint: () => void = () => {}
  const minting = new Promise<void>(resolve => { releaseMint = resolve })
  let mintCalled: () => void = () => {}
  const mintStarted = new Promise<void>(resolve => { mintCalled = resolve })
  const handler = createExchangeHandler(handlerOptions(issuer, [github()], {
    mintToken: async () => { mintCalled(); await minting; return 'npm_minted_for_test' },
  }))
  let handled: () => void = () => {}
  const settled = new Promise<void>(resolve => { handled = resolve })
  // A timeout middleware in front of the handler answers first.
  const post = await serve(t, (req, res) => {
    handler(req, res)
    mintStarted.then(() => {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"timeout"}')
      releaseMint()
      setTimeout(handled, 50)
    })
  })
  const res = await post('pkg', await issuer.mint({ audience: AUD }))
  await settled
  t.equal(res.status, 503, 'the middleware\'s answer stands')
  t.strictSame(rejections, [], 'the late answer threw nowhere')
  t.ok(logs.some(line => /answer dropped/.test(line.join(' '))), 'the drop is logged')

  // ~5000 nested arrays: small enough for an Authorization header, too deep to serialise.
  const key = await makeKey('key-1')
  const nested = '['.repeat(5000) + ']'.repeat(5000)
  const payload = `{"iss":${nested},"aud":"${AUD}","exp":${Math.floor(Date.now() / 1000) + 300},"iat":${Math.floor(Date.now() / 1000)}}`
  const token = await new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'RS256', kid: 'key-1', typ: 'JWT' }).sign(key.privateKey)
  const plain = await serve(t, createExchangeHandler(handlerOptions(issuer, [github()])))
  const nestedAnswer = await plain('pkg', token)
  t.equal(nestedAnswer.status, 401, 'a 401, not a 500')
  // The same depth in a verified claim that a publisher compares: refused with a 404, logged by field name.
  const deep = `{"iss":"${issuer.url}","aud":"${AUD}","exp":${Math.floor(Date.now() / 1000) + 300},` +
    `"iat":${Math.floor(Date.now() / 1000)},"repository":${nested}}`
  const local = await makeKey('local-1')
  const deepToken = await new CompactSign(new TextEncoder().encode(deep))
    .setProtectedHeader({ alg: 'RS256', kid: 'local-1', typ: 'JWT' }).sign(local.privateKey)
  const inline = await serve(t, createExchangeHandler(handlerOptions(issuer, [github()], {
    jwks: { keys: [local.jwk] },
  })))
  t.equal((await inline('pkg', deepToken)).status, 404, 'a deeply nested claim is a mismatch, not a 500')
  t.ok(logs.some(line => /no trusted publisher matched #0: repository, workflow_ref\.file$/.test(line.join(' '))),
    'logged by field name')
  t.strictSame(rejections, [], 'nothing escaped')
})
