// Property-based tests (fast-check 4): arbitrary input gives a result, a TypeError (programmer error) or an
// OidcError (environment), never anything else, and no error text carries a token. Runs are sized to finish
// in seconds; fast-check prints the seed and the shrunk counterexample on failure.
import t from 'tap'
import fc from 'fast-check'
import { inspect } from 'node:util'
import npa from 'npm-package-arg'
import { checkClaims, decodeIdToken } from '../lib/client/claims.js'
import { exchangeUrl, parseRegistry } from '../lib/client/registry-target.js'
import { escapePackageName } from '../lib/client/package-name.js'
import { excerpt, isTransientStatus, parseJson, registryMessageOf, stringField } from '../lib/util/response.js'
import { getOidcToken, isOidcError } from '../lib/index.js'
import { verifyIdToken } from '../lib/registry/verify-id-token.js'
import { matchTrustedPublisher } from '../lib/registry/match-trusted-publisher.js'
import { startServer } from './fixtures/server.js'
import { makeIdToken } from './fixtures/id-token.js'
import { makeKey, signWith } from './fixtures/issuer-keys.js'

// A fixed seed keeps CI deterministic; `FUZZ_SEED=<n> npx tap test/fuzz.ts` explores other inputs.
fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED ?? 20261125) })

const context = { provider: 'github-actions', providerName: 'GitHub Actions', source: 'NPM_ID_TOKEN' }
const b64 = (value: string): string => Buffer.from(value).toString('base64url')

/** Everything an error exposes: message, stack, cause chain, inspect with hidden fields, JSON. */
function exposed (err: unknown): string {
  const parts = [inspect(err, { showHidden: true, depth: 10 })]
  try {
    parts.push(JSON.stringify(err))
  } catch {}
  for (let e = err, i = 0; e instanceof Error && i < 10; e = e.cause, i++) parts.push(e.message, String(e.stack))
  return parts.join('\n')
}

/** A result, a TypeError or an OidcError; anything else fails the property. Returns the error, if any. */
function allowed (err: unknown): boolean {
  return err instanceof TypeError || isOidcError(err)
}

/** JWT-shaped strings from arbitrary header and payload JSON and an arbitrary signature. */
const jwtLike = fc.tuple(fc.jsonValue(), fc.jsonValue(), fc.string({ maxLength: 60 }))
  .map(([header, payload, sig]) => `${b64(JSON.stringify(header))}.${b64(JSON.stringify(payload))}.${b64(sig)}`)

/** Claims that look like an ID token's, with every field free to be odd. */
const claimsArb = fc.record({
  aud: fc.oneof(
    fc.constant('npm:registry.example.com'),
    fc.array(fc.constant('npm:registry.example.com'), { maxLength: 2 }),
    fc.jsonValue()
  ),
  exp: fc.oneof(
    fc.integer({ min: -1e10, max: 1e10 }),
    fc.double(),
    fc.constantFrom(1e13, -1e300, 8.64e12, Number.MAX_VALUE),
    fc.jsonValue()
  ),
  iss: fc.oneof(fc.constant('https://token.actions.githubusercontent.com'), fc.jsonValue()),
  sub: fc.oneof(fc.string(), fc.constant('repo:acme@123/widgets@456:ref:refs/heads/main')),
  'oidc.circleci.com/ssh-rerun': fc.oneof(fc.boolean(), fc.jsonValue()),
}, { requiredKeys: [] })

t.test('decodeIdToken + checkClaims: a token, or ERR_OIDC_*, never another exception or the token in the text', async (t) => {
  const tokens = fc.oneof(
    fc.string({ maxLength: 300 }),
    jwtLike,
    claimsArb.map((c) => makeIdToken(c as Record<string, unknown>, 300))
  )
  await fc.assert(fc.asyncProperty(tokens, async (token) => {
    let claims
    try {
      claims = await decodeIdToken(token, context)
    } catch (err) {
      if (!isOidcError(err, 'ERR_OIDC_ID_TOKEN_MALFORMED')) return false
      return token.length < 8 || !exposed(err).includes(token)
    }
    try {
      checkClaims(claims, 'npm:registry.example.com', context)
      return typeof claims.exp === 'number' && Number.isFinite(new Date(claims.exp * 1000).getTime())
    } catch (err) {
      return isOidcError(err) && !exposed(err).includes(token)
    }
  }), { numRuns: 300 })
  // The shrunk counterexample that found the RangeError, kept as an example.
  t.throws(() => checkClaims({ aud: 'npm:x', exp: -1e300 }, 'npm:x', context), { code: 'ERR_OIDC_ID_TOKEN_MALFORMED', message: /exp claim that is not a time/ })
  t.throws(() => checkClaims({ aud: 'npm:x', exp: 1e13 }, 'npm:x', context), { code: 'ERR_OIDC_ID_TOKEN_MALFORMED' })
})

