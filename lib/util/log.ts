import procLog from 'proc-log'

// npm's own title, so npm users see one stream.
const TITLE = 'oidc'

/** Skip decisions: which provider did not apply and why. */
export function silly (message: string): void {
  procLog.log.silly(TITLE, message)
}

/** Outcomes: which provider answered, what the registry said. */
export function verbose (message: string): void {
  procLog.log.verbose(TITLE, message)
}

/**
 * Warnings the caller should act on: a publish falling back to a configured token, trust input that disagrees
 * with package.json.
 */
export function warn (message: string): void {
  procLog.log.warn(TITLE, message)
}
