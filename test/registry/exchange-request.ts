import t from 'tap'
import { parseExchangeRequest } from '../../lib/registry/exchange-request.js'

const route = '/-/npm/v1/oidc/token/exchange/package/'
const req = (url: string | undefined, authorization?: string, method = 'POST') =>
  parseExchangeRequest({ method, url, headers: authorization === undefined ? {} : { authorization } })

t.test('names, escaped or not, under any prefix', async t => {
  const cases: Array<[string, string]> = [
    [`${route}pkg`, 'pkg'],
    [`${route}@scope%2fname`, '@scope/name'],
    [`${route}@scope%2Fname`, '@scope/name'],
    [`${route}@scope/name`, '@scope/name'],
    [`/artifactory/api/npm/repo${route}@scope%2fname?x=1`, '@scope/name'],
    [`${route}OldCaps`, 'OldCaps'],
  ]
  for (const [url, pkgName] of cases) t.strictSame(req(url, 'Bearer a.b.c'), { kind: 'exchange', pkgName, idToken: 'a.b.c' }, url)
})

t.test('bearer parsing', async t => {
  t.match(req(`${route}pkg`, 'bearer  a.b.c '), { idToken: 'a.b.c' })
  t.match(req(`${route}pkg`), { kind: 'exchange', idToken: undefined })
  t.match(req(`${route}pkg`, 'Basic dTpw'), { idToken: undefined })
  t.match(req(`${route}pkg`, 'Bearer a b'), { idToken: undefined })
})

t.test('other paths, methods and bad names', async t => {
  t.strictSame(req('/-/whoami'), { kind: 'other' })
  t.strictSame(req(undefined), { kind: 'other' })
  t.match(req(`${route}pkg`, undefined, 'GET'), { kind: 'invalid', status: 405, reason: 'method GET not allowed' })
  for (const name of ['', '%E0%A4%A', '@scope', 'a/b', '@s/n/x', '.hidden', '_under', '@.s/n', 'a b', 'x'.repeat(215)]) {
    t.match(req(`${route}${name}`), { kind: 'invalid', status: 400 }, JSON.stringify(name.slice(0, 20)))
  }
})
