// One measurement in a fresh process, driven by bench/run.js; prints one JSON line. Never prints a token.
//   import <esm|commonjs|npm-oidc|libnpmpublish|nothing>
//   one <ours|npm> <registry> <calls>            time per getOidcToken / npm oidc() call (env: a GitHub job)
//   many <ours|ours-serial|ours-no-reuse|npm> <registry> <count>   wall time of a whole batch
//   offline ours <registry> <calls>              getOidcToken with an empty env
import { createRequire } from 'node:module'
import { performance } from 'node:perf_hooks'

const require = createRequire(import.meta.url)
const root = new URL('../', import.meta.url)
const NPM_OIDC = new URL('node_modules/npm/lib/utils/oidc.js', root).pathname
const [mode, what, registry, countArg] = process.argv.slice(2)
const count = Number(countArg)
const print = (value) => process.stdout.write(`${JSON.stringify(value)}\n`)

async function importTarget (target) {
  if (target === 'esm') return import(new URL('dist/esm/index.js', root).href)
  if (target === 'commonjs') return require(new URL('dist/commonjs/index.js', root).pathname)
  if (target === 'npm-oidc') return require(NPM_OIDC)
  if (target === 'libnpmpublish') return import('libnpmpublish')
  if (target === 'make-fetch-happen') return import('make-fetch-happen')
  if (target === 'jose') return import('jose')
  return undefined
}

// npm calls oidc() with its flatOptions and its config object; only `set` and `isDefault` are used. `isDefault`
// false skips the provenance visibility lookup (an extra request ours does not make either).
function npmCall (oidc, packageName, reg) {
  const opts = { registry: reg }
  const config = { set () {}, isDefault: () => false }
  return oidc({ packageName, registry: reg, opts, config }).then(() => Boolean(opts[`//${new URL(reg).host}/:_authToken`]))
}

if (mode === 'import') {
  const start = performance.now()
  await importTarget(what)
  print({ ms: performance.now() - start })
} else if (mode === 'one' && what === 'floor') {
  // The floor: the same two requests with bare node:http on a keep-alive connection, nothing else.
  const http = await import('node:http')
  const agent = new http.Agent({ keepAlive: true })
  const send = (method, path) => new Promise((resolve, reject) => {
    http.request(new URL(path, registry), { method, agent }, (res) => { res.resume(); res.on('end', resolve) }).on('error', reject).end()
  })
  const times = []
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    await send('GET', '/token?api-version=2.0&audience=npm%3A127.0.0.1')
    await send('POST', '/-/npm/v1/oidc/token/exchange/package/pkg')
    times.push(performance.now() - start)
  }
  agent.destroy()
  print({ times, ok: count, importMs: 0 })
} else if (mode === 'one') {
  const loadStart = performance.now()
  const lib = what === 'npm' ? require(NPM_OIDC) : await import(new URL('dist/esm/index.js', root).href)
  const importMs = performance.now() - loadStart
  const times = []
  let ok = 0
  for (let i = 0; i < count; i++) {
    const start = performance.now()
    const got = what === 'npm' ? await npmCall(lib.oidc, 'pkg', registry) : Boolean(await lib.getOidcToken('pkg', registry, process.env))
    times.push(performance.now() - start)
    if (got) ok++
  }
  print({ times, ok, importMs })
} else if (mode === 'many') {
  const names = Array.from({ length: count }, (_, i) => `pkg-${i}`)
  const lib = what === 'npm' ? require(NPM_OIDC) : await import(new URL('dist/esm/client/get-oidc-tokens.js', root).href)
  // Load what the calls load lazily first, so the batch times the requests and the scheduling only.
  if (what !== 'npm') await (await import(new URL('dist/esm/index.js', root).href)).getOidcToken('warm-up', registry, process.env)
  else await npmCall(lib.oidc, 'warm-up', registry)
  const start = performance.now()
  let ok = 0
  if (what === 'npm') {
    // npm publish --workspaces: one package after another, each with its own ID-token request and exchange.
    for (const name of names) if (await npmCall(lib.oidc, name, registry)) ok++
  } else {
    const opts = what === 'ours-serial' ? { concurrency: 1 } : what === 'ours-no-reuse' ? { reuseIdToken: false } : {}
    const results = await lib.getOidcTokens(names, registry, process.env, opts)
    ok = results.filter((r) => r.token).length
  }
  print({ ms: performance.now() - start, ok })
} else if (mode === 'offline') {
  const lib = await import(new URL('dist/esm/index.js', root).href)
  await lib.getOidcToken('pkg', registry, {})
  let nulls = 0
  const start = performance.now()
  for (let i = 0; i < count; i++) if (await lib.getOidcToken('pkg', registry, {}) === null) nulls++
  print({ usPerCall: (performance.now() - start) * 1000 / count, nulls })
}
