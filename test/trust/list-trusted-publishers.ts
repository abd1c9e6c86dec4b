import t from 'tap'
import { randomBytes } from 'node:crypto'
import { listTrustedPublishers } from '../../lib/trust/list-trusted-publishers.js'
import { startServer, json, text } from '../fixtures/server.js'

const token = () => `npm_${randomBytes(12).toString('hex')}`

t.test('GET <registry>-/package/<escaped>/trust with the user token and npm-command: trust', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  const userToken = token()
  const publishers = [{ id: 'a1', type: 'github', claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yml' } }, permissions: ['createPackage'] }]
  server.queue(json(200, publishers))
  const host = server.origin.slice('http:'.length)
  const got = await listTrustedPublishers('@acme/widgets', { registry: `${server.origin}/`, [`${host}/:_authToken`]: userToken, authType: 'legacy' })
  t.same(got, publishers)
  const [req] = server.requests
  t.equal(req?.method, 'GET')
  t.equal(req?.path, '/-/package/@acme%2fwidgets/trust')
  t.equal(req?.headers.authorization, `Bearer ${userToken}`)
  t.equal(req?.headers['npm-command'], 'trust')
  t.notOk(req?.headers['npm-auth-type'], 'only create sends npm-auth-type')
  t.notOk(req?.headers['npm-otp'], 'no OTP unless given')
})

t.test('a path-prefixed scoped registry from @scope:registry; a manifest names the package', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  const userToken = token()
  const host = server.origin.slice('http:'.length)
  server.queue(json(200, { id: 'only', type: 'gitlab', claims: {}, permissions: [] }), text(200, ''))
  const opts = {
    registry: 'https://registry.invalid/',
    '@acme:registry': `${server.origin}/prefix/npm`,
    [`${host}/prefix/npm/:_authToken`]: userToken,
    '//registry.invalid/:_authToken': 'never-sent',
  }
  t.same(await listTrustedPublishers({ name: '@acme/widgets', version: '1.0.0' }, opts), [{ id: 'only', type: 'gitlab', claims: {}, permissions: [] }], 'an object answer becomes a list')
  t.same(await listTrustedPublishers('@acme/widgets', opts), [], 'an empty answer is an empty list')
  t.equal(server.requests[0]?.path, '/prefix/npm/-/package/@acme%2fwidgets/trust')
  t.equal(server.requests[0]?.headers.authorization, `Bearer ${userToken}`)
})

t.test('registry failures keep npm-registry-fetch\'s code and say what to do', async (t) => {
  const server = await startServer()
  t.teardown(() => server.close())
  const opts = { registry: `${server.origin}/`, retry: { retries: 0 } }
  server.queue(json(404, { error: 'Not found' }))
  await t.rejects(listTrustedPublishers('ghost', opts), {
    code: 'E404',
    statusCode: 404,
    message: `Listing the trusted publishers of ghost failed (GET ${server.origin}/-/package/ghost/trust answered 404: "Not found"). ghost does not exist on ${server.origin}/ (publish it once first), or the registry does not support trusted publishing.`,
  })
  server.queue(json(405, {}))
  await t.rejects(listTrustedPublishers('pkg', opts), { code: 'E405', message: /answered 405\)\. http:\/\/127\.0\.0\.1:\d+\/ does not implement trusted-publisher management \(405 Method Not Allowed\): it does not support trusted publishing\.$/ })
  server.queue(json(500, { message: 'database down' }))
  await t.rejects(listTrustedPublishers('pkg', opts), { code: 'E500', message: /answered 500: "database down"\)\. The registry failed; try again later\.$/ })
  server.queue(text(502, '<html>bad gateway</html>'))
  await t.rejects(listTrustedPublishers('pkg', opts), { code: 'E502', message: /answered 502: "<html>bad gateway<\/html>"\)/ })
  server.queue(text(503, ''))
  await t.rejects(listTrustedPublishers('pkg', opts), { code: 'E503', message: /answered 503\)\. The registry failed/ })
  server.queue(json(401, {}))
  await t.rejects(listTrustedPublishers('pkg', opts), { code: 'E401', message: /answered 401\)\. Use a token of a maintainer of pkg/ })
  server.queue(json(403, { message: 'forbidden' }))
  await t.rejects(listTrustedPublishers('pkg', opts), { code: 'E403', message: /two-factor authentication enabled/ })
  server.queue(json(400, null))
  await t.rejects(listTrustedPublishers('pkg', opts), { code: 'E400', message: /answered 400\)\. The registry refused the request\.$/ })
  server.queue(text(200, 'not json'))
  await t.rejects(listTrustedPublishers('pkg', opts), { message: `GET ${server.origin}/-/package/pkg/trust answered 200 with a body that is not JSON: "not json".` })
  await t.rejects(listTrustedPublishers('pkg', { registry: 'http://127.0.0.1:1/', retry: { retries: 0 } }), { code: 'ECONNREFUSED' }, 'network errors pass through')
})

t.test('invalid arguments are TypeErrors before any request', async (t) => {
  await t.rejects(listTrustedPublishers('Not A Name'), { name: 'TypeError', message: /`pkg`/ })
  await t.rejects(listTrustedPublishers({ name: '' }), { name: 'TypeError', message: /`pkg\.name`/ })
  await t.rejects(listTrustedPublishers('pkg', { registry: 'ftp://x' }), { name: 'TypeError', message: /`registry`/ })
  await t.rejects(listTrustedPublishers('pkg', null as never), { name: 'TypeError', message: /`opts`/ })
})
