import t from 'tap'
import { readFile } from 'node:fs/promises'
import { version } from '../lib/version.js'

t.test('version matches package.json', async (t) => {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
  t.equal(version, pkg.version)
})
