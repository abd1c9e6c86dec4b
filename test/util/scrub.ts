import t from 'tap'
import { inspect } from 'node:util'
import { scrubSecret, scrubText } from '../../lib/util/scrub.js'

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

t.test('reaches every depth, hidden and symbol-keyed properties, Buffers and Maps', async (t) => {
  const map = Symbol('map')
  const deep = { a: { b: { c: { d: { e: { f: 'npm_secret' } } } } } }
  const cycle: Record<string, unknown> = { text: 'npm_secret' }
  cycle.self = cycle
  const cause = new Error('inner npm_secret')
  const err = Object.assign(new Error('outer', { cause }), {
    deep,
    cycle,
    body: Buffer.from('{"echo":"npm_secret"}'),
    untouched: Buffer.from('nothing to see'),
    headers: { [map]: { 'x-echo': ['Bearer npm_secret'] } },
    entries: new Map<string, unknown>([
      ['text', 'npm_secret'], ['buffer', Buffer.from('npm_secret')], ['nested', { v: 'npm_secret' }], ['n', 1],
    ]),
  })
  const untouched = err.untouched
  scrubSecret(err, 'npm_secret')
  t.equal(deep.a.b.c.d.e.f, '***')
  t.equal(cycle.text, '***')
  t.equal(cause.message, 'inner ***')
  t.equal(err.body.toString(), '{"echo":"***"}')
  t.equal(err.untouched, untouched, 'a Buffer without the secret is kept as it was')
  t.same(err.headers[map], { 'x-echo': ['Bearer ***'] })
  t.same([...err.entries], [
    ['text', '***'], ['buffer', Buffer.from('***')], ['nested', { v: '***' }], ['n', 1],
  ])
  t.notMatch(inspect(err, { depth: null, showHidden: true }), 'npm_secret')
})

t.test('finds the secret where an echo encoded it', async (t) => {
  const secret = 'ab.c/d'
  t.equal(scrubText('json: ab\\u002Ec\\/d, url: ab%2ec%2Fd, html: ab&#46;c&#x2F;d, plain: ab.c/d', secret),
    'json: ***, url: ***, html: ***, plain: ***')
  t.equal(scrubText('abXc/d ab.c/', secret), 'abXc/d ab.c/', 'a near miss is left alone')
  t.equal(scrubText('ü and é', 'é'), 'ü and ***', 'beyond ASCII, only the character itself')
  t.equal(scrubText('anything', ''), 'anything', 'an empty secret masks nothing')
})

t.test('masks whole escapes around a match and keeps everything else byte for byte', async (t) => {
  const secret = 'ab.c/d'
  t.equal(scrubText('&#9999999; ab&#x2e;c/d %zz \\x', secret), '&#9999999; *** %zz \\x',
    'an escape of no code point, a broken one and a lone backslash stay as they were')
  t.equal(scrubText('ab.c/dab\\u002ec\\/d & 100%', secret), '****** & 100%', 'back to back, plain then encoded')
  t.equal(scrubText('\\u00e9 and 50% off & more', secret), '\\u00e9 and 50% off & more', 'no match: the text as it was')
  const long = `${'a.'.repeat(64 * 1024)}%41${secret}`
  t.equal(scrubText(long, secret), `${'a.'.repeat(64 * 1024)}%41***`, 'a 128 KiB body with escapes')
})

t.test('leaves what it cannot or need not touch', async (t) => {
  const frozen = Object.freeze({ body: 'npm_secret' })
  t.equal(scrubSecret(frozen, 'npm_secret').body, 'npm_secret', 'a frozen object is left as it is, without throwing')
  t.equal(scrubSecret('npm_secret', 'npm_secret'), 'npm_secret', 'not an object')
  t.equal(scrubSecret(null, 'x'), null)
  const err = { message: 'x' }
  t.equal(scrubSecret(err, '').message, 'x', 'an empty secret masks nothing')
})
