import t from 'tap'
import { escapePackageName } from '../../lib/client/package-name.js'

t.test('npa escaping', async (t) => {
  t.equal(await escapePackageName('pkg'), 'pkg')
  t.equal(await escapePackageName('@scope/name'), '@scope%2fname')
  for (const bad of ['', '@scope', 'git+https://x/y.git', 'pkg@^1', './dir', null]) {
    await t.rejects(escapePackageName(bad, 'manifest.name'), { name: 'TypeError', message: /`manifest\.name`/ }, String(bad))
  }
})
