import { OidcError } from '../errors.js'
import { EXCHANGE_ROUTE } from '../contract/paths.js'
import { isLoopbackHost } from '../util/connection-options.js'

/** Everything derived from one parsed registry URL. */
export interface RegistryTarget {
  /** The registry URL, normalised to end in `/`, path prefix kept. */
  readonly href: string
  /** `npm:` + hostname: no scheme, no port, no path (what npm computes). */
  readonly audience: string
  /** The nerf-darted credential key, `//host[:port]/path/:_authToken`. */
  readonly authKey: string
  /** Whether the host is loopback (`localhost`, `127.0.0.0/8`, `::1`). */
  readonly loopback: boolean
}

/**
 * Parses `registry` once and derives the audience, credential key and loopback flag from it.
 *
 * @throws TypeError when `registry` is not an absolute http(s) URL without credentials
 */
export function parseRegistry (registry: unknown, argName = 'registry'): RegistryTarget {
  let url: URL | undefined
  try {
    url = typeof registry === 'string' ? new URL(registry) : undefined
  } catch {}
  // Checked first, whatever the scheme, so that the message below never echoes a password.
  if (url && (url.username || url.password)) {
    throw new TypeError(`Expected \`${argName}\` to carry no credentials; configure them under its auth key instead.`)
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new TypeError(`Expected \`${argName}\` to be an absolute http(s) URL, got ${JSON.stringify(registry)}.`)
  }
  url.search = ''
  url.hash = ''
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return Object.freeze({
    href: url.href,
    audience: `npm:${url.hostname}`,
    authKey: `//${url.host}${url.pathname}:_authToken`,
    loopback: isLoopbackHost(url.hostname),
  })
}

/**
 * The exchange URL: the registry base **with its path**, then the relative route (npm 11 drops the path).
 *
 * @param escapedName - `npa(name).escapedName`, so a scope reads `@scope%2fname`
 */
export function exchangeUrl (target: RegistryTarget, escapedName: string): string {
  return `${target.href}${EXCHANGE_ROUTE}${escapedName}`
}

/**
 * Refuses to let an ID token cross the wire in clear text.
 *
 * @throws {OidcError} `ERR_OIDC_INSECURE_REGISTRY` for `http:` to a host that is not loopback
 */
export function assertSecureRegistry (target: RegistryTarget): void {
  if (target.href.startsWith('http:') && !target.loopback) {
    throw new OidcError('ERR_OIDC_INSECURE_REGISTRY', {
      what: 'refusing to send an ID token over plain http',
      facts: `registry ${target.href}`,
      hint: 'Use an https:// registry URL; plain http is allowed only for loopback hosts',
    })
  }
}
