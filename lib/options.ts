import type { OidcProvider } from './providers/provider.js'

/**
 * The options bag of {@link getOidcToken}: npm-style and flat, so a CLI can pass its own configuration
 * unchanged. Keys we do not know are ignored here and passed on to the HTTP layer.
 */
export interface OidcOptions {
  /** Time limit of one HTTP request, in ms (npm-registry-fetch's key). Default 15000. */
  timeout?: number
  /**
   * Retry policy of the token requests (npm-registry-fetch's shape).
   * Default `{ retries: 2, factor: 2, minTimeout: 1000, maxTimeout: 4000 }`.
   */
  retry?: { retries?: number, factor?: number, minTimeout?: number, maxTimeout?: number }
  /** Time limit of the whole call (ID token + exchange, retries included), in ms. Default 60000. */
  deadline?: number
  /** Aborts the call; it then rejects with the signal's reason. */
  signal?: AbortSignal
  /** The ordered provider list to try instead of {@link defaultProviders}. */
  providers?: readonly OidcProvider[]
  /**
   * Extra request headers (npm-registry-fetch's key). `Authorization`, `Proxy-Authorization` and `Cookie` are
   * dropped, in any letter case: every request libnpmoidc makes or configures carries only its own credential.
   */
  headers?: Record<string, string>
  /** Prepended to libnpmoidc's own `User-Agent` (npm-registry-fetch's key). */
  userAgent?: string
  [key: string]: unknown
}

/** The values `PublishOptions.oidc` and npm-oidc's `--oidc` accept. */
export const OIDC_MODES: ReadonlySet<string> = new Set(['auto', 'required', 'off'])

// The defaults live beside the code that applies them; this re-export keeps them on the public surface.
export { defaults } from './client/resolve-options.js'
