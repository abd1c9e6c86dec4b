import t from 'tap'
import { scrubSecret } from '../lib/scrub.js'

t.test('removes a secret from an error and what it carries', async (t) => {
  const err = Object.assign(new Error('404 Not Found - echo: Bearer npm_secret'), {
    body: { error: 'Authorization: Bearer npm_secret', nested: { list: ['npm_secret', 7, null] } },
    headers: { 'x-echo': ['npm_secret'] },
    statusCode: 404,
  })
  t.equal(scrubSecret(err, 'npm_secret'), err)
  t.notMatch(JSON.stringify(err, [...Object.getOwnPropertyNames(err), 'error', 'nested', 'list', 'x-echo']), 'npm_secret')
  t.notMatch(err.stack, 'npm_secret')
  t.equal(err.message, '404 Not Found - echo: Bearer ***')
  t.same(err.body.nested.list, ['***', 7, null])
  t.equal(err.statusCode, 404)
})

t.test('leaves what it cannot or need not touch', async (t) => {
  const frozen = Object.freeze({ body: 'npm_secret' })
  t.equal(scrubSecret(frozen, 'npm_secret').body, 'npm_secret', 'a frozen object is left as it is, without throwing')
  const deep = { a: { b: { c: { d: { e: { f: 'npm_secret' } } } } } }
  t.equal(scrubSecret(deep, 'npm_secret').a.b.c.d.e.f, 'npm_secret', 'beyond the depth limit')
  t.equal(scrubSecret('npm_secret', 'npm_secret'), 'npm_secret', 'not an object')
  t.equal(scrubSecret(null, 'x'), null)
})
