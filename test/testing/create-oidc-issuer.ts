import t from 'tap'
import { Agent } from 'node:http'
import npmFetch from 'npm-registry-fetch'
import { loadJose } from '../../lib/util/jose.js'
import { createOidcIssuer } from '../../lib/testing/create-oidc-issuer.js'
import { request } from '../fixtures/http-request.js'

const AUD = 'npm:127.0.0.1'

t.test('discovery and JWKS verify a minted token (jose, npm-registry-fetch)', async (t) => {
  const jose = await loadJose()
  const issuer = await createOidcIssuer({ provider: 'github-actions' })
  t.teardown(issuer.close)
  t.equal(issuer.url, `http://127.0.0.1:${issuer.port}`)
  const fetchOpts = { cache: t.testdir(), preferOnline: true, retry: { retries: 0 } }
  const discovery = await npmFetch.json(`${issuer.url}/.well-known/openid-configuration`, fetchOpts) as Record<string, unknown>
  t.match(discovery, { issuer: issuer.url, jwks_uri: issuer.jwksUri, id_token_signing_alg_values_supported: ['RS256'] })
  const jwks = await npmFetch.json(discovery.jwks_uri as string, fetchOpts) as { keys: Array<Record<string, unknown>> }
  t.same(jwks, issuer.jwks)
  t.equal(jwks.keys.length, 1)
  t.notOk('d' in (jwks.keys[0] as object), 'public key only')

  const jwt = await issuer.mint({ audience: AUD })
  const { payload, protectedHeader } = await jose.jwtVerify(jwt, jose.createLocalJWKSet(jwks as never), {
    issuer: issuer.url,
    audience: AUD,
  })
  t.equal(protectedHeader.alg, 'RS256')
  t.equal(protectedHeader.kid, jwks.keys[0]?.kid)
  t.match(payload, { ...issuer.claims, aud: AUD })
  t.equal((payload.exp as number) - (payload.iat as number), 300)
  t.equal(payload.nbf, payload.iat)
})

t.test('per-issuer and per-mint claim overrides, expired and not-yet-valid tokens', async (t) => {
  const jose = await loadJose()
  const issuer = await createOidcIssuer({ provider: 'github-actions', claims: { environment: 'production', repository_visibility: 'private' } })
  t.teardown(issuer.close)
  t.equal(issuer.claims.sub, 'repo:acme/widgets:environment:production')
  t.ok(Object.isFrozen(issuer.claims))
  const keys = jose.createLocalJWKSet(issuer.jwks as never)
  const jwt = await issuer.mint({ audience: AUD, claims: { repository: 'evil/fork', runner_environment: undefined } })
  const { payload } = await jose.jwtVerify(jwt, keys)
  t.match(payload, { environment: 'production', repository_visibility: 'private', repository: 'evil/fork' })
  t.notOk('runner_environment' in payload)
  const now = Math.floor(Date.now() / 1000)
  await t.rejects(jose.jwtVerify(await issuer.mint({ audience: AUD, expiresIn: -60 }), keys), { code: 'ERR_JWT_EXPIRED' })
  await t.rejects(jose.jwtVerify(await issuer.mint({ audience: AUD, notBefore: now + 600 }), keys), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'nbf' })
  const old = jose.decodeJwt(await issuer.mint({ audience: AUD, issuedAt: now - 3600, expiresIn: 7200 }))
  t.equal(old.iat, now - 3600)
  t.equal(old.exp, now + 3600)
})

