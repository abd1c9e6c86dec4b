/**
 * A number of milliseconds, seconds or a factor: `fallback` when unset.
 *
 * @throws TypeError naming the option when it is not a finite number ≥ 0
 */
export function nonNegative (value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new TypeError(`Expected \`${name}\` to be a non-negative number, got ${JSON.stringify(value)}.`)
  }
  return value
}

/**
 * A positive whole number, such as a concurrency: `fallback` when unset.
 *
 * @throws TypeError naming the option otherwise
 */
export function positiveInteger (value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new TypeError(`Expected \`${name}\` to be a positive integer, got ${JSON.stringify(value)}.`)
  }
  return value as number
}
