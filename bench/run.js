// npm run bench: side-by-side measurements in fresh processes against loopback servers; prints small tables.
// Bounded: a fixed number of runs per row; every server is closed at the end.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { startLatencyServer } from './latency-server.js'

const run = promisify(execFile)
const CHILD = fileURLToPath(new URL('./child.js', import.meta.url))
const LATENCY_MS = 20
const IMPORT_RUNS = 15
const ONE_RUNS = 5
const ONE_CALLS = 11
const MANY_RUNS = 3
const MANY_PACKAGES = 50
const OFFLINE_RUNS = 5
const OFFLINE_CALLS = 20_000

async function child (args, env = {}) {
  const { stdout } = await run(process.execPath, [CHILD, ...args], {
    env: { PATH: process.env.PATH, ...env },
    timeout: 120_000,
  })
  return JSON.parse(stdout)
}

function stats (samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length }
}

const f = (n, digits = 1) => n.toFixed(digits)
const range = (s, digits = 1) => `${f(s.min, digits)}–${f(s.max, digits)}`

function table (title, header, rows, note) {
  const cells = [header, ...rows].map((r) => r.map(String))
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i].length)))
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  console.log(`\n### ${title}\n`)
  console.log(line(cells[0]))
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`)
  for (const r of cells.slice(1)) console.log(line(r))
  if (note) console.log(`\n${note}`)
}

const verdict = (ok) => (ok ? 'met' : 'NOT met')

async function importCost () {
  const targets = [
    ['libnpmoidc (ESM build)', 'esm'],
    ['libnpmoidc (CJS build)', 'commonjs'],
    ["npm 11.19.1's lib/utils/oidc.js", 'npm-oidc'],
    ['libnpmpublish', 'libnpmpublish'],
    ['make-fetch-happen (ours loads it on the first request)', 'make-fetch-happen'],
    ['jose (ours loads it on the first ID token)', 'jose'],
  ]
  const samples = Object.fromEntries(targets.map(([, id]) => [id, []]))
  // Interleaved, so drift on the machine hits every row alike.
  for (let i = 0; i < IMPORT_RUNS; i++) for (const [, id] of targets) samples[id].push((await child(['import', id])).ms)
  const npm = stats(samples['npm-oidc']).median
  const rows = targets.map(([label, id]) => {
    const s = stats(samples[id])
    return [label, f(s.median), range(s), `${f(s.median / npm, 2)}×`]
  })
  const worst = Math.max(stats(samples.esm).median, stats(samples.commonjs).median) / npm
  table(`a. Import cost in a fresh process (${IMPORT_RUNS} runs each, ms of the import itself)`,
    ['module', 'median ms', 'min–max', 'vs npm oidc.js'], rows,
    `Target ours ≤ 0.5× npm's OIDC module: ${f(worst, 2)}× (slower of the two builds) — ${verdict(worst <= 0.5)}.`)
}

async function oneToken (server) {
  const impls = [['bare node:http, 2 requests (floor)', 'floor'], ['libnpmoidc getOidcToken', 'ours'], ['npm 11.19.1 oidc()', 'npm']]
  const cold = Object.fromEntries(impls.map(([, id]) => [id, []]))
  const warm = Object.fromEntries(impls.map(([, id]) => [id, []]))
  const requests = {}
  const firstToken = Object.fromEntries(impls.map(([, id]) => [id, []]))
  for (let i = 0; i < ONE_RUNS; i++) {
    for (const [, id] of impls) {
      const before = server.counts.token + server.counts.exchange
      const out = await child(['one', id, server.registry, String(ONE_CALLS)], server.githubEnv)
      if (out.ok !== ONE_CALLS) throw new Error(`${id}: ${out.ok}/${ONE_CALLS} calls got a token`)
      requests[id] = (server.counts.token + server.counts.exchange - before) / ONE_CALLS
      cold[id].push(out.times[0])
      firstToken[id].push(out.importMs + out.times[0])
      warm[id].push(...out.times.slice(1))
    }
  }
  const floor = stats(warm.floor).median
  const rows = impls.map(([label, id]) => {
    const c = stats(cold[id])
    const w = stats(warm[id])
    const t = stats(firstToken[id])
    return [label, `${f(w.median)} (${range(w)})`, `${f((w.median / floor - 1) * 100)} %`, `${f(c.median)} (${range(c)})`, `${f(t.median)} (${range(t)})`, requests[id]]
  })
  const ours = stats(warm.ours).median / floor - 1
  table(`b. One token, ${LATENCY_MS} ms added to every request (${ONE_RUNS} processes × ${ONE_CALLS} calls; cold = first call of a process)`,
    ['implementation', 'warm ms median (min–max)', 'warm over floor', 'cold 1st call ms', 'import + 1st call ms', 'requests/call'], rows,
    `Theoretical floor 2 × ${LATENCY_MS} ms = ${2 * LATENCY_MS} ms. Target overhead ≤ 10 % over the floor (warm): ${f(ours * 100)} % — ${verdict(ours <= 0.1)}.`)
}