t.test('checkClaims on arbitrary claim objects: passes only a single matching aud and a usable future exp', async (t) => {
  const extras = fc.dictionary(fc.string(), fc.jsonValue())
  fc.assert(fc.property(extras, claimsArb, fc.string(), (extra, claims, audience) => {
    const all = { ...extra, ...claims }
    try {
      checkClaims(all, audience, context)
    } catch (err) {
      return isOidcError(err)
    }
    const aud = Array.isArray(all.aud) ? all.aud : [all.aud]
    return aud.length === 1 && aud[0] === audience && typeof all.exp === 'number' && all.exp * 1000 > Date.now()
  }), { numRuns: 500 })
  t.pass('checked')
})

t.test('parseRegistry + exchangeUrl: one parsed URL, or a TypeError that never echoes a password', async (t) => {
  const inputs = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc.webUrl().map((u) => u.replace(/^https?:\/\//, 'http://127.0.0.1:4873/')),
    fc.tuple(fc.constantFrom('https', 'http', 'ftp', 'file', 'git+https'), fc.webAuthority({ withUserInfo: true, withPort: true }), fc.webPath())
      .map(([scheme, authority, path]) => `${scheme}://${authority}${path}`),
    fc.string(),
    fc.anything()
  )
  fc.assert(fc.property(inputs, fc.constantFrom('pkg', '@scope%2fname'), (registry, escaped) => {
    let target
    try {
      target = parseRegistry(registry)
    } catch (err) {
      if (!(err instanceof TypeError)) return false
      let password = ''
      try {
        password = typeof registry === 'string' ? new URL(registry).password : ''
      } catch {}
      return password.length < 3 || !err.message.includes(password)
    }
    const url = new URL(target.href)
    const exchange = exchangeUrl(target, escaped)
    return target.href.endsWith('/') && url.search === '' && url.hash === '' && !url.username && !url.password &&
      target.audience === `npm:${url.hostname}` &&
      target.authKey === `//${url.host}${url.pathname}:_authToken` &&
      exchange === `${target.href}-/npm/v1/oidc/token/exchange/package/${escaped}` &&
      new URL(exchange).pathname.startsWith(url.pathname) &&
      parseRegistry(target.href).href === target.href
  }), { numRuns: 500 })
  t.pass('checked')
})

t.test('escapePackageName: npa\'s escaping (lowercase %2f, literal @), or a TypeError', async (t) => {
  const valid = fc.tuple(fc.option(fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,20}$/)), fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,40}$/))
    .map(([scope, name]) => scope === null ? name : `@${scope}/${name}`)
  await fc.assert(fc.asyncProperty(fc.oneof(valid, fc.string(), fc.anything()), async (name) => {
    let escaped
    try {
      escaped = await escapePackageName(name)
    } catch (err) {
      return err instanceof TypeError
    }
    const spec = npa(name as string)
    return escaped === spec.escapedName && !escaped.includes('/') && !escaped.includes('%40') && !escaped.includes('%2F') &&
      decodeURIComponent(escaped) === name && (name as string).startsWith('@') === escaped.startsWith('@')
  }), { numRuns: 500 })
  t.pass('checked')
})

t.test('response parsing is total', async (t) => {
  const texts = fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ message: v, error: v })))
  fc.assert(fc.property(texts, fc.anything(), (text, anything) => {
    parseJson(text)
    const field = stringField(parseJson(text), 'message')
    const message = registryMessageOf(text)
    const short = excerpt(text)
    return (field === undefined || field.length > 0) &&
      (message === undefined || typeof message === 'string') &&
      short.length <= 201 && !/\s{2}|\n/.test(short) &&
      [undefined, 'string'].includes(typeof stringField(anything, 'token') === 'string' ? 'string' : undefined)
  }), { numRuns: 500 })
  fc.assert(fc.property(fc.integer({ min: 0, max: 999 }), (status) =>
    isTransientStatus(status) === (status >= 500 || [408, 425, 429].includes(status))), { numRuns: 200 })
  t.pass('checked')
})

