import { setTimeout as sleep } from 'node:timers/promises'
import type { OidcError } from '../errors.js'
import type { ResolvedOptions } from './resolve-options.js'

/**
 * A failure worth another try (5xx, 408, 429, a reset, a timeout). `final` is what the caller sees once
 * the tries or the deadline run out.
 */
export class TransientFailure extends Error {
  constructor (readonly final: OidcError, readonly retryAfterMs?: number) {
    super(final.message)
  }
}

/** The clock of one public call: its deadline and the caller's signal. */
export interface CallClock {
  readonly deadlineAt: number
  readonly signal: AbortSignal | undefined
}

/** Starts the clock of one call. */
export function startClock (options: ResolvedOptions): CallClock {
  return { deadlineAt: Date.now() + options.deadline, signal: options.signal }
}

/** Milliseconds left before the deadline, never negative. */
export function remaining (clock: CallClock): number {
  return Math.max(0, clock.deadlineAt - Date.now())
}

/** Parses `Retry-After` (seconds or an HTTP date) into ms. */
export function parseRetryAfter (value: string | null): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

function backoff (attempt: number, options: ResolvedOptions): number {
  const base = Math.min(options.maxTimeout, options.minTimeout * options.factor ** attempt)
  // Jitter keeps the jobs of one monorepo release from retrying in lockstep.
  return Math.round(base * (0.8 + Math.random() * 0.4))
}

// Not make-fetch-happen's retry: it resends one request; a try here gets a fresh ID token and obeys the deadline.
/**
 * Runs `attempt` until it succeeds, throws something other than a {@link TransientFailure}, or the
 * tries or the deadline run out (then the last failure's `final` error is thrown).
 */
export async function withRetries<T> (
  attempt: (n: number) => Promise<T>,
  options: ResolvedOptions,
  clock: CallClock,
  n = 0
): Promise<T> {
  try {
    return await attempt(n)
  } catch (err) {
    if (!(err instanceof TransientFailure)) throw err
    const delay = err.retryAfterMs ?? backoff(n, options)
    if (n >= options.retries || delay >= remaining(clock)) throw err.final
    await sleep(delay, undefined, { signal: clock.signal })
    return withRetries(attempt, options, clock, n + 1)
  }
}
