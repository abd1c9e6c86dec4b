import t from 'tap'
import { publishWithOidc, isOidcError } from '../../lib/index.js'
import { json, startServer } from '../fixtures/server.js'
import { exchanged, fast } from '../fixtures/job.js'
import { pkg, line, publishJob } from '../fixtures/publish-job.js'
import { captureLogs } from '../fixtures/logs.js'

const authKey = (registry: string) => `//${new URL(registry).host}/:_authToken`

t.test('OIDC success: exchange, then upload with the exchanged token only', async (t) => {
  const job = await publishJob(t)
  const { manifest, tarball } = pkg()
  const opts = { registry: job.registry, env: job.env, [authKey(job.registry)]: 'static_secret', ...fast }
  const before = JSON.stringify(opts)
  const res = await publishWithOidc(manifest, tarball, opts)
  t.same(job.server.requests.map(line), [
    `GET /token [${job.requestToken}]`,
    `POST /-/npm/v1/oidc/token/exchange/package/@acme%2fwidgets [${job.issued[0]}]`,
    'GET /-/package/@acme%2fwidgets/visibility [npm_exchanged]',
    'PUT /@acme%2fwidgets [npm_exchanged]',
  ])
  t.equal(res.status, 201)
  t.match(res.oidc, {
    package: '@acme/widgets',
    version: '1.0.0',
    registry: job.registry,
    stage: false,
    dryRun: false,
    auth: { method: 'oidc', provider: 'github-actions', claims: { repository: 'acme/widgets' } },
    provenance: { enabled: false, source: 'auto', reason: 'the registry\'s visibility check failed (status 404)' },
  })
  t.equal(JSON.stringify(opts), before, 'the caller\'s options are not mutated')
  const body = JSON.parse(job.server.requests[3]?.body ?? '{}') as { 'dist-tags': Record<string, string>, versions: Record<string, unknown> }
  t.same(body['dist-tags'], { latest: '1.0.0' })
  t.notMatch(JSON.stringify(res.oidc), 'npm_exchanged')
})

t.test('a manifest with workspace: or catalog: ranges is refused before any request', async (t) => {
  const job = await publishJob(t)
  const { manifest, tarball } = pkg()
  const refused = { ...manifest, dependencies: { a: 'workspace:*' }, peerDependencies: { b: 'catalog:' }, devDependencies: { c: 'workspace:^' } }
  await t.rejects(publishWithOidc(refused, tarball, { registry: job.registry, env: job.env, ...fast }), {
    code: 'ERR_OIDC_WORKSPACE_PROTOCOL',
    facts: 'dependencies a@workspace:*, peerDependencies b@catalog:',
    hint: /pnpm pack/,
  })
  t.equal(job.server.requests.length, 0, 'no ID token request, no exchange, no upload')
})

t.test('modes when no provider applies', async (t) => {
  const server = await startServer(json(201, { ok: true }))
  t.teardown(() => server.close())
  const registry = `${server.origin}/`
  const { manifest, tarball } = pkg('widgets')
  const withToken = await publishWithOidc(manifest, tarball, { registry, env: {}, [authKey(registry)]: 'static_secret' })
  t.match(withToken.oidc, { auth: { method: 'token' }, provenance: { enabled: false, reason: 'OIDC was not used' } })
  const anonymous = await publishWithOidc(manifest, tarball, { registry, env: {}, oidc: 'auto' })
  t.match(anonymous.oidc, { auth: { method: 'none' } })
  const off = await publishWithOidc(manifest, tarball, { registry, env: {}, oidc: 'off', [authKey(registry)]: 'static_secret' })
  t.match(off.oidc, { auth: { method: 'token' } })
  t.same(server.requests.map(line), ['PUT /widgets [static_secret]', 'PUT /widgets', 'PUT /widgets [static_secret]'])
  await t.rejects(publishWithOidc(manifest, tarball, { registry, env: {}, oidc: 'required', [authKey(registry)]: 'static_secret' }), {
    code: 'ERR_OIDC_NO_PROVIDER', message: /looked for GITHUB_ACTIONS, GITLAB_CI, CIRCLECI and NPM_ID_TOKEN/,
  })
  t.equal(server.requests.length, 3, 'required: nothing uploaded')
})

