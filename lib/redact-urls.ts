import { redact } from '@npmcli/redact'

/**
 * Redacts the credentials of every URL in `text` with @npmcli/redact, which on its own only handles a string
 * that is one URL. Only URLs: redacting UUIDs everywhere would hide the CircleCI ids a trusted publisher needs.
 */
export function redactUrls (text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => redact(url))
}
