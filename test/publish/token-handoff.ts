import t from 'tap'
import { getOidcToken, getOidcTokens, publishWithOidc, isOidcError } from '../../lib/index.js'
import { HANDOFF_MARGIN_MS, livesLongEnough } from '../../lib/publish/token-handoff.js'
import { exchanged, fast } from '../fixtures/job.js'
import { json } from '../fixtures/server.js'
import { pkg, line, publishJob } from '../fixtures/publish-job.js'

const authKey = (registry: string) => `//${new URL(registry).host}/:_authToken`
const throwaway = () => `tok-${Math.random().toString(36).slice(2)}`
const exchanges = (job: { server: { requests: Array<{ method: string, path: string }> } }) =>
  job.server.requests.filter((r) => r.method === 'POST' && r.path.includes('/oidc/token/exchange/')).length

t.test('a handed-over token is used without a second exchange; the outcome is OIDC', async (t) => {
  const token = throwaway()
  const job = await publishJob(t, exchanged(token))
  const { manifest, tarball } = pkg()
  const oidcToken = await getOidcToken('@acme/widgets', job.registry, job.env, fast)
  t.ok(oidcToken)
  const opts = { registry: job.registry, env: job.env, oidcToken: oidcToken ?? undefined, ...fast }
  const res = await publishWithOidc(manifest, tarball, opts)
  t.equal(exchanges(job), 1, 'one exchange in all')
  t.same(job.server.requests.map(line).slice(2), [
    `GET /-/package/@acme%2fwidgets/visibility [${token}]`,
    `PUT /@acme%2fwidgets [${token}]`,
  ])
  t.match(res.oidc.auth, { method: 'oidc', provider: 'github-actions', claims: { repository: 'acme/widgets' } })
})

t.test('tokens from getOidcTokens are handed over one per package', async (t) => {
  const job = await publishJob(t)
  const names = ['@acme/a', 'acme-b']
  const results = await getOidcTokens(names, job.registry, job.env, fast)
  for (const [i, name] of names.entries()) {
    const { manifest, tarball } = pkg(name)
    const opts = { registry: job.registry, env: job.env, provenance: false, oidcToken: results?.[i]?.token }
    const res = await publishWithOidc(manifest, tarball, opts)
    t.equal(res.oidc.auth.method, 'oidc', name)
  }
  t.equal(exchanges(job), 2, 'one exchange per package')
  t.equal(job.server.requests.filter((r) => r.method === 'PUT').length, 2)
})

t.test('upload errors are mapped as after its own exchange', async (t) => {
  const job = await publishJob(t)
  const oidcToken = await getOidcToken('@acme/widgets', job.registry, job.env, fast) ?? undefined
  job.server.queue(json(404, { error: 'not found' }), json(404, { error: 'not found' }))
  const { manifest, tarball } = pkg()
  await t.rejects(publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, oidcToken, ...fast }),
    { code: 'ERR_OIDC_PUBLISH_MASKED_404' })
})

t.test('a token for another package or registry is refused before anything is sent, in every mode', async (t) => {
  const job = await publishJob(t)
  const other = await publishJob(t)
  const oidcToken = await getOidcToken('@acme/widgets', job.registry, job.env, fast) ?? undefined
  const elsewhere = await getOidcToken('@acme/widgets', other.registry, other.env, fast) ?? undefined
  const sent = job.server.requests.length
  const another = pkg('@acme/other')
  for (const oidc of ['auto', 'required'] as const) {
    const opts = { registry: job.registry, env: job.env, oidc, oidcToken, [authKey(job.registry)]: 'static_secret' }
    const err = await publishWithOidc(another.manifest, another.tarball, opts).catch((e: unknown) => e)
    t.ok(isOidcError(err, 'ERR_OIDC_TOKEN_MISMATCH'), `${oidc}: typed error`)
    t.match(err, {
      what: 'the token handed over was exchanged for another package',
      facts: `expected @acme/other at ${job.registry}, got @acme/widgets at ${job.registry}`,
      hint: /publishes only the package it was exchanged for/,
      provider: 'github-actions',
    })
  }
  const { manifest, tarball } = pkg()
  await t.rejects(publishWithOidc(manifest, tarball, { registry: job.registry, env: job.env, oidcToken: elsewhere }), {
    code: 'ERR_OIDC_TOKEN_MISMATCH',
    what: 'the token handed over was exchanged for another registry',
    facts: `expected @acme/widgets at ${job.registry}, got @acme/widgets at ${other.registry}`,
  })
  t.equal(job.server.requests.length, sent, 'nothing was sent')
  t.notMatch(JSON.stringify(other.server.requests.slice(2)), /PUT/, 'nor to the token\'s registry')
})

t.test('a token that expires within the margin is exchanged again', async (t) => {
  const soon = new Date(Date.now() + HANDOFF_MARGIN_MS / 2).toISOString()
  const later = new Date(Date.now() + 10 * HANDOFF_MARGIN_MS).toISOString()
  const first = throwaway()
  const second = throwaway()
  const job = await publishJob(t)
  job.server.queue(job.idTokenReply(), exchanged(first, soon))
  const expiring = await getOidcToken('@acme/widgets', job.registry, job.env, fast) ?? undefined
  t.ok(expiring?.expires)
  job.server.queue(job.idTokenReply(), exchanged(second, later))
  const { manifest, tarball } = pkg()
  const opts = { registry: job.registry, env: job.env, oidcToken: expiring, provenance: false }
  const res = await publishWithOidc(manifest, tarball, opts)
  t.equal(exchanges(job), 2)
  t.same(job.server.requests.map(line).at(-1), `PUT /@acme%2fwidgets [${second}]`, 'the fresh token uploads')
  t.match(res.oidc.auth, { method: 'oidc', expires: new Date(later) })
  await t.rejects(publishWithOidc(manifest, tarball, { registry: job.registry, env: {}, oidc: 'required', oidcToken: expiring }),
    { code: 'ERR_OIDC_NO_PROVIDER' }, 'required: no provider left to exchange again')
  t.ok(livesLongEnough({ expires: new Date(later) } as never))
  t.notOk(livesLongEnough({ expires: new Date(soon) } as never))
})

t.test('argument errors', async (t) => {
  const job = await publishJob(t)
  const { manifest, tarball } = pkg()
  const oidcToken = await getOidcToken('@acme/widgets', job.registry, job.env, fast) ?? undefined
  await t.rejects(publishWithOidc(manifest, tarball, { registry: job.registry, oidc: 'off', oidcToken }),
    new TypeError('Expected no `opts.oidcToken` with `opts.oidc: \'off\'`, which never publishes with one.'))
  const notTokens = [null, 'tok', { ...oidcToken }, { token: 'x', authKey: 'k', registry: 'r', package: 'p', provider: 'q', expires: 'soon' }]
  for (const bad of notTokens) {
    await t.rejects(publishWithOidc(manifest, tarball, { registry: job.registry, oidcToken: bad as never }),
      new TypeError('Expected `opts.oidcToken` to be an OidcToken from getOidcToken or getOidcTokens.'), JSON.stringify(bad))
  }
  await t.rejects(publishWithOidc(manifest, tarball, { registry: job.registry, logger: 'loud' as never }),
    new TypeError('Expected `opts.logger` to be a function.'))
  t.equal(exchanges(job), 1)
})
