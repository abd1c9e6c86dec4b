// npm run build: each entry point as one bundle per format (esbuild), declarations from tsc. Next to the bundles,
// lib/errors.ts ships as its own module that every bundle of the format imports, so `OidcError` is one class across
// 'libnpmoidc', 'libnpmoidc/registry' and 'libnpmoidc/testing'. Not esbuild's ESM code splitting: it cut the
// shared code into some twenty chunks that importing 'libnpmoidc' loaded one by one, which took longer than the
// whole bundle does (and CommonJS cannot split). Code behind an import() stays in the bundle but runs only when
// the import() does. The exports of 'libnpmoidc' that a token never needs (publish, diagnose, trust, verify: half
// of its code) are thin functions in index.js that load their implementation from index-lazy.js on the first call,
// so that importing the package neither parses nor runs them.
import { build } from 'esbuild'
import { execFile } from 'node:child_process'
import { chmod, cp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const lib = join(root, 'lib')
const dist = join(root, 'dist')
const ERRORS = join(lib, 'errors.ts')

// Output name (without .js) → source, relative to lib/.
const ENTRIES = {
  index: 'index.ts',
  'registry/index': 'registry/index.ts',
  'testing/index': 'testing/index.ts',
  'cli/bin': 'cli/bin.ts',
}

// Dependencies copied into the bundles instead of required at run time: small, stateless, on the path of an
// import or a first token, where each package costs a resolution and a file read. Every other dependency stays
// external (the caller's copy, loaded when a call needs it).
const INLINED = ['proc-log', 'validate-npm-package-name', '@npmcli/redact']
// And jose's two decoders, the only part of jose a token needs: inlined, they are no ES module graph to resolve
// and load from node_modules on the first token (from a CommonJS caller, no ES module loader to start either).
const INLINED_PATHS = ['jose/jwt/decode', 'jose/decode/protected_header']

// The modules lib/index.ts imports these async functions from → the functions, each a thin async function in
// index.js that calls its implementation in index-lazy.js. A name missing here fails the build (index.ts would
// import a name the thin module does not export); only async functions belong here, as a thin function returns a
// promise.
const LAZY = {
  'publish/publish-with-oidc.ts': ['publishWithOidc'],
  'publish/publish-all-with-oidc.ts': ['publishAllWithOidc'],
  'publish/dist-tag-with-oidc.ts': ['distTagWithOidc'],
  'diagnose/diagnose.ts': ['diagnose'],
  'diagnose/preflight.ts': ['preflight'],
  'trust/list-trusted-publishers.ts': ['listTrustedPublishers'],
  'trust/add-trusted-publisher.ts': ['addTrustedPublisher'],
  'trust/revoke-trusted-publisher.ts': ['revokeTrustedPublisher'],
  'trust/plan-trust-request.ts': ['planTrustRequest'],
  'verify/verify-published.ts': ['verifyPublished'],
}
const LAZY_BUNDLE = 'index-lazy'

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.17',
  sourcemap: 'linked',
  // lib/ ships, so maps name its files rather than embed them.
  sourcesContent: false,
  logLevel: 'warning',
  metafile: true,
  plugins: [externalDependencies()],
}

const isBare = (path) => !path.startsWith('.') && !path.startsWith('/') && !path.startsWith('node:')
const packageOf = (path) => path.split('/').slice(0, path.startsWith('@') ? 2 : 1).join('/')

/** Every npm package is external but those in INLINED and the entry points in INLINED_PATHS. */
function externalDependencies () {
  return {
    name: 'external-dependencies',
    setup (b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (!isBare(args.path) || INLINED.includes(packageOf(args.path)) || INLINED_PATHS.includes(args.path)) {
          return undefined
        }
        return { path: args.path, external: true }
      })
    },
  }
}

