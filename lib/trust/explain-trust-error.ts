import { registryMessageOf } from '../util/response.js'
import type { TrustRequest } from './types.js'

const ACTIONS: Readonly<Record<TrustRequest['method'], string>> = {
  GET: 'Listing the trusted publishers of',
  POST: 'Adding a trusted publisher to',
  DELETE: 'Revoking a trusted publisher of',
}

function hintFor (code: string, status: number, req: TrustRequest): string {
  if (code === 'EOTP') {
    return 'The registry requires a one-time password (two-factor authentication): ' +
      'pass `otp`, or an `otpPrompt` function, and retry'
  }
  if (status === 401) {
    return `Use a token of a maintainer of ${req.package} for ${req.registry} (\`npm login\`); ` +
      'a CI\'s exchanged token cannot manage trust'
  }
  if (status === 403) {
    return `Only a maintainer of ${req.package} with two-factor authentication enabled ` +
      'may manage its trusted publishers'
  }
  if (status === 404 && req.method === 'DELETE') {
    return `${req.package} has no trusted publisher with that id, or the package does not exist ` +
      '(`npm-oidc trust list` shows the ids)'
  }
  if (status === 404) {
    return `${req.package} does not exist on ${req.registry} (publish it once first), ` +
      'or the registry does not support trusted publishing'
  }
  if (status === 405) {
    return `${req.registry} does not implement trusted-publisher management (405 Method Not Allowed): ` +
      'it does not support trusted publishing'
  }
  if (status >= 500) return 'The registry failed; try again later'
  return 'The registry refused the request'
}

/**
 * Rewrites the message of an npm-registry-fetch HTTP error from a trust request so that it says what
 * failed, the registry's own words, and what to do. The error keeps its class, `code` (`EOTP`, `E404`, …),
 * `statusCode`, `body` and `headers`, so callers can branch on them as they do for any npm request.
 * Anything else (network errors) is returned unchanged. Never includes credentials.
 */
export function explainTrustError (err: unknown, req: TrustRequest): unknown {
  const e = err as { statusCode?: unknown, code?: unknown, body?: unknown, message: string }
  if (!(err instanceof Error) || typeof e.statusCode !== 'number') return err
  const said = registryMessageOf(e.body)
  const facts = `${req.method} ${req.url} answered ${e.statusCode}${said ? `: ${JSON.stringify(said)}` : ''}`
  e.message = `${ACTIONS[req.method]} ${req.package} failed (${facts}). ${hintFor(String(e.code), e.statusCode, req)}.`
  return err
}
