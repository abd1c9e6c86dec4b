// One measurement in a fresh process, driven by bench/run.js; prints one JSON line. Never prints a token.
//   bare                                         nothing: the cost of starting node (and this file)
//   import <esm|commonjs|npm-oidc>               import only
//   cold <esm|commonjs|npm|floor> <registry>     import + one token (env: a GitHub job)
//   one <ours|npm|floor> <registry> <calls>      time per getOidcToken / npm oidc() call (env: a GitHub job)
//   many <id> <registry> <count>                 wall time of a whole batch (id: see BATCHES)
//   offline <esm|commonjs> <registry> <calls>    getOidcToken with an empty env, and what it loaded
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'

const require = createRequire(import.meta.url)
const root = new URL('../', import.meta.url)
const NPM_OIDC = new URL('node_modules/npm/lib/utils/oidc.js', root).pathname
const [mode, what, registry, countArg] = process.argv.slice(2)
const count = Number(countArg)
const print = (value) => process.stdout.write(`${JSON.stringify(value)}\n`)
// Node's own modules loaded before the library is: the baseline of the offline check.
const loadedAtStart = new Set(process.moduleLoadList)

// getOidcTokens options per batch id; `npm` is npm's flow, one package after another.
const BATCHES = {
  default: {},
  'concurrency-4': { concurrency: 4 },
  'concurrency-8': { concurrency: 8 },
  'concurrency-16': { concurrency: 16 },
  'no-reuse': { reuseIdToken: false },
}

async function load (target) {
  if (target === 'esm' || target === 'ours') return import(new URL('dist/esm/index.js', root).href)
  if (target === 'commonjs') return require(new URL('dist/commonjs/index.js', root).pathname)
  if (target === 'npm-oidc' || target === 'npm') return require(NPM_OIDC)
  throw new Error(`unknown target ${target}`)
}

// npm calls oidc() with its flatOptions and its config object; only `set` and `isDefault` are used. `isDefault`
// false skips the provenance visibility lookup (an extra request ours does not make either).
function npmCall (oidc, packageName, reg) {
  const opts = { registry: reg }
  const config = { set () {}, isDefault: () => false }
  return oidc({ packageName, registry: reg, opts, config }).then(() => Boolean(opts[`//${new URL(reg).host}/:_authToken`]))
}

// The floor: the same two requests with bare node:http on a keep-alive connection, nothing else.
async function floorClient () {
  const http = await import('node:http')
  const agent = new http.Agent({ keepAlive: true })
  const send = (method, path) => new Promise((resolve, reject) => {
    http.request(new URL(path, registry), { method, agent }, (res) => { res.resume(); res.on('end', resolve) }).on('error', reject).end()
  })
  return {
    token: async () => {
      await send('GET', '/token?api-version=2.0&audience=npm%3A127.0.0.1')
      await send('POST', '/-/npm/v1/oidc/token/exchange/package/pkg')
      return true
    },
    close: () => agent.destroy(),
  }
}

async function oneToken (target, lib, name = 'pkg') {
  if (target === 'npm') return npmCall(lib.oidc, name, registry)
  return Boolean(await lib.getOidcToken(name, registry, process.env))
}

// Node's network and crypto modules loaded since this process started, and every npm package in require.cache.
function loadedSinceStart () {
  const network = process.moduleLoadList.filter((m) => !loadedAtStart.has(m))
    .map((m) => m.replace(/^NativeModule /, ''))
    .filter((m) => /^(net|tls|https?|http2|dns|dgram|crypto|_http_\w+|internal\/(crypto|http|tls)\b.*)$/.test(m))
  const packages = [...new Set(Object.keys(require.cache).flatMap((file) => {
    const match = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file.slice(file.lastIndexOf('node_modules') - 1))
    return match ? [match[1]] : []
  }))]
  return { network, packages }
}

if (mode === 'bare') {
  print({})
} else if (mode === 'import') {
  const start = performance.now()
  await load(what)
  print({ ms: performance.now() - start })
} else if (mode === 'cold') {
  const start = performance.now()
  const client = what === 'floor' ? await floorClient() : undefined
  const lib = client ? undefined : await load(what)
  const ok = client ? await client.token() : await oneToken(what === 'npm' ? 'npm' : 'ours', lib)
  client?.close()
  print({ ok, ms: performance.now() - start })
} else if (mode === 'one') {
  const loadStart = performance.now()
  const client = what === 'floor' ? await floorClient() : undefined
  const lib = client ? undefined : await load(what)
  const importMs = performance.now() - loadStart
  const times = []
  let ok = 0
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    if (client ? await client.token() : await oneToken(what, lib)) ok++
    times.push(performance.now() - start)
  }
  client?.close()
  print({ times, ok, importMs })
} else if (mode === 'many') {
  const names = Array.from({ length: count }, (_, i) => `pkg-${i}`)
  const lib = await load(what === 'npm' ? 'npm' : 'ours')
  // Load what the calls load lazily first, so the batch times the requests and the scheduling only.
  await oneToken(what === 'npm' ? 'npm' : 'ours', lib, 'warm-up')
  const start = performance.now()
  let ok = 0
  if (what === 'npm') {
    // npm publish --workspaces: one package after another, each with its own ID-token request and exchange.
    for (const name of names) if (await npmCall(lib.oidc, name, registry)) ok++
  } else {
    const results = await lib.getOidcTokens(names, registry, process.env, BATCHES[what])
    ok = results.filter((r) => r.token).length
  }
  print({ ms: performance.now() - start, ok })
} else if (mode === 'offline') {
  const lib = await load(what)
  await lib.getOidcToken('pkg', registry, {})
  let nulls = 0
  const start = performance.now()
  for (let i = 0; i < count; i++) if (await lib.getOidcToken('pkg', registry, {}) === null) nulls++
  print({ usPerCall: (performance.now() - start) * 1000 / count, nulls, ...loadedSinceStart() })
}
