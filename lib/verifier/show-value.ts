const MAX_LENGTH = 120

/**
 * Renders a claim value for an error message: JSON, cut short, so a hostile token cannot flood a log line.
 */
export function showValue (value: unknown): string {
  const text = value === undefined ? 'none' : JSON.stringify(value)
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text
}

/** Renders a NumericDate (seconds) as ISO time, or as JSON when it is out of the Date range. */
export function showTime (seconds: number): string {
  const date = new Date(seconds * 1000)
  return Number.isNaN(date.getTime()) ? showValue(seconds) : date.toISOString()
}
