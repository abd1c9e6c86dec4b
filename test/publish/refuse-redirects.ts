import t from 'tap'
import fetch from 'make-fetch-happen'
import { refusingRedirects } from '../../lib/publish/refuse-redirects.js'
import { json, startServer } from '../fixtures/server.js'

const refused = (status: number): Error => Object.assign(new Error(`refused ${status}`), { status })

t.test('a redirect of a request carrying the token is refused; others are left alone', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  server.fallback = (res, req) => req.path === '/moved'
    ? res.writeHead(308, { location: '/here' }).end()
    : json(200, { path: req.path })(res, req)
  const send = (authorization?: string) => async () => {
    const headers = authorization ? { authorization } : {}
    const res = await fetch(`${server.origin}/moved`, { headers, retry: { retries: 0 } })
    return res.json() as Promise<unknown>
  }
  await t.rejects(refusingRedirects('secret', send('Bearer secret'), refused), { message: 'refused 308', status: 308 })
  const other = await refusingRedirects('secret', send('Bearer other'), refused)
  t.same(other, { path: '/here' }, 'another token is followed')
  t.same(await refusingRedirects('secret', send(), refused), { path: '/here' }, 'no credential is followed')
  t.same(server.requests.map((r) => r.path), ['/moved', '/moved', '/here', '/moved', '/here'])
  t.same(await send('Bearer secret')(), { path: '/here' }, 'outside the call nothing is changed')
})

t.test('a failure that is not a redirect is passed on as it is', async (t) => {
  const failure = new Error('boom')
  await t.rejects(refusingRedirects('secret', async () => { throw failure }, refused), failure)
})
