import t from 'tap'
import { typeErrors as compile } from './fixtures/type-errors.js'

const HEADER = 'import { getOidcToken, getOidcTokens, publishWithOidc, diagnose, preflight, ' +
  'listTrustedPublishers, publishAllWithOidc, distTagWithOidc, type OidcProvider, type OidcTokenResult, ' +
  'type OidcToken, type PublishAllResult } from \'../lib/index.js\'\n'
const typeErrors = (bodies: Record<string, string>): Record<string, string[]> => compile('types', HEADER, bodies)

const expectations = `
declare const env: Record<string, string | undefined>
declare const manifest: { name: string, version: string }
declare const tarball: Buffer
// @ts-expect-error: a misspelt option
void getOidcToken('pkg', 'https://registry.npmjs.org/', env, { timout: 1000 })
// @ts-expect-error: a misspelt batch option
void getOidcTokens(['pkg'], 'https://registry.npmjs.org/', env, { concurency: 2 })
// @ts-expect-error: a misspelt libnpmpublish option
void publishWithOidc(manifest, tarball, { acces: 'public' })
// @ts-expect-error: a misspelt diagnose option
void diagnose('pkg', 'https://registry.npmjs.org/', env, { provenanceFil: 'x' })
// @ts-expect-error: a misspelt preflight option
void preflight([], { concurrancy: 2 })
// @ts-expect-error: a misspelt trust option
void listTrustedPublishers('pkg', { otpPrompts: async () => '1' })
// @ts-expect-error: a misspelt batch publish option
void publishAllWithOidc([{ manifest, tarball }], { bails: false })
// @ts-expect-error: a batch publish takes no handed-over token
void publishAllWithOidc([{ manifest, tarball }], { oidcToken: {} as OidcToken })
// @ts-expect-error: a misspelt dist-tag option
void distTagWithOidc('pkg', '1.0.0', 'next', { forceRegistri: 'x' })
declare const p: PublishAllResult
if (p.ok) {
  // @ts-expect-error: a published entry has no error
  const none: Error = p.error
  void none
}
declare const r: OidcTokenResult
if (r.error) {
  const code: string = r.error.code
  // @ts-expect-error: a failed entry has no token
  const none: OidcToken = r.token
  void code; void none
} else {
  // @ts-expect-error: a token entry has no error
  const none: Error = r.error
  void none
}
declare const oidc: OidcToken
// @ts-expect-error: the token is not in a spread copy
const leaked: string = { ...oidc }.token
void leaked
const provider: OidcProvider = {
  id: 'x', name: 'X', detectedBy: 'X', detect: () => true,
  async getIdToken (context) {
    // @ts-expect-error: the call's resolved options are not a provider's business
    void context.options
    // @ts-expect-error: nor its clock
    void context.clock
    return { idToken: context.audience, source: 'x' }
  },
}
void provider
`

const positive = `
declare const env: Record<string, string | undefined>
declare const manifest: { name: string, version: string }
declare const tarball: Buffer
const npmConfig = {
  registry: 'https://registry.npmjs.org/',
  '//registry.npmjs.org/:_authToken': 'x',
  '//npm.example/:_auth': 'x',
  '@acme:registry': 'https://npm.example/',
  httpsProxy: 'http://proxy.example/', noProxy: 'localhost', strictSSL: true, ca: null, fetchRetries: 2,
  userAgent: 'npm/11', npmCommand: 'publish', maxSockets: 4,
}
void getOidcToken('pkg', 'https://registry.npmjs.org/', env, { ...npmConfig, timeout: 1000, deadline: 5000 })
void getOidcTokens(['pkg'], 'https://registry.npmjs.org/', env, { ...npmConfig, concurrency: 2 })
void publishWithOidc(manifest, tarball, { ...npmConfig, access: 'public', tag: 'next', provenance: 'auto' })
void diagnose('pkg', 'https://registry.npmjs.org/', env, { ...npmConfig, provenanceFile: 'x' })
void preflight([], { ...npmConfig, registry: () => 'https://registry.npmjs.org/', concurrency: 2 })
void listTrustedPublishers('pkg', { ...npmConfig, otp: '123456' })
void publishAllWithOidc([{ manifest, tarball }], { ...npmConfig, concurrency: 2, bail: false, onProgress: (d, n, name, e) => {
  const phase: 'exchange' | 'check' | 'publish' = e.phase
  void d; void n; void name; void phase
}, logger: (level, message) => { void level; void message } })
declare const handed: OidcToken
void publishWithOidc(manifest, tarball, { oidcToken: handed })
void distTagWithOidc('pkg', '1.0.0', 'next', { ...npmConfig, oidcToken: handed, oidc: 'required' })
declare const pr: PublishAllResult
const outcome: string = pr.ok ? pr.res.oidc.auth.method : pr.skipped ? 'skipped' : pr.error.message
void outcome
declare const r: OidcTokenResult
const authKey: string = r.error ? r.error.code : r.token.authKey
const secret: string = r.token ? r.token.token : r.error.message
declare const oidc: OidcToken
const { authKey: key, ...rest } = oidc
const copy: { readonly registry: string } = { ...oidc }
void authKey; void secret; void key; void rest; void copy
const provider: OidcProvider = {
  id: 'x', name: 'X', detectedBy: 'X', detect: () => true,
  async getIdToken ({ env, audience, signal, timeout, deadlineAt }) {
    const left: number = Math.min(timeout, deadlineAt - Date.now())
    signal.throwIfAborted()
    return { idToken: \`\${env.X ?? ''}\${audience}\${left}\`, source: 'x' }
  },
}
void provider
`

t.test('misspelt options fail to compile, results narrow, the token is not in a spread', async (t) => {
  const targets = [...expectations.matchAll(/@ts-expect-error/g)].length
  t.equal(targets, 15, 'every expectation counted')
  // Each expectation with its @ts-expect-error removed must fail: the error is really there.
  const lines = expectations.split('\n')
  const stripped = Object.fromEntries(lines.flatMap((line, i) => line.includes('@ts-expect-error')
    ? [[`stripped${i}`, lines.filter((_, j) => j !== i).join('\n')]]
    : []))
  const errors = typeErrors({ expectations, positive, ...stripped })
  t.same(errors.expectations, [], 'every @ts-expect-error is used')
  t.same(errors.positive, [], 'a flat npm configuration, the narrowing and a custom provider compile')
  t.same(errors.elsewhere, undefined, 'lib/ compiles')
  for (const name of Object.keys(stripped)) {
    t.equal(errors[name]?.length, 1, `${name}: without its @ts-expect-error, the line fails`)
  }
})
