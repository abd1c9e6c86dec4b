import t from 'tap'
import type { Test } from 'tap'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { startServer, json } from './fixtures/server.js'
import { makeIdToken } from './fixtures/id-token.js'

const here = dirname(fileURLToPath(import.meta.url))
const PROBE = join(here, 'fixtures/lazy-probe.mjs')
const run = promisify(execFile)
let probes = 0

// No npm package loads on import or outside CI: the two every use needs (proc-log for the log lines,
// validate-npm-package-name, since a bad name is a TypeError even outside CI) are bundled into the build.
const ON_IMPORT: string[] = []
const ON_CALL: string[] = []
// What a token over plain http to loopback adds: none (jose's two decoders are bundled too).
const ON_EXCHANGE: string[] = []
// The old transport and the publish stack, which a token request never needs.
const HEAVY = ['npm-registry-fetch', 'make-fetch-happen', 'minipass-fetch', 'cacache', '@npmcli/agent', 'libnpmpublish',
  'sigstore', '@sigstore', 'npm-package-arg']
// Node's network, TLS and crypto modules (node:child_process brings node:net and node:dgram).
const NETWORK = ['http', 'https', 'http2', 'tls', 'crypto', 'net', 'dns', 'dgram', 'child_process']

function packagesIn (urls: string[]): string[] {
  const names = urls.flatMap((url) => {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url.slice(url.lastIndexOf('/node_modules/')))
    return match ? [match[1] as string] : []
  })
  return [...new Set(names)].sort()
}

interface Probe { result: unknown, packages: string[], builtins: string[], bundles: string[] }

// The files of the build that were loaded, relative to dist/<format>/.
function bundlesIn (urls: string[], format: string): string[] {
  const prefix = `/dist/${format}/`
  return urls.flatMap((url) => url.includes(prefix) ? [url.slice(url.lastIndexOf(prefix) + prefix.length)] : []).sort()
}

// `hooked: false` runs without the resolve hook, whose own machinery loads builtins: the builtins are then exact.
async function probe (t: Test, format: 'esm' | 'commonjs', hooked: boolean, ...args: string[]): Promise<Probe> {
  const log = hooked ? join(t.testdir(), `resolved-${++probes}.log`) : '-'
  // Through `env -i`: tap hooks every spawn to preload its own modules into the child, but not into a grandchild
  // that starts with an empty environment.
  const { stdout } = await run('env', ['-i', process.execPath, PROBE, format, log, ...args], { env: {}, timeout: 60_000 })
  const { result, loaded, builtins } = JSON.parse(stdout) as { result: unknown, loaded: string[], builtins: string[] }
  return { result, packages: packagesIn(loaded), builtins, bundles: bundlesIn(loaded, format) }
}

const heavyIn = (packages: string[]): string[] => packages.filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)))
const networkIn = (builtins: string[]): string[] => builtins.filter((b) => NETWORK.includes(b))

t.test('the build exists (npm run build)', async (t) => {
  for (const format of ['esm', 'commonjs']) t.ok(existsSync(resolve(here, `../dist/${format}/index.js`)), `dist/${format}/index.js`)
})

for (const format of ['esm', 'commonjs'] as const) {
  t.test(`${format}: importing and the not-in-CI call load no network module and no npm library beyond the tiny set`, async (t) => {
    const imported = await probe(t, format, true, 'none')
    t.equal(imported.result, 'not called')
    t.same(imported.packages, ON_IMPORT, 'import alone: exactly these packages')
    const outside = await probe(t, format, true, 'empty-env')
    t.equal(outside.result, null, 'getOidcToken(..., {}) resolved null')
    t.same(outside.packages, ON_CALL, 'the call adds none')
    // publish, diagnose, trust and verify (index-lazy.js) load on their first call only.
    t.same(imported.bundles, ['errors.js', 'index.js'], 'import alone: the bundle and the shared errors module')
    t.same(outside.bundles, ['errors.js', 'index.js'], 'the call adds no file of the build')
    for (const call of ['none', 'empty-env']) {
      const bare = await probe(t, format, false, call)
      t.same(networkIn(bare.builtins), [], `${call}: no network, TLS or crypto builtin`)
      t.ok(bare.builtins.includes('timers/promises'), `${call}: the control: builtins are seen`)
    }
  })

  // The control: the same probe does see them when a call needs them, so an empty list above means something.
  t.test(`${format}: an exchange loads node:http (jose's decoders are in the bundle), and no proxy agent without a proxy`, async (t) => {
    const server = await startServer(json(201, { token: `npm_${Math.random().toString(36).slice(2)}` }))
    t.teardown(() => server.close())
    const idToken = makeIdToken({ aud: 'npm:127.0.0.1' })
    const exchanged = await probe(t, format, true, 'npm-id-token', `${server.origin}/`, idToken)
    t.equal(exchanged.result, 'object')
    t.equal(server.requests.length, 1)
    t.same(exchanged.packages, ON_EXCHANGE, 'exactly these packages: no make-fetch-happen, no @npmcli/agent')
    t.same(exchanged.bundles, ['errors.js', 'index.js'], 'a token needs no file of the build beyond these')
    const bare = await probe(t, format, false, 'npm-id-token', `${server.origin}/`, idToken)
    t.equal(bare.result, 'object')
    t.same(networkIn(bare.builtins), ['http', 'net'], 'plain http to loopback: no TLS, no crypto')
  })

  t.test(`${format}: a proxy that applies loads @npmcli/agent, and only then`, async (t) => {
    const closed = await startServer()
    await closed.close()
    const opts = JSON.stringify({ httpsProxy: closed.origin, retry: { retries: 0 } })
    const idToken = makeIdToken({ aud: 'npm:registry.test' })
    const proxied = await probe(t, format, true, 'npm-id-token', 'https://registry.test/', idToken, opts)
    t.equal(proxied.result, 'ERR_OIDC_EXCHANGE_FAILED', 'nobody listens at the proxy')
    t.ok(proxied.packages.includes('@npmcli/agent'), '@npmcli/agent')
    t.same(heavyIn(proxied.packages), ['@npmcli/agent'], 'nothing else of the old transport')
  })
}
