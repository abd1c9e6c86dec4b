// One audit across many scenarios: everything a user, a log collector or a test could observe — proc-log
// output at every level, results and errors (message, stack, the whole cause chain, util.inspect with hidden
// fields, JSON.stringify), the snapshot text, the snapshot files, and the CLI's output — must not contain an ID
// token, GitHub's request token, an exchanged token or a configured static token. Some servers here are
// hostile on purpose: they echo the request's Authorization header back in their body.
//
// Adding a scenario is one row in SCENARIOS (in-process) or CLI_RUNS (`npm-oidc …` in a child process).
import t from 'tap'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inspect } from 'node:util'
import type { ServerResponse } from 'node:http'
import { getOidcToken, publishWithOidc } from '../lib/index.js'
import { verifyIdToken } from '../lib/registry/verify-id-token.js'
import { runCli } from './fixtures/cli.js'
import { startServer, json, type Reply, type ScriptedServer, type SeenRequest } from './fixtures/server.js'
import { githubClaims, makeIdToken } from './fixtures/id-token.js'

/** What a scenario needs of a tap test: somewhere to register cleanup. */
type Teardown = { teardown: (fn: () => unknown) => void }

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)))
const EXCHANGE = '/-/npm/v1/oidc/token/exchange/package/'
const FAST = { timeout: 2000, retry: { retries: 0 } }

/** Every secret handed out in this run. */
const secrets = new Set<string>()
function secret<T extends string> (value: T): T {
  secrets.add(value)
  // A JWT without its signature is not a credential, but its signature alone is the secret part.
  const parts = value.split('.')
  if (parts.length === 3 && (parts[2] as string).length >= 16) secrets.add(parts[2] as string)
  return value
}
const randomToken = (prefix: string): string => secret(`${prefix}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`)

/** What an echoing server sends back: the Authorization header it received, in several places. */
const echo = (status: number, headers: Record<string, string> = {}): Reply => (res, req) => {
  const auth = String(req.headers.authorization ?? '')
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ message: `rejected ${auth}`, error: auth, auth }))
}

/** A job: GitHub's endpoint on `/token` (fresh ID token each time), a registry on everything else. */
async function job (
  t: Teardown,
  route: (req: SeenRequest) => Reply | undefined = () => undefined
): Promise<{ server: ScriptedServer, registry: string, env: Record<string, string>, authKey: string }> {
  const server = await startServer()
  t.teardown(() => server.close())
  server.fallback = (res, req) => {
    const custom = route(req)
    if (custom) return custom(res, req)
    if (req.path.startsWith('/token')) {
      const audience = new URL(req.path, server.origin).searchParams.get('audience')
      return json(200, { value: secret(makeIdToken(githubClaims({ aud: audience }))) })(res, req)
    }
    if (req.path.includes(EXCHANGE)) return json(201, { token_type: 'oidc', token: randomToken('npm_'), expires: new Date(Date.now() + 3_600_000).toISOString() })(res, req)
    if (req.method === 'PUT') return json(201, { ok: true })(res, req)
    return json(404, { error: 'not found' })(res, req)
  }
  return {
    server,
    registry: `${server.origin}/`,
    env: { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: `${server.origin}/token?api-version=2.0`, ACTIONS_ID_TOKEN_REQUEST_TOKEN: randomToken('ghreq-') },
    authKey: `//${new URL(server.origin).host}/:_authToken`,
  }
}

const pkg = { manifest: { name: '@acme/widgets', version: '1.0.0' }, tarball: Buffer.from('tarball') }
const isExchange = (req: SeenRequest): boolean => req.path.includes(EXCHANGE)
const isPut = (req: SeenRequest): boolean => req.method === 'PUT'
const preMinted = (claims: Record<string, unknown>, expiresIn = 300): string => secret(makeIdToken(claims, expiresIn))

type Scenario = readonly [name: string, run: (t: Teardown) => Promise<unknown>]

