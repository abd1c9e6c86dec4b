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

// Loaded only by a call that needs them: the HTTP stack, the publish stack, the JWT decoder.
const HEAVY = ['npm-registry-fetch', 'make-fetch-happen', 'minipass-fetch', 'libnpmpublish', 'sigstore', '@sigstore', 'jose']

function packagesIn (urls: string[]): string[] {
  const names = urls.flatMap((url) => {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url.slice(url.lastIndexOf('/node_modules/')))
    return match ? [match[1] as string] : []
  })
  return [...new Set(names)].sort()
}

async function probe (t: Test, format: 'esm' | 'commonjs', ...args: string[]): Promise<{ result: unknown, packages: string[] }> {
  const log = join(t.testdir(), `resolved-${++probes}.log`)
  const { stdout } = await run(process.execPath, [PROBE, format, log, ...args], { env: {}, timeout: 60_000 })
  const { result, loaded } = JSON.parse(stdout) as { result: unknown, loaded: string[] }
  return { result, packages: packagesIn(loaded) }
}

const heavyIn = (packages: string[]): string[] => packages.filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)))

t.test('the build exists (npm run build)', async (t) => {
  for (const format of ['esm', 'commonjs']) t.ok(existsSync(resolve(here, `../dist/${format}/index.js`)), `dist/${format}/index.js`)
})

for (const format of ['esm', 'commonjs'] as const) {
  t.test(`${format}: importing and the not-in-CI call load none of the heavy packages`, async (t) => {
    const imported = await probe(t, format, 'none')
    t.equal(imported.result, 'not called')
    t.same(heavyIn(imported.packages), [], 'import alone')
    const outside = await probe(t, format, 'empty-env')
    t.equal(outside.result, null, 'getOidcToken(..., {}) resolved null')
    t.same(heavyIn(outside.packages), [], 'after getOidcToken with an empty env')
    t.notOk(imported.packages.includes('npm-package-arg'), 'importing does not load npm-package-arg either')
    t.same(outside.packages.filter((p) => !imported.packages.includes(p)),
      ['hosted-git-info', 'lru-cache', 'npm-package-arg', 'semver', 'validate-npm-package-name'],
      'the call adds only npm-package-arg (with its dependencies), which validates the name')
  })

  // The control: the same probe does see them when a call needs them, so an empty list above means something.
  t.test(`${format}: an exchange loads jose and make-fetch-happen on demand`, async (t) => {
    const server = await startServer(json(201, { token: `npm_${Math.random().toString(36).slice(2)}` }))
    t.teardown(() => server.close())
    const exchanged = await probe(t, format, 'npm-id-token', `${server.origin}/`, makeIdToken({ aud: 'npm:127.0.0.1' }))
    t.equal(exchanged.result, 'object')
    t.equal(server.requests.length, 1)
    t.ok(exchanged.packages.includes('jose'), 'jose')
    t.ok(exchanged.packages.includes('make-fetch-happen'), 'make-fetch-happen')
    t.notOk(exchanged.packages.includes('libnpmpublish'), 'not the publish stack')
    t.notOk(exchanged.packages.includes('npm-registry-fetch'), 'nor npm-registry-fetch')
  })
}
