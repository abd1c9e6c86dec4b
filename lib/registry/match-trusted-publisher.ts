import { githubWorkflowFile, gitlabConfigFile, gitlabConfigProject } from '../contract/workflow-file.js'
import {
  TRUSTED_PUBLISHER_PERMISSIONS, publisherFileOf,
  type TrustedPublisher, type TrustedPublisherPermission, type TrustedPublisherType,
} from '../contract/trusted-publisher.js'

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
  | {
    readonly matched: true
    readonly index: number
    readonly publisher: TrustedPublisher
    /** What the publisher grants (the permissions it lists that this library knows); never empty. */
    readonly permissions: readonly TrustedPublisherPermission[]
  }
  | { readonly matched: false, readonly mismatches: readonly PublisherMismatch[] }

/** Options of {@link matchTrustedPublisher}. */
export interface MatchTrustedPublisherOptions {
  /** A permission the publisher must grant, such as `createPackage` for a normal publish. */
  readonly permission?: TrustedPublisherPermission
  /**
   * Binds each publisher type to issuers, so a token from one trusted issuer cannot satisfy another
   * provider's publisher by carrying look-alike claims. A type listed here accepts exactly these issuers; a type
   * not listed keeps its default: `github` ↔ `https://token.actions.githubusercontent.com`, `gitlab` ↔
   * `https://gitlab.com`, `circleci` ↔ `https://oidc.circleci.com/org/<the publisher's org-id>`.
   */
  readonly publisherIssuers?: Readonly<Partial<Record<TrustedPublisherType, readonly string[]>>>
  /** Accept CircleCI tokens of SSH reruns (`oidc.circleci.com/ssh-rerun: true`); they are refused by default. */
  readonly allowSshRerun?: boolean
}

type Claims = Readonly<Record<string, unknown>>
type Config = Readonly<Record<string, unknown>>

function isRecord (value: unknown): value is Config {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

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
  if (orNull(expected) === orNull(actual)) return []
  return [{ field: 'environment', expected: orNull(expected), actual: orNull(actual) }]
}

function contextIdMismatches (expected: unknown, actual: unknown): FieldMismatch[] {
  if (expected === undefined) return []
  const present = Array.isArray(actual) ? actual : []
  const ok = Array.isArray(expected) && expected.every(id => typeof id === 'string' && present.includes(id))
  return ok ? [] : [{ field: 'oidc.circleci.com/context-ids', expected, actual: orNull(actual) }]
}

// Immutable ids arrive as strings (`"123"`); a registry may store them as numbers.
function scalar (value: unknown): unknown {
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value
}

// Fails closed: a configured claim of a shape we cannot compare, or one the token lacks, never matches.
function other (field: string, expected: unknown, actual: unknown): FieldMismatch[] {
  const want = scalar(expected)
  const comparable = (typeof want === 'string' && want !== '') || typeof want === 'boolean'
  return comparable && want === scalar(actual) ? [] : [{ field, expected: orNull(expected), actual: orNull(actual) }]
}

const CIRCLECI_IDS = [
  'oidc.circleci.com/org-id',
  'oidc.circleci.com/project-id',
  'oidc.circleci.com/pipeline-definition-id',
  'oidc.circleci.com/vcs-origin',
]

type ClaimCheck = (config: Config, claims: Claims) => FieldMismatch[]

interface PublisherRules {
  /** Configured keys with their own comparison; every other key goes through {@link other}. */
  readonly known: readonly string[]
  readonly check: ClaimCheck
  readonly defaultIssuers: (config: Config) => readonly string[]
}

const RULES: Readonly<Record<TrustedPublisherType, PublisherRules>> = {
  github: {
    known: ['repository', 'workflow_ref', 'environment'],
    check: (config, claims) => [
      ...exact('repository', config.repository, claims.repository),
      ...exact('workflow_ref.file', publisherFileOf(config.workflow_ref), githubWorkflowFile(claims.workflow_ref)),
      ...environment(config.environment, claims.environment),
    ],
    defaultIssuers: () => ['https://token.actions.githubusercontent.com'],
  },
  gitlab: {
    known: ['project_path', 'ci_config_ref_uri', 'environment'],
    check: (config, claims) => [
      ...exact('project_path', config.project_path, claims.project_path),
      // A project may run a CI file kept in another project; the publisher names the project, so both must agree.
      ...exact('ci_config_ref_uri.project', config.project_path, gitlabConfigProject(claims.ci_config_ref_uri)),
      ...exact('ci_config_ref_uri.file', publisherFileOf(config.ci_config_ref_uri),
        gitlabConfigFile(claims.ci_config_ref_uri)),
      ...environment(config.environment, claims.environment),
    ],
    defaultIssuers: () => ['https://gitlab.com'],
  },
  circleci: {
    known: [...CIRCLECI_IDS, 'oidc.circleci.com/context-ids'],
    check: (config, claims) => [
      ...CIRCLECI_IDS.flatMap(field => exact(field, config[field], claims[field])),
      ...contextIdMismatches(config['oidc.circleci.com/context-ids'], claims['oidc.circleci.com/context-ids']),
    ],
    defaultIssuers: config => {
      const org = config['oidc.circleci.com/org-id']
      return typeof org === 'string' && org !== '' ? [`https://oidc.circleci.com/org/${org}`] : []
    },
  },
}

