// Fault injection over both token hops (GitHub's ID-token request, the registry exchange) and the upload
// (publishWithOidc's PUT, which goes through libnpmpublish → npm-registry-fetch → make-fetch-happen and
// therefore gets npm-registry-fetch's own retries: `opts.retry` when set, else `fetchRetries`…).
//
// The calls run in child processes (test/fixtures/fault-child.ts) while the faulty servers live here, in
// the parent: a child that left a socket or a ref'd timer behind would never exit, because a server that
// hangs keeps its end open. Each child must exit on its own with code 0 (no process.exit in the child).
// Timings are measured and printed as a table, never asserted.
import t from 'tap'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ServerResponse } from 'node:http'
import { startServer, json, text, hang, reset, type Reply, type ScriptedServer } from './fixtures/server.js'
import { githubClaims, makeIdToken } from './fixtures/id-token.js'
import type { FaultPlan, FaultReport } from './fixtures/fault-child.js'

/** What a scenario needs of a tap test: somewhere to register cleanup. */
type Teardown = { teardown: (fn: () => unknown) => void }

const CHILD = fileURLToPath(new URL('./fixtures/fault-child.ts', import.meta.url))
const EXCHANGE = '/-/npm/v1/oidc/token/exchange/package/'
const TIMEOUT = 250
const DEADLINE = 2500
const RETRIES = 2
const OPTS = { timeout: TIMEOUT, deadline: DEADLINE, retry: { retries: RETRIES, minTimeout: 1, maxTimeout: 5 } }
// Bounds of the misbehaving servers (bounded loops): they stop on their own even if nobody hangs up.
const DRIBBLE_TICKS = 20
const DRIBBLE_MS = 100
const HUGE_CHUNK = 64 * 1024
const HUGE_CHUNKS = 256 // 16 MiB

type Hop = 'github' | 'exchange' | 'upload'
const HOPS: readonly Hop[] = ['github', 'exchange', 'upload']

/** What a fault's server did beyond answering. */
interface FaultState { hungUpEarly?: boolean }

/** Headers, then a body that trickles in slower than the request timeout allows. */
function slowBody (): Reply {
  return (res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.write('{"value":"')
    let ticks = 0
    const timer = setInterval(() => {
      if (++ticks >= DRIBBLE_TICKS) {
        clearInterval(timer)
        res.end('"}')
      } else res.write(' ')
    }, DRIBBLE_MS)
    res.on('close', () => clearInterval(timer))
  }
}

/** A 2xx whose body goes on and on (up to 16 MiB); records whether the client hung up first. */
function hugeBody (state: FaultState): Reply {
  return (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    const chunk = Buffer.alloc(HUGE_CHUNK, 0x20)
    res.write('{"token":"x"')
    let sent = 0
    state.hungUpEarly = false
    res.on('close', () => { if (sent < HUGE_CHUNKS) state.hungUpEarly = true })
    const pump = (): void => {
      while (sent < HUGE_CHUNKS && !res.destroyed) {
        sent++
        if (!res.write(chunk)) {
          res.once('drain', pump)
          return
        }
      }
      if (!res.destroyed) res.end('}')
    }
    pump()
  }
}

const pendingMessage = "Can't issue ID_TOKEN for job in 'Pending' state"

interface Fault {
  readonly name: string
  readonly reply: (state: FaultState, redirectTo: string) => Reply
  /** Applied once, then the server behaves: the call should recover. */
  readonly once?: boolean
  /** The target URL points at a port nobody listens on. */
  readonly refused?: boolean
  /** Overrides of the options, for the deadline rows. */
  readonly opts?: Record<string, unknown>
  /** Hops where the redirect is followed (make-fetch-happen under libnpmpublish does that for the PUT). */
  readonly followed?: readonly Hop[]
  /** Expected outcome per hop; a missing hop is not run. `n` = requests at the faulty hop, `null` = not countable. */
  readonly expect: Partial<Record<Hop, readonly [outcome: string, n: number | null]>>
}