t.test('the exchange against a server answering arbitrary status and body', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  const registry = `${server.origin}/`
  const idToken = makeIdToken({ aud: 'npm:127.0.0.1' }, 600)
  const statuses = fc.oneof(
    fc.integer({ min: 200, max: 599 }),
    fc.constantFrom(200, 201, 301, 307, 400, 401, 403, 404, 429, 500)
  )
  const bodies = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.json({ maxDepth: 3 }),
    fc.record({
      token: fc.oneof(fc.string(), fc.jsonValue()),
      message: fc.oneof(fc.string(), fc.jsonValue()),
      expires: fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
    }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
    fc.constant('\uFEFF{"token":"SECRET"}'),
    fc.constant('{"message":"echo IDTOKEN"}')
  )
  const contentTypes = fc.constantFrom(undefined, 'application/json', 'text/html')
  await fc.assert(fc.asyncProperty(statuses, bodies, contentTypes, async (status, rawBody, contentType) => {
    // A fresh secret planted where a token would be, and the ID token where an echoing server would put it.
    const secret = `npm_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
    const body = rawBody.replace('SECRET', secret).replace('IDTOKEN', idToken)
    server.queue((res) => {
      const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {}
      if (status >= 300 && status < 400) headers.location = 'http://127.0.0.1:1/elsewhere'
      res.writeHead(status, headers).end(body)
    })
    const before = server.requests.length
    let result
    try {
      result = await getOidcToken('@acme/widgets', registry, { NPM_ID_TOKEN: idToken }, { retry: { retries: 0 }, timeout: 2000 })
    } catch (err) {
      if (!isOidcError(err)) return false
      const text = exposed(err)
      const code = err.code
      const expected = status >= 200 && status < 300
        ? 'ERR_OIDC_EXCHANGE_BAD_RESPONSE'
        : status < 400
          ? 'ERR_OIDC_REDIRECT_REFUSED'
          : status === 404
            ? 'ERR_OIDC_NO_TRUSTED_PUBLISHER'
            : status === 401
              ? 'ERR_OIDC_UNAUTHORIZED'
              : isTransientStatus(status) ? 'ERR_OIDC_EXCHANGE_FAILED' : 'ERR_OIDC_EXCHANGE_REJECTED'
      return code === expected &&
        !text.includes(idToken) &&
        (status >= 300 || !text.includes(secret)) &&
        server.requests.length === before + 1
    }
    const parsed = parseJson(body) as { token?: unknown } | undefined
    const token = result?.token ?? ''
    return status >= 200 && status < 300 && typeof parsed?.token === 'string' && token === parsed.token &&
      (token.length < 8 || (
        !inspect(result, { showHidden: true, depth: 10 }).includes(token) &&
        !JSON.stringify(result).includes(token)
      ))
  }), { numRuns: 60 })
  t.pass('checked')
})

t.test('getOidcToken with an arbitrary pre-minted token: a token, or ERR_OIDC_* before any request', async (t) => {
  const server = await startServer((res) => { res.writeHead(201, { 'content-type': 'application/json' }).end('{"token":"npm_fuzz"}') })
  t.teardown(() => server.close())
  const tokens = fc.oneof(
    fc.string({ maxLength: 200 }),
    jwtLike,
    claimsArb.map((c) => makeIdToken({ aud: 'npm:127.0.0.1', ...c as Record<string, unknown> }))
  )
  await fc.assert(fc.asyncProperty(tokens, async (token) => {
    const before = server.requests.length
    try {
      const result = await getOidcToken('pkg', `${server.origin}/`, { NPM_ID_TOKEN: token }, { retry: { retries: 0 } })
      return result === null ? token === '' : server.requests.length === before + 1
    } catch (err) {
      return isOidcError(err) &&
        server.requests.length === before &&
        (token.length < 8 || !exposed(err).includes(token))
    }
  }), { numRuns: 150 })
  t.pass('checked')
})

t.test('verifyIdToken: arbitrary tokens and options give claims, a TypeError or ERR_OIDC_VERIFY_*', async (t) => {
  const issuer = 'https://issuer.example'
  const key = await makeKey('k1', 'ES256')
  const jwks = { keys: [key.jwk] }
  const audience = 'npm:registry.example.com'
  const now = Math.floor(Date.now() / 1000)
  const signedClaims = fc.record({
    iss: fc.oneof(fc.constant(issuer), fc.jsonValue()),
    aud: fc.oneof(fc.constant(audience), fc.constant([audience]), fc.jsonValue()),
    exp: fc.oneof(
      fc.constant(now + 300),
      fc.integer({ min: -1e10, max: 1e10 }),
      fc.double(),
      fc.constantFrom(1e13, -1e300, Number.MAX_VALUE),
      fc.jsonValue()
    ),
    iat: fc.oneof(fc.constant(now), fc.integer({ min: -1e10, max: 1e10 }), fc.constantFrom(1e300), fc.jsonValue()),
    nbf: fc.oneof(fc.constant(now), fc.double(), fc.jsonValue()),
  }, { requiredKeys: [] })
  const tokens = fc.oneof(
    fc.string({ maxLength: 200 }),
    jwtLike,
    fc.tuple(fc.constantFrom('ES256', 'RS256', 'none', 'HS256'), fc.jsonValue()).map(([alg, payload]) => `${b64(JSON.stringify({ alg, kid: 'k1' }))}.${b64(JSON.stringify(payload))}.${b64('sig')}`)
  )
  await fc.assert(fc.asyncProperty(fc.oneof(tokens, signedClaims.map((c) => ({ claims: c }))), async (input) => {
    // jose refuses to sign some claims (a non-finite nbf, say); those inputs cannot reach a registry.
    const token = typeof input === 'string' ? input : await signWith(key, input.claims as Record<string, unknown>).catch(() => undefined)
    if (token === undefined) return true
    try {
      const claims = await verifyIdToken(token, { audience, issuers: [issuer], jwks })
      return claims.iss === issuer && claims.aud === audience && typeof input !== 'string'
    } catch (err) {
      return isOidcError(err) && err.code.startsWith('ERR_OIDC_VERIFY_') && (token.length < 8 || !exposed(err).includes(token))
    }
  }), { numRuns: 150 })
  // Arbitrary options: the token is not a JWT, so nothing is ever fetched.
  await fc.assert(fc.asyncProperty(fc.anything(), fc.anything(), async (options, idToken) => {
    try {
      await verifyIdToken(typeof idToken === 'string' ? 'not-a-jwt' : idToken, options as never)
      return false
    } catch (err) {
      return allowed(err)
    }
  }), { numRuns: 200 })
  t.pass('checked')
})

t.test('matchTrustedPublisher: arbitrary claims and publishers give a result or a TypeError', async (t) => {
  const publisher = fc.oneof(
    fc.anything(),
    fc.record({
      type: fc.oneof(fc.constantFrom('github', 'gitlab', 'circleci', 'constructor', '__proto__'), fc.jsonValue()),
      claims: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.anything()),
      permissions: fc.oneof(fc.constant(['createPackage']), fc.anything()),
    }, { requiredKeys: [] })
  )
  const anyClaims = fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.anything())
  const anyPublishers = fc.oneof(fc.array(publisher, { maxLength: 4 }), fc.anything())
  const permissions = fc.constantFrom(undefined, 'createPackage' as const)
  fc.assert(fc.property(anyClaims, anyPublishers, permissions, (claims, publishers, permission) => {
    let result
    try {
      const options = permission ? { permission } : {}
      result = matchTrustedPublisher(claims as Record<string, unknown>, publishers as unknown[], options)
    } catch (err) {
      return err instanceof TypeError
    }
    const list = publishers as unknown[]
    if (result.matched) return list[result.index] === result.publisher
    return result.mismatches.length === list.length && result.mismatches.every((m) => m.fields.length > 0)
  }), { numRuns: 500 })
  // The oracle: a publisher built from a token's own claims matches it, and the same with one field's case flipped
  // does not.
  const part = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/)
  fc.assert(fc.property(part, part, part, fc.option(part), (owner, repo, file, environment) => {
    const claims = { iss: 'https://token.actions.githubusercontent.com', repository: `${owner}/${repo}`, workflow_ref: `${owner}/${repo}/.github/workflows/${file}.yml@refs/heads/main`, ...(environment ? { environment } : {}) }
    const config = { repository: `${owner}/${repo}`, workflow_ref: { file: `${file}.yml` }, ...(environment ? { environment } : {}) }
    const ok = matchTrustedPublisher(claims, [{ type: 'github', claims: config, permissions: ['createPackage'] }], { permission: 'createPackage' })
    const upper = matchTrustedPublisher(claims, [{ type: 'github', claims: { ...config, repository: config.repository.toUpperCase() }, permissions: ['createPackage'] }])
    return ok.matched && !upper.matched
  }), { numRuns: 200 })
  t.pass('checked')
})
