import type { IncomingMessage, ServerResponse } from 'node:http'
import { isOidcError } from '../errors.js'
import { verbose } from '../log.js'
import { parseExchangeRequest } from './exchange-request.js'
import { matchTrustedPublisher, type MatchTrustedPublisherOptions, type TrustedPublisher } from './match-trusted-publisher.js'
import { sendError, sendJson } from './send-json.js'
import { verifyIdToken, type IdTokenClaims } from './verify-id-token.js'
import { resolveVerifyOptions, type VerifyIdTokenOptions } from './verify-options.js'

/** What `mintToken` returns: the publish token, and when it expires if known. */
export interface MintedToken {
  readonly token: string
  /** A `Date` or an ISO 8601 string. */
  readonly expires?: Date | string
}

/** Options of {@link createExchangeHandler}. */
export interface ExchangeHandlerOptions extends Omit<VerifyIdTokenOptions, 'audience'>,
  Pick<MatchTrustedPublisherOptions, 'publisherIssuers'> {
  /** `npm:<registry hostname>`, or a function of the request (`req => \`npm:${req.hostname}\`` under Express). */
  readonly audience: string | ((req: IncomingMessage) => string)
  /** The package's trusted-publisher connections; none (empty, `null`, `undefined`) answers 404. */
  readonly getTrustedPublishers: (pkgName: string) =>
    readonly unknown[] | null | undefined | Promise<readonly unknown[] | null | undefined>
  /** Creates the short-lived publish token for this one package. */
  readonly mintToken: (pkgName: string, claims: IdTokenClaims, publisher: TrustedPublisher) =>
    MintedToken | string | Promise<MintedToken | string>
}

/** A `node:http` request listener that Express (`app.post(path, handler)`) can mount as well. */
export type ExchangeHandler = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void

function assertFunction (value: unknown, name: string): void {
  if (typeof value !== 'function') throw new TypeError(`Expected \`options.${name}\` to be a function.`)
}

function normaliseMinted (minted: unknown): { token: string, expires: string | undefined } {
  const { token, expires } = (typeof minted === 'string' ? { token: minted } : minted ?? {}) as Partial<MintedToken>
  if (typeof token !== 'string' || token === '') throw new TypeError('`mintToken` returned no token.')
  if (expires === undefined) return { token, expires }
  const date = new Date(expires)
  if (Number.isNaN(date.getTime())) throw new TypeError('`mintToken` returned an invalid `expires`.')
  return { token, expires: date.toISOString() }
}

/**
 * Creates the registry side of npm trusted publishing: a request handler for
 * `POST …/-/npm/v1/oidc/token/exchange/package/<name>` (any path prefix) that verifies the bearer ID token,
 * matches it against the package's trusted publishers and answers exactly as npmjs does:
 * `201 { token, expires, token_type: 'oidc', created }`; `400`/`405` for a malformed request; `401` for every
 * token-level failure; `404 OIDC token exchange error - package not found` for no matching publisher (also when the
 * package has none, so the endpoint cannot be used to probe); `500` when looking up publishers or minting fails.
 * Every error body is `{ message }` and never echoes the token.
 *
 * Fetched issuer keys are cached per handler unless `cache` is given.
 *
 * @param options - see {@link ExchangeHandlerOptions}
 * @returns the handler; requests to other paths go to `next` when given, else get a 404
 * @throws TypeError when an option has the wrong type
 * @example
 * ```ts
 * const handler = createExchangeHandler({
 *   audience: 'npm:registry.example.com',
 *   issuers: ['https://token.actions.githubusercontent.com'],
 *   getTrustedPublishers: name => db.trustedPublishers(name),
 *   mintToken: (name, claims, publisher) => tokens.create({ package: name, publisher, ttl: '1h' }),
 * })
 * http.createServer(handler).listen(8080)
 * ```
 */
export function createExchangeHandler (options: ExchangeHandlerOptions): ExchangeHandler {
  if (typeof options !== 'object' || options === null) throw new TypeError('Expected `options` to be an object.')
  const { audience, getTrustedPublishers, mintToken, publisherIssuers } = options
  if (typeof audience !== 'function') resolveVerifyOptions(options)
  // A function audience is only known per request; check everything else now with a stand-in.
  else resolveVerifyOptions({ ...options, audience: 'npm:localhost' })
  assertFunction(getTrustedPublishers, 'getTrustedPublishers')
  assertFunction(mintToken, 'mintToken')
  const verifyOptions = { ...options, cache: options.cache ?? new Map() }

  async function exchange (req: IncomingMessage, res: ServerResponse, pkgName: string, idToken: string | undefined): Promise<void> {
    if (idToken === undefined) return sendError(res, 401, 'unauthorized: no bearer token')
    const expected = typeof audience === 'function' ? audience(req) : audience
    let claims: IdTokenClaims
    try {
      claims = await verifyIdToken(idToken, { ...verifyOptions, audience: expected })
    } catch (err) {
      if (!isOidcError(err)) throw err
      verbose(`exchange for ${pkgName} refused: ${err.code}`)
      return sendError(res, 401, `unauthorized: ${err.message}`)
    }
    const publishers = await getTrustedPublishers(pkgName)
    const result = matchTrustedPublisher(claims, publishers ?? [], { publisherIssuers })
    if (!result.matched) {
      verbose(`exchange for ${pkgName} refused: no trusted publisher matched ${JSON.stringify(result.mismatches.map(m => m.fields))}`)
      return sendError(res, 404, 'package not found')
    }
    const { token, expires } = normaliseMinted(await mintToken(pkgName, claims, result.publisher))
    verbose(`exchange for ${pkgName}: token minted for ${result.publisher.type} publisher #${result.index}`)
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
      return sendError(res, request.status, `${request.status === 405 ? 'method not allowed' : 'bad request'}: ${request.reason}`, allow)
    }
    exchange(req, res, request.pkgName, request.idToken).catch((err: unknown) => {
      // Never the error's message: a lookup or minting failure may describe secrets.
      verbose(`exchange for ${request.pkgName} failed: ${err instanceof Error ? err.name : typeof err}`)
      sendError(res, 500, 'internal server error')
    })
  }
}
