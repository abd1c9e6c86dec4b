import t from 'tap'
import * as registry from '../../lib/verifier/index.js'

t.test('named exports only', async t => {
  t.strictSame(Object.keys(registry).sort(), ['createExchangeHandler', 'matchTrustedPublisher', 'verifyIdToken'])
})
