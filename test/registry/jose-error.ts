import t from 'tap'
import { fromJoseError } from '../../lib/registry/jose-error.js'

t.test('jose errors map to verify codes', async t => {
  const claims = { exp: 100, nbf: 200 }
  const cases: Array<[object, string, RegExp]> = [
    [{ code: 'ERR_JWT_EXPIRED', message: 'x' }, 'ERR_OIDC_VERIFY_EXPIRED', /exp 1970-01-01T00:01:40\.000Z, now 1970-01-01T00:00:50\.000Z, leeway 30 s/],
    [{ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'nbf', reason: 'check_failed', message: 'x' }, 'ERR_OIDC_VERIFY_NOT_YET_VALID', /nbf 1970-01-01T00:03:20\.000Z/],
    [{ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'nbf', reason: 'invalid', message: '"nbf" claim must be a number' }, 'ERR_OIDC_VERIFY_MALFORMED', /must be a number/],
    [{ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'exp', reason: 'missing', message: 'missing' }, 'ERR_OIDC_VERIFY_MALFORMED', /required claim/],
    [{ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED', message: 'signature verification failed' }, 'ERR_OIDC_VERIFY_SIGNATURE', /signature is invalid/],
    [{ code: 'ERR_JWKS_NO_MATCHING_KEY', message: 'no key' }, 'ERR_OIDC_VERIFY_SIGNATURE', /no key of the issuer/],
    [{ code: 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', message: 'many' }, 'ERR_OIDC_VERIFY_SIGNATURE', /several keys/],
    [{ code: 'ERR_JWS_INVALID', message: 'bad' }, 'ERR_OIDC_VERIFY_MALFORMED', /not a valid JWS/],
    [{ code: 'ERR_JOSE_NOT_SUPPORTED', message: 'unsupported' }, 'ERR_OIDC_VERIFY_KEYS', /keys cannot be used \(unsupported\)/],
    [new TypeError('Invalid key'), 'ERR_OIDC_VERIFY_KEYS', /Invalid key/],
  ]
  for (const [err, code, message] of cases) {
    const mapped = fromJoseError(err, claims, 30, 50)
    t.match(mapped, { name: 'OidcError', code, message, claims }, code)
    t.equal((mapped.cause as Error).message, (err as Error).message)
  }
})
