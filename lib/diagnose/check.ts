import { redactUrls } from '../util/redact-urls.js'
import { isOidcError } from '../errors.js'
import type { DiagnosisCheck, DiagnosisCheckId, DiagnosisCheckStatus } from './diagnosis.js'

/** Builds a check, leaving out empty `detail` and absent `hint`. */
export function check (
  id: DiagnosisCheckId,
  status: DiagnosisCheckStatus,
  summary: string,
  extra: { detail?: readonly string[], hint?: string | undefined } = {},
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
 * A failed check from whatever was thrown. An {@link OidcError}'s message is split into what failed and its
 * hint; anything else is unexpected and reported with its (redacted) message rather than thrown.
 */
export function failed (id: DiagnosisCheckId, err: unknown, detail?: readonly string[]): DiagnosisCheck {
  if (isOidcError(err)) {
    const hint = err.hint.replace(/\.?$/, '.')
    const cut = err.message.indexOf(` ${hint}`)
    const summary = cut > 0 ? err.message.slice(0, cut).replace(/\.$/, '') : err.message
    return { ...check(id, 'fail', summary, { detail, hint: err.hint }), code: err.code }
  }
  const message = err instanceof Error ? err.message : String(err)
  return check(id, 'fail', `unexpected error: ${redactUrls(message)}`, {
    detail,
    hint: 'This is not a known failure mode; rerun with the same environment, and report it if it persists',
  })
}