const SCENARIOS: readonly Scenario[] = [
  ['getOidcToken: success', async (t) => { const j = await job(t); return getOidcToken('@acme/widgets', j.registry, j.env, FAST) }],
  ['publishWithOidc: success', async (t) => { const j = await job(t); return publishWithOidc(pkg.manifest, pkg.tarball, { registry: j.registry, env: j.env, provenance: false, [j.authKey]: randomToken('static_'), ...FAST }) }],
  ['publishWithOidc: fallback to a static token after a 404 exchange', async (t) => {
    const j = await job(t, (req) => isExchange(req) ? echo(404) : undefined)
    return publishWithOidc(pkg.manifest, pkg.tarball, { registry: j.registry, env: j.env, provenance: false, [j.authKey]: randomToken('static_'), ...FAST })
  }],
  ['ERR_OIDC_NO_PROVIDER', async (t) => { const j = await job(t); return publishWithOidc(pkg.manifest, pkg.tarball, { registry: j.registry, env: {}, oidc: 'required', [j.authKey]: randomToken('static_') }) }],
  ['ERR_OIDC_NO_PERMISSION', async (t) => { const j = await job(t); return getOidcToken('pkg', j.registry, { GITHUB_ACTIONS: 'true', ACTIONS_ID_TOKEN_REQUEST_URL: j.env.ACTIONS_ID_TOKEN_REQUEST_URL as string }) }],
  ['ERR_OIDC_NO_ID_TOKEN', async (t) => { const j = await job(t); return getOidcToken('pkg', j.registry, { GITLAB_CI: 'true' }) }],
  ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED (GitHub echoes the request token)', async (t) => { const j = await job(t, (req) => req.path.startsWith('/token') ? echo(400) : undefined); return getOidcToken('pkg', j.registry, j.env, FAST) }],
  ['ERR_OIDC_ID_TOKEN_REQUEST_FAILED (GitHub 500 echo, retried)', async (t) => { const j = await job(t, (req) => req.path.startsWith('/token') ? echo(500) : undefined); return getOidcToken('pkg', j.registry, j.env, { ...FAST, retry: { retries: 1, minTimeout: 1 } }) }],
  ['ERR_OIDC_ID_TOKEN_MALFORMED (NPM_ID_TOKEN)', async (t) => { const j = await job(t); return getOidcToken('pkg', j.registry, { GITLAB_CI: 'true', NPM_ID_TOKEN: randomToken('not-a-jwt-') }) }],
  ['ERR_OIDC_ID_TOKEN_MALFORMED (GitHub value)', async (t) => { const j = await job(t, (req) => req.path.startsWith('/token') ? json(200, { value: randomToken('garbage-') }) : undefined); return getOidcToken('pkg', j.registry, j.env, FAST) }],
  ['ERR_OIDC_AUDIENCE_MISMATCH', async (t) => { const j = await job(t); return getOidcToken('pkg', j.registry, { GITLAB_CI: 'true', NPM_ID_TOKEN: preMinted({ aud: 'npm:registry.npmjs.org' }) }) }],
  ['ERR_OIDC_ID_TOKEN_EXPIRED', async (t) => { const j = await job(t); return getOidcToken('pkg', j.registry, { GITLAB_CI: 'true', NPM_ID_TOKEN: preMinted({ aud: 'npm:127.0.0.1' }, -60) }) }],
  ['ERR_OIDC_SSH_RERUN', async (t) => { const j = await job(t); return getOidcToken('pkg', j.registry, { CIRCLECI: 'true', NPM_ID_TOKEN: preMinted({ aud: 'npm:127.0.0.1', 'oidc.circleci.com/ssh-rerun': true }) }) }],
  ['ERR_OIDC_INSECURE_REGISTRY', async () => getOidcToken('pkg', 'http://registry.example.com/', { GITLAB_CI: 'true', NPM_ID_TOKEN: preMinted({ aud: 'npm:registry.example.com' }) })],
  ['ERR_OIDC_REDIRECT_REFUSED', async (t) => { const j = await job(t, (req) => isExchange(req) ? echo(307, { location: 'http://127.0.0.1:1/x' }) : undefined); return getOidcToken('pkg', j.registry, j.env, FAST) }],
  ['ERR_OIDC_NO_TRUSTED_PUBLISHER (echo)', async (t) => { const j = await job(t, (req) => isExchange(req) ? echo(404) : undefined); return getOidcToken('pkg', j.registry, j.env, FAST) }],
  ['ERR_OIDC_UNAUTHORIZED (echo)', async (t) => { const j = await job(t, (req) => isExchange(req) ? echo(401) : undefined); return getOidcToken('pkg', j.registry, j.env, FAST) }],
  ['ERR_OIDC_EXCHANGE_REJECTED (echo)', async (t) => { const j = await job(t, (req) => isExchange(req) ? echo(400) : undefined); return getOidcToken('pkg', j.registry, j.env, FAST) }],
  ['ERR_OIDC_EXCHANGE_FAILED (echo)', async (t) => { const j = await job(t, (req) => isExchange(req) ? echo(503) : undefined); return getOidcToken('pkg', j.registry, j.env, FAST) }],
  ['ERR_OIDC_EXCHANGE_BAD_RESPONSE (token behind a BOM, no content-type)', async (t) => {
    const j = await job(t, (req) => isExchange(req) ? (res: ServerResponse) => { res.writeHead(200).end(`\uFEFF{"token":"${randomToken('npm_')}"}`) } : undefined)
    return getOidcToken('pkg', j.registry, j.env, FAST)
  }],
  ['ERR_OIDC_EXCHANGE_BAD_RESPONSE (token as text)', async (t) => {
    const j = await job(t, (req) => isExchange(req) ? (res: ServerResponse) => { res.writeHead(201, { 'content-type': 'text/plain' }).end(`token=${randomToken('npm_')}`) } : undefined)
    return getOidcToken('pkg', j.registry, j.env, FAST)
  }],
  ...([
    ['ERR_OIDC_PUBLISH_FORBIDDEN', 403, 'OIDC permission denied for this action'],
    ['ERR_OIDC_PUBLISH_MASKED_404', 404, 'Not found'],
    ['ERR_OIDC_PUBLISH_TOKEN_INVALID', 400, 'OIDC publish authorize: Invalid token'],
    ['ERR_OIDC_PROVENANCE_REJECTED', 422, 'Error verifying sigstore provenance bundle'],
    ['publish error passed through (E409)', 409, 'cannot publish over the previously published versions'],
    ['publish error passed through (E500)', 500, 'internal error'],
  ] as const).map(([name, status, message]): Scenario => [name, async (t) => {
    const j = await job(t, (req) => isPut(req) ? json(status, { error: message }) : undefined)
    return publishWithOidc(pkg.manifest, pkg.tarball, { registry: j.registry, env: j.env, provenance: false, [j.authKey]: randomToken('static_'), ...FAST })
  }]),
  ...([404, 409] as const).map((status): Scenario => [`upload ${status} that echoes the exchanged token`, async (t) => {
    const j = await job(t, (req) => isPut(req) ? echo(status, { 'x-echo': String(req.headers.authorization) }) : undefined)
    return publishWithOidc(pkg.manifest, pkg.tarball, { registry: j.registry, env: j.env, provenance: false, ...FAST })
  }]),
  ['ERR_OIDC_PROVENANCE_UNAVAILABLE', async (t) => { const j = await job(t); return publishWithOidc(pkg.manifest, pkg.tarball, { registry: j.registry, env: { CIRCLECI: 'true', NPM_ID_TOKEN: preMinted({ aud: 'npm:127.0.0.1' }) }, provenance: true, ...FAST }) }],
  ['ERR_OIDC_VERIFY_* (registry side)', async () => {
    const token = preMinted({ aud: 'npm:r.example', iss: 'https://issuer.example' })
    const results = await Promise.allSettled([
      verifyIdToken(token, { audience: 'npm:r.example', issuers: ['https://other.example'] }),
      verifyIdToken(token, { audience: 'npm:r.example', issuers: ['https://issuer.example'], jwks: { keys: [] } }),
      verifyIdToken(`${token}x`, { audience: 'npm:r.example', issuers: ['https://issuer.example'], jwks: { keys: [] } }),
      verifyIdToken('a.b', { audience: 'npm:r.example', issuers: ['https://issuer.example'] }),
    ])
    throw new AggregateError(results.map((r) => r.status === 'rejected' ? r.reason : new Error('verified')), 'verifier rejections')
  }],
]

