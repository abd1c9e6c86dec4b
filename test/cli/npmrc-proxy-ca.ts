// End to end: a proxy and a CA file set in a project's `.npmrc` (npm's kebab-case keys) carry `npm-oidc token`'s
// exchange to an HTTPS registry that only the proxy can reach and only the CA can vouch for. There is no case
// without the proxy: reaching `registry.test` directly would ask a DNS resolver, and tests stay on loopback.
import t, { type Test } from 'tap'
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { connect, type AddressInfo, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { runCli, project } from '../fixtures/cli.js'
import { fakeGithubJob, type FakeJob } from '../fixtures/job.js'

const run = promisify(execFile)

interface Pki {
  readonly caFile: string
  readonly key: Buffer
  /** The registry's certificate followed by the CA's, so that a client without the CA sees a self-signed chain. */
  readonly chain: Buffer
}

// A private CA and a certificate for registry.test signed by it, made per run in a temp dir removed at teardown.
async function makePki (tt: Test): Promise<Pki> {
  const dir = await mkdtemp(join(tmpdir(), 'libnpmoidc-pki-'))
  tt.teardown(() => rm(dir, { recursive: true, force: true }))
  const file = (name: string): string => join(dir, name)
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await run('openssl', ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '1',
    '-subj', '/CN=libnpmoidc test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign'])
  await run('openssl', ['req', ...ec, '-keyout', file('registry.key'), '-out', file('registry.csr'),
    '-subj', '/CN=registry.test'])
  await writeFile(file('ext.cnf'), 'subjectAltName=DNS:registry.test\nextendedKeyUsage=serverAuth\n')
  await run('openssl', ['x509', '-req', '-in', file('registry.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
    '-CAcreateserial', '-out', file('registry.pem'), '-days', '1', '-extfile', file('ext.cnf')])
  const [key, cert, ca] = await Promise.all(['registry.key', 'registry.pem', 'ca.pem'].map((f) => readFile(file(f))))
  return { caFile: file('ca.pem'), key: key as Buffer, chain: Buffer.concat([cert as Buffer, ca as Buffer]) }
}

interface Exchange { readonly method: string, readonly path: string, readonly authorization: string | undefined }

async function listen (tt: Test, server: Server, sockets: Set<Socket>): Promise<number> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  tt.teardown(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy()
    server.close(() => resolve())
  }))
  return (server.address() as AddressInfo).port
}

// The HTTPS registry: answers the exchange route with `token`, anything else with a 404.
async function startRegistry (tt: Test, pki: Pki, token: string): Promise<{ port: number, seen: Exchange[] }> {
  const seen: Exchange[] = []
  const server = createHttpsServer({ key: pki.key, cert: pki.chain }, (req, res) => {
    req.resume()
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization })
      if (req.method !== 'POST' || req.url !== '/-/npm/v1/oidc/token/exchange/package/widgets') {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}')
        return
      }
      res.writeHead(201, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token_type: 'oidc', token, created: new Date().toISOString() }))
    })
  })
  return { port: await listen(tt, server, new Set()), seen }
}

// An HTTP CONNECT proxy that tunnels every CONNECT to the registry's port, whatever host it names, and records
// each target; a plain proxied request is recorded and refused.
async function startProxy (tt: Test, registryPort: number): Promise<{ port: number, targets: string[] }> {
  const targets: string[] = []
  const tunnels = new Set<Socket>()
  const server = createHttpServer((req, res) => {
    targets.push(`${req.method ?? ''} ${req.url ?? ''}`)
    res.writeHead(405).end()
  })
  server.on('connect', (req, client: Socket, head: Buffer) => {
    targets.push(`CONNECT ${req.url ?? ''}`)
    const upstream = connect(registryPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    tunnels.add(upstream)
    upstream.on('close', () => tunnels.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  const port = await listen(tt, server, tunnels)
  return { port, targets }
}

interface Setup {
  readonly job: FakeJob
  readonly registry: { port: number, seen: Exchange[] }
  readonly proxy: { port: number, targets: string[] }
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
  t.same(s.registry.seen, [{
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
