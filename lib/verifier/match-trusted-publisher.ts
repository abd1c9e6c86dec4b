import { githubWorkflowFile, gitlabConfigFile } from '../workflow-file.js'

/** What a trusted-publisher connection allows: `npm publish` and/or `npm stage publish`. */
export type TrustedPublisherPermission = 'createPackage' | 'createStagedPackage'

/** The CI providers a trusted publisher can name. */
export type TrustedPublisherType = 'github' | 'gitlab' | 'circleci'

interface PublisherBase {
  /** The connection's id, when the registry assigned one. */
  readonly id?: string
  readonly permissions: readonly TrustedPublisherPermission[]
}

/** A GitHub Actions connection, as `npm trust github` sends it. */
export interface GithubTrustedPublisher extends PublisherBase {
  readonly type: 'github'
  readonly claims: {
    /** `owner/repo`. */
    readonly repository: string
    /** The calling workflow's file name, such as `release.yml`. */
    readonly workflow_ref: { readonly file: string }
    readonly environment?: string
  }
}

/** A GitLab CI/CD connection, as `npm trust gitlab` sends it. */
export interface GitlabTrustedPublisher extends PublisherBase {
  readonly type: 'gitlab'
  readonly claims: {
    /** `group/sub/project`. */
    readonly project_path: string
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

/** One trusted-publisher connection of a package. */
export type TrustedPublisher = GithubTrustedPublisher | GitlabTrustedPublisher | CircleciTrustedPublisher

/** One field that differs; `null` stands for "absent". */
export interface FieldMismatch {
  /** The configured field, such as `workflow_ref.file` or `environment`. */
  readonly field: string
  readonly expected: unknown
  readonly actual: unknown
}

/** Why one configured publisher did not match. */
export interface PublisherMismatch {
  /** Position in the list that was passed in. */
  readonly index: number
  readonly publisher: unknown
  readonly fields: readonly FieldMismatch[]
}

/** The outcome of {@link matchTrustedPublisher}. */
export type TrustedPublisherMatch =
  | { readonly matched: true, readonly index: number, readonly publisher: TrustedPublisher }
  | { readonly matched: false, readonly mismatches: readonly PublisherMismatch[] }

/** Options of {@link matchTrustedPublisher}. */
export interface MatchTrustedPublisherOptions {
  /** A permission the publisher must grant, such as `createPackage` for a normal publish. */
  readonly permission?: TrustedPublisherPermission
  /**
   * Binds each publisher type to issuers, so a token from one trusted issuer cannot satisfy another
   * provider's publisher by carrying look-alike claims. Types not listed accept any verified issuer.
   */
  readonly publisherIssuers?: Readonly<Partial<Record<TrustedPublisherType, readonly string[]>>>
}

type Claims = Readonly<Record<string, unknown>>
type Config = Readonly<Record<string, unknown>>

function orNull (value: unknown): unknown {
  return value === undefined ? null : value
}

// A configured field that is empty or not a string must never match, even a token lacking that claim.
function exact (field: string, expected: unknown, actual: unknown): FieldMismatch[] {
  const ok = typeof expected === 'string' && expected !== '' && expected === actual
  return ok ? [] : [{ field, expected: orNull(expected), actual: orNull(actual) }]
}

// npmjs refuses a token with an environment against a publisher without one, so absence must match absence.
function environment (expected: unknown, actual: unknown): FieldMismatch[] {
  return orNull(expected) === orNull(actual) ? [] : [{ field: 'environment', expected: orNull(expected), actual: orNull(actual) }]
}

function contextIds (expected: unknown, actual: unknown): FieldMismatch[] {
  if (expected === undefined) return []
  const present = Array.isArray(actual) ? actual : []
  const ok = Array.isArray(expected) && expected.every(id => typeof id === 'string' && present.includes(id))
  return ok ? [] : [{ field: 'oidc.circleci.com/context-ids', expected, actual: orNull(actual) }]
}

function fileOf (value: unknown): unknown {
  return typeof value === 'object' && value !== null ? (value as Config).file : undefined
}

const CIRCLECI_IDS = [
  'oidc.circleci.com/org-id',
  'oidc.circleci.com/project-id',
  'oidc.circleci.com/pipeline-definition-id',
  'oidc.circleci.com/vcs-origin',
]

const CLAIM_CHECKS: Readonly<Record<TrustedPublisherType, (config: Config, claims: Claims) => FieldMismatch[]>> = {
  github: (config, claims) => [
    ...exact('repository', config.repository, claims.repository),
    ...exact('workflow_ref.file', fileOf(config.workflow_ref), githubWorkflowFile(claims.workflow_ref)),
    ...environment(config.environment, claims.environment),
  ],
  gitlab: (config, claims) => [
    ...exact('project_path', config.project_path, claims.project_path),
    ...exact('ci_config_ref_uri.file', fileOf(config.ci_config_ref_uri), gitlabConfigFile(claims.ci_config_ref_uri)),
    ...environment(config.environment, claims.environment),
  ],
  circleci: (config, claims) => [
    ...CIRCLECI_IDS.flatMap(field => exact(field, config[field], claims[field])),
    ...contextIds(config['oidc.circleci.com/context-ids'], claims['oidc.circleci.com/context-ids']),
  ],
}

function mismatchesOf (publisher: unknown, claims: Claims, opts: MatchTrustedPublisherOptions): FieldMismatch[] {
  const { type, claims: config, permissions } = (publisher ?? {}) as Config
  if (typeof type !== 'string' || !Object.hasOwn(CLAIM_CHECKS, type)) {
    return [{ field: 'type', expected: 'github, gitlab or circleci', actual: orNull(type) }]
  }
  const issuers = opts.publisherIssuers?.[type as TrustedPublisherType]
  const fields: FieldMismatch[] = issuers && !issuers.includes(claims.iss as string)
    ? [{ field: 'iss', expected: issuers, actual: orNull(claims.iss) }]
    : []
  fields.push(...CLAIM_CHECKS[type as TrustedPublisherType]((config ?? {}) as Config, claims))
  if (opts.permission && !(Array.isArray(permissions) && permissions.includes(opts.permission))) {
    fields.push({ field: 'permissions', expected: [opts.permission], actual: orNull(permissions) })
  }
  return fields
}

/**
 * Finds the trusted publisher of a package that a verified ID token satisfies, comparing exactly and
 * case-sensitively as npmjs does: GitHub `repository` and the file of the **calling** workflow from
 * `workflow_ref`; GitLab `project_path` and the file in `ci_config_ref_uri`; CircleCI org, project and
 * pipeline-definition ids, `vcs-origin` and required context ids. A configured `environment` must equal the
 * token's, and a token with an environment does not match a publisher without one. Never throws for a
 * mismatch: the result lists, per publisher, every field that differs.
 *
 * @param claims - the claims returned by {@link verifyIdToken}
 * @param publishers - the package's connections, shaped as `npm trust` sends them
 * @param options - a permission to require, issuers per publisher type
 * @returns `{ matched: true, index, publisher }` for the first match, else `{ matched: false, mismatches }`
 * @throws TypeError when `claims` is not an object or `publishers` is not an array
 * @example
 * ```ts
 * const result = matchTrustedPublisher(claims, [{
 *   type: 'github',
 *   claims: { repository: 'acme/pkg', workflow_ref: { file: 'release.yml' } },
 *   permissions: ['createPackage'],
 * }], { permission: 'createPackage' })
 * if (!result.matched) console.log(result.mismatches[0]?.fields)
 * ```
 */
export function matchTrustedPublisher (claims: Claims, publishers: readonly unknown[],
  options: MatchTrustedPublisherOptions = {}): TrustedPublisherMatch {
  if (typeof claims !== 'object' || claims === null) throw new TypeError('Expected `claims` to be an object.')
  if (!Array.isArray(publishers)) throw new TypeError('Expected `publishers` to be an array.')
  const mismatches: PublisherMismatch[] = []
  for (const [index, publisher] of publishers.entries()) {
    const fields = mismatchesOf(publisher, claims, options)
    if (fields.length === 0) return { matched: true, index, publisher: publisher as TrustedPublisher }
    mismatches.push({ index, publisher, fields })
  }
  return { matched: false, mismatches }
}
