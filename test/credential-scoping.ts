// Where each credential may travel, checked on every request a server saw (headers, path and body).
// Properties already pinned elsewhere are not repeated: that the exchange gets only the ID token, that a pre-minted
// token is checked before it is sent and that plain http is refused off loopback (test/get-oidc-token.ts), that one
// package's token never travels with another's upload (test/publish/publish-with-oidc.ts), and the 307 targets
// (test/faults.ts).
import t from 'tap'
import { publishWithOidc, isOidcError } from '../lib/index.js'
import { json, startServer, type SeenRequest } from './fixtures/server.js'
import { exchanged, fast } from './fixtures/job.js'
import { pkg, publishJob } from './fixtures/publish-job.js'
import { githubClaims, makeIdToken } from './fixtures/id-token.js'
import { captureLogs } from './fixtures/logs.js'

const wire = (r: SeenRequest): string => JSON.stringify([r.path, r.headers, r.body])
const bearer = (r: SeenRequest): string | undefined => r.headers.authorization?.replace(/^Bearer /, '')

t.test('across a retried exchange and the upload, each credential goes only to its own endpoint', async (t) => {
  let exchanges = 0
  const job = await publishJob(t, (res, req) => (++exchanges === 1 ? json(503, { message: 'busy' }) : exchanged('npm_scoped_token'))(res, req))
  const other = await startServer(json(201, {}))
  t.teardown(() => other.close())
  const host = new URL(job.registry).host
  const statics = ['static_default_registry', 'static_forced', 'static_header', 'static_other_host']
  const { manifest, tarball } = pkg()
  await publishWithOidc(manifest, tarball, {
    ...fast,
    env: job.env,
    registry: `${other.origin}/`,
    '@acme:registry': job.registry,
    [`//${host}/:_authToken`]: 'static_default_registry',
    [`//${new URL(other.origin).host}/:_authToken`]: 'static_other_host',
    forceAuth: { token: 'static_forced' },
    headers: { authorization: 'Bearer static_header' },
    provenance: 'auto',
  })
  const requests = job.server.requests
  const [first, second] = job.issued as [string, string]
  t.equal(job.issued.length, 2, 'a fresh ID token for the retry')
  for (const r of requests) {
    const where = `${r.method} ${r.path.replace(/\?.*$/, '')}`
    if (r.path.startsWith('/token')) {
      t.equal(bearer(r), job.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN, `${where}: only the request token goes to GitHub`)
      t.notOk(job.issued.some((idToken) => wire(r).includes(idToken)), `${where}: no ID token goes back to the provider`)
    } else if (r.path.includes('/oidc/token/exchange/')) {
      t.ok(bearer(r) === first || bearer(r) === second, `${where}: an ID token, and only on the exchange`)
    } else {
      t.equal(bearer(r), 'npm_scoped_token', `${where}: the exchanged token, only after the exchange`)
      t.notOk(job.issued.some((idToken) => wire(r).includes(idToken)), `${where}: no ID token beyond the exchange`)
    }
    t.notOk(statics.some((s) => wire(r).includes(s)), `${where}: no configured credential travels once OIDC succeeded`)
    t.notOk(wire(r).includes(job.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN as string) && !r.path.startsWith('/token'), `${where}: the request token stays with GitHub`)
  }
  const posts = requests.filter((r) => r.path.includes('/oidc/token/exchange/'))
  t.same(posts.map(bearer), [first, second], 'each exchange carries the ID token fetched for it, never an earlier one')
  t.same(requests.filter((r) => r.method === 'PUT').map((r) => r.path), ['/@acme%2fwidgets'], 'the exchanged token published this one package')
  t.equal(other.requests.length, 0, 'nothing, not even the static token, reached the default registry')
})

t.test('a pre-minted token for another audience is never sent; the fallback uses only the static token', async (t) => {
  const job = await publishJob(t)
  const logs = captureLogs(t)
  const idToken = makeIdToken(githubClaims({ aud: 'npm:registry.npmjs.org' }))
  const { manifest, tarball } = pkg()
  const authKey = `//${new URL(job.registry).host}/:_authToken`
  const res = await publishWithOidc(manifest, tarball, { registry: job.registry, env: { ...job.env, NPM_ID_TOKEN: idToken }, [authKey]: 'static_fallback', provenance: false })
  t.ok(res.oidc.auth.method === 'token' && isOidcError(res.oidc.auth.oidcError, 'ERR_OIDC_AUDIENCE_MISMATCH'), 'refused before any request')
  t.same(job.server.requests.map((r) => `${r.method} ${r.path} ${bearer(r)}`), ['PUT /@acme%2fwidgets static_fallback'], 'no ID-token request, no exchange: only the upload')
  t.notOk(job.server.requests.some((r) => wire(r).includes(idToken)), 'the ID token reached no server')
  t.equal(logs.filter(([level]) => level === 'warn').length, 1, 'one warn line says so')
  t.notOk(JSON.stringify(logs).includes(idToken) || JSON.stringify(logs).includes('static_fallback'), 'neither token in the logs')
  await t.rejects(publishWithOidc(manifest, tarball, { registry: job.registry, env: { ...job.env, NPM_ID_TOKEN: idToken }, oidc: 'required', [authKey]: 'static_fallback' }), { code: 'ERR_OIDC_AUDIENCE_MISMATCH' }, 'required: no fallback at all')
  t.equal(job.server.requests.length, 1, 'and nothing more was sent')
})

t.test('plain http to a host that is not loopback: refused before anything is sent, in publishWithOidc too', async (t) => {
  const job = await publishJob(t)
  const { manifest, tarball } = pkg('widgets')
  await t.rejects(publishWithOidc(manifest, tarball, { registry: 'http://registry.example.com/', env: job.env, oidc: 'required' }), { code: 'ERR_OIDC_INSECURE_REGISTRY' })
  t.equal(job.server.requests.length, 0, 'not even the ID-token request: the check comes first')
})
