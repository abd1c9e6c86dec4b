import t from 'tap'
import { readFile } from 'node:fs/promises'
import { OidcError, isOidcError, oidcErrorCodes, type ClientErrorCode, type VerifyErrorCode } from '../lib/errors.js'
import { typeErrors as compile } from './fixtures/type-errors.js'

t.test('message format: provider prefix, facts, hint, docs link', async (t) => {
  const err = new OidcError('ERR_OIDC_AUDIENCE_MISMATCH', {
    what: 'ID token audience mismatch',
    facts: 'expected npm:registry.npmjs.org, got sigstore',
    hint: 'Mint the token for npm:registry.npmjs.org',
    provider: 'gitlab',
    providerName: 'GitLab CI/CD',
    status: 0,
    registryMessage: 'nope',
    claims: { aud: 'sigstore' },
    cause: new Error('inner'),
  })
  t.equal(err.message, 'GitLab CI/CD: ID token audience mismatch (expected npm:registry.npmjs.org, got sigstore). ' +
    'Mint the token for npm:registry.npmjs.org. See https://www.npmjs.com/package/libnpmoidc#err_oidc_audience_mismatch')
  t.equal(err.name, 'OidcError')
  t.equal(err.hint, 'Mint the token for npm:registry.npmjs.org')
  t.match(err, { code: 'ERR_OIDC_AUDIENCE_MISMATCH', provider: 'gitlab', status: 0, registryMessage: 'nope', claims: { aud: 'sigstore' }, cause: { message: 'inner' } })
})

t.test('optional facts stay out when absent', async (t) => {
  const err = new OidcError('ERR_OIDC_NO_PROVIDER', { what: 'no CI provider detected', hint: 'Run this in CI.' })
  t.equal(err.message, 'no CI provider detected. Run this in CI. See https://www.npmjs.com/package/libnpmoidc#err_oidc_no_provider')
  for (const key of ['facts', 'providerName', 'provider', 'status', 'registryMessage', 'claims', 'cause']) {
    t.notOk(key in err, key)
  }
})

t.test('isOidcError works across copies of the class', async (t) => {
  const real = new OidcError('ERR_OIDC_NO_PERMISSION', { what: 'x', hint: 'y' })
  const fromOtherBuild = Object.assign(new Error('x'), { name: 'OidcError', code: 'ERR_OIDC_NO_PERMISSION' })
  t.ok(isOidcError(real))
  t.ok(isOidcError(real, 'ERR_OIDC_NO_PERMISSION'))
  t.notOk(isOidcError(real, 'ERR_OIDC_NO_ID_TOKEN'))
  t.ok(isOidcError(fromOtherBuild, 'ERR_OIDC_NO_PERMISSION'))
  t.notOk(isOidcError(Object.assign(new Error('x'), { name: 'OidcError', code: 'EOTHER' })))
  t.notOk(isOidcError(Object.assign(new Error('x'), { name: 'OidcError', code: 42 })))
  t.notOk(isOidcError(Object.assign(new Error('x'), { code: 'ERR_OIDC_NO_PERMISSION' })))
  t.notOk(isOidcError({ name: 'OidcError', code: 'ERR_OIDC_NO_PERMISSION' }))
  t.notOk(isOidcError(undefined))
})

t.test('the code list has no duplicates and snapshot', async (t) => {
  t.equal(new Set(oidcErrorCodes).size, oidcErrorCodes.length)
  t.ok(Object.isFrozen(oidcErrorCodes))
  t.matchSnapshot(oidcErrorCodes, 'error codes')
})

