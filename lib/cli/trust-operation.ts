import type { TrustOperation } from '../index.js'
import type { TrustTarget } from './trust-targets.js'

const S = { type: 'string' } as const
const B = { type: 'boolean' } as const
const Y = { type: 'boolean', short: 'y' } as const
const COMMON = { registry: S, otp: S, json: B, workspaces: B }
const CHANGE = {
  ...COMMON, 'dry-run': B, yes: Y, 'allow-publish': B, 'allow-stage-publish': B, 'allow-staged-publish': B,
}
/** The options of each `npm-oidc trust` command, for `util.parseArgs`. */
export const TRUST_OPTIONS = {
  list: COMMON,
  github: { ...CHANGE, file: S, repository: S, repo: S, environment: S, env: S },
  gitlab: { ...CHANGE, file: S, project: S, repository: S, repo: S, environment: S, env: S },
  circleci: {
    ...CHANGE,
    'org-id': S,
    'project-id': S,
    'pipeline-definition-id': S,
    'vcs-origin': S,
    'context-id': { type: 'string', multiple: true } as const,
  },
  revoke: { ...COMMON, 'dry-run': B, yes: Y, id: S },
} as const
/** A `npm-oidc trust` command. */
export type TrustCommand = keyof typeof TRUST_OPTIONS
/** The parsed options of a `npm-oidc trust` command. */
export type TrustValues = Record<string, string | boolean | string[] | undefined>

const FLAGS: Readonly<Record<string, string>> = {
  repository: '--repository',
  project: '--project',
  file: '--file',
  environment: '--environment',
  orgId: '--org-id',
  projectId: '--project-id',
  pipelineDefinitionId: '--pipeline-definition-id',
  vcsOrigin: '--vcs-origin',
  contextIds: '--context-id',
  permissions: '--allow-publish / --allow-stage-publish',
}

// Library messages name `publisher.<field>`; on the command line the flag is what the user can change.
const FIELD = new RegExp(`\`publisher\\.(${Object.keys(FLAGS).join('|')})(?:\\[\\d+\\])?\``, 'g')
/** A library message, with the flag to change in place of each `publisher.<field>` it names. */
export function asFlags (message: string): string {
  return message.replace(FIELD, (_, field: string) => FLAGS[field] as string)
}

/** The value of a string option; `undefined` for anything else. */
export function str (v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** The library operation a `npm-oidc trust` change command asks for. */
export function operationFor (
  command: Exclude<TrustCommand, 'list'>, v: TrustValues, pkg: TrustTarget['pkg']
): TrustOperation {
  if (command === 'revoke') return { action: 'revoke', package: pkg, id: str(v.id) as string }
  const permissions = [
    ...v['allow-publish'] ? ['createPackage'] : [],
    ...v['allow-stage-publish'] || v['allow-staged-publish'] ? ['createStagedPackage'] : [],
  ] as Array<'createPackage'>
  const repositoryKey = command === 'github' ? 'repository' : 'project'
  const publisher = command === 'circleci'
    ? {
        type: command,
        orgId: v['org-id'],
        projectId: v['project-id'],
        pipelineDefinitionId: v['pipeline-definition-id'],
        vcsOrigin: v['vcs-origin'],
        contextIds: v['context-id'],
        permissions,
      }
    : {
        type: command,
        [repositoryKey]: str(v[repositoryKey]) ?? str(v.repository) ?? str(v.repo),
        file: v.file,
        environment: str(v.environment) ?? str(v.env),
        permissions,
      }
  return { action: 'add', package: pkg, publishers: publisher as never }
}
