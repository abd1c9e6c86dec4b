import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from '../util/send-json.js'

/** One hit on the fake GitHub ID-token endpoint. Never holds a token. */
export interface TokenRequest {
  /** The HTTP method. */
  readonly method: string
  /** The path without the query, such as `/token`. */
  readonly path: string
  /** The decoded query parameters, such as `{ 'api-version': '2.0', audience: 'npm:127.0.0.1' }`. */
  readonly query: Readonly<Record<string, string>>
  /** Whether `Authorization: Bearer <request token>` carried the right request token. */
  readonly authorized: boolean
  /** The status the endpoint answered with. */
  readonly status: number
}

/** What the token endpoint needs from its issuer. */
export interface TokenEndpointContext {
  /** The secret the job must present as a bearer (`ACTIONS_ID_TOKEN_REQUEST_TOKEN`). */
  readonly requestToken: string
  /** The audience used when the request has no `audience` parameter. */
  readonly defaultAudience: string
  /** Mints an ID token for an audience. */
  readonly mint: (audience: string) => Promise<string>
  /** Receives every request record. */
  readonly record: (request: TokenRequest) => void
}

function bearerMatches (header: string | undefined, requestToken: string): boolean {
  const expected = Buffer.from(`Bearer ${requestToken}`)
  const actual = Buffer.from(header ?? '')
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/**
 * Serves GitHub's ID-token request endpoint (`GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=…`):
 * `200 { value }` for the right bearer, `401` for a missing or wrong one, `405` for other methods.
 *
 * @param req - The request; its URL carries `api-version` and optionally `audience`.
 * @param res - The response to end.
 * @param context - Request token, default audience, minting and the request log.
 * @returns Resolves when the answer is sent.
 * @example
 * ```ts
 * await handleTokenRequest(req, res, { requestToken, defaultAudience: 'https://github.com/acme', mint, record })
 * ```
 */
export async function handleTokenRequest (
  req: IncomingMessage, res: ServerResponse, context: TokenEndpointContext
): Promise<void> {
  // A server request always has `url` and `method` (only client-side messages lack them).
  const url = new URL(String(req.url), 'http://127.0.0.1')
  const method = String(req.method)
  const authorized = bearerMatches(req.headers.authorization, context.requestToken)
  const query = Object.freeze(Object.fromEntries(url.searchParams))
  let status: number
  if (method !== 'GET') {
    status = 405
    res.setHeader('allow', 'GET')
    sendJson(res, status, { message: 'Method Not Allowed' })
  } else if (!authorized) {
    status = 401
    sendJson(res, status, { message: 'Bad credentials' })
  } else {
    status = 200
    sendJson(res, status, { value: await context.mint(url.searchParams.get('audience') ?? context.defaultAudience) })
  }
  context.record(Object.freeze({ method, path: url.pathname, query, authorized, status }))
}
