import { OidcError } from '../errors.js'
import { connectionOptions, isLoopbackHost } from '../util/connection-options.js'
import { isKeySet, isObject, type JsonWebKeySet } from './verify-options.js'

const HINT = 'Check that the registry can reach the issuer, or configure its keys inline with `jwks`'
// Discovery documents and key sets are a few KiB; a larger answer is not one and must not fill memory.
const MAX_BODY_BYTES = 256 * 1024

function keysError (issuer: string, what: string, facts: string, cause?: unknown): OidcError {
  return new OidcError('ERR_OIDC_VERIFY_KEYS', {
    what: `${what} for issuer ${issuer}`,
    facts,
    hint: HINT,
    cause,
  })
}

// Keys fetched over plain http could be swapped by anyone on the path, which would let them mint accepted
// tokens; the same loopback exception as for registries keeps local test issuers usable.
function assertSafeUrl (issuer: string, label: string, value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {}
  if (url && (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) return url.href
  throw keysError(issuer, `refusing to fetch the ${label}`, `${JSON.stringify(value)} is not an https URL`)
}

async function readCapped (body: AsyncIterable<Buffer> & { destroy?: () => void }): Promise<string | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) {
      body.destroy?.()
      return undefined
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

// make-fetch-happen (npm-registry-fetch's own transport) directly, because npm-registry-fetch follows redirects
// and offers no way to stop: a redirect could lead a key fetch to plain http or to an internal host.
async function getJson (issuer: string, label: string, url: string,
  opts: Readonly<Record<string, unknown>>): Promise<unknown> {
  const { default: fetch } = await import('make-fetch-happen')
  let text: string | undefined
  try {
    const res = await fetch(url, {
      ...connectionOptions(url, opts),
      headers: { accept: 'application/json' },
      redirect: 'manual',
      cache: 'no-store',
      retry: opts.retry ?? { retries: 0 },
      timeout: opts.timeout ?? 10_000,
    })
    if (res.status >= 300 && res.status < 400) {
      res.body.destroy?.()
      throw keysError(issuer, `refusing to follow a redirect from the ${label}`, `GET ${url}: HTTP ${res.status}`)
    }
    if (res.status >= 400) {
      res.body.destroy?.()
      throw keysError(issuer, `could not fetch the ${label}`, `GET ${url}: HTTP ${res.status}`)
    }
    text = await readCapped(res.body)
  } catch (err) {
    if (err instanceof OidcError) throw err
    const code = (err as { code?: unknown }).code
    // minipass-fetch wraps every failure in a FetchError with a string code (FETCH_ERROR when the cause had none).
    /* c8 ignore next -- defensive: see above, no failure reaches here without a code */
    const reason = typeof code === 'string' ? code : 'network error'
    const cause = new Error(`request failed: ${reason}`)
    throw keysError(issuer, `could not fetch the ${label}`, `GET ${url}: ${reason}`, cause)
  }
  if (text === undefined) {
    throw keysError(issuer, `unusable ${label}`, `GET ${url}: larger than ${MAX_BODY_BYTES} bytes`)
  }
  try {
    return JSON.parse(text)
  } catch {
    throw keysError(issuer, `unusable ${label}`, `GET ${url}: not JSON`)
  }
}

/**
 * Fetches an issuer's key set through OIDC discovery: `<iss>/.well-known/openid-configuration`, then its
 * `jwks_uri`. Both requests go out without any credential and follow no redirect; bodies are capped at 256 KiB.
 *
 * @param issuer - an issuer from the allow-list, exactly as tokens carry it
 * @param fetchOptions - npm-registry-fetch-style options (`proxy`, `httpsProxy`, `noProxy`, `ca`, `cert`, `key`,
 * `strictSSL`, `agent`, `localAddress`, `maxSockets`, `timeout`, `retry`)
 * @throws {OidcError} `ERR_OIDC_VERIFY_KEYS` when either document is unreachable, redirected or unusable
 */
export async function fetchJwks (
  issuer: string, fetchOptions: Readonly<Record<string, unknown>>
): Promise<JsonWebKeySet> {
  // OpenID Connect Discovery 1.0 §4: drop a trailing slash from the issuer, then append the well-known path.
  const discoveryUrl = assertSafeUrl(issuer, 'discovery document',
    `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)
  const discovery = await getJson(issuer, 'discovery document', discoveryUrl, fetchOptions)
  if (!isObject(discovery) || discovery.issuer !== issuer) {
    const named = isObject(discovery) ? JSON.stringify(discovery.issuer) : 'no JSON object'
    throw keysError(issuer, 'unusable discovery document', `it names issuer ${named}`)
  }
  if (typeof discovery.jwks_uri !== 'string') {
    throw keysError(issuer, 'unusable discovery document', 'it has no `jwks_uri`')
  }
  const jwksUrl = assertSafeUrl(issuer, 'key set', discovery.jwks_uri)
  const jwks = await getJson(issuer, 'key set', jwksUrl, fetchOptions)
  if (!isKeySet(jwks)) throw keysError(issuer, 'unusable key set', `${jwksUrl} has no \`keys\` array of objects`)
  return jwks
}
