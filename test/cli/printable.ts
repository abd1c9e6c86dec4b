import t from 'tap'
import { printable } from '../../lib/cli/printable.js'

t.test('control characters become visible escapes; other text is untouched', async (t) => {
  t.equal(printable('a\nb\rc\td'), 'a\\nb\\rc\\td')
  t.equal(printable('\u001b[31mred\u001b[0m\u0007\u0000\u007f\u009b'), '\\x1b[31mred\\x1b[0m\\x07\\x00\\x7f\\x9b')
  t.equal(printable('line\u2028para\u2029'), 'line\\u2028para\\u2029')
  t.equal(printable('ünïcode ✓ | `code` # not a heading'), 'ünïcode ✓ | `code` # not a heading')
})