t.test('tokens the issuer does not stand behind', async (t) => {
  const jose = await loadJose()
  const issuer = await createOidcIssuer({ provider: 'gitlab' })
  t.teardown(issuer.close)
  const keys = jose.createLocalJWKSet(issuer.jwks as never)
  const forged = await issuer.mintWithForeignKey({ audience: AUD })
  t.equal(jose.decodeProtectedHeader(forged).kid, issuer.jwks.keys[0]?.kid, 'names the published kid')
  await t.rejects(jose.jwtVerify(forged, keys), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' })
  const again = await issuer.mintWithForeignKey({ audience: AUD })
  await t.rejects(jose.jwtVerify(again, keys), { code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' })
  const unsigned = await issuer.mintUnsigned({ audience: AUD })
  t.equal(jose.decodeProtectedHeader(unsigned).alg, 'none')
  t.equal(jose.decodeJwt(unsigned).project_path, 'group/project')
  await t.rejects(jose.jwtVerify(unsigned, keys))
  t.not(issuer.jwks.keys[0]?.n, (await createOidcIssuer({ provider: 'gitlab' }).then(async (o) => { await o.close(); return o.jwks.keys[0]?.n })), 'a fresh key per issuer')
})

t.test('GitHub token endpoint honours audience, rejects a wrong request token, logs requests', async (t) => {
  const jose = await loadJose()
  const issuer = await createOidcIssuer({ provider: 'github-actions', requestToken: 'known-request-token' })
  t.teardown(issuer.close)
  const env = await issuer.jobEnv()
  t.equal(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN, 'known-request-token')
  const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL as string)
  t.equal(url.searchParams.get('api-version'), '2.0', 'the URL carries its own query')
  url.searchParams.set('audience', AUD)
  const auth = { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` }

  const ok = await request(url.href, { headers: auth })
  t.equal(ok.status, 200)
  const { payload } = await jose.jwtVerify(ok.json().value, jose.createLocalJWKSet(issuer.jwks as never), {
    issuer: issuer.url,
    audience: AUD,
  })
  t.equal(payload.repository, 'acme/widgets')

  const dflt = await request(env.ACTIONS_ID_TOKEN_REQUEST_URL as string, { headers: auth })
  t.equal(jose.decodeJwt(dflt.json().value).aud, 'https://github.com/acme', "GitHub's default audience")

  const wrong = await request(url.href, { headers: { authorization: 'Bearer not-the-request-token' } })
  t.equal(wrong.status, 401)
  t.notOk('value' in wrong.json())

  t.same(issuer.requests, [
    { method: 'GET', path: '/token', query: { 'api-version': '2.0', audience: AUD }, authorized: true, status: 200 },
    { method: 'GET', path: '/token', query: { 'api-version': '2.0' }, authorized: true, status: 200 },
    { method: 'GET', path: '/token', query: { 'api-version': '2.0', audience: AUD }, authorized: false, status: 401 },
  ])
  t.ok(Object.isFrozen(issuer.requests))
  t.notMatch(JSON.stringify(issuer.requests), /known-request-token|eyJ/, 'no request token, no JWT in the log')
})

t.test('random request token per issuer; other paths are 404; no token endpoint off GitHub', async (t) => {
  const a = await createOidcIssuer({ provider: 'github-actions' })
  t.teardown(a.close)
  const b = await createOidcIssuer({ provider: 'github-actions' })
  t.teardown(b.close)
  const ta = (await a.jobEnv()).ACTIONS_ID_TOKEN_REQUEST_TOKEN as string
  t.ok(ta.length >= 32)
  t.not(ta, (await b.jobEnv()).ACTIONS_ID_TOKEN_REQUEST_TOKEN)
  t.equal((await request(`${a.url}/nope`)).status, 404)
  const g = await createOidcIssuer({ provider: 'gitlab' })
  t.teardown(g.close)
  t.equal((await request(`${g.url}/token?api-version=2.0`)).status, 404)
  t.same(g.requests, [])
})

t.test('jobEnv per provider, nothing from process.env', async (t) => {
  const jose = await loadJose()
  for (const provider of ['github-actions', 'gitlab', 'circleci'] as const) {
    const issuer = await createOidcIssuer({ provider })
    t.teardown(issuer.close)
    const env = await issuer.jobEnv({ audience: AUD, sigstore: true })
    for (const key of Object.keys(process.env)) {
      if (key !== 'CI') t.notOk(key in env, `${provider}: ${key} not copied`)
    }
    const detect = { 'github-actions': 'GITHUB_ACTIONS', gitlab: 'GITLAB_CI', circleci: 'CIRCLECI' }[provider]
    t.equal(env[detect], 'true')
    if (provider === 'github-actions') {
      t.notOk('NPM_ID_TOKEN' in env)
    } else {
      const keys = jose.createLocalJWKSet(issuer.jwks as never)
      const { payload } = await jose.jwtVerify(env.NPM_ID_TOKEN as string, keys, { issuer: issuer.url, audience: AUD })
      t.match(payload, issuer.claims)
    }
    t.equal('SIGSTORE_ID_TOKEN' in env, provider === 'gitlab')
  }
})

t.test('option validation', async (t) => {
  await t.rejects(createOidcIssuer({ provider: 'jenkins' as never }), { name: 'TypeError', message: /`provider`/ })
  await t.rejects(createOidcIssuer({ provider: 'github-actions', requestToken: '' }), { name: 'TypeError', message: /`requestToken`/ })
  await t.rejects(createOidcIssuer({ provider: 'github-actions', requestToken: 5 as never }), { name: 'TypeError', message: /`requestToken`/ })
})

t.test('close() stops the server and drops keep-alive connections', async (t) => {
  const issuer = await createOidcIssuer({ provider: 'circleci' })
  const agent = new Agent({ keepAlive: true })
  t.teardown(() => agent.destroy())
  t.equal((await request(`${issuer.url}/.well-known/jwks`, { agent })).status, 200)
  await issuer.close()
  await issuer.close()
  await t.rejects(request(`${issuer.url}/.well-known/jwks`, { agent }), { code: /ECONNREFUSED|ECONNRESET|EPIPE/ })
  await t.rejects(request(`${issuer.url}/.well-known/jwks`), { code: 'ECONNREFUSED' })
})
