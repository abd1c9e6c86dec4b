import type { IncomingMessage, ServerResponse } from 'node:http'
import { isOidcError, type OidcErrorCode } from '../errors.js'
import { verbose } from '../util/log.js'
import { parseExchangeRequest } from './exchange-request.js'
import { keyFetchesFor } from './issuer-keys.js'
import {
  matchTrustedPublisher, type MatchTrustedPublisherOptions, type PublisherMismatch,
} from './match-trusted-publisher.js'
import type {
  TrustedPublisher,
  TrustedPublisherPermission,
  TrustedPublisherType,
} from '../contract/trusted-publisher.js'
import { sendError, sendJson } from '../util/send-json.js'
import { verifyResolved, type VerifiedIdTokenClaims } from './verify-id-token.js'
import { isObject, resolveVerifyOptions, type VerifyIdTokenOptions } from './verify-options.js'

/** What `mintToken` returns: the publish token, and when it expires if known. */
export interface MintedToken {
  readonly token: string
  /** A `Date` or an ISO 8601 string. */
  readonly expires?: Date | string
}

/** Options of {@link createExchangeHandler}. */
export interface ExchangeHandlerOptions extends VerifyIdTokenOptions,
  Pick<MatchTrustedPublisherOptions, 'publisherIssuers' | 'allowSshRerun'> {
  /** The package's trusted-publisher connections; none (empty, `null`, `undefined`) answers 404. */
  readonly getTrustedPublishers: (pkgName: string) =>
    readonly unknown[] | null | undefined | Promise<readonly unknown[] | null | undefined>
  /**
   * Creates the short-lived publish token for this one package, allowing only `permissions`: what the matched
   * publisher grants, never empty (`['createStagedPackage']` alone must give a token that can only stage).
   */
  readonly mintToken: (pkgName: string, claims: VerifiedIdTokenClaims, publisher: TrustedPublisher,
    permissions: readonly TrustedPublisherPermission[]) => MintedToken | string | Promise<MintedToken | string>
}

/** A `node:http` request listener that Express (`app.post(path, handler)`) can mount as well. */
export type ExchangeHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void

// What a client learns about a refused token: enough to tell its own mistakes apart, nothing of this
// registry's configuration (issuer list, audiences) or internals (hosts, network errors). The rest is logged.
const PUBLIC_REASONS: Partial<Record<OidcErrorCode, string>> = {
  ERR_OIDC_VERIFY_MALFORMED: 'ID token is malformed',
  ERR_OIDC_VERIFY_SIGNATURE: 'ID token signature is invalid',
  ERR_OIDC_VERIFY_ISSUER: 'ID token issuer is not trusted',
  ERR_OIDC_VERIFY_AUDIENCE: 'ID token audience mismatch',
  ERR_OIDC_VERIFY_EXPIRED: 'ID token has expired',
  ERR_OIDC_VERIFY_NOT_YET_VALID: 'ID token is not valid yet',
  ERR_OIDC_VERIFY_LIFETIME: 'ID token lives too long',
  ERR_OIDC_VERIFY_REPLAYED: 'ID token was already used',
}
const PUBLISHER_TYPES: readonly TrustedPublisherType[] = ['github', 'gitlab', 'circleci']

function assertFunction (value: unknown, name: string): void {
  if (typeof value !== 'function') throw new TypeError(`Expected \`options.${name}\` to be a function.`)
}

function assertPublisherIssuers (value: unknown): void {
  if (value === undefined) return
  const ok = isObject(value) && Object.entries(value).every(([type, issuers]) =>
    PUBLISHER_TYPES.includes(type as TrustedPublisherType) &&
    Array.isArray(issuers) && issuers.every(i => typeof i === 'string' && i !== ''))
  if (!ok) {
    throw new TypeError(
      'Expected `options.publisherIssuers` to map github, gitlab or circleci to arrays of issuer URLs.')
  }
}

function normaliseMinted (minted: unknown): { token: string, expires: string | undefined } {
  const { token, expires } = (typeof minted === 'string' ? { token: minted } : minted ?? {}) as Partial<MintedToken>
  if (typeof token !== 'string' || token === '') throw new TypeError('`mintToken` returned no token.')
  if (expires === undefined) return { token, expires }
  const date = new Date(expires)
  if (Number.isNaN(date.getTime())) throw new TypeError('`mintToken` returned an invalid `expires`.')
  return { token, expires: date.toISOString() }
}

// A timeout middleware may have answered already, or the client gone away: the late answer is dropped (and
// logged), never written, since writing it would throw inside the host's server.
function answered (res: ServerResponse, pkgName: string): boolean {
  if (!res.headersSent && !res.writableEnded && !res.destroyed) return false
  verbose(`exchange for ${pkgName}: answer dropped, the response was already sent or closed`)
  return true
}

// Expected and actual values help the operator most; a value nested too deeply to serialise must not turn the
// refusal into a crash, so then only the field names are logged.
function describeMismatches (mismatches: readonly PublisherMismatch[]): string {
  try {
    return JSON.stringify(mismatches.map(m => m.fields))
  } catch {
    return mismatches.map(m => `#${m.index}: ${m.fields.map(f => f.field).join(', ')}`).join('; ')
  }
}

