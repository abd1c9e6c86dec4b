import type { Env } from '../util/env.js'

// The variables through which a CI job hands out credentials that mint or are ID tokens (or act as the job).
const NAMES = new Set([
  'NPM_ID_TOKEN', 'SIGSTORE_ID_TOKEN', 'CIRCLE_OIDC_TOKEN', 'CIRCLE_OIDC_TOKEN_V2',
  'GITHUB_TOKEN', 'ACTIONS_RUNTIME_TOKEN',
])

/** Whether `name` is a CI credential variable: `ACTIONS_ID_TOKEN_REQUEST_*`, `NPM_ID_TOKEN`, `GITHUB_TOKEN` … */
export function isCiCredential (name: string): boolean {
  const upper = name.toUpperCase()
  return NAMES.has(upper) || upper.startsWith('ACTIONS_ID_TOKEN_REQUEST_')
}

/** A copy of `env` without the CI credential variables. */
export function withoutCiCredentials (env: Env): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !isCiCredential(name)))
}

/**
 * The values of the CI credential variables set in `env`. Values under 8 characters are left out: no real
 * credential is that short, and a placeholder such as `x` would match half of every URL.
 */
export function ciCredentialValues (env: Env): string[] {
  return Object.entries(env)
    .filter((entry): entry is [string, string] =>
      isCiCredential(entry[0]) && typeof entry[1] === 'string' && entry[1].length >= 8)
    .map(([, value]) => value)
}
