import type { OidcProvider } from './providers/provider.js'
import type { Logger } from './util/log.js'

export type { Logger, LogLevel } from './util/log.js'

/**
 * The npm-registry-fetch options libnpmoidc passes on to the requests it configures (npm's flattened names).
 * Each is typed so that a misspelt key fails to compile; npm's keys that name a registry or a scope stay open:
 * `//host/path/:_authToken` (and the other nerf-darted keys: `_auth`, `username`, `_password`, `certfile`,
 * `keyfile`…) and `@scope:registry`.
 */
export interface NpmFetchOptions {
  [key: `//${string}:${string}`]: unknown
  [key: `@${string}:registry`]: unknown
  /** The default registry. */
  registry?: string
  proxy?: string | null
  httpsProxy?: string | null
  noProxy?: string | readonly string[]
  ca?: string | Uint8Array | ReadonlyArray<string | Uint8Array> | null
  cert?: string | Uint8Array | null
  key?: string | Uint8Array | null
  strictSSL?: boolean
  localAddress?: string
  maxSockets?: number
  agent?: unknown
  /** A one-time password, sent as `npm-otp`. */
  otp?: string
  npmCommand?: string
  npmSession?: string
  projectScope?: string
  scope?: string
  cache?: string
  offline?: boolean
  preferOffline?: boolean
  preferOnline?: boolean
  fetchRetries?: number
  fetchRetryFactor?: number
  fetchRetryMintimeout?: number
  fetchRetryMaxtimeout?: number
  authType?: string
}

/**
 * The options bag of {@link getOidcToken}: npm-style and flat, so a CLI can pass its own configuration
 * unchanged. The npm-registry-fetch keys are passed on to the HTTP layer.
 */
export interface OidcOptions extends NpmFetchOptions {
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
  /**
   * Receives libnpmoidc's log lines of this call — `(level, message)`, never a token — as well as proc-log
   * (where npm shows them). Concurrent calls each get only their own lines. What it throws is ignored.
   */
  logger?: Logger
}

/** The values `PublishOptions.oidc` and npm-oidc's `--oidc` accept. */
export const OIDC_MODES: ReadonlySet<string> = new Set(['auto', 'required', 'off'])

// The defaults live beside the code that applies them; this re-export keeps them on the public surface.
export { defaults } from './client/resolve-options.js'
