import { OidcError } from '../errors.js'
import { packageRoute } from '../contract/paths.js'
import { resolveOptions } from '../client/resolve-options.js'
import { parseJson } from '../util/response.js'
import { startClock } from '../client/retry.js'
import { sendTokenRequest } from '../client/transport.js'
import { userAgent } from '../client/user-agent.js'
import type { OidcToken } from '../client/token.js'

/** The registry's word on whether a package is public, and why provenance follows from it. */
export interface PackageVisibility {
  readonly public: boolean
  readonly reason: string
}

/**
 * Asks `GET <registry>-/package/<escaped>/visibility` with the exchanged token, as npm does before it turns
 * provenance on. It carries the token, so it goes out like the exchange: no redirect followed, no header of
 * the caller's that carries a credential, a capped body, one try within `opts.timeout`. Any failure (a
 * registry without the route answers 404) just means "not public".
 */
export async function packageVisibility (
  registry: string,
  escapedName: string,
  oidc: Pick<OidcToken, 'token' | 'provider'>,
  opts: Readonly<Record<string, unknown>>
): Promise<PackageVisibility> {
  const options = resolveOptions(opts)
  try {
    const res = await sendTokenRequest({
      method: 'GET',
      url: packageRoute(registry, escapedName, 'visibility'),
      headers: {
        ...options.headers,
        'user-agent': userAgent(options, oidc.provider),
        accept: 'application/json',
        authorization: `Bearer ${oidc.token}`,
      },
      options,
      clock: startClock(options),
      // Never shown: every failure below becomes "not public".
      unreachable: (facts) =>
        new OidcError('ERR_OIDC_EXCHANGE_FAILED', { what: 'no visibility answer', facts, hint: 'none' }),
    })
    if (res.status >= 300 && res.status < 400) {
      const reason = `the registry's visibility check answered with a redirect (status ${res.status}), not followed`
      return { public: false, reason }
    }
    if (res.status < 200 || res.status >= 300) {
      return { public: false, reason: `the registry's visibility check failed (status ${res.status})` }
    }
    const isPublic = (parseJson(res.text) as { public?: unknown } | null | undefined)?.public === true
    return {
      public: isPublic,
      reason: isPublic ? 'the registry says the package is public' : 'the registry says the package is not public',
    }
  } catch {
    return { public: false, reason: 'the registry\'s visibility check failed' }
  }
}
