import type { ServerResponse } from 'node:http'

/** The prefix npmjs puts before every exchange error message; clients show what follows. */
export const MESSAGE_PREFIX = 'OIDC token exchange error - '

/**
 * Ends `res` with a JSON body. `no-store` because a successful answer carries a publish token.
 */
export function sendJson (res: ServerResponse, status: number, body: object,
  headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
  })
  res.end(text)
}

/** Ends `res` with `{ message: 'OIDC token exchange error - <reason>' }`. */
export function sendError (res: ServerResponse, status: number, reason: string,
  headers: Readonly<Record<string, string>> = {}): void {
  sendJson(res, status, { message: `${MESSAGE_PREFIX}${reason}` }, headers)
}
