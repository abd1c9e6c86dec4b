import t from 'tap'
import { escapePackageName } from '../lib/package-name.js'

t.test('npa escaping', async (t) => {
  t.equal(escapePackageName('pkg'), 'pkg')
  t.equal(escapePackageName('@scope/name'), '@scope%2fname')
  for (const bad of ['', '@scope', 'git+https://x/y.git', 'pkg@^1', './dir', null]) {
    t.throws(() => escapePackageName(bad, 'manifest.name'), { name: 'TypeError', message: /`manifest\.name`/ }, String(bad))
  }
})
