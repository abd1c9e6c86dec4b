import t from 'tap'
import { randomBytes } from 'node:crypto'
import { revokeTrustedPublisher } from '../../lib/trust/revoke-trusted-publisher.js'
import { startServer, json, text } from '../fixtures/server.js'

t.test('DELETE with npm\'s mixed escaping: package %2f, id encodeURIComponent', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  const token = `npm_${randomBytes(12).toString('hex')}`
  const opts = { registry: `${server.origin}/`, [`${server.origin.slice('http:'.length)}/:_authToken`]: token, retry: { retries: 0 } }
  server.queue(text(204, ''), text(204, ''))
  t.equal(await revokeTrustedPublisher('@acme/widgets', 'cfg/1:x', opts), undefined)
  await revokeTrustedPublisher('plain', 'a b?c#d', opts)
  t.same(server.requests.map((r) => `${r.method} ${r.path}`), [
    'DELETE /-/package/@acme%2fwidgets/trust/cfg%2F1%3Ax',
    'DELETE /-/package/plain/trust/a%20b%3Fc%23d',
  ])
  t.equal(server.requests[0]?.headers.authorization, `Bearer ${token}`)
  t.equal(server.requests[0]?.headers['npm-command'], 'trust')
  t.notOk(server.requests[0]?.headers['npm-auth-type'])

  server.queue(json(404, { message: 'no such trust configuration' }))
  await t.rejects(revokeTrustedPublisher('@acme/widgets', 'gone', opts), {
    code: 'E404',
    message: `Revoking a trusted publisher of @acme/widgets failed (DELETE ${server.origin}/-/package/@acme%2fwidgets/trust/gone answered 404: "no such trust configuration"). @acme/widgets has no trusted publisher with that id, or the package does not exist (\`npm-oidc trust list\` shows the ids).`,
  })
  server.queue(json(401, {}, { 'www-authenticate': 'otp' }))
  await t.rejects(revokeTrustedPublisher('@acme/widgets', 'x', opts), { code: 'EOTP' })
})

t.test('an empty id is a TypeError before any request', async (t) => {
  for (const id of ['', undefined, 7]) {
    await t.rejects(revokeTrustedPublisher('pkg', id as never, { registry: 'http://127.0.0.1:1/' }), { name: 'TypeError', message: /`id`/ })
  }
})
