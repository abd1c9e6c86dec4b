import t from 'tap'
import { excerpt, isTransientStatus, parseJson, registryMessageOf, stringField } from '../../lib/util/response.js'

t.test('parsing bodies', async (t) => {
  t.same(parseJson('{"a":1}'), { a: 1 })
  t.equal(parseJson('<html>'), undefined)
  t.equal(stringField({ a: 'x' }, 'a'), 'x')
  t.equal(stringField({ a: '' }, 'a'), undefined)
  t.equal(stringField({ a: 1 }, 'a'), undefined)
  t.equal(stringField(null, 'a'), undefined)
  t.equal(stringField('a', 'a'), undefined)
})

t.test('registry messages', async (t) => {
  t.equal(registryMessageOf('{"message":"OIDC token exchange error - package not found"}'), 'OIDC token exchange error - package not found')
  t.equal(registryMessageOf('{"error":"forbidden"}'), 'forbidden')
  t.equal(registryMessageOf('{"ok":true}'), '{"ok":true}')
  t.equal(registryMessageOf('  '), undefined)
  t.equal(registryMessageOf('<p>\n  Bad\n gateway </p>'), '<p> Bad gateway </p>')
  t.equal(excerpt('x'.repeat(250)), `${'x'.repeat(200)}…`)
})

t.test('registry messages from what npm-registry-fetch keeps of a failed response', async (t) => {
  t.equal(registryMessageOf({ message: 'package not found' }), 'package not found', 'parsed JSON, npmjs')
  t.equal(registryMessageOf({ error: 'forbidden' }), 'forbidden', 'parsed JSON, Verdaccio')
  t.equal(registryMessageOf({ message: 42 }), undefined, 'no message of a known shape')
  t.equal(registryMessageOf(undefined), undefined)
  const page = Buffer.from('<html>\n bad gateway </html>')
  t.equal(registryMessageOf(page), '<html> bad gateway </html>', 'a Buffer: not JSON')
  t.equal(registryMessageOf(Buffer.from('{"error":"no such package"}')), 'no such package')
  t.equal(registryMessageOf(Buffer.from('  ')), undefined)
  t.equal(registryMessageOf({ message: 'm'.repeat(1100) }), `${'m'.repeat(1024)}…`, 'capped')
  t.equal(registryMessageOf({ error: 'echo s3cret' }, 's3cret'), 'echo ***', 'the secret masked in parsed JSON too')
})

t.test('transient statuses', async (t) => {
  for (const status of [500, 502, 503, 504, 408, 425, 429]) t.ok(isTransientStatus(status), String(status))
  for (const status of [200, 400, 401, 403, 404, 409, 422]) t.notOk(isTransientStatus(status), String(status))
})