/** lib/errors.ts is imported from `<format>/errors.js` (at `specifier`), never copied into a bundle. */
function sharedErrors (specifier) {
  return {
    name: 'shared-errors',
    setup (b) {
      b.onResolve({ filter: /errors\.js$/ }, (args) => {
        if (resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')) !== ERRORS) return undefined
        return { path: specifier, external: true }
      })
    },
  }
}

/** In the index bundle, lib/index.ts gets each module of LAZY as thin functions that import index-lazy.js. */
function lazyExports () {
  return {
    name: 'lazy-exports',
    setup (b) {
      b.onResolve({ filter: /\.js$/ }, (args) => {
        if (args.importer !== join(lib, 'index.ts')) return undefined
        const source = relative(lib, resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')))
        return LAZY[source] ? { path: source, namespace: 'lazy-exports' } : undefined
      })
      b.onResolve({ filter: new RegExp(`^\\./${LAZY_BUNDLE}\\.js$`) }, (args) => ({ path: args.path, external: true }))
      b.onLoad({ filter: /.*/, namespace: 'lazy-exports' }, (args) => ({
        contents: LAZY[args.path].map((name) =>
          `export async function ${name} (...args) { return (await import('./${LAZY_BUNDLE}.js')).${name}(...args) }`)
          .join('\n'),
        loader: 'js',
        resolveDir: lib,
      }))
    },
  }
}

/** index-lazy.js: the implementations behind the thin functions. */
function lazyEntry () {
  return {
    name: 'lazy-entry',
    setup (b) {
      b.onResolve({ filter: new RegExp(`^${LAZY_BUNDLE}$`) }, ({ path }) => ({ path, namespace: 'lazy-exports' }))
      b.onLoad({ filter: /.*/, namespace: 'lazy-exports' }, () => ({
        contents: Object.entries(LAZY)
          .map(([source, names]) => `export { ${names.join(', ')} } from './${source.replace(/\.ts$/, '.js')}'`)
          .join('\n'),
        loader: 'js',
        resolveDir: lib,
      }))
    },
  }
}

// The .cts modules (and inlined CommonJS dependencies) call require(), which an ES module has to make: on the first
// call, so that node:module does not load with the bundle.
const ESM_REQUIRE =
  'const require = (id) => process.getBuiltinModule("node:module").createRequire(import.meta.url)(id);'

/**
 * In an ES bundle, a Node builtin is taken from process.getBuiltinModule rather than imported: an import builds
 * the builtin's ES module facade, reading every export (node:util's then loads its parseArgs and MIME modules).
 */
function builtinsWithoutFacades () {
  return {
    name: 'builtins-without-facades',
    setup (b) {
      b.onResolve({ filter: /^node:/ }, (args) => args.kind === 'import-statement'
        ? { path: args.path, namespace: 'builtin' }
        : undefined)
      b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => ({
        contents: `module.exports = process.getBuiltinModule(${JSON.stringify(args.path)})`,
        loader: 'js',
      }))
    },
  }
}

async function bundles (format) {
  const out = join(dist, format)
  const options = format === 'esm'
    ? { format, banner: { js: ESM_REQUIRE }, plugins: [builtinsWithoutFacades(), ...common.plugins] }
    : { format: 'cjs' }
  const results = await Promise.all([
    build({ ...common, ...options, entryPoints: [ERRORS], outfile: join(out, 'errors.js') }),
    ...Object.entries(ENTRIES).map(([name, src]) => {
      const outfile = join(out, `${name}.js`)
      const errors = relative(dirname(outfile), join(out, 'errors.js'))
      return build({
        ...common,
        ...options,
        entryPoints: [join(lib, src)],
        outfile,
        plugins: [
          sharedErrors(errors.startsWith('.') ? errors : `./${errors}`),
          ...(name === 'index' ? [lazyExports()] : []),
          ...(options.plugins ?? common.plugins),
        ],
      })
    }),
    build({
      ...common,
      ...options,
      entryPoints: [LAZY_BUNDLE],
      outfile: join(out, `${LAZY_BUNDLE}.js`),
      plugins: [sharedErrors('./errors.js'), lazyEntry(), ...(options.plugins ?? common.plugins)],
    }),
  ])
  if (format === 'esm') for (const { metafile } of results) eagerImportsOnlyBuiltins(metafile)
}

// An ES module hoists every static import, also those of code that runs only after an import(): a dependency
// imported statically anywhere in lib/ would load with the entry point. Dependencies stay behind import().
function eagerImportsOnlyBuiltins (metafile) {
  for (const [file, { imports }] of Object.entries(metafile.outputs)) {
    const eager = imports.filter((i) => i.external && i.kind === 'import-statement' && !i.path.startsWith('node:') &&
      !/^(\.\.?\/)+errors\.js$/.test(i.path))
    if (eager.length > 0) throw new Error(`${file} imports ${eager.map((i) => i.path).join(', ')} eagerly`)
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

function decodeVlq (segment) {
  const values = []
  let value = 0
  let shift = 0
  for (const char of segment) {
    const digit = BASE64.indexOf(char)
    value += (digit & 31) << shift
    shift += 5
    if (digit & 32) continue
    values.push(value & 1 ? -(value >>> 1) : value >>> 1)
    value = 0
    shift = 0
  }
  return values
}

function encodeVlq (values) {
  return values.map((v) => {
    let rest = v < 0 ? (-v << 1) | 1 : v << 1
    let out = ''
    do {
      const digit = rest & 31
      rest >>>= 5
      out += BASE64[rest ? digit | 32 : digit]
    } while (rest)
    return out
  }).join('')
}

// A source in lib/ ships; inlined dependencies (node_modules/…) and the generated thin functions and lazy entry
// do not.
const ships = (source) => /^(\.\.\/)+lib\//.test(source) && !source.split('/').includes('node_modules')

/**
 * Drops the sources that do not ship from a source map: their code is left unmapped and the map names lib/ files
 * only.
 */
function withoutUnshippedSources (map) {
  const keep = map.sources.map(ships)
  const newIndex = []
  keep.reduce((next, kept, i) => { newIndex[i] = kept ? next : -1; return kept ? next + 1 : next }, 0)
  // Absolute [column, source, line, sourceColumn, name] state, re-encoded relative to the last kept segment.
  const from = [0, 0, 0, 0]
  const to = [0, 0, 0, 0]
  const lines = map.mappings.split(';').map((line) => {
    from[0] = 0
    to[0] = 0
    const out = []
    for (const segment of line.split(',').filter(Boolean)) {
      const v = decodeVlq(segment)
      from[0] += v[0]
      if (v.length === 1) continue
      from[1] += v[1]
      from[2] += v[2]
      from[3] += v[3]
      if (v.length === 5) from[4] = (from[4] ?? 0) + v[4]
      if (newIndex[from[1]] === -1) continue
      const abs = [from[0], newIndex[from[1]], from[2], from[3], ...(v.length === 5 ? [from[4]] : [])]
      out.push(encodeVlq(abs.map((n, i) => n - (to[i] ?? 0))))
      abs.forEach((n, i) => { to[i] = n })
    }
    return out.join(',')
  })
  return {
    ...map,
    sources: map.sources.filter((_, i) => keep[i]),
    ...(map.sourcesContent && { sourcesContent: map.sourcesContent.filter((_, i) => keep[i]) }),
    mappings: lines.join(';'),
  }
}

async function stripUnshippedSources (dir) {
  const maps = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.js.map'))
  await Promise.all(maps.map(async (file) => {
    const map = JSON.parse(await readFile(join(dir, file), 'utf8'))
    if (!map.sources.every(ships)) {
      await writeFile(join(dir, file), JSON.stringify(withoutUnshippedSources(map)))
    }
  }))
}

// Declarations only, once; both formats get the same .d.ts files (dist/commonjs/package.json makes them CommonJS).
async function declarations () {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  await promisify(execFile)(process.execPath, [tsc, '-p', join(root, 'tsconfig.json'), '--emitDeclarationOnly',
    '--outDir', join(dist, 'esm')], { cwd: root })
  await cp(join(dist, 'esm'), join(dist, 'commonjs'), {
    recursive: true,
    filter: (src) => !src.endsWith('.js') && !src.endsWith('.js.map'),
  })
}

await rm(dist, { recursive: true, force: true })
await Promise.all([bundles('esm'), bundles('commonjs'), declarations()])
await writeFile(join(dist, 'commonjs', 'package.json'), '{"type":"commonjs"}\n')
await Promise.all([stripUnshippedSources(join(dist, 'esm')), stripUnshippedSources(join(dist, 'commonjs'))])
for (const format of ['esm', 'commonjs']) await chmod(join(dist, format, 'cli', 'bin.js'), 0o755)
