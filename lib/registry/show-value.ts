const MAX_LENGTH = 120

/**
 * Renders a claim value for an error message: JSON, cut short, so a hostile token cannot flood a log line.
 * A value too deeply nested to serialise is named, not rendered: it must not turn a refusal into a crash.
 */
export function showValue (value: unknown): string {
  let text: string
  try {
    text = value === undefined ? 'none' : JSON.stringify(value)
  } catch {
    return 'a value too deeply nested to show'
  }
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text
}

/** Renders a NumericDate (seconds) as ISO time, or as JSON when it is out of the Date range. */
export function showTime (seconds: number): string {
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? showValue(seconds) : date.toISOString()
}
