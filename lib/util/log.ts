import { AsyncLocalStorage } from 'node:async_hooks'
import procLog from 'proc-log'

// npm's own title, so npm users see one stream.
const TITLE = 'oidc'

/** The levels libnpmoidc logs at, as proc-log names them. */
export type LogLevel = 'silly' | 'verbose' | 'warn'

/**
 * Receives libnpmoidc's own log lines during one call, as they also go to proc-log: `level` and the message
 * (never a token). Each line is passed to the logger of the call that wrote it.
 */
export type Logger = (level: LogLevel, message: string) => void

// One store per call: concurrent calls with different loggers do not see each other's lines.
const callLogger = new AsyncLocalStorage<Logger>()

/**
 * Runs `fn` so that the lines logged during it, and during what it starts, also go to `logger`.
 *
 * @throws TypeError when `logger` is neither undefined nor a function
 */
export function withLogger<T> (logger: unknown, fn: () => Promise<T>): Promise<T> {
  if (logger === undefined) return fn()
  if (typeof logger !== 'function') throw new TypeError('Expected `opts.logger` to be a function.')
  return callLogger.run(logger as Logger, fn)
}

function log (level: LogLevel, message: string): void {
  procLog.log[level](TITLE, message)
  const logger = callLogger.getStore()
  if (!logger) return
  try {
    logger(level, message)
  } catch {
    // A logger that throws must not change what the call does (or leave a publish half done).
  }
}

/** Skip decisions: which provider did not apply and why. */
export function silly (message: string): void {
  log('silly', message)
}

/** Outcomes: which provider answered, what the registry said. */
export function verbose (message: string): void {
  log('verbose', message)
}

/**
 * Warnings the caller should act on: a publish falling back to a configured token, trust input that disagrees
 * with package.json.
 */
export function warn (message: string): void {
  log('warn', message)
}
