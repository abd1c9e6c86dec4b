import t from 'tap'
import { silly, verbose, warn } from '../../lib/util/log.js'
import { captureLogs } from '../fixtures/logs.js'

t.test('one title, three levels', async (t) => {
  const logs = captureLogs(t)
  silly('a')
  verbose('b')
  warn('c')
  t.same(logs, [['silly', 'oidc', 'a'], ['verbose', 'oidc', 'b'], ['warn', 'oidc', 'c']])
})
