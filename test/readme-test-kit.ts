// The README's test-kit sample, run as printed: only its `registry` line is pointed at a registry of this test
// (the exchange from libnpmoidc/registry and an upload route), as a reader points it at their own.
import t from 'tap'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { createOidcIssuer, type OidcIssuer, type OidcIssuerOptions } from '../lib/testing/index.js'
import { createExchangeHandler, type ExchangeHandler } from '../lib/registry/index.js'
import { publishWithOidc } from '../lib/index.js'
import { makeTarball } from './fixtures/tarball.js'

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('## Test kit: `libnpmoidc/testing`'))
const sample = /```js\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
const REGISTRY_LINE = /^const registry = '(http:\/\/127\.0\.0\.1:\d+\/)'$/m

t.test('the sample names a local registry and mints the job token for it', async (t) => {
  t.match(sample, REGISTRY_LINE, '`registry` is a URL on 127.0.0.1, said to be your own test registry')
  t.match(sample, /issuer\.jobEnv\(\{ audience: `npm:\$\{new URL\(registry\)\.hostname\}` \}\)/)
})

t.test('the sample publishes through a registry that trusts the issuer', async (t) => {
  const issued: OidcIssuer[] = []
  const minted = new Set<string>()
  const uploads: string[] = []
  let exchange: ExchangeHandler | undefined
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && exchange !== undefined) return exchange(req, res)
    req.resume()
    req.on('end', () => {
      const bearer = req.headers.authorization?.replace(/^Bearer /, '') ?? ''
      const allowed = req.method === 'PUT' && minted.has(bearer)
      if (allowed) uploads.push(decodeURIComponent(req.url ?? ''))
      res.writeHead(allowed ? 201 : 401, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`

  // The registry learns the issuer the sample creates, as a reader configures theirs with issuer.url.
  const trackingCreate = async (options: OidcIssuerOptions): Promise<OidcIssuer> => {
    const issuer = await createOidcIssuer(options)
    issued.push(issuer)
    t.teardown(() => issuer.close())
    exchange = createExchangeHandler({
      audience: 'npm:127.0.0.1',
      issuers: [issuer.url],
      jwks: issuer.jwks,
      publisherIssuers: { gitlab: [issuer.url] },
      getTrustedPublishers: () => [{
        type: 'gitlab',
        claims: { project_path: issuer.claims.project_path, ci_config_ref_uri: { file: '.gitlab-ci.yml' } },
        permissions: ['createPackage'],
      }],
      mintToken: () => {
        const token = randomBytes(16).toString('hex')
        minted.add(token)
        return { token, expires: new Date(Date.now() + 60_000) }
      },
    })
    return issuer
  }

  const body = sample
    .split('\n').filter((line) => !line.startsWith('import ')).join('\n')
    .replace(REGISTRY_LINE, `const registry = '${url}'`) + '\nreturn res'
  const { manifest, tarball } = makeTarball('@group/lib', '1.0.0')
  type Published = { status: number, oidc: { auth: { method: string, provider?: string } } }
  type SampleRunner = new (...args: string[]) => (...values: unknown[]) => Promise<Published>
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as SampleRunner
  const run = new AsyncFunction('createOidcIssuer', 'publishWithOidc', 'manifest', 'tarball', body)
  const res = await run(trackingCreate, publishWithOidc, manifest, tarball)

  t.equal(issued.length, 1, 'the sample made one issuer')
  t.equal(res.status, 201, 'the upload was accepted')
  t.match(res.oidc.auth, { method: 'oidc', provider: 'gitlab' }, 'with the exchanged token')
  t.same(uploads, ['/@group/lib'], 'one upload, with a token the registry minted')
})