const T = RETRIES + 1
const FAULTS: readonly Fault[] = [
  { name: '500', reply: () => json(500, { message: 'internal server error' }), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', T], exchange: ['ERR_OIDC_EXCHANGE_FAILED', T], upload: ['E500', T] } },
  { name: '502 (HTML page)', reply: () => text(502, '<html><body><h1>502 Bad Gateway</h1></body></html>'), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', T], exchange: ['ERR_OIDC_EXCHANGE_FAILED', T], upload: ['E502', T] } },
  { name: '503', reply: () => json(503, { message: 'service unavailable' }), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', T], exchange: ['ERR_OIDC_EXCHANGE_FAILED', T], upload: ['E503', T] } },
  { name: '429, no Retry-After', reply: () => json(429, { message: 'rate limited exceeded' }), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', T], exchange: ['ERR_OIDC_EXCHANGE_FAILED', T], upload: ['E429', T] } },
  { name: '429, Retry-After: 3600', reply: () => json(429, { message: 'rate limited exceeded' }, { 'retry-after': '3600' }), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', 1], exchange: ['ERR_OIDC_EXCHANGE_FAILED', 1], upload: ['E429', T] } },
  { name: '408', reply: () => json(408, { message: 'request timeout' }), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', T], exchange: ['ERR_OIDC_EXCHANGE_FAILED', T], upload: ['E408', T] } },
  { name: 'connection reset', reply: () => reset, expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', T], exchange: ['ERR_OIDC_EXCHANGE_FAILED', T], upload: ['ECONNRESET', T] } },
  { name: 'connection refused', reply: () => hang, refused: true, expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', null], exchange: ['ERR_OIDC_EXCHANGE_FAILED', null], upload: ['ECONNREFUSED', null] } },
  { name: 'accepts, never answers', reply: () => hang, expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', T], exchange: ['ERR_OIDC_EXCHANGE_FAILED', T], upload: ['FETCH_ERROR', T] } },
  { name: 'never answers, deadline < timeout', reply: () => hang, opts: { timeout: 30_000, deadline: 400 }, expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', 1], exchange: ['ERR_OIDC_EXCHANGE_FAILED', 1] } },
  { name: 'slow body (dribbles past the timeout)', reply: () => slowBody(), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', T], exchange: ['ERR_OIDC_EXCHANGE_FAILED', T], upload: ['published', 1] } },
  { name: '2xx body not JSON', reply: () => text(200, 'token=abc'), expect: { github: ['ERR_OIDC_ID_TOKEN_MALFORMED', 1], exchange: ['ERR_OIDC_EXCHANGE_BAD_RESPONSE', 1], upload: ['published', 1] } },
  { name: 'HTML error page (403)', reply: () => text(403, '<!DOCTYPE html><html><body>Access denied by proxy</body></html>'), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', 1], exchange: ['ERR_OIDC_EXCHANGE_REJECTED', 1], upload: ['E403', 1] } },
  { name: '2xx without a token', reply: () => json(200, { ok: true }), expect: { github: ['ERR_OIDC_ID_TOKEN_MALFORMED', 1], exchange: ['ERR_OIDC_EXCHANGE_BAD_RESPONSE', 1], upload: ['published', 1] } },
  { name: '2xx huge body (16 MiB stream)', reply: (state) => hugeBody(state), expect: { github: ['ERR_OIDC_ID_TOKEN_MALFORMED', 1], exchange: ['ERR_OIDC_EXCHANGE_BAD_RESPONSE', 1], upload: ['published', 1] } },
  { name: "403 'Pending' state", reply: () => json(403, { message: pendingMessage }), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', T], exchange: ['ERR_OIDC_EXCHANGE_REJECTED', 1], upload: ['E403', 1] } },
  { name: '400', reply: () => json(400, { message: 'bad request' }), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', 1], exchange: ['ERR_OIDC_EXCHANGE_REJECTED', 1], upload: ['E400', 1] } },
  { name: '401', reply: () => json(401, { message: 'unauthorized' }), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', 1], exchange: ['ERR_OIDC_UNAUTHORIZED', 1], upload: ['E401', 1] } },
  { name: '404', reply: () => json(404, { message: 'not found' }), expect: { github: ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED', 1], exchange: ['ERR_OIDC_NO_TRUSTED_PUBLISHER', 1], upload: ['ERR_OIDC_PUBLISH_MASKED_404', 1] } },
  // The PUT would follow a 307 (same hostname, other port: Authorization kept) were it not refused around
  // libnpmpublish.
  { name: '307 to a second server', reply: (_, to) => json(307, {}, { location: to }), expect: { github: ['ERR_OIDC_REDIRECT_REFUSED', 1], exchange: ['ERR_OIDC_REDIRECT_REFUSED', 1], upload: ['ERR_OIDC_REDIRECT_REFUSED', 1] } },
  // Once, then the server behaves: transient faults end in a token (or an upload) after one retry.
  ...([
    ['500', () => json(500, { message: 'internal server error' })],
    ['502 (HTML page)', () => text(502, '<html>Bad Gateway</html>')],
    ['503', () => json(503, {})],
    ['429, no Retry-After', () => json(429, {})],
    ['429, Retry-After: 1', () => json(429, {}, { 'retry-after': '1' })],
    ['408', () => json(408, {})],
    ['connection reset', () => reset],
    ['accepts, never answers', () => hang],
    ['slow body (dribbles past the timeout)', () => slowBody()],
  ] as const).map(([name, reply]): Fault => ({
    name: `${name}, once`,
    reply,
    once: true,
    // libnpmpublish hands back the PUT's response unread, so a slow body never fails the upload.
    expect: { github: ['token', 2], exchange: ['token', 2], upload: ['published', name.startsWith('slow') ? 1 : 2] },
  })),
  { name: "403 'Pending' state, once", reply: () => json(403, { message: pendingMessage }), once: true, expect: { github: ['token', 2] } },
]

interface Scenario {
  readonly id: string
  readonly fault: Fault
  readonly hop: Hop
  readonly plan: FaultPlan
  readonly faulty: () => number | null
  readonly secrets: string[]
  readonly state: FaultState
  readonly elsewhere: ScriptedServer
}

// A port that was just closed, on a loopback address no test server listens on: a server of another test file
// taking the same port on 127.0.0.1 meanwhile cannot answer there.
async function closedOrigin (): Promise<string> {
  const server = await startServer()
  await server.close()
  return server.origin.replace('127.0.0.1', '127.0.0.254')
}

/** Routes by path: the ID-token endpoint, the exchange, the upload; `fault` replaces one of them. */
async function scenario (t: Teardown, fault: Fault, hop: Hop, index: number): Promise<Scenario> {
  const state: FaultState = {}
  const secrets: string[] = []
  const requestToken = `ghreq-${Math.random().toString(36).slice(2)}-${index}`
  secrets.push(requestToken)
  const servers = await Promise.all([startServer(), startServer(), startServer()])
  for (const s of servers) t.teardown(() => s.close())
  const [gh, registry, elsewhere] = servers as [ScriptedServer, ScriptedServer, ScriptedServer]
  elsewhere.fallback = json(201, { token: 'npm_elsewhere', value: 'x.y.z', ok: true })
  let faultsLeft = fault.once ? 1 : Infinity
  const faultReply = fault.reply(state, `${elsewhere.origin}/elsewhere`)
  const faultOr = (good: Reply): Reply => (res, req) => {
    if (faultsLeft > 0) {
      faultsLeft--
      return faultReply(res, req)
    }
    return good(res, req)
  }
  const idToken: Reply = (res, req) => {
    const audience = new URL(req.path, gh.origin).searchParams.get('audience')
    const token = makeIdToken(githubClaims({ aud: audience }))
    secrets.push(token)
    json(200, { value: token })(res, req)
  }
  const exchange: Reply = (res, req) => {
    const token = `npm_${Math.random().toString(36).slice(2)}`
    secrets.push(token)
    const headers: Record<string, string> = fault.refused && hop === 'upload' ? { connection: 'close' } : {}
    json(201, { token_type: 'oidc', token }, headers)(res, req)
    // Refused upload: the registry goes away right after the exchange, so the PUT finds nobody listening.
    if (fault.refused && hop === 'upload') res.on('finish', () => { registry.close() })
  }
  const upload: Reply = json(201, { ok: true })
  gh.fallback = hop === 'github' ? faultOr(idToken) : idToken
  registry.fallback = (res, req) => {
    if (req.path.includes(EXCHANGE)) return (hop === 'exchange' ? faultOr(exchange) : exchange)(res, req)
    if (req.method === 'PUT') return (hop === 'upload' ? faultOr(upload) : upload)(res, req)
    return json(404, { error: 'not found' })(res, req)
  }
  const refused = fault.refused ? await closedOrigin() : undefined
  const ghOrigin = hop === 'github' && refused ? refused : gh.origin
  const registryUrl = `${hop === 'exchange' && refused ? refused : registry.origin}/`
  const faulty = (): number | null => {
    if (fault.refused) return null
    if (hop === 'github') return gh.requests.length
    if (hop === 'exchange') return registry.requests.filter((r) => r.method === 'POST').length
    return registry.requests.filter((r) => r.method === 'PUT').length
  }
  const id = `${index}`
  return {
    id,
    fault,
    hop,
    state,
    secrets,
    elsewhere,
    faulty,
    plan: {
      id,
      call: hop === 'upload' ? 'publish' : 'token',
      pkg: '@acme/widgets',
      registry: registryUrl,
      env: { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: `${ghOrigin}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken },
      opts: { ...OPTS, ...fault.opts },
    },
  }
}

interface ChildRun {
  code: number | null
  signal: string | null
  killed: boolean
  reports: FaultReport[]
  done?: { troubles: string[], resources: string[] }
  stderr: string
}

/** Runs plans in a child; kills it (and fails) only if it has not exited on its own by `watchdogMs`. */
function runChild (plans: FaultPlan[], watchdogMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, CHILD], {
      env: { ...process.env, FAULT_PLANS: JSON.stringify(plans) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let killed = false
    const watchdog = setTimeout(() => { killed = true; child.kill('SIGKILL') }, watchdogMs)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(watchdog)
      const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as FaultReport | { done: true, troubles: string[], resources: string[] })
      resolve({
        code,
        signal,
        killed,
        stderr,
        reports: lines.filter((l): l is FaultReport => 'outcome' in l),
        done: lines.find((l): l is { done: true, troubles: string[], resources: string[] } => 'done' in l),
      })
    })
  })
}

t.test('fault matrix: both token hops and the upload', async (t) => {
  const scenarios: Scenario[] = []
  for (const hop of HOPS) {
    for (const fault of FAULTS) {
      if (fault.expect[hop]) scenarios.push(await scenario(t, fault, hop, scenarios.length))
    }
  }
  // One child per hop, side by side; each runs its scenarios one after another.
  const runs = await Promise.all(HOPS.map((hop) =>
    runChild(scenarios.filter((s) => s.hop === hop).map((s) => s.plan), 60_000)))
  const rows: string[][] = []
  for (const [i, hop] of HOPS.entries()) {
    const run = runs[i] as ChildRun
    t.equal(run.killed, false, `${hop}: the child exited on its own (no socket or timer left open)`)
    t.equal(run.code, 0, `${hop}: the child exited with code 0`)
    t.same(run.done?.troubles, [], `${hop}: no unhandled rejection, no warning`)
    if (run.killed || run.code !== 0) t.comment(`${hop} child: ${run.stderr.slice(0, 2000)} resources ${JSON.stringify(run.done?.resources)}`)
  }
  const reports = new Map(runs.flatMap((r) => r.reports).map((r) => [r.id, r]))
  for (const s of scenarios) {
    const report = reports.get(s.id)
    const [outcome, n] = s.fault.expect[s.hop] as readonly [string, number | null]
    const label = `${s.fault.name} @ ${s.hop}`
    t.equal(report?.outcome, outcome, `${label}: outcome`)
    t.equal(s.faulty(), n, `${label}: requests at the faulty hop`)
    const followed = s.fault.followed?.includes(s.hop) === true
    t.equal(s.elsewhere.requests.length, followed ? 1 : 0, `${label}: ${followed ? 'the redirect was followed once' : 'nothing reached a redirect target'}`)
    t.ok(s.secrets.every((secret) => !report?.text.includes(secret)), `${label}: no token in the result or error`)
    if (s.fault.opts?.deadline !== undefined) {
      const limit = Number(/no answer within (\d+) ms/.exec(report?.text ?? '')?.[1])
      t.ok(limit <= (s.fault.opts.deadline as number), `${label}: the per-request limit was cut to the deadline`)
    }
    if (s.state.hungUpEarly !== undefined && s.hop !== 'upload') t.equal(s.state.hungUpEarly, true, `${label}: the client hung up instead of swallowing the body`)
    const carried = s.elsewhere.requests[0]?.headers.authorization !== undefined
    const note = s.state.hungUpEarly !== undefined
      ? (s.state.hungUpEarly ? 'client hung up' : 'whole body sent')
      : followed ? `followed to the target, Authorization ${carried ? 'carried' : 'dropped'}` : ''
    rows.push([s.fault.name, s.hop, report?.outcome ?? '?', String(s.faulty() ?? '-'), `${Math.round(report?.ms ?? NaN)}`, note])
  }
  const widths = [0, 1, 2, 3, 4, 5].map((c) => Math.max(...[['fault', 'hop', 'outcome', 'requests', 'ms', 'note'], ...rows].map((r) => (r[c] as string).length)))
  const fmt = (r: string[]): string => r.map((cell, c) => cell.padEnd(widths[c] as number)).join(' | ')
  t.comment(`options: ${JSON.stringify(OPTS)}\n${fmt(['fault', 'hop', 'outcome', 'requests', 'ms', 'note'])}\n${rows.map(fmt).join('\n')}`)
})
