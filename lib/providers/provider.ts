import type { ResolvedOptions } from '../client/resolve-options.js'
import type { CallClock } from '../client/retry.js'
import type { Env } from '../util/env.js'

/** What a provider gets to obtain an ID token. */
export interface ProviderContext {
  /** The environment passed to the call. Providers read nothing else. */
  readonly env: Env
  /** `npm:<registry hostname>`. */
  readonly audience: string
  /** Aborts when the caller aborts or the call's deadline passes: pass it to every request and child process. */
  readonly signal: AbortSignal
  /** The caller's time limit of one request, in ms (`OidcOptions.timeout`). */
  readonly timeout: number
  /** When the call's deadline passes, in ms since the epoch: no retry should start after it. */
  readonly deadlineAt: number
}

/**
 * Internal: what the library passes to a provider, with the call's resolved options and clock, which the built-in
 * providers' requests and retries follow. A custom provider sees only {@link ProviderContext}.
 */
export interface CallContext extends ProviderContext {
  readonly options: ResolvedOptions
  readonly clock: CallClock
}

/** Internal: the built-in providers' view of their context; the library always passes a {@link CallContext}. */
export function asCallContext (context: ProviderContext): CallContext {
  return context as CallContext
}

/** An ID token and where it came from (named in messages; never the token itself). */
export interface IdTokenSource {
  readonly idToken: string
  /** `NPM_ID_TOKEN`, `the GitHub ID-token endpoint`, `circleci run oidc get`… */
  readonly source: string
}

/**
 * A CI provider: detection as data, and one way to get an ID token. Three outcomes, as in di/id:
 * `detect()` false → not mine, skipped; `getIdToken()` throws an `OidcError` → mine but broken; else a token.
 */
export interface OidcProvider {
  /** Stable id, such as `github-actions`; reported as `OidcToken.provider`. */
  readonly id: string
  /** Display name, used as the prefix of error messages. */
  readonly name: string
  /** What `detect` looks for, for "no provider" explanations: `GITHUB_ACTIONS`. */
  readonly detectedBy: string
  /** Whether the environment is this provider's. Reads only `env`. */
  detect (env: Env): boolean
  /** Obtains an ID token for `context.audience`. Called only when `NPM_ID_TOKEN` is not set. */
  getIdToken (context: ProviderContext): Promise<IdTokenSource>
}
