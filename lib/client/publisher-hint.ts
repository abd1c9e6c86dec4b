import { githubWorkflowFile, gitlabConfigFile } from '../contract/workflow-file.js'
import type { IdTokenClaims } from './claims.js'

/** One field of a trusted-publisher form next to the value this job's token carries. */
export interface PublisherField {
  /** The field as npmjs.com's trusted-publisher form names it. */
  readonly field: string
  /** The value this job would need there; `null` when the token does not carry it. */
  readonly value: string | null
  /** Where the value comes from. */
  readonly claim: string
}

function text (claims: IdTokenClaims, key: string): string | null {
  const value = claims[key]
  return typeof value === 'string' && value !== '' ? value : null
}

/**
 * What the registry's trusted publisher must contain for this job, field by field, as the npmjs.com form
 * asks for it. Empty for a token of a provider we do not know.
 */
export function expectedPublisher (claims: IdTokenClaims): PublisherField[] {
  if (text(claims, 'workflow_ref') !== null || text(claims, 'repository') !== null) {
    return [
      { field: 'repository', value: text(claims, 'repository'), claim: 'repository' },
      { field: 'workflow filename', value: githubWorkflowFile(claims.workflow_ref) || null, claim: 'workflow_ref' },
      { field: 'environment', value: text(claims, 'environment'), claim: 'environment' },
    ]
  }
  if (text(claims, 'project_path') !== null) {
    return [
      { field: 'project path', value: text(claims, 'project_path'), claim: 'project_path' },
      { field: 'CI file', value: gitlabConfigFile(claims.ci_config_ref_uri) || null, claim: 'ci_config_ref_uri' },
      { field: 'environment', value: text(claims, 'environment'), claim: 'environment' },
    ]
  }
  const circle = (key: string): PublisherField =>
    ({ field: key, value: text(claims, `oidc.circleci.com/${key}`), claim: `oidc.circleci.com/${key}` })
  if (text(claims, 'oidc.circleci.com/org-id') !== null) {
    return ['org-id', 'project-id', 'pipeline-definition-id', 'vcs-origin'].map(circle)
  }
  return []
}

/** `repository "acme/widgets", workflow filename "release.yml", environment (none)`. */
export function describePublisher (claims: IdTokenClaims): string {
  return expectedPublisher(claims)
    .map(({ field, value }) => `${field} ${value === null ? '(none)' : JSON.stringify(value)}`)
    .join(', ')
}

/**
 * Whether `sub` has GitHub's immutable subject format, in which names carry `@<numeric id>`, and which
 * registry.npmjs.org currently fails to match (npm/cli#9969).
 */
export function hasImmutableSubject (claims: IdTokenClaims): claims is IdTokenClaims & { readonly sub: string } {
  return typeof claims.sub === 'string' && /@\d+/.test(claims.sub)
}

/** The sentence a hint adds when {@link hasImmutableSubject} holds. */
export const IMMUTABLE_SUBJECT_ISSUE =
  'This repository uses GitHub\'s immutable subject format, which the registry currently fails to match (npm/cli#9969)'
