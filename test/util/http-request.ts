import t from 'tap'
import { httpRequest } from '../../lib/util/http-request.js'
import { startServer, json, hang } from '../fixtures/server.js'

const send = (url: string, signal = AbortSignal.timeout(5000), maxBytes = 1024) =>
  httpRequest({ method: 'GET', url: new URL(url), headers: { accept: 'application/json' }, agent: undefined, connection: {}, signal, maxBytes })

t.test('any status comes back as it is, with its headers and body; a redirect is not followed', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  server.queue(json(302, { moved: true }, { location: `${server.origin}/elsewhere` }))
  const res = await send(`${server.origin}/here`)
  t.equal(res.status, 302)
  t.equal(res.headers.location, `${server.origin}/elsewhere`)
  t.equal(res.body.toString(), '{"moved":true}')
  t.equal(res.oversized, false)
  t.same(server.requests.map((r) => [r.path, r.headers.accept]), [['/here', 'application/json']])
})

t.test('a body beyond maxBytes is cut and marked; an abort ends the request', async (t) => {
  const server = await startServer(json(200, { pad: 'x'.repeat(5000) }))
  t.teardown(() => server.close())
  const res = await send(`${server.origin}/`, undefined, 100)
  t.equal(res.oversized, true)
  t.ok(res.body.length <= 100)
  server.fallback = hang
  await t.rejects(send(`${server.origin}/`, AbortSignal.timeout(30)), { name: /AbortError|TimeoutError/ })
})

t.test('https: goes out with node:https; a network failure is Node\'s error, code and all', async (t) => {
  const closed = await startServer()
  await closed.close()
  await t.rejects(send(closed.origin.replace('http:', 'https:')), { code: 'ECONNREFUSED' })
})
