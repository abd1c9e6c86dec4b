import t from 'tap'
import { planTrustRequest } from '../../lib/trust/plan-trust-request.js'

t.test('README-style plan: nothing is sent', async (t) => {
  const registry = 'http://127.0.0.1:1/prefix'
  t.same(await planTrustRequest({ action: 'revoke', package: '@acme/widgets', id: 'cfg/1:x' }, { registry }), {
    package: '@acme/widgets',
    registry: 'http://127.0.0.1:1/prefix/',
    method: 'DELETE',
    url: 'http://127.0.0.1:1/prefix/-/package/@acme%2fwidgets/trust/cfg%2F1%3Ax',
    headers: { 'npm-command': 'trust' },
    warnings: [],
  })
  const add = await planTrustRequest({ action: 'add', package: 'pkg', publishers: { type: 'github', repository: 'a/b', file: 'r.yml', permissions: ['createPackage'] } })
  t.equal(add.url, 'https://registry.npmjs.org/-/package/pkg/trust', 'npm\'s default registry')
  t.same(add.headers, { 'npm-command': 'trust', 'npm-auth-type': 'web', 'content-type': 'application/json' })
})

t.test('argument shapes', async (t) => {
  await t.rejects(planTrustRequest(null as never), { name: 'TypeError', message: /`operation`/ })
  await t.rejects(planTrustRequest({ action: 'list', package: 'pkg' }, 'x' as never), { name: 'TypeError', message: /`opts`/ })
  await t.rejects(planTrustRequest({ action: 'edit', package: 'pkg' } as never), { name: 'TypeError', message: /^Expected `operation\.action` to be 'list', 'add' or 'revoke', got "edit"\.$/ })
  await t.rejects(planTrustRequest({ package: 'pkg' } as never), { name: 'TypeError', message: /got nothing/ })
})
