import t from 'tap'
import { audiences, checkClaims, decodeIdToken } from '../../lib/client/claims.js'
import { makeIdToken } from '../fixtures/id-token.js'

const context = { provider: 'github-actions', providerName: 'GitHub Actions', source: 'NPM_ID_TOKEN' }

t.test('decodes a JWT into frozen claims', async (t) => {
  const claims = await decodeIdToken(makeIdToken({ aud: 'npm:x', repository: 'acme/widgets' }), context)
  t.equal(claims.repository, 'acme/widgets')
  t.ok(Object.isFrozen(claims))
})

t.test('malformed tokens', async (t) => {
  const badPayload = `${Buffer.from('{"alg":"none"}').toString('base64url')}.bm90LWpzb24.sig`
  for (const token of ['', 'a.b', 'x.y.z', badPayload]) {
    await t.rejects(decodeIdToken(token, context), { code: 'ERR_OIDC_ID_TOKEN_MALFORMED', provider: 'github-actions', hint: /raw JWT/ }, JSON.stringify(token))
  }
  await t.rejects(decodeIdToken('x', { ...context, provider: 'circleci', providerName: 'CircleCI' }), { hint: /circleci run oidc get/ })
})

t.test('audiences in every shape', async (t) => {
  t.same(audiences({ aud: 'a' }), ['a'])
  t.same(audiences({ aud: ['a', 1, 'b'] }), ['a', 'b'])
  t.same(audiences({ aud: 7 }), [])
  t.same(audiences({}), [])
})

t.test('checks, with a fixed clock', async (t) => {
  const now = Date.UTC(2026, 10, 25, 12, 0, 0)
  const exp = now / 1000 + 60
  t.doesNotThrow(() => checkClaims({ aud: 'npm:x', exp }, 'npm:x', context, now))
  t.doesNotThrow(() => checkClaims({ aud: ['npm:x'], exp }, 'npm:x', context, now), 'a one-element array')
  t.throws(() => checkClaims({ aud: 'npm:x', exp: now / 1000 + 30 }, 'npm:x', context, now), { code: 'ERR_OIDC_ID_TOKEN_EXPIRED', message: /exp 2026-11-25T12:00:30\.000Z, 30 s left/ })
  t.throws(() => checkClaims({ aud: 'npm:x', exp: '1' }, 'npm:x', context, now), { code: 'ERR_OIDC_ID_TOKEN_MALFORMED' })
  t.throws(() => checkClaims({ aud: 'npm:y', exp }, 'npm:x', context, now), { code: 'ERR_OIDC_AUDIENCE_MISMATCH', message: /^GitHub Actions: ID token audience mismatch \(expected npm:x, got npm:y\)/ })
  t.throws(() => checkClaims({ aud: 'npm:x', exp, 'oidc.circleci.com/ssh-rerun': true }, 'npm:x', context, now), { code: 'ERR_OIDC_SSH_RERUN' })
  t.doesNotThrow(() => checkClaims({ aud: 'npm:x', exp, 'oidc.circleci.com/ssh-rerun': false }, 'npm:x', context, now))
  t.doesNotThrow(() => checkClaims({ aud: 'npm:x', exp: Math.floor(Date.now() / 1000) + 60 }, 'npm:x', context), 'default clock')
})
