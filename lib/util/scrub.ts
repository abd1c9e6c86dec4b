const MASK = '***'

const hexDigits = (code: number, width: number): string =>
  [...code.toString(16).padStart(width, '0')].map((d) => /[a-f]/.test(d) ? `[${d}${d.toUpperCase()}]` : d).join('')

// One character of a secret as itself or as an escape an echo may use: JSON `\u002e` (and `\/`), URL `%2E`,
// HTML `&#46;` / `&#x2e;`. Beyond ASCII only the character itself: tokens are ASCII.
function characterPattern (character: string): string {
  const literal = character.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
  const code = character.codePointAt(0) as number
  if (code > 0x7f) return literal
  const escapes = [
    `\\\\u${hexDigits(code, 4)}`, `%${hexDigits(code, 2)}`, `&#0*${code};`, `&#[xX]0*${hexDigits(code, 1)};`,
  ]
  if (character === '/') escapes.push('\\\\/')
  return `(?:${literal}|${escapes.join('|')})`
}

/**
 * A pattern that finds `secret` in text, also where an echo encoded some of its characters. It is a plain
 * sequence of alternatives, so a search takes time linear in the text (times the secret's length).
 */
function secretPattern (secret: string): RegExp {
  return new RegExp([...secret].map(characterPattern).join(''), 'g')
}

/** `text` with every occurrence of `secret`, plain or encoded, masked. */
export function scrubText (text: string, secret: string): string {
  return secret === '' ? text : text.replace(secretPattern(secret), MASK)
}

// A Buffer or string that held the secret comes back as a new value; anything else as it was.
function scrubLeaf (value: unknown, pattern: RegExp): unknown {
  if (typeof value === 'string') return value.replace(pattern, MASK)
  if (Buffer.isBuffer(value)) {
    const text = value.toString('utf8')
    const scrubbed = text.replace(pattern, MASK)
    return scrubbed === text ? value : Buffer.from(scrubbed)
  }
  return value
}

const isNode = (value: unknown): value is object =>
  (typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)) || typeof value === 'function'

/**
 * Replaces `secret` (plain or encoded, see {@link secretPattern}) wherever it appears in an error a library
 * handed us, at any depth: strings and Buffers in its own properties (non-enumerable and symbol-keyed ones
 * too: `message`, `stack`, `cause`, the header map of a minipass-fetch `Headers`) and in `Map` values.
 * A registry that echoes the request's `Authorization` header would otherwise put the token into what the
 * caller logs. Changes `value` in place and returns it.
 */
export function scrubSecret<T> (value: T, secret: string): T {
  if (secret === '' || !isNode(value)) return value
  const pattern = secretPattern(secret)
  const seen = new WeakSet<object>()
  const pending: object[] = [value]
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (seen.has(node)) continue
    seen.add(node)
    const record = node as Record<PropertyKey, unknown>
    for (const key of Reflect.ownKeys(node)) {
      try {
        const field = record[key]
        const scrubbed = scrubLeaf(field, pattern)
        if (scrubbed !== field) record[key] = scrubbed
        else if (isNode(field)) pending.push(field)
      } catch {
        // A frozen object, a getter that throws or one without a setter cannot be cleaned; leave it rather than
        // fail the caller.
      }
    }
    if (node instanceof Map) {
      for (const [key, field] of node) {
        const scrubbed = scrubLeaf(field, pattern)
        if (scrubbed !== field) node.set(key, scrubbed)
        else if (isNode(field)) pending.push(field)
      }
    }
  }
  return value
}
