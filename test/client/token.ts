import t from 'tap'
import { inspect } from 'node:util'
import { ExchangedToken } from '../../lib/client/token.js'

t.test('the secret stays out of inspect and JSON, and out of spreads', async (t) => {
  const token = new ExchangedToken('npm_secret_value', { authKey: '//h/:_authToken', registry: 'https://h/', package: 'p', provider: 'gitlab', claims: { aud: 'npm:h' } })
  t.equal(token.token, 'npm_secret_value')
  const views = [
    inspect(token, { showHidden: true, depth: 10 }),
    JSON.stringify(token),
    JSON.stringify({ ...token }),
    String(Object.keys(token)),
  ]
  for (const view of views) {
    t.notMatch(view, 'npm_secret_value')
  }
  t.ok(Object.isFrozen(token))
  t.notOk('expires' in token)
  const expiring = new ExchangedToken('x', { authKey: 'k', registry: 'r', package: 'p', provider: 'gitlab', claims: {}, expires: new Date(0) })
  t.equal(expiring.expires?.getTime(), 0)
})
