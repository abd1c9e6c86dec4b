import t from 'tap'
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { run } from './fixtures/run.js'
import { json, startServer } from './fixtures/server.js'

// The build (`npm run build`): each entry point is one bundle per format, next to one module holding OidcError
// that the bundles of the format share. test/package.ts checks the packed package; this checks what the bundling
// must keep: one error class, source maps of lib/ only, the bin.
const root = resolve(import.meta.dirname, '..')
const dist = join(root, 'dist')
const ENTRIES = ['index', 'registry/index', 'testing/index', 'cli/bin']

t.test('the build exists (npm run build)', async (t) => {
  for (const format of ['esm', 'commonjs']) {
    for (const entry of [...ENTRIES, 'errors', 'index-lazy']) t.ok(existsSync(join(dist, format, `${entry}.js`)), `${format}/${entry}.js`)
  }
})

t.test('OidcError is one class across the entry points, in each format', async (t) => {
  const check = `
    let err
    try {
      await REGISTRY.verifyIdToken('not-a-jwt', { audience: 'npm:127.0.0.1', issuers: ['https://issuer.example'], jwks: { keys: [] } })
    } catch (thrown) { err = thrown }
    console.log(JSON.stringify({ code: err.code, sameClass: err instanceof MAIN.OidcError }))`
  const cjs = await run(process.execPath, ['-e', `(async () => { const MAIN = require('./dist/commonjs/index.js'); const REGISTRY = require('./dist/commonjs/registry/index.js'); ${check} })()`], { cwd: root })
  const esm = await run(process.execPath, ['--input-type=module', '-e', `const MAIN = await import('./dist/esm/index.js'); const REGISTRY = await import('./dist/esm/registry/index.js'); ${check}`], { cwd: root })
  t.equal(cjs.code, 0, cjs.stderr)
  t.equal(esm.code, 0, esm.stderr)
  t.same(JSON.parse(cjs.stdout), { code: 'ERR_OIDC_VERIFY_MALFORMED', sameClass: true }, 'CommonJS')
  t.same(JSON.parse(esm.stdout), { code: 'ERR_OIDC_VERIFY_MALFORMED', sameClass: true }, 'ESM')
  for (const format of ['esm', 'commonjs']) {
    for (const entry of [...ENTRIES, 'index-lazy']) {
      const bundle = await readFile(join(dist, format, `${entry}.js`), 'utf8')
      t.notMatch(bundle, /\bclass OidcError\b|\bOidcError\d* = class\b/, `${format}/${entry}.js has no copy of the class`)
    }
  }
})

t.test('publish, diagnose, trust and verify load index-lazy.js on their first call, and throw the shared OidcError', async (t) => {
  const registry = await startServer(json(404, { error: 'Not found' }))
  t.teardown(() => registry.close())
  const call = `
    const before = loaded()
    let err
    try { await MAIN.verifyPublished('pkg', '1.0.0', { registry: '${registry.origin}/' }) } catch (thrown) { err = thrown }
    console.log(JSON.stringify({ before, after: loaded(), code: err.code, sameClass: err instanceof MAIN.OidcError }))`
  const loaded = "const loaded = () => Object.keys(require.cache).filter((f) => f.includes('index-lazy')).length"
  const cjs = await run(process.execPath, ['-e', `(async () => { const MAIN = require('./dist/commonjs/index.js'); ${loaded}; ${call} })()`], { cwd: root })
  // The ES module cache cannot be read: test/lazy-loading.ts sees which files an import loads.
  const esm = await run(process.execPath, ['--input-type=module', '-e', `const MAIN = await import('./dist/esm/index.js'); const loaded = () => null; ${call}`], { cwd: root })
  t.equal(cjs.code, 0, cjs.stderr)
  t.equal(esm.code, 0, esm.stderr)
  t.same(JSON.parse(cjs.stdout), { before: 0, after: 1, code: 'ERR_OIDC_PUBLISHED_NOT_FOUND', sameClass: true }, 'CommonJS')
  t.same(JSON.parse(esm.stdout), { before: null, after: null, code: 'ERR_OIDC_PUBLISHED_NOT_FOUND', sameClass: true }, 'ESM')
  t.equal(registry.requests.length, 2, 'each build asked the registry')
  for (const format of ['esm', 'commonjs']) {
    const index = await readFile(join(dist, format, 'index.js'), 'utf8')
    t.notMatch(index, /function verifyPublished\b[^]*readPublic/, `${format}/index.js has only the thin verifyPublished`)
    t.match(await readFile(join(dist, format, 'index-lazy.js'), 'utf8'), /readPublic/, `${format}/index-lazy.js has its implementation`)
  }
})

t.test('every source map names only sources that ship, and the bundles map back to lib/', async (t) => {
  const maps = (await readdir(dist, { recursive: true })).filter((file) => file.endsWith('.map'))
  t.ok(maps.includes(join('esm', 'index.js.map')) && maps.includes(join('commonjs', 'registry', 'index.js.map')))
  const outside: string[] = []
  for (const map of maps) {
    const { sources } = JSON.parse(await readFile(join(dist, map), 'utf8')) as { sources: string[] }
    for (const source of sources) {
      const path = relative(root, resolve(dist, dirname(map), source))
      // package.json `files`: dist and lib ship.
      if (!(path.startsWith(`lib${sep}`) || path.startsWith(`dist${sep}`)) || !existsSync(join(root, path))) {
        outside.push(`${map}: ${source}`)
      }
    }
  }
  t.same(outside, [], 'no map names node_modules or another path outside the package')
  const index = JSON.parse(await readFile(join(dist, 'esm', 'index.js.map'), 'utf8')) as { sources: string[] }
  t.ok(index.sources.includes('../../lib/client/get-oidc-token.ts'), 'the ESM bundle maps to lib/client/get-oidc-token.ts')
  const stack = await run(process.execPath, ['--enable-source-maps', '-e',
    "require('./dist/commonjs/index.js').getOidcToken(1).catch((err) => console.log(err.stack))"], { cwd: root })
  t.match(stack.stdout, /at escapePackageName \(.*[\\/]lib[\\/]client[\\/]package-name\.ts:\d+:\d+\)/, 'a stack trace names lib/')
})

t.test('the npm-oidc bin is the ESM bundle, with its shebang, and runs', async (t) => {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>, version: string }
  t.equal(manifest.bin['npm-oidc'], './dist/esm/cli/bin.js')
  const bin = join(root, 'dist', 'esm', 'cli', 'bin.js')
  t.match(await readFile(bin, 'utf8'), /^#!\/usr\/bin\/env node\n/)
  const version = await run(bin, ['--version'], { cwd: root })
  t.equal(version.code, 0, version.stderr)
  t.equal(version.stdout.trim(), manifest.version)
})
