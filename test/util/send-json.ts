import t from 'tap'
import { createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'
import { MESSAGE_PREFIX, sendError, sendJson } from '../../lib/util/send-json.js'

async function answer (t: { teardown (fn: () => unknown): void }, handler: Parameters<typeof createServer>[1]) {
  const server = createServer(handler)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise(resolve => server.close(resolve)))
  return new Promise<{ status?: number, headers: Record<string, unknown>, body: string }>((resolve, reject) => {
    request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port }, res => {
      let body = ''
      res.setEncoding('utf8').on('data', chunk => { body += chunk }).on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }))
    }).on('error', reject).end()
  })
}

t.test('sendJson', async t => {
  const res = await answer(t, (_req, res) => sendJson(res, 201, { a: 'é' }))
  t.match(res, { status: 201, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': '10', 'cache-control': 'no-store' }, body: '{"a":"é"}' })
})

t.test('sendError', async t => {
  t.equal(MESSAGE_PREFIX, 'OIDC token exchange error - ')
  const res = await answer(t, (_req, res) => sendError(res, 405, 'method not allowed', { allow: 'POST' }))
  t.match(res, { status: 405, headers: { allow: 'POST' } })
  t.strictSame(JSON.parse(res.body), { message: 'OIDC token exchange error - method not allowed' })
})