t.test('off never attempts OIDC, even in CI', async (t) => {
  const job = await publishJob(t)
  const { manifest, tarball } = pkg()
  const res = await publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, oidc: 'off', [authKey(job.registry)]: 'static_secret' })
  t.same(job.server.requests.map(line), ['PUT /@acme%2fwidgets [static_secret]'])
  t.match(res.oidc.auth, { method: 'token' })
})

t.test('a provider that fails: fallback, or a typed error, by mode', async (t) => {
  const notFound = json(404, { message: 'OIDC token exchange error - package not found' })
  const { manifest, tarball } = pkg()
  const cases = [
    { mode: 'auto', creds: true, expect: 'fallback' },
    { mode: 'auto', creds: false, expect: 'throw' },
    { mode: 'required', creds: true, expect: 'throw' },
    { mode: 'required', creds: false, expect: 'throw' },
  ] as const
  for (const c of cases) {
    const job = await publishJob(t, notFound)
    const logs = captureLogs(t)
    const opts = { registry: job.registry, env: job.env, oidc: c.mode, ...(c.creds ? { [authKey(job.registry)]: 'static_secret' } : {}) }
    const name = `${c.mode}, ${c.creds ? 'with' : 'without'} a configured token`
    if (c.expect === 'fallback') {
      const res = await publishWithOidc(manifest, tarball, opts)
      t.same(job.server.requests.map(line).slice(2), ['PUT /@acme%2fwidgets [static_secret]'], `${name}: publishes with the configured token`)
      t.ok(res.oidc.auth.method === 'token' && isOidcError(res.oidc.auth.oidcError, 'ERR_OIDC_NO_TRUSTED_PUBLISHER'), `${name}: the outcome carries the error`)
      const warnings = logs.filter(([level]) => level === 'warn')
      t.equal(warnings.length, 1)
      t.match(warnings[0]?.[2], /^ERR_OIDC_NO_TRUSTED_PUBLISHER: GitHub Actions: the registry has no trusted publisher .* Publishing with the token configured for http:\/\/127\.0\.0\.1:\d+\/ instead\.$/)
    } else {
      await t.rejects(publishWithOidc(manifest, tarball, opts), { code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER' }, name)
      t.notOk(job.server.requests.some((r) => r.method === 'PUT'), `${name}: nothing uploaded`)
    }
    t.notMatch(JSON.stringify(logs), job.issued[0] as string)
  }
})

t.test('placeholders left by setup-node are not credentials', async (t) => {
  const job = await publishJob(t, json(404, { message: 'not found' }))
  const { manifest, tarball } = pkg()
  // eslint-disable-next-line no-template-curly-in-string -- setup-node's literal, unexpanded placeholder
  for (const placeholder of ['XXXXX-XXXXX-XXXXX-XXXXX', '${NODE_AUTH_TOKEN}', '', 'undefined']) {
    await t.rejects(publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, [authKey(job.registry)]: placeholder }), { code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER' }, JSON.stringify(placeholder))
  }
  t.notOk(job.server.requests.some((r) => r.method === 'PUT'))
})

t.test('the registry is picked as npm picks it', async (t) => {
  const job = await publishJob(t)
  const other = await startServer(json(201, {}))
  t.teardown(() => other.close())
  const { manifest, tarball } = pkg()
  await publishWithOidc(manifest, tarball, { registry: `${other.origin}/`, '@acme:registry': job.registry, env: job.env, provenance: false })
  t.same(job.server.requests.map(line).slice(1), [
    `POST /-/npm/v1/oidc/token/exchange/package/@acme%2fwidgets [${job.issued[0]}]`,
    'PUT /@acme%2fwidgets [npm_exchanged]',
  ], 'the scope registry')
  const viaPublishConfig = pkg('widgets', '1.0.0', { publishConfig: { registry: `${job.server.origin}/mirror`, tag: 'next' } })
  const res = await publishWithOidc(viaPublishConfig.manifest, viaPublishConfig.tarball, { registry: `${other.origin}/`, env: job.env, provenance: false })
  t.equal(res.oidc.registry, `${job.server.origin}/mirror/`)
  t.same(job.server.requests.map(line).slice(4), [
    `POST /mirror/-/npm/v1/oidc/token/exchange/package/widgets [${job.issued[1]}]`,
    'PUT /mirror/widgets [npm_exchanged]',
  ], 'publishConfig.registry, path kept')
  const scoped = pkg('@acme/scoped', '1.0.0', { publishConfig: { '@acme:registry': job.registry } })
  await publishWithOidc(scoped.manifest, scoped.tarball, { registry: `${other.origin}/`, env: job.env, provenance: false })
  t.equal(other.requests.length, 0, 'nothing reached the default registry')
})

t.test('two packages in one process: the first token never travels with the second', async (t) => {
  let exchanges = 0
  const job = await publishJob(t, (res, req) => {
    exchanges++
    return exchanges === 1 ? exchanged('npm_token_for_a')(res, req) : json(404, { message: 'package not found' })(res, req)
  })
  const opts = { registry: job.registry, env: job.env, provenance: false, [authKey(job.registry)]: 'static_secret' }
  const a = pkg('@acme/a')
  const b = pkg('@acme/b')
  await publishWithOidc(a.manifest, a.tarball, opts)
  const res = await publishWithOidc(b.manifest, b.tarball, opts)
  const puts = job.server.requests.filter((r) => r.method === 'PUT').map(line)
  t.same(puts, ['PUT /@acme%2fa [npm_token_for_a]', 'PUT /@acme%2fb [static_secret]'])
  t.match(res.oidc.auth, { method: 'token', oidcError: { code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER' } })
  const strict = await publishJob(t, json(404, { message: 'package not found' }))
  await t.rejects(publishWithOidc(b.manifest, b.tarball, { registry: strict.registry, env: strict.env, [authKey(strict.registry)]: undefined, npm_token_for_a: 'x' }), { code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER' })
  t.notOk(strict.server.requests.some((r) => r.method === 'PUT'))
})

t.test('stage and dry run', async (t) => {
  const job = await publishJob(t)
  const { manifest, tarball } = pkg()
  const staged = await publishWithOidc(manifest, tarball, {
    registry: job.registry,
    env: job.env,
    stage: true,
    provenance: false,
  })
  t.equal(staged.stageId, 'stage-1')
  t.equal(staged.oidc.stage, true)
  t.same(job.server.requests.map(line).slice(-1), ['POST /-/stage/package/@acme%2fwidgets [npm_exchanged]'])
  const before = job.server.requests.length
  const dry = await publishWithOidc(manifest, tarball, {
    registry: job.registry,
    env: job.env,
    dryRun: true,
    provenance: false,
  })
  t.equal(dry.status, 204)
  t.equal(dry.oidc.dryRun, true)
  t.same(job.server.requests.slice(before).map((r) => r.method), ['GET', 'POST'], 'the exchange runs; nothing uploads')
})

t.test('the registry\'s answers to the upload, after a good exchange', async (t) => {
  const cases = [
    { name: '403 stage only', status: 403, body: { error: 'OIDC permission denied for this action' }, code: 'ERR_OIDC_PUBLISH_FORBIDDEN', hint: /stage: true/ },
    { name: '403 on the stage route', status: 403, body: { message: 'OIDC permission denied for this action' }, code: 'ERR_OIDC_PUBLISH_FORBIDDEN', hint: /createStagedPackage/, stage: true },
    { name: '404 masked', status: 404, body: { error: 'Not found' }, code: 'ERR_OIDC_PUBLISH_MASKED_404', hint: /hides authorisation failures/ },
    { name: '422 provenance', status: 422, body: { error: 'Error verifying sigstore provenance bundle: Unsupported GitHub Actions runner environment: "self-hosted"' }, code: 'ERR_OIDC_PROVENANCE_REJECTED', hint: /GitHub-hosted runner/ },
    { name: '400 invalid token', status: 400, body: { error: 'OIDC publish authorize: Invalid token' }, code: 'ERR_OIDC_PUBLISH_TOKEN_INVALID', hint: /exchange again/ },
  ]
  const { manifest, tarball } = pkg()
  for (const c of cases) {
    const job = await publishJob(t)
    const fallback = job.server.fallback
    job.server.fallback = (res, req) => (req.method === 'PUT' || req.path.startsWith('/-/stage/')) ? json(c.status, c.body)(res, req) : fallback(res, req)
    const options = { registry: job.registry, env: job.env, provenance: false, stage: c.stage === true }
    const err = await publishWithOidc(manifest, tarball, options).catch((e: unknown) => e)
    t.match(err, {
      code: c.code,
      status: c.status,
      hint: c.hint,
      registryMessage: Object.values(c.body)[0],
      cause: { statusCode: c.status },
    }, c.name)
  }
  const job = await publishJob(t)
  const fallback = job.server.fallback
  job.server.fallback = (res, req) => req.method === 'PUT' ? json(409, { error: 'this package is already present' })(res, req) : fallback(res, req)
  await t.rejects(publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, provenance: false }), { code: 'E409', statusCode: 409 }, 'others pass through unchanged')
  const plain = await startServer(json(404, {}))
  t.teardown(() => plain.close())
  await t.rejects(publishWithOidc(manifest, tarball, { registry: `${plain.origin}/`, env: {} }), { code: 'E404' }, 'without OIDC nothing is mapped')
})

t.test('programmer errors', async (t) => {
  const { manifest, tarball } = pkg()
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['manifest', () => publishWithOidc(null as never, tarball, {}), /`manifest` to be an object/],
    ['manifest.name', () => publishWithOidc({ version: '1.0.0' }, tarball, {}), /`manifest\.name`/],
    ['manifest.version', () => publishWithOidc({ name: 'x' }, tarball, {}), /`manifest\.version`/],
    ['tarball', () => publishWithOidc(manifest, 'x' as never, {}), /`tarball` to be a Buffer/],
    ['opts', () => publishWithOidc(manifest, tarball, null as never), /`opts` to be an object/],
    ['oidc', () => publishWithOidc(manifest, tarball, { oidc: 'yes' as never }), /`opts\.oidc` to be 'auto', 'required' or 'off', got "yes"/],
    ['provenance', () => publishWithOidc(manifest, tarball, { provenance: 'true' as never }), /`opts\.provenance`/],
    ['provenanceFile', () => publishWithOidc(manifest, tarball, { provenanceFile: 1 as never }), /`opts\.provenanceFile`/],
    ['both', () => publishWithOidc(manifest, tarball, { provenance: true, provenanceFile: 'x.sigstore' }), /only one of/],
    ['env', () => publishWithOidc(manifest, tarball, { env: 'x' as never }), /`opts\.env`/],
    ['registry', () => publishWithOidc(manifest, tarball, { registry: 'nope', env: {} }), /`registry` to be an absolute/],
  ]
  for (const [name, call, message] of cases) await t.rejects(call(), { name: 'TypeError', message }, name)
})

t.test('defaults: process.env and empty options', async (t) => {
  const saved = { ...process.env }
  t.teardown(() => { process.env = saved })
  for (const key of ['GITHUB_ACTIONS', 'GITLAB_CI', 'CIRCLECI', 'NPM_ID_TOKEN']) delete process.env[key]
  const server = await startServer(json(201, {}))
  t.teardown(() => server.close())
  const { manifest, tarball } = pkg('widgets')
  const res = await publishWithOidc({ ...manifest, publishConfig: { registry: `${server.origin}/` } }, tarball)
  t.match(res.oidc, { auth: { method: 'none' } })
})

t.test('the visibility answer decides auto provenance', async (t) => {
  const { manifest, tarball } = pkg()
  const cases: Array<[string, import('../fixtures/server.js').Reply, RegExp]> = [
    ['not public', json(200, { public: false }), /the registry says the package is not public/],
    ['no answer', (res) => { res.socket?.destroy() }, /the registry's visibility check failed$/],
  ]
  for (const [name, reply, reason] of cases) {
    const job = await publishJob(t)
    const fallback = job.server.fallback
    job.server.fallback = (res, req) => req.path.endsWith('/visibility') ? reply(res, req) : fallback(res, req)
    const res = await publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, fetchRetries: 0 })
    t.match(res.oidc.provenance, { enabled: false, source: 'auto', reason }, name)
  }
})

t.test('the outcome keeps the token\'s expiry', async (t) => {
  const expires = new Date(Date.now() + 3_600_000).toISOString()
  const job = await publishJob(t, exchanged('npm_exp', expires))
  const { manifest, tarball } = pkg()
  const res = await publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, provenance: false })
  t.equal(res.oidc.auth.method === 'oidc' && res.oidc.auth.expires?.toISOString(), expires)
})

t.test('forceRegistry wins over publishConfig and the scope registry, as npm\'s --registry flag does', async (t) => {
  const job = await publishJob(t)
  const other = await startServer(json(201, {}))
  t.teardown(() => other.close())
  const { manifest, tarball } = pkg('@acme/widgets', '1.0.0', { publishConfig: { registry: `${other.origin}/`, '@acme:registry': `${other.origin}/` } })
  const res = await publishWithOidc(manifest, tarball, { '@acme:registry': `${other.origin}/`, forceRegistry: job.registry, env: job.env, provenance: false })
  t.equal(res.oidc.registry, job.registry)
  t.same(job.server.requests.map(line).slice(1), [
    `POST /-/npm/v1/oidc/token/exchange/package/@acme%2fwidgets [${job.issued[0]}]`,
    'PUT /@acme%2fwidgets [npm_exchanged]',
  ])
  t.equal(other.requests.length, 0)
  const unscoped = pkg('widgets', '1.0.0', { publishConfig: { registry: `${other.origin}/` } })
  const forced = await publishWithOidc(unscoped.manifest, unscoped.tarball, {
    forceRegistry: job.registry,
    env: job.env,
    provenance: false,
  })
  t.equal(forced.oidc.registry, job.registry)
  t.equal(other.requests.length, 0)
  await t.rejects(publishWithOidc(manifest, tarball, { forceRegistry: 1 as never }), new TypeError('Expected `opts.forceRegistry` to be a URL.'))
})

t.test('provenance with opts.env describing another job than process.env: refused before anything is signed', async (t) => {
  const job = await publishJob(t)
  const { manifest, tarball } = pkg()
  const err = await publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, provenance: true, access: 'public' })
    .then(() => undefined, (e: unknown) => e)
  t.ok(isOidcError(err, 'ERR_OIDC_PROVENANCE_ENV_MISMATCH'), 'provenance: true')
  t.match((err as { facts: string }).facts, /GITHUB_ACTIONS: "true" in opts\.env, (unset|"true") in process\.env/)
  t.notMatch(JSON.stringify(err) + String((err as Error).message), job.requestToken)
  t.same(job.server.requests, [], 'no ID token requested, nothing exchanged, nothing uploaded')

  const res = await publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, provenance: false })
  t.equal(res.status, 201, 'provenance off: the same opts.env publishes')
  t.notOk(JSON.parse(job.server.requests.at(-1)?.body ?? '{}')._attachments['@acme/widgets-1.0.0.sigstore'], 'no bundle')
})
