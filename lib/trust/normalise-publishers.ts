import { publisherFileOf, type TrustedPublisher } from '../contract/trusted-publisher.js'
import { manifestRepository } from './manifest-repository.js'
import * as field from './publisher-fields.js'

/** Publishers in the registry's body shape, plus where the manifest's defaults disagreed. */
export interface NormalisedPublishers {
  readonly publishers: TrustedPublisher[]
  readonly warnings: string[]
}

type Input = Readonly<Record<string, unknown>>
type Manifest = Readonly<Record<string, unknown>>

const ENTITY = {
  github: { key: 'repository', label: 'GitHub repository', check: field.githubRepository },
  gitlab: { key: 'project', label: 'GitLab project', check: field.gitlabProject },
} as const

// npm's defaulting (lib/trust-cmd.js flagsToOptions): the manifest's repository fills a missing value when it
// lives on the same provider; a given value always wins, with a warning when the manifest says otherwise.
function entity (
  type: 'github' | 'gitlab', input: Input, at: string, manifest: Manifest | undefined, warnings: string[]
): string {
  const { key, label, check } = ENTITY[type]
  const name = `${at}.${key}`
  const repo = manifest ? manifestRepository(manifest) : null
  const given = input[key]
  if (given === undefined && repo && repo.provider !== type) {
    throw new TypeError(`Expected \`${name}\` to be given: ` +
      `the repository in package.json (${repo.provider}/${repo.path}) is not a ${label}.`)
  }
  const value = check(given ?? repo?.path, name)
  if (given !== undefined && repo && repo.provider !== type) {
    warnings.push(`The repository in package.json (${repo.provider}/${repo.path}) is not a ${label}; ` +
      `using ${key} ${value}.`)
  } else if (given !== undefined && repo && repo.path !== value) {
    warnings.push(`The repository in package.json (${repo.path}) differs from the given ${label} (${value}); ` +
      `using ${value}.`)
  }
  return value
}

function withEnvironment<C extends object> (claims: C, env: string | undefined): C & { environment?: string } {
  return env === undefined ? claims : { ...claims, environment: env }
}

function friendly (input: Input, at: string, manifest: Manifest | undefined, warnings: string[]): TrustedPublisher {
  const permissions = field.permissions(input.permissions, `${at}.permissions`)
  if (input.type === 'github') {
    const repository = entity('github', input, at, manifest, warnings)
    const file = field.ciFile(input.file, `${at}.file`)
    const environment = field.environment(input.environment, `${at}.environment`)
    return { type: 'github', claims: withEnvironment({ repository, workflow_ref: { file } }, environment), permissions }
  }
  if (input.type === 'gitlab') {
    const project = entity('gitlab', input, at, manifest, warnings)
    const file = field.ciFile(input.file, `${at}.file`)
    const environment = field.environment(input.environment, `${at}.environment`)
    const claims = withEnvironment({ project_path: project, ci_config_ref_uri: { file } }, environment)
    return { type: 'gitlab', claims, permissions }
  }
  return circleci({
    org: input.orgId,
    project: input.projectId,
    pipeline: input.pipelineDefinitionId,
    origin: input.vcsOrigin,
    contexts: input.contextIds,
  }, {
    org: `${at}.orgId`,
    project: `${at}.projectId`,
    pipeline: `${at}.pipelineDefinitionId`,
    origin: `${at}.vcsOrigin`,
    contexts: `${at}.contextIds`,
  }, permissions)
}

type CircleFields = Readonly<Record<'org' | 'project' | 'pipeline' | 'origin' | 'contexts', unknown>>

