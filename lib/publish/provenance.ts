import { OidcError } from '../errors.js'
import { envValue, type Env } from '../util/env.js'
import { manifestRepositoryUrl, normaliseRepositoryUrl } from '../contract/repository-url.js'
import { verbose } from '../util/log.js'
import type { OidcToken } from '../client/token.js'

/** Whether the publish attaches provenance, and why. */
export interface ProvenanceDecision {
  readonly enabled: boolean
  /** `explicit`: `opts.provenance` was a boolean; `file`: `opts.provenanceFile` was given; `auto`: decided here. */
  readonly source: 'explicit' | 'file' | 'auto'
  readonly reason: string
}

/** What the decision looks at. */
export interface ProvenanceInput {
  readonly setting: boolean | 'auto'
  readonly provenanceFile: string | undefined
  readonly oidc: OidcToken | null
  readonly env: Env
  readonly manifest: Readonly<Record<string, unknown>>
  /** The registry's answer to `GET -/package/<name>/visibility`, asked only when needed. */
  readonly isPublic: () => Promise<{ public: boolean, reason: string }>
  /** Which CI the environment is, when OIDC was not used. */
  readonly detectedProvider: string | undefined
}

/**
 * Checks the provenance options a publish (and a diagnosis of one) takes: `provenance` is a boolean or
 * `'auto'`, `provenanceFile` a path.
 *
 * @throws TypeError naming the option that has the wrong type
 */
export function validateProvenanceOptions (
  opts: { readonly provenance?: unknown, readonly provenanceFile?: unknown }
): void {
  const { provenance, provenanceFile } = opts
  if (provenance !== undefined && typeof provenance !== 'boolean' && provenance !== 'auto') {
    throw new TypeError(`Expected \`opts.provenance\` to be true, false or 'auto', got ${JSON.stringify(provenance)}.`)
  }
  if (provenanceFile !== undefined && typeof provenanceFile !== 'string') {
    throw new TypeError('Expected `opts.provenanceFile` to be a path.')
  }
}

function sourceRepository (oidc: OidcToken): string | undefined {
  const { repository, project_path: projectPath } = oidc.claims
  if (oidc.provider === 'github-actions' && typeof repository === 'string') return `github.com/${repository}`
  if (oidc.provider === 'gitlab' && typeof projectPath === 'string') return `gitlab.com/${projectPath}`
  return undefined
}

/**
 * Refuses, before signing and uploading, what the registry would refuse with a 422 after both: a
 * `repository.url` that does not name the repository the ID token says the job runs in.
 *
 * @throws {OidcError} `ERR_OIDC_PROVENANCE_MISMATCH`
 */
export function assertRepositoryMatches (oidc: OidcToken | null, manifest: Readonly<Record<string, unknown>>): void {
  const expected = oidc && sourceRepository(oidc)
  if (!expected) return
  const actual = manifestRepositoryUrl(manifest)
  if (normaliseRepositoryUrl(actual) === expected.toLowerCase()) return
  throw new OidcError('ERR_OIDC_PROVENANCE_MISMATCH', {
    provider: oidc.provider,
    what: 'package.json repository does not match the repository provenance would name',
    facts: `repository.url is ${JSON.stringify(actual)}, expected to match https://${expected}`,
    hint: `Set "repository": { "type": "git", "url": "git+https://${expected}.git" } in package.json, or publish with provenance off`,
    claims: oidc.claims,
  })
}

function unavailable (facts: string, hint: string): OidcError {
  return new OidcError('ERR_OIDC_PROVENANCE_UNAVAILABLE', {
    what: 'provenance was requested but cannot be generated here', facts, hint,
  })
}

function explicitlyOn (input: ProvenanceInput): ProvenanceDecision {
  const provider = input.oidc?.provider ?? input.detectedProvider
  if (provider === 'github-actions') {
    if (!envValue(input.env, 'ACTIONS_ID_TOKEN_REQUEST_URL')) {
      throw unavailable('GitHub Actions without ACTIONS_ID_TOKEN_REQUEST_URL',
        'Grant the job `permissions: id-token: write`')
    }
  } else if (provider === 'gitlab') {
    if (!envValue(input.env, 'SIGSTORE_ID_TOKEN')) {
      throw unavailable('GitLab CI/CD without SIGSTORE_ID_TOKEN',
        'Add id_tokens: { SIGSTORE_ID_TOKEN: { aud: "sigstore" } } to the job')
    }
  } else {
    throw unavailable(`provider ${provider ?? '(none)'}`,
      'Provenance can be signed only on GitHub Actions and GitLab CI/CD; publish with provenance off')
  }
  assertRepositoryMatches(input.oidc, input.manifest)
  return { enabled: true, source: 'explicit', reason: 'requested by the caller' }
}

async function auto (input: ProvenanceInput): Promise<ProvenanceDecision> {
  const off = (reason: string): ProvenanceDecision => ({ enabled: false, source: 'auto', reason })
  const { oidc, env } = input
  if (!oidc) return off('OIDC was not used')
  const claims = oidc.claims
  if (oidc.provider === 'github-actions') {
    if (claims.repository_visibility !== 'public') {
      return off(`the repository is ${String(claims.repository_visibility ?? 'of unknown visibility')}, not public`)
    }
    // Beyond npm: the registry rejects provenance from other runners with a 422, after signing.
    if (claims.runner_environment !== 'github-hosted') {
      return off(`the runner is ${String(claims.runner_environment ?? 'of unknown kind')}, not github-hosted`)
    }
    if (!envValue(env, 'ACTIONS_ID_TOKEN_REQUEST_URL')) {
      return off('the job cannot request the sigstore ID token (NPM_ID_TOKEN was used)')
    }
  } else if (oidc.provider === 'gitlab') {
    if (claims.project_visibility !== 'public') {
      return off(`the project is ${String(claims.project_visibility ?? 'of unknown visibility')}, not public`)
    }
    if (!envValue(env, 'SIGSTORE_ID_TOKEN')) return off('SIGSTORE_ID_TOKEN is not set')
  } else {
    return off(`${oidc.provider} cannot sign provenance`)
  }
  const visibility = await input.isPublic()
  if (!visibility.public) return off(visibility.reason)
  assertRepositoryMatches(oidc, input.manifest)
  return { enabled: true, source: 'auto', reason: 'public source repository and public package' }
}

/**
 * Decides provenance as npm 11 does, plus two checks of ours. An explicit boolean or a bundle file always wins.
 *
 * @throws {OidcError} `ERR_OIDC_PROVENANCE_UNAVAILABLE`, `ERR_OIDC_PROVENANCE_MISMATCH`
 */
export async function decideProvenance (input: ProvenanceInput): Promise<ProvenanceDecision> {
  let decision: ProvenanceDecision
  if (input.provenanceFile !== undefined) {
    decision = { enabled: true, source: 'file', reason: 'an existing bundle was given (provenanceFile)' }
  } else if (input.setting === false) {
    decision = { enabled: false, source: 'explicit', reason: 'turned off by the caller' }
  } else if (input.setting === true) {
    decision = explicitlyOn(input)
  } else {
    decision = await auto(input)
  }
  verbose(`Provenance ${decision.enabled ? 'on' : 'off'} (${decision.source}): ${decision.reason}`)
  return decision
}
