import { redact } from '@npmcli/redact'

// Not @npmcli/redact's redactLog: it masks every UUID and misses a URL glued to punctuation such as `(https://…`.
// A scheme starts only where no scheme character precedes it, so each run of such characters is tried once, not
// once per position (`\b` let every `.`-separated start try, which made a long run quadratic).
const URL_IN_TEXT = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi

/**
 * Redacts the credentials of every URL in `text` with @npmcli/redact, in time linear in `text`. Only URLs:
 * redacting UUIDs everywhere would hide the CircleCI ids a trusted publisher needs.
 */
export function redactUrls (text: string): string {
  return text.replace(URL_IN_TEXT, (url) => redact(url))
}
