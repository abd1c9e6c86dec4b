import t from 'tap'
import { Agent, createServer } from 'node:http'
import { closer, listenOnLoopback } from '../../lib/testing/http.js'
import { sendJson } from '../../lib/util/send-json.js'
import { request } from '../fixtures/http-request.js'

t.test('listenOnLoopback, sendJson, closer over real HTTP', async (t) => {
  const server = createServer((req, res) => { sendJson(res, 418, { hello: 'wörld' }) })
  const port = await listenOnLoopback(server)
  t.ok(port > 0)
  t.equal(server.address() && (server.address() as { address: string }).address, '127.0.0.1')
  const agent = new Agent({ keepAlive: true })
  t.teardown(() => agent.destroy())
  const reply = await request(`http://127.0.0.1:${port}/`, { agent })
  t.equal(reply.status, 418)
  t.equal(reply.headers['content-type'], 'application/json; charset=utf-8')
  t.equal(reply.headers['cache-control'], 'no-store')
  t.equal(Number(reply.headers['content-length']), Buffer.byteLength(reply.text))
  t.same(reply.json(), { hello: 'wörld' })

  const close = closer(server)
  const first = close()
  t.equal(close(), close(), 'a second call returns the same promise')
  await first
  t.notOk(server.listening, 'closed although a keep-alive connection was open')
  await t.rejects(request(`http://127.0.0.1:${port}/`), { code: 'ECONNREFUSED' })
})

t.test('listenOnLoopback rejects when the server cannot listen', async (t) => {
  const server = createServer()
  await listenOnLoopback(server)
  t.teardown(() => closer(server)())
  await t.rejects(listenOnLoopback(server), { code: 'ERR_SERVER_ALREADY_LISTEN' })
})
