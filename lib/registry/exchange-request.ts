import { EXCHANGE_ROUTE } from '../contract/paths.js'
import type { IncomingMessage } from 'node:http'

const ROUTE = `/${EXCHANGE_ROUTE}`
const MAX_NAME_LENGTH = 214
// Loose on purpose (old packages have capitals): only the shape matters here, since the name merely selects
// the package's trusted publishers. No slash beyond the scope's, no leading dot or underscore.
const NAME = /^(?:@[^\s/@.][^\s/@]*\/)?[^\s/@._][^\s/@]*$/

/** What an incoming request asks for. */
export type ParsedExchangeRequest =
  | { readonly kind: 'other' }
  | { readonly kind: 'invalid', readonly status: 400 | 405, readonly reason: string }
  | { readonly kind: 'exchange', readonly pkgName: string, readonly idToken: string | undefined }

function bearerOf (header: unknown): string | undefined {
  const match = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header) : null
  return match?.[1]
}

/**
 * Reads the package name and bearer token of a request to `…/-/npm/v1/oidc/token/exchange/package/<name>`,
 * under any path prefix. The name may arrive escaped (`@scope%2fname`, what npm sends) or not (`@scope/name`).
 */
export function parseExchangeRequest (req: Pick<IncomingMessage, 'method' | 'url' | 'headers'>): ParsedExchangeRequest {
  const path = (req.url ?? '').split('?')[0] as string
  const start = path.indexOf(ROUTE)
  if (start < 0) return { kind: 'other' }
  if (req.method !== 'POST') return { kind: 'invalid', status: 405, reason: `method ${req.method} not allowed` }
  let pkgName: string
  try {
    pkgName = decodeURIComponent(path.slice(start + ROUTE.length))
  } catch {
    return { kind: 'invalid', status: 400, reason: 'package name is not valid percent-encoding' }
  }
  if (pkgName.length > MAX_NAME_LENGTH || !NAME.test(pkgName)) {
    return { kind: 'invalid', status: 400, reason: 'package name is missing or invalid' }
  }
  return { kind: 'exchange', pkgName, idToken: bearerOf(req.headers.authorization) }
}
