import t from 'tap'
import { showTime, showValue } from '../../lib/registry/show-value.js'

t.test('showValue', async t => {
  t.equal(showValue(undefined), 'none')
  t.equal(showValue(['a']), '["a"]')
  t.equal(showValue('x'.repeat(200)), `"${'x'.repeat(119)}…`)
})

t.test('showTime', async t => {
  t.equal(showTime(0), '1970-01-01T00:00:00.000Z')
  t.equal(showTime(1e20), '100000000000000000000')
})

t.test('a value too deeply nested to serialise is named, not thrown', async t => {
  const deep = JSON.parse('['.repeat(20_000) + ']'.repeat(20_000))
  t.equal(showValue(deep), 'a value too deeply nested to show')
})
