import type { ClientErrorCode } from '../errors.js'

/**
 * One package finished one step of a batch: its exchange (`getOidcTokens`, `publishAllWithOidc`), its check
 * (`preflight`) or its upload (`publishAllWithOidc`). Names and codes only: never a token.
 */
export interface ProgressEvent {
  readonly phase: 'exchange' | 'check' | 'publish'
  readonly name: string
  /** The version, when the batch knows it. */
  readonly version?: string
  /** `skipped`: not tried, because `bail` stopped the batch. */
  readonly status: 'done' | 'failed' | 'skipped'
  /** The failure's code, when it was an `OidcError`. */
  readonly code?: ClientErrorCode
}

/**
 * The `onProgress` option of the batch calls: called once per package and step as it finishes, with how many of
 * that step are finished, out of how many, the package, and the event.
 */
export type ProgressCallback = (done: number, total: number, name: string, event: ProgressEvent) => void

/**
 * Internal: checks an `onProgress` option.
 *
 * @throws TypeError when `onProgress` is neither undefined nor a function
 */
export function assertProgressCallback (onProgress: unknown): asserts onProgress is ProgressCallback | undefined {
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new TypeError('Expected `opts.onProgress` to be a function.')
  }
}

/**
 * Internal: a counter that reports each finished package of one step to `onProgress`. What the callback throws
 * is ignored: a progress display must not change what is published.
 *
 * @throws TypeError when `onProgress` is neither undefined nor a function
 */
export function progressReporter (
  onProgress: unknown, total: number
): (event: ProgressEvent) => void {
  assertProgressCallback(onProgress)
  let done = 0
  return (event) => {
    done++
    try {
      onProgress?.(done, total, event.name, Object.freeze({ ...event }))
    } catch {
      // Ignored, as above.
    }
  }
}