function circleci (
  v: CircleFields, names: Readonly<Record<keyof CircleFields, string>>, permissions: TrustedPublisher['permissions']
): TrustedPublisher {
  const contexts = field.contextIds(v.contexts, names.contexts)
  return {
    type: 'circleci',
    claims: {
      'oidc.circleci.com/org-id': field.uuid(v.org, names.org),
      'oidc.circleci.com/project-id': field.uuid(v.project, names.project),
      'oidc.circleci.com/pipeline-definition-id': field.uuid(v.pipeline, names.pipeline),
      'oidc.circleci.com/vcs-origin': field.vcsOrigin(v.origin, names.origin),
      ...(contexts ? { 'oidc.circleci.com/context-ids': contexts } : {}),
    },
    permissions,
  }
}

// The registry's own shape, as `listTrustedPublishers` returns it; rebuilt so that only known keys are sent.
function raw (input: Input, at: string): TrustedPublisher {
  const claims = input.claims
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TypeError(`Expected \`${at}.claims\` to be an object.`)
  }
  const c = claims as Input
  const permissions = field.permissions(input.permissions, `${at}.permissions`)
  const p = `${at}.claims`
  if (input.type === 'github') {
    const repository = field.githubRepository(c.repository, `${p}.repository`)
    const file = field.ciFile(publisherFileOf(c.workflow_ref), `${p}.workflow_ref.file`)
    const environment = field.environment(c.environment, `${p}.environment`)
    return { type: 'github', claims: withEnvironment({ repository, workflow_ref: { file } }, environment), permissions }
  }
  if (input.type === 'gitlab') {
    const project = field.gitlabProject(c.project_path, `${p}.project_path`)
    const file = field.ciFile(publisherFileOf(c.ci_config_ref_uri), `${p}.ci_config_ref_uri.file`)
    const environment = field.environment(c.environment, `${p}.environment`)
    const gitlabClaims = withEnvironment({ project_path: project, ci_config_ref_uri: { file } }, environment)
    return { type: 'gitlab', claims: gitlabClaims, permissions }
  }
  const k = (name: string): string => `oidc.circleci.com/${name}`
  return circleci(
    {
      org: c[k('org-id')],
      project: c[k('project-id')],
      pipeline: c[k('pipeline-definition-id')],
      origin: c[k('vcs-origin')],
      contexts: c[k('context-ids')],
    },
    {
      org: `${p}["${k('org-id')}"]`,
      project: `${p}["${k('project-id')}"]`,
      pipeline: `${p}["${k('pipeline-definition-id')}"]`,
      origin: `${p}["${k('vcs-origin')}"]`,
      contexts: `${p}["${k('context-ids')}"]`,
    },
    permissions)
}

function one (input: unknown, at: string, manifest: Manifest | undefined, warnings: string[]): TrustedPublisher {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError(`Expected \`${at}\` to be an object.`)
  }
  const { type } = input as Input
  if (type !== 'github' && type !== 'gitlab' && type !== 'circleci') {
    throw new TypeError(`Expected \`${at}.type\` to be 'github', 'gitlab' or 'circleci', ` +
      `got ${JSON.stringify(type) ?? 'nothing'}.`)
  }
  return 'claims' in input ? raw(input as Input, at) : friendly(input as Input, at, manifest, warnings)
}

/**
 * Checks publishers with npm 11.19.1's rules and turns them into the body npm sends: always an array of
 * `{ type, claims, permissions }`, `environment` inside `claims` and only when set.
 *
 * @param input - one publisher or an array of them, friendly or in the registry's shape
 * @param manifest - the package's manifest, whose `repository` fills a missing GitHub repository / GitLab project
 * @throws TypeError naming the first field that breaks a rule
 */
export function normalisePublishers (input: unknown, manifest?: Manifest): NormalisedPublishers {
  const warnings: string[] = []
  if (!Array.isArray(input)) return { publishers: [one(input, 'publisher', manifest, warnings)], warnings }
  if (input.length === 0) throw new TypeError('Expected `publishers` to hold at least one publisher.')
  return { publishers: input.map((p, i) => one(p, `publishers[${i}]`, manifest, warnings)), warnings }
}
