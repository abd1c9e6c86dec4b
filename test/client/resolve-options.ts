import t from 'tap'
import { defaults } from '../../lib/options.js'
import { resolveOptions } from '../../lib/client/resolve-options.js'

t.test('defaults are spread once', async (t) => {
  t.match(resolveOptions(undefined), { ...defaults, signal: undefined, headers: {}, userAgent: undefined })
  t.match(resolveOptions(null), { timeout: defaults.timeout })
  t.ok(Object.isFrozen(resolveOptions({})))
})

t.test('npm\'s timeout 0 means no per-request limit; the deadline still bounds', async (t) => {
  t.equal(resolveOptions({ timeout: 0, deadline: 5000 }).timeout, defaults.deadline)
  t.equal(resolveOptions({ timeout: 10 }).timeout, 10)
})

t.test('retry settings, with fractional retries rounded down', async (t) => {
  t.match(
    resolveOptions({ retry: { retries: 1.7, factor: 3, minTimeout: 5, maxTimeout: 6 } }),
    { retries: 1, factor: 3, minTimeout: 5, maxTimeout: 6 }
  )
})

t.test('wrong types', async (t) => {
  t.throws(() => resolveOptions({ deadline: Number.NaN }), { name: 'TypeError', message: /`opts\.deadline` to be a non-negative number, got null/ })
  t.throws(() => resolveOptions({ retry: { factor: Infinity } }), { message: /`opts\.retry\.factor`/ })
  t.throws(() => resolveOptions({ retry: { minTimeout: -1 } }), { message: /`opts\.retry\.minTimeout`/ })
  t.throws(() => resolveOptions({ retry: { maxTimeout: 'x' } }), { message: /`opts\.retry\.maxTimeout`/ })
  t.throws(() => resolveOptions({ headers: null }), { message: /`opts\.headers`/ })
  t.throws(() => resolveOptions(5), { message: 'Expected `opts` to be an object, got number.' })
})