t.test('the error carries what failed and its facts, as the message shows them', async (t) => {
  const err = new OidcError('ERR_OIDC_AUDIENCE_MISMATCH', {
    what: 'ID token audience mismatch', facts: 'expected a, got b', hint: 'Mint it for a', providerName: 'GitLab CI/CD',
  })
  t.match(err, { what: 'ID token audience mismatch', facts: 'expected a, got b', providerName: 'GitLab CI/CD' })
  t.ok(err.message.startsWith('GitLab CI/CD: ID token audience mismatch (expected a, got b). Mint it for a.'))
  const bare = new OidcError('ERR_OIDC_NO_PROVIDER', { what: 'no CI provider detected', facts: '', hint: 'Run in CI' })
  t.equal(bare.facts, '', 'empty facts are kept as given')
  t.ok(bare.message.startsWith('no CI provider detected. Run in CI.'), 'and stay out of the message')
})

// --- exhaustive switches, type-checked below ---
function clientSide (code: ClientErrorCode): 'client' {
  switch (code) {
    case 'ERR_OIDC_NO_PROVIDER':
    case 'ERR_OIDC_NO_PERMISSION':
    case 'ERR_OIDC_NO_ID_TOKEN':
    case 'ERR_OIDC_ID_TOKEN_REQUEST_FAILED':
    case 'ERR_OIDC_ID_TOKEN_MALFORMED':
    case 'ERR_OIDC_AUDIENCE_MISMATCH':
    case 'ERR_OIDC_ID_TOKEN_EXPIRED':
    case 'ERR_OIDC_SSH_RERUN':
    case 'ERR_OIDC_INSECURE_REGISTRY':
    case 'ERR_OIDC_REDIRECT_REFUSED':
    case 'ERR_OIDC_NO_TRUSTED_PUBLISHER':
    case 'ERR_OIDC_UNAUTHORIZED':
    case 'ERR_OIDC_EXCHANGE_REJECTED':
    case 'ERR_OIDC_EXCHANGE_FAILED':
    case 'ERR_OIDC_EXCHANGE_BAD_RESPONSE':
    case 'ERR_OIDC_PUBLISH_FORBIDDEN':
    case 'ERR_OIDC_PUBLISH_MASKED_404':
    case 'ERR_OIDC_PUBLISH_TOKEN_INVALID':
    case 'ERR_OIDC_TOKEN_MISMATCH':
    case 'ERR_OIDC_DIST_TAG_REFUSED':
    case 'ERR_OIDC_PROVENANCE_REJECTED':
    case 'ERR_OIDC_PROVENANCE_UNAVAILABLE':
    case 'ERR_OIDC_PROVENANCE_MISMATCH':
    case 'ERR_OIDC_PROVENANCE_ENV_MISMATCH':
    case 'ERR_OIDC_PUBLISHED_NOT_FOUND':
    case 'ERR_OIDC_PUBLISHED_UNREADABLE':
    case 'ERR_OIDC_PUBLISHED_NOT_TRUSTED':
    case 'ERR_OIDC_PUBLISHED_OTHER_PROVIDER':
    case 'ERR_OIDC_PUBLISHED_NO_PROVENANCE':
    case 'ERR_OIDC_PUBLISHED_OTHER_SOURCE':
    case 'ERR_OIDC_WORKSPACE_INVALID':
    case 'ERR_OIDC_WORKSPACE_PROTOCOL':
      return 'client'
    default: {
      const unhandled: never = code
      return unhandled
    }
  }
}

function verifySide (code: VerifyErrorCode): 'verify' {
  switch (code) {
    case 'ERR_OIDC_VERIFY_MALFORMED':
    case 'ERR_OIDC_VERIFY_SIGNATURE':
    case 'ERR_OIDC_VERIFY_ISSUER':
    case 'ERR_OIDC_VERIFY_AUDIENCE':
    case 'ERR_OIDC_VERIFY_EXPIRED':
    case 'ERR_OIDC_VERIFY_NOT_YET_VALID':
    case 'ERR_OIDC_VERIFY_KEYS':
    case 'ERR_OIDC_VERIFY_LIFETIME':
    case 'ERR_OIDC_VERIFY_REPLAYED':
    case 'ERR_OIDC_VERIFY_PROVENANCE_MALFORMED':
    case 'ERR_OIDC_VERIFY_PROVENANCE_SIGNATURE':
    case 'ERR_OIDC_VERIFY_PROVENANCE_SUBJECT':
    case 'ERR_OIDC_VERIFY_PROVENANCE_IDENTITY':
    case 'ERR_OIDC_VERIFY_PROVENANCE_REPOSITORY':
      return 'verify'
    default: {
      const unhandled: never = code
      return unhandled
    }
  }
}
// --- end of the exhaustive switches ---

