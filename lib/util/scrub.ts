const MASK = '***'

// The escapes an echo may use for one character: JSON `\u002e` and `\/`, URL `%2E`, HTML `&#46;` / `&#x2e;`.
const ESCAPE = /\\u([0-9a-fA-F]{4})|\\\/|%([0-9a-fA-F]{2})|&#0*(\d{1,7});|&#[xX]0*([0-9a-fA-F]{1,6});/g

/** `text` decoded, and where each decoded character starts in `text` (one more entry: the end). */
interface Decoded {
  readonly text: string
  readonly starts: readonly number[]
}

function escapedCode (match: RegExpExecArray): number {
  const [, json, url, decimal, hex] = match
  if (json !== undefined) return parseInt(json, 16)
  if (url !== undefined) return parseInt(url, 16)
  if (decimal !== undefined) return Number(decimal)
  if (hex !== undefined) return parseInt(hex, 16)
  return 0x2f // `\/`
}

// One pass over the text: each escape becomes the one character it stands for, remembering where it began.
function decode (text: string): Decoded {
  let decoded = ''
  const starts: number[] = []
  let at = 0
  const keep = (end: number): void => {
    for (let i = at; i < end; i++) starts.push(i)
    decoded += text.slice(at, end)
  }
  for (const match of text.matchAll(ESCAPE)) {
    keep(match.index)
    const code = escapedCode(match)
    // An escape of no valid code point stays as it was: it cannot stand for a character of a token.
    const character = code <= 0x10ffff ? String.fromCodePoint(code) : match[0]
    for (let i = 0; i < character.length; i++) starts.push(match.index)
    decoded += character
    at = match.index + match[0].length
  }
  keep(text.length)
  starts.push(text.length)
  return { text: decoded, starts }
}

/**
 * `text` with every occurrence of `secret` masked, also where an echo encoded some of its characters (see
 * `ESCAPE`). Decoding is one pass and the search is `indexOf`, so the cost is linear in the text.
 */
export function scrubText (text: string, secret: string): string {
  if (secret === '') return text
  if (!/[\\%&]/.test(text)) return text.split(secret).join(MASK)
  const decoded = decode(text)
  let out = ''
  let copied = 0
  for (let found = decoded.text.indexOf(secret); found !== -1;
    found = decoded.text.indexOf(secret, found + secret.length)) {
    const from = decoded.starts[found] as number
    // The end of the last character: the start of the next one in the original text.
    const to = decoded.starts[found + secret.length] as number
    out += text.slice(copied, from) + MASK
    copied = to
  }
  return copied === 0 ? text : out + text.slice(copied)
}

// A Buffer or string that held the secret comes back as a new value; anything else as it was.
function scrubLeaf (value: unknown, secret: string): unknown {
  if (typeof value === 'string') return scrubText(value, secret)
  if (Buffer.isBuffer(value)) {
    const text = value.toString('utf8')
    const scrubbed = scrubText(text, secret)
    return scrubbed === text ? value : Buffer.from(scrubbed)
  }
  return value
}

const isNode = (value: unknown): value is object =>
  (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) || typeof value === 'function'

/**
 * Replaces `secret` (plain or encoded, see {@link scrubText}) wherever it appears in an error a library
 * handed us, at any depth: strings and Buffers in its own properties (non-enumerable and symbol-keyed ones
 * too: `message`, `stack`, `cause`, the header map of a minipass-fetch `Headers`) and in `Map` values.
 * A registry that echoes the request's `Authorization` header would otherwise put the token into what the
 * caller logs. Changes `value` in place and returns it.
 */
export function scrubSecret<T> (value: T, secret: string): T {
  if (secret === '' || !isNode(value)) return value
  const seen = new WeakSet<object>()
  const pending: object[] = [value]
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (seen.has(node)) continue
    seen.add(node)
    const record = node as Record<PropertyKey, unknown>
    for (const key of Reflect.ownKeys(node)) {
      try {
        const field = record[key]
        const scrubbed = scrubLeaf(field, secret)
        if (scrubbed !== field) record[key] = scrubbed
        else if (isNode(field)) pending.push(field)
      } catch {
        // A frozen object, a getter that throws or one without a setter cannot be cleaned; leave it rather than
        // fail the caller.
      }
    }
    if (node instanceof Map) {
      for (const [key, field] of node) {
        const scrubbed = scrubLeaf(field, secret)
        if (scrubbed !== field) node.set(key, scrubbed)
        else if (isNode(field)) pending.push(field)
      }
    }
  }
  return value
}
