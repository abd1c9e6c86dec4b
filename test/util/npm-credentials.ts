import t from 'tap'
import { hasConfiguredCredentials } from '../../lib/util/npm-credentials.js'

const registry = 'https://registry.example.com/npm/repo/'

t.test('finds credentials the way npm-registry-fetch does, up the path', async (t) => {
  const yes: Array<Record<string, unknown>> = [
    { '//registry.example.com/npm/repo/:_authToken': 'tok' },
    { '//registry.example.com/:_authToken': 'tok' },
    { '//registry.example.com/npm/:_auth': 'dXNlcjpwYXNz' },
    { '//registry.example.com/npm/repo/:username': 'u', '//registry.example.com/npm/repo/:_password': 'cA==' },
    { '//registry.example.com/:certfile': '/c.pem', '//registry.example.com/:keyfile': '/k.pem' },
    { forceAuth: { token: 'tok' } },
    { forceAuth: { _authToken: 'tok' } },
    { forceAuth: { auth: 'dXNlcjpwYXNz' } },
  ]
  for (const opts of yes) t.ok(hasConfiguredCredentials(opts, registry), JSON.stringify(opts))
  const no: Array<Record<string, unknown>> = [
    {},
    { '//other.example.com/:_authToken': 'tok' },
    { '//registry.example.com/npm/repo/:username': 'u' },
    { '//registry.example.com/:certfile': '/c.pem' },
    { '//registry.example.com/:_authToken': 'XXXXX-XXXXX-XXXXX-XXXXX' },
    // eslint-disable-next-line no-template-curly-in-string -- setup-node's literal, unexpanded placeholder
    { '//registry.example.com/:_authToken': '${NODE_AUTH_TOKEN}' },
    { '//registry.example.com/:_authToken': '  ' },
    { '//registry.example.com/:_authToken': 42 },
    { forceAuth: {} },
    { forceAuth: { token: 'undefined' } },
  ]
  for (const opts of no) t.notOk(hasConfiguredCredentials(opts, registry), JSON.stringify(opts))
})