const HEADER = 'import { OidcError, isOidcError, type ClientErrorCode, type OidcErrorCode, type VerifyErrorCode } ' +
  'from \'../lib/errors.js\'\n'
const typeErrors = (bodies: Record<string, string>): Record<string, string[]> => compile('errors-types', HEADER, bodies)

t.test('client and registry-side codes are separate types; a switch over either is exhaustive', async (t) => {
  const verify = oidcErrorCodes.filter((code) => code.startsWith('ERR_OIDC_VERIFY_'))
  const client = oidcErrorCodes.filter((code) => !code.startsWith('ERR_OIDC_VERIFY_'))
  t.same(client.map((code) => clientSide(code as ClientErrorCode)), client.map(() => 'client'))
  t.same(verify.map((code) => verifySide(code as VerifyErrorCode)), verify.map(() => 'verify'))
  t.equal(client.length + verify.length, oidcErrorCodes.length)

  const own = await readFile(new URL(import.meta.url), 'utf8')
  const switches = /\/\/ --- exhaustive switches, type-checked below ---\n([\s\S]*?)\/\/ --- end/.exec(own)?.[1] ?? ''
  t.ok(switches.includes('function clientSide') && switches.includes('function verifySide'), 'found the switches')
  const usage = `
    declare const any: OidcErrorCode
    const split: ClientErrorCode | VerifyErrorCode = any
    const whole: OidcErrorCode = split
    declare const caught: unknown
    if (isOidcError<ClientErrorCode>(caught)) clientSide(caught.code)
    if (isOidcError(caught, 'ERR_OIDC_VERIFY_KEYS')) verifySide(caught.code)
    const narrowed: OidcError<ClientErrorCode> = new OidcError('ERR_OIDC_NO_PROVIDER', { what: 'w', hint: 'h' })
    void whole; void narrowed
  `
  const errors = typeErrors({
    ok: switches + usage,
    missingClient: switches.replace("    case 'ERR_OIDC_SSH_RERUN':\n", ''),
    missingVerify: switches.replace("    case 'ERR_OIDC_VERIFY_KEYS':\n", ''),
    crossed: switches.replace("    case 'ERR_OIDC_NO_PROVIDER':\n", "    case 'ERR_OIDC_VERIFY_KEYS':\n$&"),
    verifyAsClient: 'const x: ClientErrorCode = \'ERR_OIDC_VERIFY_KEYS\'; void x',
    clientAsVerify: 'const x: VerifyErrorCode = \'ERR_OIDC_NO_PROVIDER\'; void x',
  })
  t.same(errors.ok, [], 'the switches and the types compile')
  t.notOk('elsewhere' in errors, 'lib/errors.ts itself compiles')
  const one = (name: string, pattern: RegExp, message: string): void => {
    t.equal(errors[name]?.length, 1, `${message}: one error`)
    t.match(errors[name]?.[0], pattern, message)
  }
  one('missingClient', /"ERR_OIDC_SSH_RERUN"' is not assignable to type 'never'/, 'a missing client case fails')
  one('missingVerify', /"ERR_OIDC_VERIFY_KEYS"' is not assignable to type 'never'/, 'a missing verify case fails')
  one('crossed', /"ERR_OIDC_VERIFY_KEYS"' is not comparable to type/, 'a client switch cannot name a verify code')
  one('verifyAsClient', /not assignable to type 'ClientErrorCode'/, 'a verify code is no client code')
  one('clientAsVerify', /not assignable to type/, 'a client code is no verify code')
})
