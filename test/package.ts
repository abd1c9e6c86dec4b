import t from 'tap'
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { run } from './fixtures/run.js'

// The packed package, installed the way a user gets it, without the network: the tarball is extracted into
// a temp project whose other dependencies link to ours. Needs `npm run build` first (npm test does it).
const root = resolve(import.meta.dirname, '..')
const npmCli = join(root, 'node_modules', 'npm', 'bin', 'npm-cli.js')
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')

// realpath: tsc lists the files it checked by their real path.
const dir = await realpath(await mkdtemp(join(tmpdir(), 'libnpmoidc-pack-')))
t.teardown(() => rm(dir, { recursive: true, force: true }))
const project = join(dir, 'project')
const packed = await run(process.execPath, [npmCli, 'pack', '--json', '--pack-destination', dir, '--ignore-scripts'], { cwd: root })
if (packed.code !== 0) throw new Error(`npm pack failed: ${packed.stderr}`)
const [{ filename, files }] = JSON.parse(packed.stdout) as Array<{ filename: string, files: Array<{ path: string }> }>
const modules = join(project, 'node_modules')
await mkdir(join(modules, 'libnpmoidc'), { recursive: true })
const untar = await run('tar', ['-xzf', join(dir, filename), '-C', join(modules, 'libnpmoidc'), '--strip-components=1'])
if (untar.code !== 0) throw new Error(`tar failed: ${untar.stderr}`)
for (const entry of await readdir(join(root, 'node_modules'))) {
  if (entry !== '.bin' && entry !== 'libnpmoidc' && !entry.startsWith('.')) await symlink(join(root, 'node_modules', entry), join(modules, entry))
}

t.test('the tarball ships both builds, the licence and the metadata, and no tests', async (t) => {
  const paths = files.map((f) => f.path)
  t.ok(paths.includes('dist/commonjs/index.js') && paths.includes('dist/esm/index.js') && paths.includes('dist/commonjs/package.json'))
  t.notOk(paths.some((p) => p.startsWith('test/') || p.startsWith('bench/') || p.startsWith('.ci/')), 'no tests or tooling shipped')
  t.ok(paths.includes('LICENSE'), 'the licence ships')
  t.match(await readFile(join(modules, 'libnpmoidc', 'LICENSE'), 'utf8'), /^The ISC License\n\nCopyright \(c\) libnpmoidc contributors\n/)
  const manifest = JSON.parse(await readFile(join(modules, 'libnpmoidc', 'package.json'), 'utf8')) as Record<string, unknown>
  t.match(manifest, {
    license: 'ISC',
    repository: { type: 'git', url: 'git+https://github.com/libnpmoidc/libnpmoidc.git' },
    homepage: 'https://github.com/libnpmoidc/libnpmoidc#readme',
    bugs: { url: 'https://github.com/libnpmoidc/libnpmoidc/issues' },
  })
})

t.test('the packed tarball works with require() and import()', async (t) => {
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
  t.equal(fromEsm.guard, true, 'the bundled ID-token decoder works in both builds')
})

// A consumer that touches all three entry points and some of their types. The `@ts-expect-error` lines fail the
// compile if a setting resolves an entry point to `any` instead of to our types.
const consumer = `
import { getOidcToken, isOidcError, type OidcOptions, type OidcToken } from 'libnpmoidc'
import { verifyIdToken, type IdTokenClaims, type VerifyIdTokenOptions } from 'libnpmoidc/registry'
import { createOidcIssuer, type Jwks, type OidcIssuer } from 'libnpmoidc/testing'

export async function consume (options: OidcOptions, verify: VerifyIdTokenOptions): Promise<string | null> {
  const issuer: OidcIssuer = await createOidcIssuer({ provider: 'github-actions' })
  const jwks: Jwks = issuer.jwks
  const claims: IdTokenClaims = await verifyIdToken(await issuer.mint({ audience: 'npm:127.0.0.1' }), verify)
  try {
    const oidc: OidcToken | null = await getOidcToken('pkg', 'https://registry.npmjs.org/', await issuer.jobEnv(), options)
    return oidc === null ? null : oidc.token
  } catch (err) {
    return isOidcError(err) ? err.code + String(jwks.keys.length) + claims.iss : null
  } finally {
    await issuer.close()
  }
}

// @ts-expect-error the test kit knows its providers
export const wrongProvider = () => createOidcIssuer({ provider: 'jenkins' })
// @ts-expect-error a registry needs options
export const noOptions = () => verifyIdToken('token')
// @ts-expect-error the package name comes first
export const noName = () => getOidcToken()
`

