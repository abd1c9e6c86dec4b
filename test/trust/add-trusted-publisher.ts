import t from 'tap'
import { randomBytes } from 'node:crypto'
import { addTrustedPublisher } from '../../lib/trust/add-trusted-publisher.js'
import { startServer, json, text } from '../fixtures/server.js'
import { captureLogs } from '../fixtures/logs.js'

const UUID = ['b2e3a6f4-5c1d-4e8a-9f7b-0c2d4e6f8a1b', 'd4c1e8f2-7a3b-4c5d-8e9f-1a2b3c4d5e6f', 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b', 'a9b8c7d6-e5f4-4321-9abc-def012345678']

async function registry (t: Parameters<Parameters<typeof t.test>[1]>[0]) {
  const server = await startServer()
  t.teardown(() => server.close())
  const token = `npm_${randomBytes(12).toString('hex')}`
  const opts = { registry: `${server.origin}/`, [`${server.origin.slice('http:'.length)}/:_authToken`]: token, retry: { retries: 0 } }
  return { server, token, opts }
}

t.test('the exact bodies npm 11.19.1 sends, always an array', async (t) => {
  const { server, token, opts } = await registry(t)
  server.fallback = json(201, [])
  await addTrustedPublisher('@acme/widgets', { type: 'github', repository: 'acme/widgets', file: 'publish.yml', environment: 'prod', permissions: ['createPackage'] }, opts)
  await addTrustedPublisher('@acme/widgets', { type: 'gitlab', project: 'group/sub/project', file: '.gitlab-ci.yml', permissions: ['createPackage', 'createStagedPackage'] }, opts)
  await addTrustedPublisher('plain', [{
    type: 'circleci', orgId: UUID[0] as string, projectId: UUID[1] as string, pipelineDefinitionId: UUID[2] as string, vcsOrigin: 'github.com/owner/repo', contextIds: [UUID[3] as string], permissions: ['createPackage'],
  }], opts)
  t.same(server.requests.map((r) => r.body), [
    '[{"type":"github","claims":{"repository":"acme/widgets","workflow_ref":{"file":"publish.yml"},"environment":"prod"},"permissions":["createPackage"]}]',
    '[{"type":"gitlab","claims":{"project_path":"group/sub/project","ci_config_ref_uri":{"file":".gitlab-ci.yml"}},"permissions":["createPackage","createStagedPackage"]}]',
    `[{"type":"circleci","claims":{"oidc.circleci.com/org-id":"${UUID[0]}","oidc.circleci.com/project-id":"${UUID[1]}","oidc.circleci.com/pipeline-definition-id":"${UUID[2]}","oidc.circleci.com/vcs-origin":"github.com/owner/repo","oidc.circleci.com/context-ids":["${UUID[3]}"]},"permissions":["createPackage"]}]`,
  ])
  t.same(server.requests.map((r) => `${r.method} ${r.path}`), [
    'POST /-/package/@acme%2fwidgets/trust', 'POST /-/package/@acme%2fwidgets/trust', 'POST /-/package/plain/trust',
  ])
  for (const r of server.requests) {
    t.equal(r.headers.authorization, `Bearer ${token}`)
    t.equal(r.headers['content-type'], 'application/json')
    t.equal(r.headers['npm-command'], 'trust')
    t.equal(r.headers['npm-auth-type'], 'web')
    t.notOk(r.headers['npm-otp'])
  }
})

t.test('the registry\'s own shape is accepted (an id is dropped) and the answer is returned as a list', async (t) => {
  const { server, opts } = await registry(t)
  const created = { id: 'new-1', type: 'github', claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yaml' } }, permissions: ['createStagedPackage'] }
  server.queue(json(201, created), text(204, ''))
  const listed = { id: 'old', type: 'github', claims: { repository: 'acme/widgets', workflow_ref: { file: 'release.yaml' }, extra: 1 }, permissions: ['createStagedPackage'] } as never
  t.same(await addTrustedPublisher('pkg', listed, opts), [created])
  t.same(await addTrustedPublisher('pkg', listed, opts), [], 'no body: empty list')
  t.equal(server.requests[0]?.body, '[{"type":"github","claims":{"repository":"acme/widgets","workflow_ref":{"file":"release.yaml"}},"permissions":["createStagedPackage"]}]')
})

t.test('a manifest supplies defaults; disagreement is logged at warn', async (t) => {
  const { server, opts } = await registry(t)
  server.fallback = json(201, [])
  const logs = captureLogs(t)
  const manifest = { name: '@acme/widgets', version: '1.0.0', repository: { type: 'git', url: 'git+https://github.com/Acme/Widgets.git' } }
  await addTrustedPublisher(manifest, { type: 'github', file: 'release.yml', permissions: ['createPackage'] }, opts)
  t.match(JSON.parse(server.requests[0]?.body ?? ''), [{ claims: { repository: 'Acme/Widgets' } }], 'case kept')
  t.same(logs.filter((l) => l[0] === 'warn'), [])
  await addTrustedPublisher(manifest, { type: 'github', repository: 'acme/other', file: 'release.yml', permissions: ['createPackage'] }, opts)
  t.match(JSON.parse(server.requests[1]?.body ?? ''), [{ claims: { repository: 'acme/other' } }], 'the given value wins')
  t.same(logs.filter((l) => l[0] === 'warn'), [['warn', 'oidc', 'The repository in package.json (Acme/Widgets) differs from the given GitHub repository (acme/other); using acme/other.']])
})

t.test('OTP: sent as npm-otp; a challenge is EOTP; otpPrompt answers it and the request is repeated', async (t) => {
  const { server, token, opts } = await registry(t)
  const otp = String(100000 + (randomBytes(3).readUIntBE(0, 3) % 900000))
  const input = { type: 'github', repository: 'acme/widgets', file: 'release.yml', permissions: ['createPackage'] } as const

  server.queue(json(201, []))
  await addTrustedPublisher('pkg', input, { ...opts, otp })
  t.equal(server.requests[0]?.headers['npm-otp'], otp)

  server.queue(json(401, { error: 'otp required' }, { 'www-authenticate': 'OTP' }))
  await t.rejects(addTrustedPublisher('pkg', input, opts), { code: 'EOTP', statusCode: 401, message: /requires a one-time password/ })

  server.queue(text(401, 'You must provide a one-time pass. Upgrade your client.'))
  await t.rejects(addTrustedPublisher('pkg', input, opts), { code: 'EOTP' }, 'a body naming a one-time password also challenges')

  let asked = 0
  server.queue(json(401, {}, { 'www-authenticate': 'otp' }), json(201, [{ id: 'x' }]))
  const got = await addTrustedPublisher('pkg', input, { ...opts, otpPrompt: async () => { asked++; return otp } })
  t.same(got, [{ id: 'x' }])
  t.equal(asked, 1)
  const [challenged, retried] = server.requests.slice(-2)
  t.notOk(challenged?.headers['npm-otp'])
  t.equal(retried?.headers['npm-otp'], otp)
  t.equal(retried?.headers.authorization, `Bearer ${token}`)
  t.equal(retried?.body, challenged?.body, 'the same body is sent again')

  server.queue(json(401, {}, { 'www-authenticate': 'otp' }))
  await t.rejects(addTrustedPublisher('pkg', input, { ...opts, otpPrompt: async () => '' }), { code: 'EOTP' }, 'no answer: the challenge surfaces')
})

t.test('validation happens before any request', async (t) => {
  const { server, opts } = await registry(t)
  await t.rejects(addTrustedPublisher('pkg', { type: 'github', repository: 'acme', file: 'release.yml', permissions: ['createPackage'] }, opts), { name: 'TypeError', message: /`publisher\.repository`/ })
  await t.rejects(addTrustedPublisher('pkg', [], opts), { name: 'TypeError', message: /`publishers`/ })
  t.equal(server.requests.length, 0)
})
