import t from 'tap'
import { isKeySet, resolveVerifyOptions, verifyDefaults } from '../../lib/registry/verify-options.js'

const base = { audience: 'npm:registry.example.com', issuers: ['https://issuer.example'] }

t.test('defaults and inline key sets', async t => {
  const opts = resolveVerifyOptions(base)
  t.match(opts, { clockTolerance: 30, cacheMaxAge: 600_000, sharedJwks: undefined, jwksByIssuer: {}, fetchOptions: {} })
  t.strictSame(verifyDefaults, { clockTolerance: 30, cacheMaxAge: 600_000 })
  const jwks = { keys: [{ kty: 'RSA' }] }
  t.equal(resolveVerifyOptions({ ...base, jwks }).sharedJwks, jwks)
  t.strictSame(resolveVerifyOptions({ ...base, jwks: { 'https://issuer.example': jwks } }).jwksByIssuer,
    { 'https://issuer.example': jwks })
  t.equal(resolveVerifyOptions({ ...base, clockTolerance: 0, cacheMaxAge: 5 }).clockTolerance, 0)
  t.ok(resolveVerifyOptions({ ...base, cache: new Map(), fetchOptions: { timeout: 1 } }))
  t.notOk(isKeySet({ keys: ['x'] }))
  const audiences = ['npm:a', 'npm:a:8080']
  const listed = resolveVerifyOptions({ ...base, audience: audiences, maxTokenAge: 60, seenJti: () => false })
  t.strictSame(listed.audiences, audiences)
  t.not(listed.audiences, audiences, 'the caller\'s list is copied, not frozen')
  t.notOk(Object.isFrozen(audiences))
  t.match(listed, { maxTokenAge: 60, seenJti: Function })
  t.match(opts, { audiences: ['npm:registry.example.com'], maxTokenAge: undefined, seenJti: undefined })
})

t.test('wrong option types are TypeErrors naming the option', async t => {
  const cases: Array<[unknown, RegExp]> = [
    [undefined, /`options` to be an object/],
    [{ ...base, audience: '' }, /`options\.audience` to be a non-empty string or a non-empty array of them \(fixed configuration, never derived from a request\), got ""/],
    [{ ...base, audience: 3 }, /`options\.audience`/],
    [{ ...base, audience: [] }, /`options\.audience`/],
    [{ ...base, audience: ['npm:x', ''] }, /`options\.audience`/],
    [{ ...base, audience: () => 'npm:x' }, /`options\.audience`.*got a function/],
    [{ ...base, seenJti: true }, /`options\.seenJti` to be a function/],
    [{ ...base, maxTokenAge: -1 }, /`options\.maxTokenAge`/],
    [{ ...base, issuers: [] }, /`options\.issuers`/],
    [{ ...base, issuers: 'https://issuer.example' }, /`options\.issuers`/],
    [{ ...base, issuers: [''] }, /`options\.issuers`/],
    [{ ...base, cache: {} }, /`options\.cache`/],
    [{ ...base, cache: { get () {} } }, /`options\.cache`/],
    [{ ...base, fetchOptions: 'x' }, /`options\.fetchOptions`/],
    [{ ...base, jwks: [] }, /`options\.jwks`/],
    [{ ...base, jwks: { a: { keys: 1 } } }, /`options\.jwks`/],
    [{ ...base, clockTolerance: -1 }, /`options\.clockTolerance` to be a non-negative number, got -1/],
    [{ ...base, cacheMaxAge: Infinity }, /`options\.cacheMaxAge`/],
    [{ ...base, clockTolerance: '30' }, /`options\.clockTolerance`/],
  ]
  for (const [options, message] of cases) t.throws(() => resolveVerifyOptions(options), { name: 'TypeError', message })
})
