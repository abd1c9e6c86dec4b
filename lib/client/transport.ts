import { TransientFailure, remaining, type CallClock } from './retry.js'
import type { OidcError } from '../errors.js'
import { connectionOptions } from '../util/connection-options.js'
import type { ResolvedOptions } from './resolve-options.js'

/** What came back from a token-bearing request. */
export interface WireResponse {
  readonly status: number
  readonly header: (name: string) => string | null
  /** The body as text, cut at the size limit. */
  readonly text: string
  /** Whether the body was larger than the limit. */
  readonly oversized: boolean
}

/** One token-bearing request. */
export interface WireRequest {
  readonly method: 'GET' | 'POST'
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly options: ResolvedOptions
  readonly clock: CallClock
  /** The error to end with when no answer comes (reset, refused, timeout) and the tries run out. */
  readonly unreachable: (facts: string, cause: unknown) => OidcError
}

// An exchange answer is a few hundred bytes; anything near this is not one.
const MAX_BODY_BYTES = 64 * 1024

/**
 * Sends a request that carries a token through make-fetch-happen, npm-registry-fetch's own transport,
 * because npm-registry-fetch cannot stop at a redirect: a 3xx comes back as it is and is never followed
 * with the bearer token (make-fetch-happen would follow it, keeping `Authorization` unless the host changes).
 * Network failures and timeouts become {@link TransientFailure}s.
 */
export async function sendTokenRequest (request: WireRequest): Promise<WireResponse> {
  const { options, clock } = request
  // Loaded on first use so that importing libnpmoidc, and every call outside CI, stays cheap. Loaded before
  // the timer starts: loading is not the server's time, and a cold load can exceed a short timeout.
  const { default: fetch } = await import('make-fetch-happen')
  const limit = Math.max(1, Math.min(options.timeout, remaining(clock)))
  const timer = AbortSignal.timeout(limit)
  // Hangs up on a body that is too large: stopping to read is not enough, the socket keeps filling memory.
  const hangUp = new AbortController()
  const signal = AbortSignal.any([timer, hangUp.signal, ...(clock.signal ? [clock.signal] : [])])
  try {
    const res = await fetch(request.url, {
      ...connectionOptions(request.url, options.raw),
      method: request.method,
      headers: request.headers,
      redirect: 'manual',
      retry: { retries: 0 },
      cache: 'no-store',
      timeout: limit,
      signal,
    })
    const chunks: Buffer[] = []
    let size = 0
    let oversized = false
    for await (const chunk of res.body) {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        oversized = true
        break
      }
      chunks.push(chunk)
    }
    if (oversized) hangUp.abort()
    return {
      status: res.status,
      header: (name) => res.headers.get(name),
      text: Buffer.concat(chunks).toString('utf8'),
      oversized,
    }
  } catch (err) {
    if (clock.signal?.aborted) throw clock.signal.reason
    const facts = timer.aborted ? `no answer within ${limit} ms` : networkCode(err)
    throw new TransientFailure(request.unreachable(facts, networkCause(err)))
  }
}

// minipass-fetch wraps every failure in a FetchError with a string code (FETCH_ERROR when the cause had none).
function networkCode (err: unknown): string {
  const code = (err as { code?: unknown }).code
  /* c8 ignore next -- defensive: see above, no failure reaches here without a code */
  return typeof code === 'string' ? code : 'network error'
}

// make-fetch-happen's errors may carry the request; keep only what cannot hold a credential.
function networkCause (err: unknown): Error {
  const code = networkCode(err)
  return Object.assign(new Error(`request failed: ${code}`), { code })
}