/** `npm-oidc` runs: args, and whether stdout may carry the exchanged token (only `token` prints it). */
const CLI_RUNS: ReadonlyArray<readonly [args: readonly string[], stdoutMayHoldToken: boolean]> = [
  [['doctor', '--json'], false],
  [['doctor'], false],
  [['token'], true],
]

/** Every way a value can be looked at. */
function observe (value: unknown): string {
  const parts: string[] = [inspect(value, { showHidden: true, depth: 12 })]
  try {
    parts.push(JSON.stringify(value) ?? '')
  } catch (err) {
    parts.push(String(err))
  }
  const seen = new Set<unknown>()
  const walk = (err: unknown, depth: number): void => {
    if (!(err instanceof Error) || seen.has(err) || depth > 12) return
    seen.add(err)
    parts.push(
      err.message,
      String(err.stack),
      inspect(err, { showHidden: true, depth: 12 }),
      JSON.stringify(Object.fromEntries(Object.entries(err)))
    )
    walk(err.cause, depth + 1)
    if (err instanceof AggregateError) for (const e of err.errors) walk(e, depth + 1)
    const oidcError = (err as { oidcError?: unknown }).oidcError
    walk(oidcError, depth + 1)
  }
  walk(value, 0)
  const auth = (value as { oidc?: { auth?: { oidcError?: unknown } } } | null)?.oidc?.auth?.oidcError
  walk(auth, 0)
  return parts.join('\n')
}

/** Names the secrets found in `text` without printing them. */
function leaks (text: string): number {
  let found = 0
  for (const s of secrets) if (text.includes(s)) found++
  return found
}

// Shapes of a credential, for files written in earlier runs (whose secrets this run cannot know).
const CREDENTIAL_SHAPES = [/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{16,}/, /Bearer [\w.-]{8,}/, /npm_[a-z0-9]{16,}/, /ghreq-[a-z0-9]{8,}/, /static_[a-z0-9]{8,}/]

