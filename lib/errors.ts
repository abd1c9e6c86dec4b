// The one list every code type below is derived from, in the order the README's errors table lists them.
const CODES = [
  'ERR_OIDC_NO_PROVIDER',
  'ERR_OIDC_NO_PERMISSION',
  'ERR_OIDC_NO_ID_TOKEN',
  'ERR_OIDC_ID_TOKEN_REQUEST_FAILED',
  'ERR_OIDC_ID_TOKEN_MALFORMED',
  'ERR_OIDC_AUDIENCE_MISMATCH',
  'ERR_OIDC_ID_TOKEN_EXPIRED',
  'ERR_OIDC_SSH_RERUN',
  'ERR_OIDC_INSECURE_REGISTRY',
  'ERR_OIDC_REDIRECT_REFUSED',
  'ERR_OIDC_NO_TRUSTED_PUBLISHER',
  'ERR_OIDC_UNAUTHORIZED',
  'ERR_OIDC_EXCHANGE_REJECTED',
  'ERR_OIDC_EXCHANGE_FAILED',
  'ERR_OIDC_EXCHANGE_BAD_RESPONSE',
  'ERR_OIDC_PUBLISH_FORBIDDEN',
  'ERR_OIDC_PUBLISH_MASKED_404',
  'ERR_OIDC_PUBLISH_TOKEN_INVALID',
  'ERR_OIDC_TOKEN_MISMATCH',
  'ERR_OIDC_DIST_TAG_REFUSED',
  'ERR_OIDC_PROVENANCE_REJECTED',
  'ERR_OIDC_PROVENANCE_UNAVAILABLE',
  'ERR_OIDC_PROVENANCE_MISMATCH',
  'ERR_OIDC_PROVENANCE_ENV_MISMATCH',
  'ERR_OIDC_PUBLISHED_NOT_FOUND',
  'ERR_OIDC_PUBLISHED_UNREADABLE',
  'ERR_OIDC_PUBLISHED_NOT_TRUSTED',
  'ERR_OIDC_PUBLISHED_OTHER_PROVIDER',
  'ERR_OIDC_PUBLISHED_NO_PROVENANCE',
  'ERR_OIDC_PUBLISHED_OTHER_SOURCE',
  'ERR_OIDC_WORKSPACE_INVALID',
  'ERR_OIDC_WORKSPACE_PROTOCOL',
  'ERR_OIDC_VERIFY_MALFORMED',
  'ERR_OIDC_VERIFY_SIGNATURE',
  'ERR_OIDC_VERIFY_ISSUER',
  'ERR_OIDC_VERIFY_AUDIENCE',
  'ERR_OIDC_VERIFY_EXPIRED',
  'ERR_OIDC_VERIFY_NOT_YET_VALID',
  'ERR_OIDC_VERIFY_KEYS',
  'ERR_OIDC_VERIFY_LIFETIME',
  'ERR_OIDC_VERIFY_REPLAYED',
  'ERR_OIDC_VERIFY_PROVENANCE_MALFORMED',
  'ERR_OIDC_VERIFY_PROVENANCE_SIGNATURE',
  'ERR_OIDC_VERIFY_PROVENANCE_SUBJECT',
  'ERR_OIDC_VERIFY_PROVENANCE_IDENTITY',
  'ERR_OIDC_VERIFY_PROVENANCE_REPOSITORY',
] as const

/**
 * Every code an {@link OidcError} can carry: a {@link ClientErrorCode} or a {@link VerifyErrorCode}. A new code,
 * or a changed meaning of one, is a breaking change.
 *
 * The README's errors table has one anchor per code; messages link to it.
 */
export type OidcErrorCode = typeof CODES[number]

/**
 * The codes of the registry side (`libnpmoidc/registry`): why a registry refused an ID token. A client of
 * `libnpmoidc` never sees them; it learns of a refusal from the exchange's answer instead.
 */
export type VerifyErrorCode = Extract<OidcErrorCode, `ERR_OIDC_VERIFY_${string}`>

/**
 * The codes the client side of `libnpmoidc` throws (getting tokens, publishing, diagnosing, managing trusted
 * publishers): every {@link OidcErrorCode} but the {@link VerifyErrorCode}s, so that a `switch` over them can be
 * exhaustive.
 */
export type ClientErrorCode = Exclude<OidcErrorCode, VerifyErrorCode>

/** The codes in the order the README's errors table lists them. */
export const oidcErrorCodes: readonly OidcErrorCode[] = Object.freeze([...CODES])

/** Where the README documents each code; messages end with this link. */
const DOCS_URL = 'https://www.npmjs.com/package/libnpmoidc'

