import type { TrustedPublisher } from './types.js'

/** The registry's answer as a list: npm prints an object as a one-item list and nothing as an empty one. */
export function asPublisherList (body: unknown): TrustedPublisher[] {
  if (Array.isArray(body)) return body as TrustedPublisher[]
  return typeof body === 'object' && body !== null ? [body as TrustedPublisher] : []
}
