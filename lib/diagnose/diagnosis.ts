import type { IdTokenClaims } from '../client/claims.js'
import type { ClientErrorCode } from '../errors.js'
import type { OidcOptions } from '../options.js'

/** The checks of a diagnosis, in the order they run. */
export type DiagnosisCheckId = 'environment' | 'token-source' | 'id-token' | 'package' | 'exchange' | 'provenance'

/** `skip`: a check it depends on failed, so it did not run. */
export type DiagnosisCheckStatus = 'pass' | 'warn' | 'fail' | 'skip'

/** One line of the checklist. Never holds a token. */
export interface DiagnosisCheck {
  readonly id: DiagnosisCheckId
  readonly status: DiagnosisCheckStatus
  /** One line: what was found. */
  readonly summary: string
  /** Further facts, one per line (for `exchange` on a 404: the trusted-publisher fields this job needs). */
  readonly detail?: readonly string[]
  /** What to do about a `fail` or `warn`. */
  readonly hint?: string
  /** The {@link OidcError} code behind a `fail`, when there was one. */
  readonly code?: ClientErrorCode
}

/** What {@link diagnose} found. Plain data: `JSON.stringify` gives the whole of it, and it never holds a token. */
export interface OidcDiagnosis {
  /** No check failed (warnings allowed). */
  readonly ok: boolean
  /** The detected provider's id (`github-actions` …), `npm-id-token` for a bare `NPM_ID_TOKEN`, or `null`. */
  readonly provider: string | null
  /** The normalised registry URL. */
  readonly registry: string
  /** The package name. */
  readonly package: string
  /** The ID token's claims (not secret), or `null` when no token was obtained. */
  readonly claims: IdTokenClaims | null
  readonly checks: readonly DiagnosisCheck[]
}

/** Options of {@link diagnose}: those of `getOidcToken`, plus what the package and provenance checks look at. */
export interface DiagnoseOptions extends OidcOptions {
  /** The version about to be published; the package check fails when the registry already has it. */
  version?: string
  /** The package's manifest; its `repository.url` is compared with the token's repository. */
  manifest?: Readonly<Record<string, unknown>>
  /** The provenance setting the publish will use; default `'auto'`. */
  provenance?: boolean | 'auto'
  /** An existing provenance bundle the publish will attach. */
  provenanceFile?: string
}
