import t from 'tap'
import { redactUrls } from '../../lib/util/redact-urls.js'

t.test('redacts the credentials of every URL in a text, and nothing else', async (t) => {
  t.equal(redactUrls('see https://user:pass@host.example/x and (http://a:b@c/) or "ftp://u:p@h"'),
    'see https://user:***@host.example/x and (http://a:***@c/) or "ftp://u:***@h"')
  t.equal(redactUrls('git+https://u:secret@github.com/a/b.git'), 'git+https://u:***@github.com/a/b.git')
  t.equal(redactUrls('x_http://u:p@h/'), 'x_http://u:***@h/', 'a URL glued to a word character')
  t.equal(redactUrls('project 123e4567-e89b-12d3-a456-426614174000'), 'project 123e4567-e89b-12d3-a456-426614174000',
    'a UUID outside a URL is kept: CircleCI ids name trusted publishers')
  t.equal(redactUrls('1http://u:p@h/'), '1http://u:p@h/', 'a scheme starts with a letter')
})

t.test('a long run of scheme characters without a URL comes back unchanged', async (t) => {
  // Each run is tried from its first character only; this input made the former pattern quadratic.
  const hostile = 'a.'.repeat(64 * 1024)
  t.equal(redactUrls(hostile), hostile)
  t.equal(redactUrls(`${hostile} https://u:p@h/`), `${hostile} https://u:***@h/`, 'a URL after the run is still found')
})