t.test('no token reaches logs, results, errors, snapshots or CLI output', async (t) => {
  const logs: string[] = []
  const listener = (...args: unknown[]): void => { logs.push(args.map((a) => typeof a === 'string' ? a : inspect(a, { showHidden: true, depth: 8 })).join(' ')) }
  process.on('log', listener)
  t.teardown(() => { process.off('log', listener) })

  const summary: string[] = []
  for (const [name, run] of SCENARIOS) {
    const settled = await run(t).then((value) => ({ ok: true, value }), (value: unknown) => ({ ok: false, value }))
    const text = observe(settled.value)
    t.equal(leaks(text), 0, `${name}: no secret in the result or error`)
    const codeOf = (e: unknown): string => String((e as { code?: unknown } | null)?.code ?? (e as Error | null)?.name)
    const fallback = (settled.value as { oidc?: { auth?: { oidcError?: unknown } } } | null)?.oidc?.auth?.oidcError
    const code = settled.ok
      ? `ok${fallback ? ` (fell back after ${codeOf(fallback)})` : ''}`
      : settled.value instanceof AggregateError ? settled.value.errors.map(codeOf).join(', ') : codeOf(settled.value)
    const named = /^(ERR_OIDC_[A-Z_]+[A-Z])\b/.exec(name)?.[1]
    if (named && !named.includes('VERIFY')) t.equal(code, named, `${name}: the scenario drives its code`)
    summary.push(`${name} → ${code}`)
  }
  t.ok(secrets.size > 20, 'secrets were handed out in every shape')
  t.ok(logs.length > 0, 'proc-log lines were captured')
  t.ok(logs.some((line) => line.startsWith('warn oidc ')), 'the fallback warn line is among them')
  t.equal(leaks(logs.join('\n')), 0, 'no secret in any proc-log line, at any level')

  // The snapshot: which scenario ended how. It is checked for secrets before tap writes it.
  const snapshot = summary.join('\n')
  t.equal(leaks(snapshot), 0, 'no secret in the snapshot text')
  t.matchSnapshot(snapshot, 'outcome of every leak-audit scenario')

  // The CLI, in child processes, against a job whose static token is configured in the user .npmrc.
  const j = await job(t)
  const dir = await mkdtemp(join(tmpdir(), 'leak-audit-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: '@acme/widgets', version: '1.0.0' }))
  await writeFile(join(dir, '.npmrc'), `registry=${j.registry}\n${j.authKey}=${randomToken('static_')}\n`)
  const cliEnv = { ...j.env, HOME: dir, npm_config_userconfig: join(dir, '.npmrc'), GITHUB_STEP_SUMMARY: '', NPM_ID_TOKEN: '' }
  const runs = await Promise.all(CLI_RUNS.map(([args]) => runCli(args, { cwd: dir, env: cliEnv })))
  for (const [i, [args, mayHold]] of CLI_RUNS.entries()) {
    const run = runs[i] as { code: number | null, stdout: string, stderr: string }
    const name = `npm-oidc ${args.join(' ')}`
    t.equal(run.code, 0, `${name}: exit code 0`)
    if (mayHold) {
      const printed = run.stdout.trim()
      t.ok(secrets.has(printed) && printed.startsWith('npm_'), `${name}: stdout carries the exchanged token, and only it`)
      // The runner reads ::add-mask:: from stderr too; that line names the token so that the log hides it.
      t.ok(run.stderr.startsWith(`::add-mask::${printed}\n`), `${name}: the mask goes to stderr`)
      t.equal(leaks(run.stderr.slice(`::add-mask::${printed}\n`.length)), 0, `${name}: no secret on stderr`)
    } else {
      t.equal(leaks(run.stderr), 0, `${name}: no secret on stderr`)
      t.equal(leaks(run.stdout), 0, `${name}: no secret on stdout`)
    }
  }
  const seenByServer = j.server.requests.filter(isExchange).length
  t.ok(seenByServer >= CLI_RUNS.length, 'every CLI run performed a real exchange')

  // Snapshot files of every test (earlier runs included): no secret of this run, no credential shape at all.
  const dirOf = join(ROOT, 'tap-snapshots', 'test')
  const files = (await readdir(dirOf, { recursive: true })).filter((f) => f.endsWith('.cjs'))
  t.ok(files.length > 0, 'snapshot files were read')
  for (const file of files) {
    const text = await readFile(join(dirOf, file), 'utf8')
    t.equal(leaks(text), 0, `${file}: no secret of this run`)
    t.notOk(CREDENTIAL_SHAPES.some((shape) => shape.test(text)), `${file}: nothing shaped like a credential`)
  }
})
