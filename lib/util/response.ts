import { scrubText } from './scrub.js'

// Not npm-registry-fetch's error text: it reads only `error` (npmjs uses `message`) and keeps the body unscrubbed.

/** Parses a body as JSON; `undefined` when it is not JSON (an HTML page from a proxy, say). */
export function parseJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const EXCERPT_LENGTH = 200
// Far above any real registry message; keeps a hostile one from flooding a log line or the formatting after it.
const MESSAGE_LENGTH = 1024

/** A short, single-line excerpt of a body that was not JSON. */
export function excerpt (text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}…` : flat
}

/** A string field of a parsed JSON object, when it is a non-empty string. */
export function stringField (body: unknown, key: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const value = (body as Record<string, unknown>)[key]
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** `text` cut to the length a registry message may have in an error. */
export function capMessage (text: string): string {
  return text.length > MESSAGE_LENGTH ? `${text.slice(0, MESSAGE_LENGTH)}…` : text
}

/**
 * The registry's own explanation in a response body: `message` at the top level (npmjs), else `error`
 * (Verdaccio), else an excerpt of a body that is not such JSON. `body` is the raw text, or what
 * npm-registry-fetch keeps of a failed response: the parsed JSON, or a Buffer when the body was not JSON.
 * `secret` is masked in what JSON decoding gives as well as in the raw text, before the answer is cut, so that
 * neither an escaped echo nor a cut through the secret shows any of it.
 */
export function registryMessageOf (body: unknown, secret = ''): string | undefined {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body
  const parsed = typeof text === 'string' ? parseJson(text) : text
  const message = stringField(parsed, 'message') ?? stringField(parsed, 'error')
  if (message !== undefined) return capMessage(scrubText(message, secret))
  return typeof text !== 'string' || text.trim() === '' ? undefined : excerpt(scrubText(text, secret))
}

/** Statuses worth another try: the server or something in front of it is having a moment. */
export function isTransientStatus (status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429
}
