import t from 'tap'
import type { Test } from 'tap'
import { createServer } from 'node:http'
import { closer, listenOnLoopback } from '../../lib/testing/http.js'
import { handleTokenRequest } from '../../lib/testing/token-endpoint.js'
import type { TokenRequest } from '../../lib/testing/token-endpoint.js'
import { request } from '../fixtures/http-request.js'

const REQUEST_TOKEN = 'request-token-for-this-test'

async function endpoint (t: Test) {
  const log: TokenRequest[] = []
  const minted: string[] = []
  const server = createServer((req, res) => {
    handleTokenRequest(req, res, {
      requestToken: REQUEST_TOKEN,
      defaultAudience: 'https://github.com/acme',
      mint: async (audience) => { minted.push(audience); return `jwt-for:${audience}` },
      record: (r) => { log.push(r) },
    })
  })
  const port = await listenOnLoopback(server)
  t.teardown(closer(server))
  return { base: `http://127.0.0.1:${port}`, log, minted }
}

t.test('the right bearer gets a token for the requested audience', async (t) => {
  const { base, log, minted } = await endpoint(t)
  const r = await request(`${base}/token?api-version=2.0&audience=npm%3A127.0.0.1`, { headers: { authorization: `Bearer ${REQUEST_TOKEN}`, accept: 'application/json' } })
  t.equal(r.status, 200)
  t.same(r.json(), { value: 'jwt-for:npm:127.0.0.1' })
  t.same(minted, ['npm:127.0.0.1'])
  t.same(log, [{ method: 'GET', path: '/token', query: { 'api-version': '2.0', audience: 'npm:127.0.0.1' }, authorized: true, status: 200 }])
  t.ok(Object.isFrozen(log[0]) && Object.isFrozen(log[0]?.query))
})

t.test('no audience parameter: the default audience', async (t) => {
  const { base, minted } = await endpoint(t)
  const r = await request(`${base}/token?api-version=2.0`, { headers: { authorization: `Bearer ${REQUEST_TOKEN}` } })
  t.equal(r.status, 200)
  t.same(minted, ['https://github.com/acme'])
})

t.test('missing, wrong or differently sized bearer: 401, nothing minted, recorded', async (t) => {
  const { base, log, minted } = await endpoint(t)
  const cases: Array<[string, Record<string, string>]> = [
    ['missing', {}],
    ['same length, wrong', { authorization: `Bearer ${REQUEST_TOKEN.replace(/.$/, 'X')}` }],
    ['other length', { authorization: 'Bearer nope' }],
    ['no Bearer prefix', { authorization: REQUEST_TOKEN }],
  ]
  for (const [name, headers] of cases) {
    const r = await request(`${base}/token?api-version=2.0&audience=npm%3A127.0.0.1`, { headers })
    t.equal(r.status, 401, name)
    t.same(r.json(), { message: 'Bad credentials' })
  }
  t.same(minted, [])
  t.equal(log.length, 4)
  t.ok(log.every((r) => !r.authorized && r.status === 401))
  t.notMatch(JSON.stringify(log), REQUEST_TOKEN, 'the log never holds the request token')
})

t.test('other methods: 405 with Allow', async (t) => {
  const { base, log } = await endpoint(t)
  const r = await request(`${base}/token?api-version=2.0`, { method: 'POST', headers: { authorization: `Bearer ${REQUEST_TOKEN}` } })
  t.equal(r.status, 405)
  t.equal(r.headers.allow, 'GET')
  t.match(log, [{ method: 'POST', authorized: true, status: 405 }])
})
