import t from 'tap'
import { publishAllWithOidc, isOidcError, type ProgressEvent } from '../../lib/index.js'
import { exchanged, fast } from '../fixtures/job.js'
import { json, type Reply, type SeenRequest } from '../fixtures/server.js'
import { pkg, publishJob } from '../fixtures/publish-job.js'

const EXCHANGE = '/-/npm/v1/oidc/token/exchange/package/'
const authKey = (registry: string) => `//${new URL(registry).host}/:_authToken`
const salt = Math.random().toString(36).slice(2)
/** The throwaway token the scripted registry mints for a package. */
const tokenFor = (escaped: string) => `tok-${escaped}-${salt}`
const escapedOf = (req: SeenRequest) => req.path.slice(req.path.indexOf(EXCHANGE) + EXCHANGE.length)
/** An exchange that mints each package its own token, refusing the packages in `refuse` with a 404. */
const perPackage = (...refuse: string[]): Reply => (res, req) => refuse.includes(decodeURIComponent(escapedOf(req)))
  ? json(404, { message: 'no trusted publisher' })(res, req)
  : exchanged(tokenFor(escapedOf(req)))(res, req)
const exchangesOf = (requests: SeenRequest[]) => requests.filter((r) => r.path.includes(EXCHANGE)).map(escapedOf)
const putsOf = (requests: SeenRequest[]) => requests.filter((r) => r.method === 'PUT')
  .map((r) => `${r.path} [${r.headers.authorization?.replace(/^Bearer /, '')}]`)
const release = () => [pkg('@acme/core', '1.0.0'), pkg('@acme/cli', '1.1.0'), pkg('acme-plain', '2.0.0')]

t.test('one exchange per package, then each upload in order with its own token', async (t) => {
  const job = await publishJob(t, perPackage())
  const events: string[] = []
  const onProgress = (done: number, total: number, name: string, e: ProgressEvent) => {
    events.push(`${e.phase} ${done}/${total} ${name}@${e.version} ${e.status}`)
  }
  const opts = { registry: job.registry, env: job.env, provenance: false, onProgress, ...fast }
  const results = await publishAllWithOidc(release(), opts)
  t.equal(job.server.requests.filter((r) => r.path.startsWith('/token')).length, 1, 'one ID token for the release')
  // The exchanges run concurrently: the order they reach the server (and finish) in is not fixed; the uploads' is.
  t.same(exchangesOf(job.server.requests).sort(), ['@acme%2fcli', '@acme%2fcore', 'acme-plain'], 'one exchange per package')
  t.same(putsOf(job.server.requests), [
    `/@acme%2fcore [${tokenFor('@acme%2fcore')}]`,
    `/@acme%2fcli [${tokenFor('@acme%2fcli')}]`,
    `/acme-plain [${tokenFor('acme-plain')}]`,
  ], 'in order, each with its own token')
  t.same(results.map((r) => [r.name, r.version, r.ok, r.res?.status, r.res?.oidc.auth.method]), [
    ['@acme/core', '1.0.0', true, 201, 'oidc'], ['@acme/cli', '1.1.0', true, 201, 'oidc'], ['acme-plain', '2.0.0', true, 201, 'oidc'],
  ])
  const exchangeEvents = events.slice(0, 3)
  t.same(exchangeEvents.map((e) => e.replace(/ \S+@\S+ /, ' ')), ['exchange 1/3 done', 'exchange 2/3 done', 'exchange 3/3 done'])
  t.same(exchangeEvents.map((e) => e.split(' ')[2]).sort(), ['@acme/cli@1.1.0', '@acme/core@1.0.0', 'acme-plain@2.0.0'])
  t.same(events.slice(3), [
    'publish 1/3 @acme/core@1.0.0 done', 'publish 2/3 @acme/cli@1.1.0 done', 'publish 3/3 acme-plain@2.0.0 done',
  ])
  t.notMatch(JSON.stringify(events) + JSON.stringify(results), salt, 'no token in events or results')
})

