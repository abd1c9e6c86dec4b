const MASK = '***'

/**
 * Replaces `secret` wherever it appears in an error a library handed us: its message and stack, and the
 * strings of its own properties (npm-registry-fetch keeps the response body and headers there), a few levels
 * deep. A registry that echoes the request's `Authorization` header would otherwise put the token into what
 * the caller logs. Changes `value` in place and returns it.
 */
export function scrubSecret<T> (value: T, secret: string, depth = 4): T {
  if (depth < 0 || typeof value !== 'object' || value === null) return value
  const record = value as Record<string, unknown>
  const keys = value instanceof Error ? ['message', 'stack', ...Object.keys(value)] : Object.keys(value)
  for (const key of new Set(keys)) {
    const field = record[key]
    try {
      if (typeof field === 'string') {
        if (field.includes(secret)) record[key] = field.split(secret).join(MASK)
      } else {
        scrubSecret(field, secret, depth - 1)
      }
    } catch {
      // A frozen object or a getter-only property cannot be cleaned; leave it rather than fail the caller.
    }
  }
  return value
}
