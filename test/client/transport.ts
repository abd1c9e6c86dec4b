import t from 'tap'
import { sendTokenRequest } from '../../lib/client/transport.js'
import { resolveOptions } from '../../lib/client/resolve-options.js'
import { startClock, TransientFailure } from '../../lib/client/retry.js'
import { OidcError } from '../../lib/errors.js'
import { startServer, json } from '../fixtures/server.js'
import { tnock } from '../fixtures/tnock.js'

const unreachable = (facts: string, cause: unknown): OidcError =>
  new OidcError('ERR_OIDC_EXCHANGE_FAILED', { what: 'unreachable', facts, hint: 'h', cause })

function request (url: string, opts: Record<string, unknown> = {}) {
  const options = resolveOptions(opts)
  return sendTokenRequest({ method: 'POST', url, headers: { authorization: 'Bearer x' }, options, clock: startClock(options), unreachable })
}

t.test('a redirect comes back as it is: one request, never followed', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  server.queue(json(307, {}, { location: `${server.origin}/second` }))
  const res = await request(`${server.origin}/first`)
  t.equal(res.status, 307)
  t.equal(res.header('location'), `${server.origin}/second`)
  t.same(server.requests.map((r) => r.path), ['/first'])
})

t.test('the caller\'s proxy and TLS settings are passed on', async (t) => {
  const server = await startServer(json(200, { ok: 1 }))
  t.teardown(() => server.close())
  const res = await request(`${server.origin}/`, { strictSSL: true, maxSockets: 2, noProxy: '127.0.0.1', ca: null })
  t.equal(res.text, '{"ok":1}')
  t.equal(res.oversized, false)
})

t.test('an error with credentials in its text keeps only its code (nock: no server can produce it)', async (t) => {
  tnock(t, 'https://registry.example.com').post('/x').replyWithError({ message: 'socket hang up at https://user:pass@proxy' })
  const err = await request('https://registry.example.com/x').catch((e: unknown) => e)
  t.ok(err instanceof TransientFailure)
  const final = (err as TransientFailure).final
  t.match(final.message, /\(FETCH_ERROR\)/)
  t.equal((final.cause as Error).message, 'request failed: FETCH_ERROR')
  t.notMatch(JSON.stringify(final, Object.getOwnPropertyNames(final)), /pass/)
})