/**
 * Creates the registry side of npm trusted publishing: a request handler for
 * `POST …/-/npm/v1/oidc/token/exchange/package/<name>` (any path prefix) that verifies the bearer ID token,
 * matches it against the package's trusted publishers and answers exactly as npmjs does:
 * `201 { token, expires, token_type: 'oidc', created }`; `400`/`405` for a malformed request; `401` for every
 * token-level failure; `404 OIDC token exchange error - package not found` for no matching publisher, a publisher
 * that grants nothing, or a package without publishers (so the endpoint cannot be used to probe); `500` when looking
 * up publishers or minting fails. Every error body is `{ message }`, never echoes the token and names none of the
 * registry's settings or internal errors; the details go to the `oidc` log.
 *
 * The audience is configuration (`audience`, a string or a list), never derived from the request. Fetched issuer
 * keys are cached per handler unless `cache` is given, and concurrent requests share one fetch per issuer.
 * An answer that comes after the response was already sent is dropped, never thrown.
 *
 * @param options - see {@link ExchangeHandlerOptions}
 * @returns the handler; requests to other paths go to `next` when given, else get a 404
 * @throws TypeError when an option has the wrong type (including an `audience` function)
 * @example
 * ```ts
 * const handler = createExchangeHandler({
 *   audience: 'npm:registry.example.com',
 *   issuers: ['https://token.actions.githubusercontent.com'],
 *   maxTokenAge: 60 * 60,
 *   getTrustedPublishers: name => db.trustedPublishers(name),
 *   mintToken: (name, claims, publisher, permissions) => tokens.create({ package: name, permissions, ttl: '1h' }),
 * })
 * http.createServer(handler).listen(8080)
 * ```
 */
export function createExchangeHandler (options: ExchangeHandlerOptions): ExchangeHandler {
  if (typeof options !== 'object' || options === null) throw new TypeError('Expected `options` to be an object.')
  const { getTrustedPublishers, mintToken, publisherIssuers, allowSshRerun } = options
  const resolved = resolveVerifyOptions({ ...options, cache: options.cache ?? new Map() })
  assertFunction(getTrustedPublishers, 'getTrustedPublishers')
  assertFunction(mintToken, 'mintToken')
  assertPublisherIssuers(publisherIssuers)
  const matchOptions = { publisherIssuers, allowSshRerun: allowSshRerun === true }
  const fetches = keyFetchesFor(resolved.cache)

  async function exchange (res: ServerResponse, pkgName: string, idToken: string | undefined): Promise<void> {
    if (idToken === undefined) return sendError(res, 401, 'unauthorized: no bearer token')
    let claims: VerifiedIdTokenClaims
    try {
      claims = await verifyResolved(idToken, resolved, fetches)
    } catch (err) {
      if (!isOidcError(err)) throw err
      verbose(`exchange for ${pkgName} refused: ${err.code}: ${err.message}`)
      if (answered(res, pkgName)) return
      return sendError(res, 401, `unauthorized: ${PUBLIC_REASONS[err.code] ?? 'ID token could not be verified'}`)
    }
    const publishers = await getTrustedPublishers(pkgName)
    const result = matchTrustedPublisher(claims, publishers ?? [], matchOptions)
    if (!result.matched) {
      verbose(`exchange for ${pkgName} refused: no trusted publisher matched ${describeMismatches(result.mismatches)}`)
      if (answered(res, pkgName)) return
      return sendError(res, 404, 'package not found')
    }
    // No publish token is created for a response that can no longer carry it.
    if (answered(res, pkgName)) return
    const minted = await mintToken(pkgName, claims, result.publisher, result.permissions)
    const { token, expires } = normaliseMinted(minted)
    verbose(`exchange for ${pkgName}: token minted for ${result.publisher.type} publisher #${result.index} ` +
      `(${result.permissions.join(', ')})`)
    if (answered(res, pkgName)) return
    sendJson(res, 201, { token, expires, token_type: 'oidc', created: new Date().toISOString() })
  }

  return function exchangeHandler (req, res, next) {
    const request = parseExchangeRequest(req)
    if (request.kind === 'other') {
      if (next) return next()
      return sendError(res, 404, 'not found')
    }
    // The exchange has no body; draining keeps the connection reusable.
    req.resume()
    if (request.kind === 'invalid') {
      const allow: Record<string, string> = request.status === 405 ? { allow: 'POST' } : {}
      const refusal = request.status === 405 ? 'method not allowed' : 'bad request'
      return sendError(res, request.status, `${refusal}: ${request.reason}`, allow)
    }
    exchange(res, request.pkgName, request.idToken).catch((err: unknown) => {
      // Never the error's message: a lookup or minting failure may describe secrets.
      verbose(`exchange for ${request.pkgName} failed: ${err instanceof Error ? err.name : typeof err}`)
      if (!answered(res, request.pkgName)) sendError(res, 500, 'internal server error')
    })
  }
}
