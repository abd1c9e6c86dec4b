import t from 'tap'
import fc from 'fast-check'
import npa from 'npm-package-arg'
import { escapePackageName } from '../../lib/client/package-name.js'

// The reference: what libnpmoidc did with npm-package-arg, whose reading of a name the validator must keep.
function npaEscaped (name: string): string | null {
  try {
    const spec = npa(name)
    return spec.registry && spec.name === name ? spec.escapedName : null
  } catch {
    return null
  }
}

const escaped = (name: unknown): Promise<string | null> => escapePackageName(name).catch(() => null)

t.test('npa escaping', async (t) => {
  t.equal(await escapePackageName('pkg'), 'pkg')
  t.equal(await escapePackageName('@scope/name'), '@scope%2fname')
  for (const bad of ['', '@scope', 'git+https://x/y.git', 'pkg@^1', './dir', null]) {
    await t.rejects(escapePackageName(bad, 'manifest.name'), { name: 'TypeError', message: /`manifest\.name`/ }, String(bad))
  }
})

t.test('the same names as npm-package-arg, escaped alike', async (t) => {
  const cases = [
    'pkg', '@scope/name', '@Scope/Name', 'Legacy-Caps', 'http', 'fs', `a${'x'.repeat(220)}`, "it's~(ok)!*", 'a.b_c-d',
    '@scope/name.tgz', 'name.tgz', 'name.TAR.GZ', 'name.tar', 'name.tarx', '@s/a.b', '@s/.hidden', '.hidden', '_under',
    '-dash', ' pkg', 'pkg ', 'node_modules', 'favicon.ico', 'NODE_MODULES', '@/name', '@scope/', '@scope/a/b', 'a/b',
    'a@b', '@a@b/c', 'pkg@1', 'http:x', 'git+ssh:x', 'file:x', 'npm:x', '~/x', 'C:x', 'a%2fb', 'a b', 'ünï', 'a:b',
    '@scope%2fname', 'user/repo', 'github:user/repo', '*', '@', '/', '.', '..', 'a..b',
  ]
  for (const name of cases) t.equal(await escaped(name), npaEscaped(name), JSON.stringify(name))
  const alphabet = fc.constantFrom(...'aZ09@/._-~!*() :%+tgzr'.split(''))
  await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ unit: alphabet, maxLength: 12 }), fc.string()), async (name) =>
    await escaped(name) === npaEscaped(name)), { numRuns: 2000 })
})
