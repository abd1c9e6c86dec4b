// The trusted-publisher data model: what the registry stores, what `npm trust` sends, and what the
// registry side matches. One definition, so the trust commands and the verifier cannot drift apart.

/** What a trusted-publisher connection allows: `npm publish` and/or `npm stage publish`. */
export type TrustedPublisherPermission = 'createPackage' | 'createStagedPackage'

/** Every permission, in npm's order. */
export const TRUSTED_PUBLISHER_PERMISSIONS: readonly TrustedPublisherPermission[] =
  Object.freeze(['createPackage', 'createStagedPackage'])

/** The CI providers a trusted publisher can name. */
export type TrustedPublisherType = 'github' | 'gitlab' | 'circleci'

interface PublisherBase {
  /** The connection's id, when the registry assigned one. */
  readonly id?: string
  /** What a matching job may do; a publisher that lists neither permission never matches. */
  readonly permissions: readonly TrustedPublisherPermission[]
}

/** A GitHub Actions connection, as `npm trust github` sends it. */
export interface GithubTrustedPublisher extends PublisherBase {
  readonly type: 'github'
  readonly claims: {
    /** `owner/repo`. */
    readonly repository: string
    /** The repository's immutable id; binds the publisher to this repository even if its name is re-registered. */
    readonly repository_id?: string | number
    /** The owner's immutable id, for the same reason. */
    readonly repository_owner_id?: string | number
    /** The calling workflow's file name, such as `release.yml`. */
    readonly workflow_ref: { readonly file: string }
    readonly environment?: string
  }
}

/** A GitLab CI/CD connection, as `npm trust gitlab` sends it. */
export interface GitlabTrustedPublisher extends PublisherBase {
  readonly type: 'gitlab'
  readonly claims: {
    /** `group/sub/project`; the CI file must come from this project too. */
    readonly project_path: string
    /** The project's immutable id; binds the publisher to this project even if its path is re-registered. */
    readonly project_id?: string | number
    /** The group's immutable id, for the same reason. */
    readonly namespace_id?: string | number
    /** The top-level CI file, such as `.gitlab-ci.yml`. */
    readonly ci_config_ref_uri: { readonly file: string }
    readonly environment?: string
  }
}

/** A CircleCI connection, as `npm trust circleci` sends it. */
export interface CircleciTrustedPublisher extends PublisherBase {
  readonly type: 'circleci'
  readonly claims: {
    readonly 'oidc.circleci.com/org-id': string
    readonly 'oidc.circleci.com/project-id': string
    readonly 'oidc.circleci.com/pipeline-definition-id': string
    /** `github.com/owner/repo`, no scheme. */
    readonly 'oidc.circleci.com/vcs-origin': string
    /** Contexts the job must run with; every one must be in the token. */
    readonly 'oidc.circleci.com/context-ids'?: readonly string[]
  }
}

/**
 * One trusted-publisher connection of a package. Any other claim a publisher's `claims` names is compared exactly
 * with the token's (`ref`, `event_name`, `runner_environment`, …): a string, an integer (compared as its decimal
 * string) or a boolean. A claim of any other shape makes the publisher never match, so a condition the matcher
 * cannot check is never ignored.
 */
export type TrustedPublisher = GithubTrustedPublisher | GitlabTrustedPublisher | CircleciTrustedPublisher

/**
 * The `file` a publisher's `workflow_ref` (GitHub) or `ci_config_ref_uri` (GitLab) claim names, read from
 * data of any shape (a registry's answer, a caller's input).
 *
 * @returns the `file` field as it is, or `undefined` when the claim is not an object
 */
export function publisherFileOf (claim: unknown): unknown {
  return typeof claim === 'object' && claim !== null ? (claim as { file?: unknown }).file : undefined
}
