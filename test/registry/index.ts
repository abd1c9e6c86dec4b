import t from 'tap'
import * as registry from '../../lib/registry/index.js'

t.test('named exports only', async t => {
  t.strictSame(Object.keys(registry).sort(), [
    'createExchangeHandler', 'matchTrustedPublisher', 'provenanceRejection', 'verifyIdToken', 'verifyProvenance',
  ])
})