// Each consumer setting: how tsc is told to resolve modules, and the type of the consumer's package.json.
// Up to TypeScript 5, `module: commonjs` implies node10 resolution; TypeScript 6 needs it spelt out, and since it
// deprecates node10, ignoreDeprecations too.
const settings = {
  'node10 (module commonjs)': { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0', type: 'commonjs' },
  'node16 from CommonJS': { module: 'node16', moduleResolution: 'node16', type: 'commonjs' },
  'node16 from ESM': { module: 'node16', moduleResolution: 'node16', type: 'module' },
  'nodenext from CommonJS': { module: 'nodenext', moduleResolution: 'nodenext', type: 'commonjs' },
  'nodenext from ESM': { module: 'nodenext', moduleResolution: 'nodenext', type: 'module' },
  'bundler (module esnext)': { module: 'esnext', moduleResolution: 'bundler', type: 'module' },
}

t.test('the shipped types compile in every consumer setting, with skipLibCheck off', async (t) => {
  for (const [name, { type, ...compilerOptions }] of Object.entries(settings)) {
    await t.test(name, async (t) => {
      const consumerDir = join(project, name.replace(/\W+/g, '-'))
      await mkdir(consumerDir)
      await writeFile(join(consumerDir, 'package.json'), JSON.stringify({ type }))
      await writeFile(join(consumerDir, 'consumer.ts'), consumer)
      await writeFile(join(consumerDir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { ...compilerOptions, strict: true, skipLibCheck: false, noEmit: true, types: ['node'] },
        files: ['consumer.ts'],
      }))
      const compiled = await run(process.execPath, [tsc, '-p', consumerDir, '--listFiles'], { cwd: consumerDir })
      t.same(compiled.stdout.split('\n').filter((line) => /error TS\d+/.test(line)), [], 'no type errors')
      t.equal(compiled.code, 0, 'tsc succeeds', { stderr: compiled.stderr })
      const build = type === 'module' ? 'esm' : 'commonjs'
      for (const entry of ['index', 'registry/index', 'testing/index', 'testing/signing-key']) {
        const declaration = join(modules, 'libnpmoidc', 'dist', build, `${entry}.d.ts`)
        t.ok(compiled.stdout.split('\n').includes(declaration), `checked ${build}/${entry}.d.ts`)
      }
    })
  }
})

t.test('publint and arethetypeswrong find nothing', async (t) => {
  const publint = await run(process.execPath, [join(root, 'node_modules', 'publint', 'src', 'cli.js'), '--strict'], { cwd: root })
  t.equal(publint.code, 0, publint.stdout + publint.stderr)
  t.match(publint.stdout, /All good!/)
  const attw = await run(process.execPath, [join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js'), '--pack', '.', '--format', 'json'], { cwd: root })
  t.equal(attw.code, 0, 'attw succeeds', { stderr: attw.stderr })
  type Resolutions = Record<string, { resolution?: { fileName: string } }>
  const report = JSON.parse(attw.stdout) as {
    analysis: { problems: unknown[], entrypoints: Record<string, { resolutions: Resolutions }> }
  }
  t.same(report.analysis.problems, [], 'no type resolution problems under node10, node16 (CJS and ESM) or bundler')
  for (const entry of ['./registry', './testing']) {
    t.equal(report.analysis.entrypoints[entry]?.resolutions.node10?.resolution?.fileName,
      `/node_modules/libnpmoidc/dist/commonjs/${entry.slice(2)}/index.d.ts`, `node10 finds ${entry}'s CommonJS types`)
  }
})
