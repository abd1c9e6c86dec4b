import { nonNegative } from '../util/number-option.js'

// Validates the caller's bag once. Kept apart from options.ts (the public type) so that providers, which
// receive the resolved settings, do not import the module that names them: no import cycle.

/** The keys {@link resolveOptions} reads, as the caller may have set them (unchecked). */
interface CallerOptions {
  timeout?: unknown
  retry?: { retries?: unknown, factor?: unknown, minTimeout?: unknown, maxTimeout?: unknown }
  deadline?: unknown
  signal?: unknown
  headers?: unknown
  userAgent?: unknown
  [key: string]: unknown
}

/** The resolved settings every internal function works with. */
export interface ResolvedOptions {
  readonly timeout: number
  readonly retries: number
  readonly factor: number
  readonly minTimeout: number
  readonly maxTimeout: number
  readonly deadline: number
  readonly signal: AbortSignal | undefined
  readonly headers: Readonly<Record<string, string>>
  readonly userAgent: string | undefined
  /** The caller's bag, for the transport's proxy and TLS keys. Never mutated. */
  readonly raw: Readonly<Record<string, unknown>>
}

/** Defaults, documented in the README. */
export const defaults = Object.freeze({
  timeout: 15_000,
  retries: 2,
  factor: 2,
  minTimeout: 1_000,
  maxTimeout: 4_000,
  deadline: 60_000,
})

// Each request carries exactly one credential, the one libnpmoidc chose for it.
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie'])

/**
 * The caller's extra headers without any that carry a credential, compared case-insensitively.
 *
 * @throws TypeError when `headers` is neither undefined nor an object
 */
export function withoutCredentialHeaders (headers: unknown): Record<string, string> {
  if (headers === undefined) return {}
  if (typeof headers !== 'object' || headers === null) throw new TypeError('Expected `opts.headers` to be an object.')
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (!CREDENTIAL_HEADERS.has(name.toLowerCase())) kept[name] = value as string
  }
  return kept
}

/**
 * Validates the caller's options once and spreads the defaults over them.
 *
 * @throws TypeError naming the option that has the wrong type
 */
export function resolveOptions (opts: unknown): ResolvedOptions {
  if (opts === undefined || opts === null) opts = {}
  if (typeof opts !== 'object') throw new TypeError(`Expected \`opts\` to be an object, got ${typeof opts}.`)
  const bag = opts as CallerOptions
  const retry = bag.retry ?? {}
  if (typeof retry !== 'object') throw new TypeError('Expected `opts.retry` to be an object.')
  if (bag.signal !== undefined && !(bag.signal instanceof AbortSignal)) {
    throw new TypeError('Expected `opts.signal` to be an AbortSignal.')
  }
  const headers = withoutCredentialHeaders(bag.headers)
  if (bag.userAgent !== undefined && typeof bag.userAgent !== 'string') {
    throw new TypeError('Expected `opts.userAgent` to be a string.')
  }
  const timeout = nonNegative(bag.timeout, 'opts.timeout', defaults.timeout)
  return Object.freeze({
    // npm's flat options carry `timeout: 0` for "no limit"; the deadline still bounds the call.
    timeout: timeout === 0 ? defaults.deadline : timeout,
    retries: Math.floor(nonNegative(retry.retries, 'opts.retry.retries', defaults.retries)),
    factor: nonNegative(retry.factor, 'opts.retry.factor', defaults.factor),
    minTimeout: nonNegative(retry.minTimeout, 'opts.retry.minTimeout', defaults.minTimeout),
    maxTimeout: nonNegative(retry.maxTimeout, 'opts.retry.maxTimeout', defaults.maxTimeout),
    deadline: nonNegative(bag.deadline, 'opts.deadline', defaults.deadline),
    signal: bag.signal as AbortSignal | undefined,
    headers: Object.freeze(headers),
    userAgent: bag.userAgent as string | undefined,
    raw: bag,
  })
}
