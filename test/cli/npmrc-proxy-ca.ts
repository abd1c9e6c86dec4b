// End to end: a proxy and a CA file set in a project's `.npmrc` (npm's kebab-case keys) carry `npm-oidc token`'s
// exchange to an HTTPS registry that only the proxy can reach and only the CA can vouch for. There is no case
// without the proxy: reaching `registry.test` directly would ask a DNS resolver, and tests stay on loopback.
import t, { type Test } from 'tap'
import { runCli, project } from '../fixtures/cli.js'
import { fakeGithubJob, type FakeJob } from '../fixtures/job.js'
import { makePki, startProxy, startTlsServer, type Pki, type ProxyLog, type SeenTlsRequest } from '../fixtures/tls-proxy.js'

// The HTTPS registry: answers the exchange route with `token`, anything else with a 404.
async function startRegistry (tt: Test, pki: Pki, token: string): Promise<{ port: number, seen: SeenTlsRequest[] }> {
  return startTlsServer(tt, pki, (req, res) => {
    if (req.method !== 'POST' || req.url !== '/-/npm/v1/oidc/token/exchange/package/widgets') {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}')
      return
    }
    res.writeHead(201, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token_type: 'oidc', token, created: new Date().toISOString() }))
  })
}

interface Setup {
  readonly job: FakeJob
  readonly registry: { port: number, seen: SeenTlsRequest[] }
  readonly proxy: ProxyLog
  readonly token: string
  readonly cwd: string
  readonly home: string
}

async function setup (tt: Test, npmrc: (proxyPort: number, caFile: string) => string): Promise<Setup> {
  const token = `npm_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
  const pki = await makePki(tt)
  const registry = await startRegistry(tt, pki, token)
  const proxy = await startProxy(tt, registry.port)
  const job = await fakeGithubJob(tt)
  job.server.fallback = job.idTokenReply()
  const home = await project(tt, {})
  const cwd = await project(tt, { '.npmrc': npmrc(proxy.port, pki.caFile) })
  return { job, registry, proxy, token, cwd, home }
}

// No retries: each negative control fails on its first try instead of backing off.
const base = 'registry=https://registry.test/\nfetch-retries=0\n'
const proxyLine = (port: number): string => `https-proxy=http://127.0.0.1:${port}/\n`
const caLine = (caFile: string): string => `cafile=${caFile}\n`

const tokenRun = (s: Setup): ReturnType<typeof runCli> =>
  runCli(['token', 'widgets'], { cwd: s.cwd, env: { ...s.job.env, HOME: s.home } })

t.test('https-proxy and cafile in .npmrc: the exchange goes through the proxy and trusts the private CA', async (t) => {
  const s = await setup(t, (port, ca) => base + proxyLine(port) + caLine(ca))
  const result = await tokenRun(s)
  t.equal(result.code, 0, 'exits 0')
  t.equal(result.stdout, `${s.token}\n`, 'stdout is exactly the exchanged token')
  t.same(s.proxy.targets, ['CONNECT registry.test:443'], 'the proxy tunnelled to registry.test and saw nothing else')
  t.equal(s.job.issued.length, 1)
  const relayed = s.proxy.relayed().toString('latin1')
  t.notOk(relayed.includes(s.token) || relayed.includes(s.job.issued[0] as string),
    'the proxy never saw the ID token or the exchanged token in clear text')
  t.same(s.registry.seen.map(({ method, path, authorization }) => ({ method, path, authorization })), [{
    method: 'POST',
    path: '/-/npm/v1/oidc/token/exchange/package/widgets',
    authorization: `Bearer ${s.job.issued[0] as string}`,
  }], 'the registry received the exchange with the ID token as bearer')
  t.same(s.job.server.requests.map((r) => r.path), ['/token?api-version=2.0&audience=npm%3Aregistry.test'],
    'the ID token was asked for on loopback, directly, for the registry behind the proxy')
})

t.test('without cafile: the private CA is not trusted and no token is printed', async (t) => {
  const s = await setup(t, (port) => base + proxyLine(port))
  const result = await tokenRun(s)
  t.equal(result.code, 1)
  t.equal(result.stdout, '')
  t.match(result.stderr, /token exchange failed \(SELF_SIGNED_CERT_IN_CHAIN from https:\/\/registry\.test\/\)/)
  t.notOk(result.stderr.includes(s.token))
  t.same(s.proxy.targets, ['CONNECT registry.test:443'], 'the proxy was reached')
  t.same(s.registry.seen, [], 'no request got past the TLS handshake')
})
