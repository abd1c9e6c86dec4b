import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { ClientRequest, IncomingMessage } from 'node:http'

const REQUEST_START = 'http.client.request.start'
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/**
 * Runs `send` so that no request it makes with `Authorization: Bearer <token>` follows a redirect.
 * npm-registry-fetch passes no redirect option to make-fetch-happen, which would follow a redirect of the upload
 * and keep the token when only the port or the scheme changes. Node's `http.client.request.start` channel shows
 * each request before its answer: a redirect to one that carries the token loses its `Location`, so
 * make-fetch-happen stops there, and `refused(status)` is what `send` then rejects with.
 */
export async function refusingRedirects<T> (
  token: string,
  send: () => Promise<T>,
  refused: (status: number) => Error
): Promise<T> {
  let status: number | undefined
  const onRequest = (message: unknown): void => {
    const request = (message as { request: ClientRequest }).request
    // minipass-fetch sets each header as a one-element array.
    if (String(request.getHeader('authorization')) !== `Bearer ${token}`) return
    request.prependListener('response', (response: IncomingMessage) => {
      if (!REDIRECTS.has(response.statusCode as number)) return
      status = response.statusCode
      delete response.headers.location
    })
  }
  subscribe(REQUEST_START, onRequest)
  return Promise.resolve()
    .then(send)
    .finally(() => unsubscribe(REQUEST_START, onRequest))
    .catch((err: unknown) => { throw status === undefined ? err : refused(status) })
}
