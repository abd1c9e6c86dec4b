import t from 'tap'
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { run } from './fixtures/run.js'

// The packed package, installed the way a user gets it, without the network: the tarball is extracted into
// a temp project whose other dependencies link to ours. Needs `npm run build` first (npm test does it).
const root = resolve(import.meta.dirname, '..')
const npmCli = join(root, 'node_modules', 'npm', 'bin', 'npm-cli.js')

t.test('the packed tarball works with require() and import()', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'libnpmoidc-pack-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  const packed = await run(process.execPath, [npmCli, 'pack', '--json', '--pack-destination', dir, '--ignore-scripts'], { cwd: root })
  t.equal(packed.code, 0, packed.stderr)
  const [{ filename, files }] = JSON.parse(packed.stdout) as Array<{ filename: string, files: Array<{ path: string }> }>
  const paths = files.map((f) => f.path)
  t.ok(paths.includes('dist/commonjs/index.js') && paths.includes('dist/esm/index.js') && paths.includes('dist/commonjs/package.json'))
  t.notOk(paths.some((p) => p.startsWith('test/') || p.startsWith('bench/') || p.startsWith('.ci/')), 'no tests or tooling shipped')

  const modules = join(dir, 'project', 'node_modules')
  await mkdir(join(modules, 'libnpmoidc'), { recursive: true })
  const untar = await run('tar', ['-xzf', join(dir, filename), '-C', join(modules, 'libnpmoidc'), '--strip-components=1'])
  t.equal(untar.code, 0, untar.stderr)
  for (const entry of await readdir(join(root, 'node_modules'))) {
    if (entry !== '.bin' && entry !== 'libnpmoidc' && !entry.startsWith('.')) await symlink(join(root, 'node_modules', entry), join(modules, entry))
  }
  const project = join(dir, 'project')
  const check = `
    const names = (m) => Object.keys(m).filter((k) => k !== 'default' && k !== 'module.exports').sort().join(',')
    const out = { main: names(MAIN), registry: names(REGISTRY), testing: names(TESTING), version: VERSION,
      nullOutsideCi: await MAIN.getOidcToken('pkg', 'https://registry.npmjs.org/', {}) }
    try { await MAIN.getOidcToken('pkg', 'https://registry.npmjs.org/', { NPM_ID_TOKEN: 'a.b.c' }) } catch (err) { out.guard = MAIN.isOidcError(err, 'ERR_OIDC_ID_TOKEN_MALFORMED') }
    console.log(JSON.stringify(out))`
  const cjs = await run(process.execPath, ['-e', `(async () => { const MAIN = require('libnpmoidc'); const REGISTRY = require('libnpmoidc/registry'); const TESTING = require('libnpmoidc/testing'); const VERSION = require('libnpmoidc/package.json').version; ${check} })()`], { cwd: project })
  const esm = await run(process.execPath, ['--input-type=module', '-e', `const MAIN = await import('libnpmoidc'); const REGISTRY = await import('libnpmoidc/registry'); const TESTING = await import('libnpmoidc/testing'); ${check.replace('version: VERSION,', '')}`], { cwd: project })
  t.equal(cjs.code, 0, cjs.stderr)
  t.equal(esm.code, 0, esm.stderr)
  const fromCjs = JSON.parse(cjs.stdout) as Record<string, unknown>
  const fromEsm = JSON.parse(esm.stdout) as Record<string, unknown>
  t.equal(fromCjs.version, JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version)
  t.match(fromCjs, { nullOutsideCi: null, guard: true, main: /getOidcToken.*publishWithOidc/ })
  t.equal(fromEsm.main, fromCjs.main, 'both builds export the same names')
  t.equal(fromEsm.registry, fromCjs.registry)
  t.equal(fromEsm.testing, fromCjs.testing)
  t.match(fromCjs.registry, /createExchangeHandler.*verifyIdToken/)
  t.match(fromCjs.testing, /createOidcIssuer/)
  t.equal(fromEsm.guard, true, 'jose loads through import() from both builds')
})

t.test('publint and arethetypeswrong find nothing', async (t) => {
  const publint = await run(process.execPath, [join(root, 'node_modules', 'publint', 'src', 'cli.js'), '--strict'], { cwd: root })
  t.equal(publint.code, 0, publint.stdout + publint.stderr)
  t.match(publint.stdout, /All good!/)
  const attw = await run(process.execPath, [join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js'), '--pack', '.', '--profile', 'node16', '--format', 'json'], { cwd: root })
  t.equal(attw.code, 0, attw.stderr)
  const report = JSON.parse(attw.stdout) as { analysis: { problems: Array<{ resolutionKind?: string }> } }
  // node10 resolution cannot see subpath exports; our engines start at Node 20, so only node16+ counts.
  t.same(report.analysis.problems.filter((p) => p.resolutionKind !== 'node10'), [], 'no type resolution problems under node16')
})