t.test('bail (default): a package that cannot be authenticated stops the release before any upload', async (t) => {
  const job = await publishJob(t, perPackage('@acme/cli'))
  const events: ProgressEvent[] = []
  const results = await publishAllWithOidc(release(), {
    registry: job.registry, env: job.env, oidc: 'required', onProgress: (_d, _t, _n, e) => { events.push(e) }, ...fast,
  })
  t.same(exchangesOf(job.server.requests).length, 3)
  t.same(putsOf(job.server.requests), [], 'nothing uploaded')
  t.same(results.map((r) => [r.name, r.ok, r.skipped, r.error?.name]), [
    ['@acme/core', false, true, undefined], ['@acme/cli', false, undefined, 'OidcError'], ['acme-plain', false, true, undefined],
  ])
  t.ok(isOidcError(results[1]?.error, 'ERR_OIDC_NO_TRUSTED_PUBLISHER'))
  t.same(events.filter((e) => e.phase === 'publish').map((e) => [e.name, e.status, e.code]), [
    ['@acme/cli', 'failed', 'ERR_OIDC_NO_TRUSTED_PUBLISHER'], ['@acme/core', 'skipped', undefined], ['acme-plain', 'skipped', undefined],
  ])
  t.match(events.find((e) => e.phase === 'exchange' && e.status === 'failed'), { name: '@acme/cli', code: 'ERR_OIDC_NO_TRUSTED_PUBLISHER' })
})

t.test('bail: false: the others publish while the failing one reports its typed error', async (t) => {
  const job = await publishJob(t, perPackage('@acme/cli'))
  const results = await publishAllWithOidc(release(), {
    registry: job.registry, env: job.env, bail: false, provenance: false, reuseIdToken: false, ...fast,
  })
  t.equal(job.server.requests.filter((r) => r.path.startsWith('/token')).length, 3, 'reuseIdToken: false, one ID token each')
  t.same(putsOf(job.server.requests), [`/@acme%2fcore [${tokenFor('@acme%2fcore')}]`, `/acme-plain [${tokenFor('acme-plain')}]`])
  t.same(results.map((r) => r.ok), [true, false, true])
  t.equal(results[1]?.error && isOidcError(results[1].error) && results[1].error.code, 'ERR_OIDC_NO_TRUSTED_PUBLISHER')
  t.equal(exchangesOf(job.server.requests).length, 3, 'no second exchange for the failed package')
})

t.test('a manifest with workspace: ranges gets no exchange; bail stops the release, bail: false publishes the others',
  async (t) => {
    const dependencies = { '@acme/core': 'workspace:^' }
    const unpacked = () => [pkg('@acme/core', '1.0.0'), pkg('@acme/cli', '1.1.0', { dependencies })]
    const job = await publishJob(t, perPackage())
    const opts = { registry: job.registry, env: job.env, provenance: false, ...fast }
    const bailed = await publishAllWithOidc(unpacked(), opts)
    t.same(exchangesOf(job.server.requests), ['@acme%2fcore'], 'no exchange for the refused package')
    t.same(putsOf(job.server.requests), [], 'bail: nothing uploaded')
    t.same(bailed.map((r) => [r.ok, r.skipped ?? false]), [[false, true], [false, false]])
    t.ok(isOidcError(bailed[1]?.error, 'ERR_OIDC_WORKSPACE_PROTOCOL'))
    const others = await publishAllWithOidc(unpacked(), { ...opts, bail: false })
    t.same(exchangesOf(job.server.requests), ['@acme%2fcore', '@acme%2fcore'], 'still none for the refused package')
    t.same(putsOf(job.server.requests).map((p) => p.split(' ')[0]), ['/@acme%2fcore'])
    t.same(others.map((r) => r.ok), [true, false])
    t.ok(isOidcError(others[1]?.error, 'ERR_OIDC_WORKSPACE_PROTOCOL'))
  })

t.test('bail after an upload failure: nothing more is uploaded', async (t) => {
  const job = await publishJob(t, perPackage())
  const fallback = job.server.fallback
  job.server.fallback = (res, req) => req.method === 'PUT' && req.path === '/@acme%2fcli'
    ? json(404, { error: 'not found' })(res, req)
    : fallback(res, req)
  const opts = { registry: job.registry, env: job.env, provenance: false, ...fast }
  const results = await publishAllWithOidc(release(), opts)
  t.same(putsOf(job.server.requests).map((p) => p.split(' ')[0]), ['/@acme%2fcore', '/@acme%2fcli'])
  t.same(results.map((r) => [r.ok, r.skipped ?? false]), [[true, false], [false, false], [false, true]])
  t.ok(isOidcError(results[1]?.error, 'ERR_OIDC_PUBLISH_MASKED_404'), 'mapped as after its own exchange')
})

