// The README's test-kit sample, run as printed: its import lines are checked and their names handed in, `manifest`
// and `tarball` are a package of this test, and the sample's own assertions must hold.
import t from 'tap'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import {
  createOidcIssuer, createTestRegistry, type OidcIssuer, type OidcIssuerOptions, type TestRegistry,
  type TestRegistryOptions,
} from '../lib/testing/index.js'
import { publishWithOidc } from '../lib/index.js'
import { makeTarball } from './fixtures/tarball.js'

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('## Test kit: `libnpmoidc/testing`'))
const sample = /```js\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
const imports = sample.split('\n').filter((line) => line.startsWith('import '))

t.test('the sample imports the kit, the library and node:assert, nothing else', async (t) => {
  t.same(imports, [
    'import assert from \'node:assert/strict\'',
    'import { createOidcIssuer, createTestRegistry } from \'libnpmoidc/testing\'',
    'import { publishWithOidc } from \'libnpmoidc\'',
  ])
  t.match(sample, /issuer\.jobEnv\(\{ audience: `npm:\$\{new URL\(registry\.url\)\.hostname\}` \}\)/)
})

t.test('the sample publishes to the test registry, and its assertions hold', async (t) => {
  const issuers: OidcIssuer[] = []
  const registries: TestRegistry[] = []
  // The same functions, remembering what the sample made so this test can check it and clean up after a failure.
  const trackingIssuer = async (options: OidcIssuerOptions): Promise<OidcIssuer> => {
    const issuer = await createOidcIssuer(options)
    issuers.push(issuer)
    t.teardown(issuer.close)
    return issuer
  }
  const trackingRegistry = async (options: TestRegistryOptions): Promise<TestRegistry> => {
    const registry = await createTestRegistry(options)
    registries.push(registry)
    t.teardown(registry.close)
    return registry
  }

  const body = sample.split('\n').filter((line) => !line.startsWith('import ')).join('\n') + '\nreturn res'
  const { manifest, tarball } = makeTarball('@group/lib', '1.0.0')
  type Published = { status: number, oidc: { auth: { method: string, provider?: string } } }
  type SampleRunner = new (...args: string[]) => (...values: unknown[]) => Promise<Published>
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as SampleRunner
  const run = new AsyncFunction('assert', 'createOidcIssuer', 'createTestRegistry', 'publishWithOidc', 'manifest',
    'tarball', body)
  const res = await run(assert, trackingIssuer, trackingRegistry, publishWithOidc, manifest, tarball)

  t.equal(issuers.length, 1, 'the sample made one issuer')
  t.equal(registries.length, 1, 'and one registry')
  t.equal(res.status, 200, 'the upload was accepted')
  t.match(res.oidc.auth, { method: 'oidc', provider: 'gitlab' }, 'with the exchanged token')
  const registry = registries[0] as TestRegistry
  t.same(registry.requests.map((r) => [r.kind, r.status]), [['exchange', 201], ['publish', 200], ['packument', 200]])
  await t.rejects(fetch(registry.url), 'the sample closed the registry')
})