function grantsOf (permissions: unknown): TrustedPublisherPermission[] {
  return Array.isArray(permissions) ? TRUSTED_PUBLISHER_PERMISSIONS.filter(p => permissions.includes(p)) : []
}

function claimMismatches (rules: PublisherRules, config: Config, claims: Claims): FieldMismatch[] {
  const fields = rules.check(config, claims)
  for (const [key, expected] of Object.entries(config)) {
    if (!rules.known.includes(key) && expected !== undefined) fields.push(...other(key, expected, claims[key]))
  }
  return fields
}

function mismatchesOf (publisher: unknown, claims: Claims, opts: MatchTrustedPublisherOptions): FieldMismatch[] {
  const { type, claims: rawConfig, permissions } = (isRecord(publisher) ? publisher : {}) as Config
  if (typeof type !== 'string' || !Object.hasOwn(RULES, type)) {
    return [{ field: 'type', expected: 'github, gitlab or circleci', actual: orNull(type) }]
  }
  const rules = RULES[type as TrustedPublisherType]
  const config = (isRecord(rawConfig) ? rawConfig : {}) as Config
  const issuers = opts.publisherIssuers?.[type as TrustedPublisherType] ?? rules.defaultIssuers(config)
  const fields: FieldMismatch[] = issuers.includes(claims.iss as string)
    ? []
    : [{ field: 'iss', expected: issuers, actual: orNull(claims.iss) }]
  fields.push(...claimMismatches(rules, config, claims))
  const sshRerun = claims['oidc.circleci.com/ssh-rerun']
  if (!opts.allowSshRerun && sshRerun !== undefined && sshRerun !== false) {
    fields.push({ field: 'oidc.circleci.com/ssh-rerun', expected: false, actual: sshRerun })
  }
  const granted = grantsOf(permissions)
  if (granted.length === 0 || (opts.permission && !granted.includes(opts.permission))) {
    const expected = opts.permission ? [opts.permission] : TRUSTED_PUBLISHER_PERMISSIONS
    fields.push({ field: 'permissions', expected, actual: orNull(permissions) })
  }
  return fields
}

/**
 * Finds the trusted publisher of a package that a verified ID token satisfies, comparing exactly and
 * case-sensitively as npmjs does: GitHub `repository` and the file of the **calling** workflow from
 * `workflow_ref` (the path before `@refs/`); GitLab `project_path`, and the project and file in
 * `ci_config_ref_uri`; CircleCI org, project and pipeline-definition ids, `vcs-origin` and required context ids.
 * A configured `environment` must equal the token's, and a token with an environment does not match a publisher
 * without one. Every other claim the publisher names (`repository_id`, `project_id`, `ref`, …) must equal the
 * token's; one that cannot be compared makes the publisher never match. The token's issuer must be bound to the
 * publisher's type (`publisherIssuers`, else the provider's public issuer), a publisher must grant at least one
 * permission, and CircleCI SSH-rerun tokens are refused unless `allowSshRerun`. Never throws for a mismatch: the
 * result lists, per publisher, every field that differs.
 *
 * @param claims - the claims returned by {@link verifyIdToken}
 * @param publishers - the package's connections, shaped as `npm trust` sends them
 * @param options - a permission to require, issuers per publisher type, SSH reruns
 * @returns `{ matched: true, index, publisher, permissions }` for the first match,
 * else `{ matched: false, mismatches }`
 * @throws TypeError when `claims` is not an object or `publishers` is not an array
 * @example
 * ```ts
 * const result = matchTrustedPublisher(claims, [{
 *   type: 'github',
 *   claims: { repository: 'acme/pkg', workflow_ref: { file: 'release.yml' } },
 *   permissions: ['createPackage'],
 * }], { permission: 'createPackage' })
 * if (result.matched) console.log(result.permissions)
 * else console.log(result.mismatches[0]?.fields)
 * ```
 */
export function matchTrustedPublisher (claims: Claims, publishers: readonly unknown[],
  options: MatchTrustedPublisherOptions = {}): TrustedPublisherMatch {
  if (typeof claims !== 'object' || claims === null) throw new TypeError('Expected `claims` to be an object.')
  if (!Array.isArray(publishers)) throw new TypeError('Expected `publishers` to be an array.')
  const mismatches: PublisherMismatch[] = []
  for (const [index, publisher] of publishers.entries()) {
    const fields = mismatchesOf(publisher, claims, options)
    if (fields.length === 0) {
      const permissions = Object.freeze(grantsOf((publisher as Config).permissions))
      return { matched: true, index, publisher: publisher as TrustedPublisher, permissions }
    }
    mismatches.push({ index, publisher, fields })
  }
  return { matched: false, mismatches }
}
