import npmFetch from 'npm-registry-fetch'
import { OidcError } from '../errors.js'
import { isLoopbackHost } from '../registry.js'
import { isKeySet, isObject, type JsonWebKeySet } from './verify-options.js'

const HINT = 'Check that the registry can reach the issuer, or configure its keys inline with `jwks`'

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

async function getJson (issuer: string, label: string, url: string, opts: Record<string, unknown>): Promise<unknown> {
  try {
    return await npmFetch.json(url, opts)
  } catch (err) {
    const { statusCode, message } = err as { statusCode?: number, message: string }
    const reason = statusCode ? `HTTP ${statusCode}` : message
    throw keysError(issuer, `could not fetch the ${label}`, `GET ${url}: ${reason}`, new Error(message))
  }
}

/**
 * Fetches an issuer's key set through OIDC discovery: `<iss>/.well-known/openid-configuration`, then its
 * `jwks_uri`. Both requests go through npm-registry-fetch without any registry credential.
 *
 * @param issuer - an issuer from the allow-list, exactly as tokens carry it
 * @param fetchOptions - npm-registry-fetch options (proxy, CA, timeout, retry)
 * @throws {OidcError} `ERR_OIDC_VERIFY_KEYS` when either document is unreachable or unusable
 */
export async function fetchJwks (issuer: string, fetchOptions: Readonly<Record<string, unknown>>): Promise<JsonWebKeySet> {
  // One attempt and a short timeout by default: a publish is waiting, and the caller can override both.
  // forceAuth comes last so no configured registry credential is ever sent to an issuer.
  const opts = { retry: { retries: 0 }, timeout: 10_000, ...fetchOptions, forceAuth: {} }
  // OpenID Connect Discovery 1.0 §4: drop a trailing slash from the issuer, then append the well-known path.
  const discoveryUrl = assertSafeUrl(issuer, 'discovery document',
    `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)
  const discovery = await getJson(issuer, 'discovery document', discoveryUrl, opts)
  if (!isObject(discovery) || discovery.issuer !== issuer) {
    const named = isObject(discovery) ? JSON.stringify(discovery.issuer) : 'no JSON object'
    throw keysError(issuer, 'unusable discovery document', `it names issuer ${named}`)
  }
  if (typeof discovery.jwks_uri !== 'string') {
    throw keysError(issuer, 'unusable discovery document', 'it has no `jwks_uri`')
  }
  const jwksUrl = assertSafeUrl(issuer, 'key set', discovery.jwks_uri)
  const jwks = await getJson(issuer, 'key set', jwksUrl, opts)
  if (!isKeySet(jwks)) throw keysError(issuer, 'unusable key set', `${jwksUrl} has no \`keys\` array of objects`)
  return jwks
}
