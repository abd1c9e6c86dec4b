import { connectionOptions } from '../util/connection-options.js'
import { withoutCredentialHeaders } from '../client/resolve-options.js'
import { nonNegative } from '../util/number-option.js'
import { OidcError } from '../errors.js'

/** The outcome of an unauthenticated GET: the parsed body, or the status that refused it (404). */
export type PublicRead = { readonly body: unknown } | { readonly status: 404 }

/**
 * GETs a JSON document as anyone may: only the caller's proxy and TLS settings, its non-credential headers and
 * its `timeout` go along — no nerf-darted token, `forceAuth`, `Authorization` or cookie, so what is read is what the
 * public sees.
 *
 * @throws {OidcError} `ERR_OIDC_PUBLISHED_UNREADABLE` for an answer other than 2xx and 404, or no answer
 */
export async function readPublic (
  url: string, opts: Readonly<Record<string, unknown>>, what: string
): Promise<PublicRead> {
  const { default: npmFetch } = await import('npm-registry-fetch')
  const userAgent = typeof opts.userAgent === 'string' ? { userAgent: opts.userAgent } : {}
  const request = {
    ...connectionOptions(url, opts),
    ...userAgent,
    headers: { ...withoutCredentialHeaders(opts.headers), accept: 'application/json' },
    timeout: nonNegative(opts.timeout, 'opts.timeout', 15_000),
    preferOnline: true,
  }
  try {
    return { body: await npmFetch.json(url, request) }
  } catch (err) {
    const status = (err as { statusCode?: unknown }).statusCode
    if (status === 404) return { status }
    const why = typeof status === 'number' ? `status ${status}` : String((err as { code?: unknown }).code)
    throw new OidcError('ERR_OIDC_PUBLISHED_UNREADABLE', {
      what: `could not read ${what}`,
      facts: why,
      hint: 'Check the registry URL and your network (proxy, CA), then run the check again',
      ...(typeof status === 'number' ? { status } : {}),
    })
  }
}
