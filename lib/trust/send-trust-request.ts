import { withoutCredentialHeaders } from '../client/resolve-options.js'
import { warn } from '../util/log.js'
import { explainTrustError } from './explain-trust-error.js'
import type { TrustOptions, TrustRequest } from './types.js'

/**
 * Sends a planned trust request through npm-registry-fetch with the caller's options: the user's token comes
 * from the registry's nerf-darted key, `otp` becomes `npm-otp`, and `otpPrompt` lets npm-registry-fetch ask
 * for a one-time password and repeat the request once the registry challenges.
 *
 * @returns the parsed JSON answer, or `undefined` for an empty one (such as a 204)
 */
export async function sendTrustRequest (req: TrustRequest, opts: TrustOptions): Promise<unknown> {
  for (const line of req.warnings) warn(line)
  const { default: npmFetch } = await import('npm-registry-fetch')
  let text: string
  let status: number
  try {
    const res = await npmFetch(req.url, {
      ...opts,
      // The user's npm token is the one credential: none rides along in the caller's extra headers.
      headers: withoutCredentialHeaders(opts.headers),
      registry: req.registry,
      method: req.method,
      npmCommand: 'trust',
      // npm 11.19.1 sent `npm-auth-type: web` on create only.
      authType: req.method === 'POST' ? 'web' : undefined,
      ...(req.body ? { body: req.body } : {}),
      // A cached list would hide a publisher added or revoked a moment ago.
      ...(req.method === 'GET' ? { preferOnline: true } : {}),
    })
    status = res.status
    text = await res.text()
  } catch (err) {
    throw explainTrustError(err, req)
  }
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    const start = JSON.stringify(text.slice(0, 200))
    throw new Error(`${req.method} ${req.url} answered ${status} with a body that is not JSON: ${start}.`)
  }
}