t.test('bounded concurrency', async (t) => {
  const job = await publishJob(t, perPackage())
  let inFlight = 0
  let most = 0
  const fallback = job.server.fallback
  job.server.fallback = (res, req) => {
    if (req.method !== 'PUT') return fallback(res, req)
    most = Math.max(most, ++inFlight)
    setTimeout(() => { inFlight--; fallback(res, req) }, 50)
  }
  const four = [...release(), pkg('acme-extra', '1.0.0')]
  const opts = { registry: job.registry, env: job.env, provenance: false, concurrency: 2, ...fast }
  const results = await publishAllWithOidc(four, opts)
  t.equal(most, 2, 'two uploads at once, never more')
  t.same(results.map((r) => r.ok), [true, true, true, true])
})

t.test('auto: a failed exchange falls back to the configured token; the logger sees the warning', async (t) => {
  const job = await publishJob(t, perPackage('@acme/cli'))
  const lines: string[] = []
  const results = await publishAllWithOidc(release(), {
    registry: job.registry,
    env: job.env,
    provenance: false,
    [authKey(job.registry)]: 'static_secret',
    logger: (level, message) => { lines.push(`${level} ${message}`) },
    ...fast,
  })
  t.same(results.map((r) => r.res?.oidc.auth.method), ['oidc', 'token', 'oidc'])
  t.same(putsOf(job.server.requests)[1], '/@acme%2fcli [static_secret]')
  const warnings = lines.filter((l) => l.startsWith('warn '))
  t.equal(warnings.length, 1)
  t.match(warnings[0], /ERR_OIDC_NO_TRUSTED_PUBLISHER: .* Publishing with the token configured for/)
  t.ok(lines.some((l) => l.startsWith('verbose Published acme-plain@2.0.0')))
  t.notMatch(lines.join('\n'), salt, 'no token in the log lines')
})

t.test('what onProgress throws is ignored', async (t) => {
  const job = await publishJob(t, perPackage())
  const results = await publishAllWithOidc(release(), {
    registry: job.registry, env: job.env, provenance: false, onProgress: () => { throw new Error('display broke') }, ...fast,
  })
  t.same(results.map((r) => r.ok), [true, true, true])
})

t.test('off, and no provider', async (t) => {
  const saved = process.env
  t.teardown(() => { process.env = saved })
  process.env = { PATH: saved.PATH }
  const job = await publishJob(t, perPackage())
  const off = await publishAllWithOidc(release().slice(0, 1), {
    registry: job.registry, env: job.env, oidc: 'off', [authKey(job.registry)]: 'static_secret',
  })
  t.equal(off[0]?.res?.oidc.auth.method, 'token')
  const none = await publishAllWithOidc(release().slice(1), { registry: job.registry, env: {}, [authKey(job.registry)]: 'static_secret' })
  t.same(none.map((r) => r.res?.oidc.auth.method), ['token', 'token'])
  t.same(exchangesOf(job.server.requests), [], 'no exchange')
  const required = await publishAllWithOidc(release().slice(1), { registry: job.registry, oidc: 'required', bail: false })
  t.same(required.map((r) => r.error && isOidcError(r.error) && r.error.code), ['ERR_OIDC_NO_PROVIDER', 'ERR_OIDC_NO_PROVIDER'])
  t.equal(putsOf(job.server.requests).length, 3)
})

t.test('each package goes to the registry npm picks for it, one batch per registry', async (t) => {
  const job = await publishJob(t, perPackage())
  const packages = [pkg('@acme/core'), pkg('plain', '1.0.0', { publishConfig: { registry: `${job.server.origin}/mirror/` } })]
  const opts = { registry: job.registry, env: job.env, provenance: false, ...fast }
  const results = await publishAllWithOidc(packages, opts)
  t.same(results.map((r) => r.res?.oidc.registry), [job.registry, `${job.server.origin}/mirror/`])
  t.same(job.server.requests.filter((r) => r.method !== 'GET').map((r) => r.path.replace(/\/package\/.*/, '/package/…')), [
    '/-/npm/v1/oidc/token/exchange/package/…', '/mirror/-/npm/v1/oidc/token/exchange/package/…', '/@acme%2fcore', '/mirror/plain',
  ])
})

