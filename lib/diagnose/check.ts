import { redactUrls } from '../util/redact-urls.js'
import { failureLine, isOidcError, type ClientErrorCode } from '../errors.js'
import type { DiagnosisCheck, DiagnosisCheckId, DiagnosisCheckStatus } from './diagnosis.js'

/** Builds a check, leaving out empty `detail` and absent `hint`. */
export function check (
  id: DiagnosisCheckId,
  status: DiagnosisCheckStatus,
  summary: string,
  extra: { detail?: readonly string[], hint?: string | undefined } = {}
): DiagnosisCheck {
  return {
    id,
    status,
    summary,
    ...(extra.detail && extra.detail.length > 0 ? { detail: [...extra.detail] } : {}),
    ...(extra.hint === undefined ? {} : { hint: extra.hint }),
  }
}

/** A check that did not run because `dependsOn` failed (or was itself skipped: the root cause is named). */
export function skipped (id: DiagnosisCheckId, dependsOn: DiagnosisCheck): DiagnosisCheck {
  return check(id, 'skip', dependsOn.status === 'skip' ? dependsOn.summary : `skipped: ${dependsOn.id} failed`)
}

/**
 * A failed check from whatever was thrown. An {@link OidcError} gives what failed (with its facts) as the summary
 * and its hint; anything else is unexpected and reported with its (redacted) message rather than thrown.
 */
export function failed (id: DiagnosisCheckId, err: unknown, detail?: readonly string[]): DiagnosisCheck {
  if (isOidcError(err)) {
    // A look-alike from elsewhere (a custom provider) may lack the fields; its message is all there is.
    const summary = typeof err.what === 'string' ? failureLine(err) : err.message
    // The checks run the client side only, which never throws a registry-side (verify) code.
    return { ...check(id, 'fail', summary, { detail, hint: err.hint }), code: err.code as ClientErrorCode }
  }
  const message = err instanceof Error ? err.message : String(err)
  return check(id, 'fail', `unexpected error: ${redactUrls(message)}`, {
    detail,
    hint: 'This is not a known failure mode; rerun with the same environment, and report it if it persists',
  })
}