/** The facts an {@link OidcError} carries besides its code and message. */
export interface OidcErrorDetails {
  /** What failed, without the fix: `ID token audience mismatch`. */
  readonly what: string
  /** The facts, shown in parentheses: `expected npm:registry.npmjs.org, got sigstore`. */
  readonly facts?: string
  /** What to do about it, one or two sentences. */
  readonly hint: string
  /** Stable id of the CI provider involved, such as `github-actions`. */
  readonly provider?: string
  /** Display name used as the message prefix, such as `GitHub Actions`. */
  readonly providerName?: string
  /** HTTP status of the answer that failed. */
  readonly status?: number
  /** The registry's own `message` (or a short excerpt of a body that was not JSON). */
  readonly registryMessage?: string
  /** The ID token's non-secret claims. */
  readonly claims?: Readonly<Record<string, unknown>>
  /** The underlying error, already stripped of secrets. */
  readonly cause?: unknown
}

/**
 * The line an {@link OidcError}'s message starts with: `<Provider>: <what failed> (<facts>)`, without the hint and
 * the docs link. A diagnosis shows it as a failed check's summary.
 *
 * @param details - the error's `what`, and its `facts` and `providerName` when it has them
 */
export function failureLine (details: Pick<OidcErrorDetails, 'what' | 'facts' | 'providerName'>): string {
  const prefix = details.providerName ? `${details.providerName}: ` : ''
  const facts = details.facts ? ` (${details.facts})` : ''
  return `${prefix}${details.what}${facts}`
}

/**
 * The one error class of libnpmoidc: something in the environment (CI setup, token, registry answer)
 * stops trusted publishing. Programmer errors are `TypeError`s instead.
 *
 * The message reads `<Provider>: <what failed> (<facts>). <what to do>. See <docs>#<code>`, and never
 * contains a token. The client side throws only {@link ClientErrorCode}s, `libnpmoidc/registry` only
 * {@link VerifyErrorCode}s; `OidcError<ClientErrorCode>` names the former.
 *
 * @typeParam C - the codes this error may carry; all of {@link OidcErrorCode} unless narrowed
 * @example
 * ```ts
 * try {
 *   await getOidcToken('my-pkg', 'https://registry.npmjs.org/')
 * } catch (err) {
 *   if (isOidcError(err, 'ERR_OIDC_NO_TRUSTED_PUBLISHER')) console.error(err.hint, err.claims)
 *   else throw err
 * }
 * ```
 */
export class OidcError<C extends OidcErrorCode = OidcErrorCode> extends Error {
  override readonly name = 'OidcError'
  /** Which failure this is; `switch (err.code)` narrows. */
  readonly code: C
  /** What failed, without the facts or the fix: `ID token audience mismatch`. */
  readonly what: string
  /** What to do about it. */
  readonly hint: string
  /** The facts behind the failure, as the message shows them in parentheses, when there are any. */
  declare readonly facts?: string
  /** Display name of the CI provider involved, as the message's prefix, when one was. */
  declare readonly providerName?: string
  /** Stable id of the CI provider involved, when one was. */
  declare readonly provider?: string
  /** HTTP status of the failing answer, when there was one. */
  declare readonly status?: number
  /** The registry's own message, when it sent one. */
  declare readonly registryMessage?: string
  /** The ID token's non-secret claims, when a token was obtained. */
  declare readonly claims?: Readonly<Record<string, unknown>>

  /**
   * @param code - one of {@link OidcErrorCode}
   * @param details - the facts and the fix; see {@link OidcErrorDetails}
   */
  constructor (code: C, details: OidcErrorDetails) {
    const hint = details.hint.replace(/\.?$/, '.')
    super(`${failureLine(details)}. ${hint} See ${DOCS_URL}#${code.toLowerCase()}`,
      details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.what = details.what
    this.hint = details.hint
    if (details.facts !== undefined) this.facts = details.facts
    if (details.providerName !== undefined) this.providerName = details.providerName
    if (details.provider !== undefined) this.provider = details.provider
    if (details.status !== undefined) this.status = details.status
    if (details.registryMessage !== undefined) this.registryMessage = details.registryMessage
    if (details.claims !== undefined) this.claims = details.claims
  }
}

/**
 * Tells whether `err` is an {@link OidcError}, optionally with the given code. Works across the ESM and
 * CommonJS builds, where `instanceof` alone would not (two copies of the class can be loaded).
 *
 * @param err - anything caught
 * @param code - when given, the code `err` must carry
 * @returns whether `err` is such an error
 * @example
 * ```ts
 * if (isOidcError(err, 'ERR_OIDC_NO_PERMISSION')) console.error(err.hint)
 * // Around client calls, which throw only client codes: a `switch (err.code)` can then be exhaustive.
 * if (isOidcError<ClientErrorCode>(err)) report(err.code)
 * ```
 */
export function isOidcError<C extends OidcErrorCode> (err: unknown, code?: C): err is OidcError<C> {
  if (!(err instanceof Error)) return false
  const candidate = err as Partial<OidcError>
  const looksLikeOne = err instanceof OidcError || (candidate.name === 'OidcError' &&
    typeof candidate.code === 'string' && candidate.code.startsWith('ERR_OIDC_'))
  return looksLikeOne && (code === undefined || candidate.code === code)
}