t.test('abort', async (t) => {
  const job = await publishJob(t, perPackage())
  const controller = new AbortController()
  const reason = new Error('stop the release')
  await t.rejects(publishAllWithOidc(release(), {
    registry: job.registry,
    env: job.env,
    provenance: false,
    signal: controller.signal,
    ...fast,
    onProgress: (_d, _t, _n, e) => { if (e.phase === 'publish') controller.abort(reason) },
  }), reason)
  t.equal(putsOf(job.server.requests).length, 1, 'no upload starts after the abort')
})

t.test('argument errors, before any request', async (t) => {
  const job = await publishJob(t, perPackage())
  const good = pkg('@acme/core')
  const cases: Array<[unknown, unknown, string]> = [
    [null, {}, 'Expected `packages` to be an array of { manifest, tarball }.'],
    [[null], {}, 'Expected `packages[0]` to be { manifest, tarball }.'],
    [[good, { manifest: { name: 'x' }, tarball: good.tarball }], {}, 'packages[1]: Expected `manifest.version` to be a string.'],
    [[good, { ...good }], {}, 'Expected `packages` to hold each package once, got "@acme/core" twice.'],
    [[good], { concurrency: 0 }, 'Expected `opts.concurrency` to be a positive integer, got 0.'],
    [[good], { bail: 'yes' }, 'Expected `opts.bail` to be a boolean.'],
    [[good], { onProgress: 1 }, 'Expected `opts.onProgress` to be a function.'],
    [[good], { oidcToken: {} }, 'Expected no `opts.oidcToken`: publishAllWithOidc exchanges for each package itself.'],
  ]
  for (const [packages, opts, message] of cases) {
    const all = { registry: job.registry, env: job.env, ...opts as object }
    await t.rejects(publishAllWithOidc(packages as never, all as never), new TypeError(message), message)
  }
  await t.rejects(publishAllWithOidc([good], null as never), new TypeError('Expected `opts` to be an object.'))
  await t.rejects(publishAllWithOidc([{ manifest: { name: 'Bad Name', version: '1.0.0' }, tarball: good.tarball }]),
    { name: 'TypeError', message: /packages\[0\]\.manifest\.name/ })
  t.equal(job.server.requests.length, 0)
})

t.test('provenance: true with opts.env of another job: every package refused before any ID token or exchange',
  async (t) => {
    const job = await publishJob(t, perPackage())
    const events: string[] = []
    const results = await publishAllWithOidc(release(), {
      registry: job.registry,
      env: job.env,
      provenance: true,
      onProgress: (_d, _t, name, e) => { events.push(`${e.phase} ${name} ${e.status} ${e.code}`) },
      ...fast,
    })
    t.same(results.map((r) => [r.name, r.ok, isOidcError(r.error) && r.error.code]), [
      ['@acme/core', false, 'ERR_OIDC_PROVENANCE_ENV_MISMATCH'],
      ['@acme/cli', false, 'ERR_OIDC_PROVENANCE_ENV_MISMATCH'],
      ['acme-plain', false, 'ERR_OIDC_PROVENANCE_ENV_MISMATCH'],
    ])
    t.match(results[0]?.error, { facts: /GITHUB_ACTIONS: "true" in opts\.env, unset in process\.env/ })
    t.same(job.server.requests, [], 'no ID token, no exchange, no upload')
    t.same(events, [
      'publish @acme/core failed ERR_OIDC_PROVENANCE_ENV_MISMATCH',
      'publish @acme/cli failed ERR_OIDC_PROVENANCE_ENV_MISMATCH',
      'publish acme-plain failed ERR_OIDC_PROVENANCE_ENV_MISMATCH',
    ])
  })

t.test('provenance: true with sigstore\'s identityToken: refused before any exchange, the token never shown',
  async (t) => {
    const job = await publishJob(t, perPackage())
    const saved = process.env
    t.teardown(() => { process.env = saved })
    process.env = job.env
    const results = await publishAllWithOidc(release().slice(0, 1), {
      registry: job.registry, provenance: true, identityToken: `id-${salt}`, ...fast,
    } as Parameters<typeof publishAllWithOidc>[1])
    t.same(results.map((r) => isOidcError(r.error) && r.error.code), ['ERR_OIDC_PROVENANCE_ENV_MISMATCH'])
    t.match(results[0]?.error?.message, /opts\.identityToken would sign the provenance/)
    t.notMatch(JSON.stringify(results) + String(results[0]?.error?.message), salt)
    t.same(job.server.requests, [], 'no ID token, no exchange, no upload')
  })
