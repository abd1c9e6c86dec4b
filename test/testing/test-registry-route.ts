import t from 'tap'
import { routeOf } from '../../lib/testing/test-registry-route.js'

t.test('the routes of the test registry', async (t) => {
  const cases: Array<[string, string, object]> = [
    ['POST', '/-/npm/v1/oidc/token/exchange/package/@acme%2fwidgets', { kind: 'exchange', pkgName: '@acme/widgets', rest: [] }],
    ['POST', '/-/npm/v1/oidc/token/exchange/package/%E0%A4%A', { kind: 'exchange', rest: [] }],
    ['POST', '/-/npm/v1/oidc/token/exchange/package/', { kind: 'exchange', rest: [] }],
    ['GET', '/@acme%2fwidgets', { kind: 'packument', pkgName: '@acme/widgets', rest: [] }],
    ['GET', '/@acme/widgets', { kind: 'packument', pkgName: '@acme/widgets', rest: [] }],
    ['PUT', '/widgets', { kind: 'publish', pkgName: 'widgets', rest: [] }],
    ['GET', '/@acme/widgets/-/widgets-1.0.0.tgz', { kind: 'tarball', pkgName: '@acme/widgets', rest: ['widgets-1.0.0.tgz'] }],
    ['GET', '/widgets/-/widgets-1.0.0.txt', { kind: 'other', rest: [] }],
    ['GET', '/widgets/1.0.0', { kind: 'other', rest: [] }],
    ['GET', '/@acme', { kind: 'other', rest: [] }],
    ['GET', '/%E0%A4%A', { kind: 'other', rest: [] }],
    ['GET', '/widgets/%E0%A4%A', { kind: 'other', rest: [] }],
    ['GET', '/', { kind: 'other', rest: [] }],
    ['GET', '/-/package/@acme%2fwidgets/dist-tags/next', { kind: 'dist-tags', pkgName: '@acme/widgets', rest: ['next'] }],
    ['GET', '/-/package/widgets/visibility', { kind: 'visibility', pkgName: 'widgets', rest: [] }],
    ['DELETE', '/-/package/widgets/trust/cfg%2F1%3Ax', { kind: 'trust', pkgName: 'widgets', rest: ['cfg/1:x'] }],
    ['GET', '/-/package/widgets/collaborators', { kind: 'other', rest: [] }],
    ['GET', '/-/package/widgets', { kind: 'other', rest: [] }],
    ['GET', '/-/package/', { kind: 'other', rest: [] }],
    ['GET', '/-/whoami', { kind: 'other', rest: [] }],
    ['GET', '/-/npm/v1/attestations/@acme%2fwidgets@1.0.0', { kind: 'attestations', pkgName: '@acme/widgets', rest: ['1.0.0'] }],
    ['GET', '/-/npm/v1/attestations/widgets@2.0.0-rc.1', { kind: 'attestations', pkgName: 'widgets', rest: ['2.0.0-rc.1'] }],
    ['GET', '/-/npm/v1/attestations/widgets', { kind: 'other', rest: [] }],
    ['GET', '/-/npm/v1/attestations/', { kind: 'other', rest: [] }],
    ['GET', '/-/npm/v1/attestations/a@1/b', { kind: 'other', rest: [] }],
    ['GET', '/-/npm/v1/keys', { kind: 'other', rest: [] }],
    ['POST', '/-/stage/package/@acme%2fwidgets', { kind: 'stage', pkgName: '@acme/widgets', rest: [] }],
    ['POST', '/-/stage/package/widgets', { kind: 'stage', pkgName: 'widgets', rest: [] }],
    ['POST', '/-/stage/package/widgets/extra', { kind: 'other', rest: [] }],
    ['POST', '/-/stage/package/', { kind: 'other', rest: [] }],
    ['POST', '/-/stage/other', { kind: 'other', rest: [] }],
  ]
  for (const [method, path, expected] of cases) t.same(routeOf(method, path), expected, `${method} ${path}`)
})