async function fiftyPackages (server) {
  const impls = [
    ['libnpmoidc getOidcTokens (concurrency 4, shared ID token)', 'ours'],
    ['libnpmoidc getOidcTokens (concurrency 4, reuseIdToken: false)', 'ours-no-reuse'],
    ['libnpmoidc getOidcTokens (concurrency 1, shared ID token)', 'ours-serial'],
    ['npm 11.19.1 oidc() per package, one after another (--workspaces)', 'npm'],
  ]
  const wall = Object.fromEntries(impls.map(([, id]) => [id, []]))
  const seen = {}
  for (let i = 0; i < MANY_RUNS; i++) {
    for (const [, id] of impls) {
      const before = { ...server.counts }
      server.inFlight.max = 0
      const out = await child(['many', id, server.registry, String(MANY_PACKAGES)], server.githubEnv)
      if (out.ok !== MANY_PACKAGES) throw new Error(`${id}: ${out.ok}/${MANY_PACKAGES} packages got a token`)
      wall[id].push(out.ms)
      // The warm-up call (one ID token + one exchange) is not part of the batch.
      seen[id] = `${server.counts.token - before.token - 1} + ${server.counts.exchange - before.exchange - 1}, ≤ ${server.inFlight.max} at once`
    }
  }
  const npm = stats(wall.npm).median
  const rows = impls.map(([label, id]) => {
    const s = stats(wall[id])
    return [label, f(s.median, 0), range(s, 0), `${f(s.median / npm, 3)}×`, seen[id]]
  })
  const ratio = stats(wall.ours).median / npm
  table(`c. ${MANY_PACKAGES} packages, ${LATENCY_MS} ms per request (${MANY_RUNS} processes each; wall time of the batch)`,
    ['implementation', 'median ms', 'min–max', 'vs npm', 'ID-token + exchange requests'], rows,
    `Target ≤ 0.2× npm's sequential flow: ${f(ratio, 3)}× — ${verdict(ratio <= 0.2)}.`)
}

async function notInCi (server) {
  const samples = []
  const before = server.counts.token + server.counts.exchange + server.counts.other
  for (let i = 0; i < OFFLINE_RUNS; i++) {
    const out = await child(['offline', 'ours', server.registry, String(OFFLINE_CALLS)])
    if (out.nulls !== OFFLINE_CALLS) throw new Error(`offline: ${out.nulls}/${OFFLINE_CALLS} calls resolved null`)
    samples.push(out.usPerCall)
  }
  const requests = server.counts.token + server.counts.exchange + server.counts.other - before
  const s = stats(samples)
  table(`d. Not in CI: getOidcToken('pkg', <loopback registry>, {}) (${OFFLINE_RUNS} processes × ${OFFLINE_CALLS} calls)`,
    ['µs per call median', 'min–max', 'requests seen by the server'], [[f(s.median, 2), range(s, 2), requests]],
    `Every call resolved null; ${requests === 0 ? 'no request was made' : 'REQUESTS WERE MADE'}.`)
}

const server = await startLatencyServer(LATENCY_MS)
try {
  console.log(`libnpmoidc benchmarks — node ${process.version}, ${LATENCY_MS} ms latency per request on 127.0.0.1`)
  await importCost()
  await oneToken(server)
  await fiftyPackages(server)
  await notInCi(server)
} finally {
  await server.close()
}
