import { hasConfiguredCredentials } from '../util/npm-credentials.js'
import { addTrustedPublisher, listTrustedPublishers, planTrustRequest, revokeTrustedPublisher } from '../index.js'
import { loadNpmConfig, refuseCredentialUrl } from './npm-config.js'
import { messageOf, parseCommand, say, usageError } from './output.js'
import { confirm, otpSession } from './trust-prompt.js'
import { formatList, formatRequest, publisherLines, table } from './trust-format.js'
import { trustTargets, type TrustTarget } from './trust-targets.js'
import type { TrustedPublisher, TrustOperation, TrustOptions, TrustRequest } from '../index.js'
import type { CliIo, ExitCode } from './io.js'

/** `npm-oidc trust --help`. */
const TRUST_USAGE = `Usage: npm-oidc trust <command> [pkg] [options]

Manage a package's trusted publishers with your own npm token (from .npmrc or npm_config_*), as
\`npm trust\` does. [pkg] defaults to package.json's name; package.json's repository fills in --repository / --project.

Commands:
  list [pkg]                          list the trusted publishers
  github [pkg] --file <workflow.yml> [--repository owner/repo] [--environment <name>]
  gitlab [pkg] --file <.gitlab-ci.yml> [--project group/sub/project] [--environment <name>]
  circleci [pkg] --org-id <uuid> --project-id <uuid> --pipeline-definition-id <uuid>
                 --vcs-origin <host/owner/repo> [--context-id <uuid>]...
                                      add a trusted publisher; needs --allow-publish and/or --allow-stage-publish
  revoke [pkg] --id <id>              revoke one trusted publisher

Options:
  --allow-publish          the publisher may \`npm publish\` (createPackage)
  --allow-stage-publish    the publisher may \`npm stage publish\` (createStagedPackage)
  --workspaces             apply to every public workspace package (one confirmation, one OTP prompt)
  --dry-run                send nothing; print the requests that would be sent
  -y, --yes                do not ask for confirmation (required without a terminal)
  --otp <code>             a one-time password; without it you are asked when the registry wants one
  --registry <url>         the registry (default: npm config, then https://registry.npmjs.org/)
  --json                   machine-readable output on stdout

Exit codes: 0 success, 1 failed or cancelled, 2 usage error.`

const S = { type: 'string' } as const
const B = { type: 'boolean' } as const
const Y = { type: 'boolean', short: 'y' } as const
const COMMON = { registry: S, otp: S, json: B, workspaces: B }
const CHANGE = { ...COMMON, 'dry-run': B, yes: Y, 'allow-publish': B, 'allow-stage-publish': B, 'allow-staged-publish': B }
const OPTIONS = {
  list: COMMON,
  github: { ...CHANGE, file: S, repository: S, repo: S, environment: S, env: S },
  gitlab: { ...CHANGE, file: S, project: S, repository: S, repo: S, environment: S, env: S },
  circleci: { ...CHANGE, 'org-id': S, 'project-id': S, 'pipeline-definition-id': S, 'vcs-origin': S, 'context-id': { type: 'string', multiple: true } as const },
  revoke: { ...COMMON, 'dry-run': B, yes: Y, id: S },
} as const
type Command = keyof typeof OPTIONS
type Values = Record<string, string | boolean | string[] | undefined>

const FLAGS: Readonly<Record<string, string>> = {
  repository: '--repository', project: '--project', file: '--file', environment: '--environment', orgId: '--org-id', projectId: '--project-id',
  pipelineDefinitionId: '--pipeline-definition-id', vcsOrigin: '--vcs-origin', contextIds: '--context-id', permissions: '--allow-publish / --allow-stage-publish',
}

// Library messages name `publisher.<field>`; on the command line the flag is what the user can change.
const FIELD = new RegExp(`\`publisher\\.(${Object.keys(FLAGS).join('|')})(?:\\[\\d+\\])?\``, 'g')
function asFlags (message: string): string {
  return message.replace(FIELD, (_, field: string) => FLAGS[field] as string)
}

function str (v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function operationFor (command: Exclude<Command, 'list'>, v: Values, pkg: TrustTarget['pkg']): TrustOperation {
  if (command === 'revoke') return { action: 'revoke', package: pkg, id: str(v.id) as string }
  const permissions = [...v['allow-publish'] ? ['createPackage'] : [], ...v['allow-stage-publish'] || v['allow-staged-publish'] ? ['createStagedPackage'] : []] as Array<'createPackage'>
  const publisher = command === 'circleci'
    ? { type: command, orgId: v['org-id'], projectId: v['project-id'], pipelineDefinitionId: v['pipeline-definition-id'], vcsOrigin: v['vcs-origin'], contextIds: v['context-id'], permissions }
    : {
        type: command,
        [command === 'github' ? 'repository' : 'project']: str(v[command === 'github' ? 'repository' : 'project']) ?? str(v.repository) ?? str(v.repo),
        file: v.file,
        environment: str(v.environment) ?? str(v.env),
        permissions,
      }
  return { action: 'add', package: pkg, publishers: publisher as never }
}

interface Outcome { readonly target: TrustTarget, readonly ok: boolean, readonly detail: string, readonly data?: unknown }

function failure (target: TrustTarget, err: unknown, io: CliIo): Outcome {
  let detail = asFlags(messageOf(err))
  if ((err as { code?: unknown }).code === 'EOTP' && io.stdin.isTTY !== true) detail += ' Without a terminal to ask on, pass --otp <code>.'
  return { target, ok: false, detail, data: { code: (err as { code?: unknown }).code, message: detail } }
}

function report (command: Command, outcomes: readonly Outcome[], bulk: boolean, json: boolean, io: CliIo): ExitCode {
  const failed = outcomes.some((o) => !o.ok)
  if (json) {
    const rows = outcomes.map((o) => ({ package: o.target.name, ok: o.ok, ...(o.ok ? { result: o.data } : { error: o.data }) }))
    io.stdout.write(`${JSON.stringify(bulk ? rows : (outcomes[0]?.ok ? outcomes[0].data : rows[0]), null, 2)}\n`)
  } else if (!bulk) {
    const [o] = outcomes as [Outcome]
    if (o.ok) say(io.stdout, command === 'list' ? formatList(o.target.name, o.data as never) : o.detail)
    else say(io.stderr, `npm-oidc: ${o.detail}`)
  } else {
    if (command === 'list') for (const o of outcomes) if (o.ok) say(io.stdout, `${formatList(o.target.name, o.data as never)}\n`)
    const rows = outcomes.map((o): [string, string, string] => [o.target.name, o.ok ? 'ok' : 'failed', o.ok && command === 'list' ? `${(o.data as unknown[]).length} trusted publisher(s)` : o.detail])
    say(io.stdout, table([['PACKAGE', 'RESULT', 'DETAIL'], ...rows]))
  }
  return failed ? 1 : 0
}

function successDetail (command: Command, req: TrustRequest, created: unknown): string {
  if (command === 'revoke') return `Revoked trusted publisher ${JSON.stringify(decodeURIComponent(req.url.slice(req.url.lastIndexOf('/') + 1)))} of ${req.package}.`
  // The registry may answer without a body; then what was sent is what was added.
  const shown = Array.isArray(created) && created.length > 0 ? created : req.body as TrustedPublisher[]
  return [`Added a trusted publisher to ${req.package}:`,
    ...shown.map((p) => publisherLines(p).map((l) => `  ${l}`).join('\n'))].join('\n')
}

/**
 * `npm-oidc trust …`: list, add (github, gitlab, circleci) and revoke a package's trusted publishers with the
 * user's own token, as `npm trust` does, for one package or every public workspace package.
 *
 * @param args - the arguments after `trust`, such as `['github', '--file', 'release.yml', '--allow-publish']`
 * @param io - the streams, environment and working directory to use
 * @returns 0 success, 1 a request failed or the change was declined, 2 usage error
 */
export async function runTrust (args: string[], io: CliIo): Promise<ExitCode> {
  const [command, ...rest] = args
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (command === undefined ? io.stderr : io.stdout).write(`${TRUST_USAGE}\n`)
    return command === undefined ? 2 : 0
  }
  if (!Object.hasOwn(OPTIONS, command)) return usageError(io, `unknown trust command ${JSON.stringify(command)}`, TRUST_USAGE)
  const cmd = command as Command
  const parsed = parseCommand(rest, OPTIONS[cmd], TRUST_USAGE, io)
  if ('exit' in parsed) return parsed.exit
  const v = parsed.values as Values
  const bulk = v.workspaces === true
  const json = v.json === true

  const targets = await trustTargets(io, parsed.positionals[0], bulk)
  if (typeof targets === 'string') return usageError(io, targets, TRUST_USAGE)
  const config = await loadNpmConfig(io.cwd, io.env)
  const opts: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(config)) {
    if (key === 'registry' || /^@[^/]+:registry$/.test(key) || key.startsWith('//')) opts[key] = value
  }
  if (typeof v.registry === 'string') {
    refuseCredentialUrl('--registry', v.registry, io.env)
    // As in every command, the flag also wins over a scope's registry.
    for (const key of Object.keys(opts)) if (key.endsWith(':registry')) delete opts[key]
    opts.registry = v.registry
  }
  const session = otpSession(io, str(v.otp))
  const optsFor = (): TrustOptions => ({ ...opts, ...(io.stdin.isTTY === true ? session() : (str(v.otp) ? { otp: str(v.otp) } : {})) })

  if (cmd === 'list') {
    const outcomes: Outcome[] = []
    for (const target of targets) {
      try {
        const publishers = await listTrustedPublishers(target.pkg, optsFor())
        outcomes.push({ target, ok: true, detail: '', data: publishers })
      } catch (err) {
        if (err instanceof TypeError && !bulk) return usageError(io, messageOf(err), TRUST_USAGE)
        outcomes.push(failure(target, err, io))
      }
    }
    return report(cmd, outcomes, bulk, json, io)
  }

  if (cmd !== 'revoke' && !v['allow-publish'] && !v['allow-stage-publish'] && !v['allow-staged-publish']) {
    return usageError(io, 'at least one permission flag is required (--allow-publish, --allow-stage-publish)', TRUST_USAGE)
  }
  if (cmd === 'revoke' && !str(v.id)) return usageError(io, 'name the trusted publisher to revoke with --id (`npm-oidc trust list` shows the ids)', TRUST_USAGE)

  const planned: Array<{ target: TrustTarget, req: TrustRequest }> = []
  const outcomes: Outcome[] = []
  for (const target of targets) {
    try {
      planned.push({ target, req: await planTrustRequest(operationFor(cmd, v, target.pkg), opts) })
    } catch (err) {
      if (!bulk) return usageError(io, asFlags(messageOf(err)), TRUST_USAGE)
      outcomes.push(failure(target, err, io))
    }
  }
  for (const { target, req } of planned) for (const w of req.warnings) say(io.stderr, `npm-oidc: warning: ${target.name}: ${w}`)
  for (const registry of new Set(planned.map((p) => p.req.registry))) {
    if (cmd !== 'revoke' && new URL(registry).hostname !== 'registry.npmjs.org') say(io.stderr, `npm-oidc: warning: registry ${registry} may not support trusted publishing`)
  }

  if (v['dry-run'] === true) {
    const shown = planned.map(({ req }) => ({ method: req.method, url: req.url, headers: req.headers, ...(req.body ? { body: req.body } : {}) }))
    if (json) io.stdout.write(`${JSON.stringify(bulk ? shown : shown[0], null, 2)}\n`)
    else say(io.stdout, `Dry run: nothing was sent. Would send:\n\n${planned.map(({ req }) => formatRequest(req, hasConfiguredCredentials(opts, req.registry))).join('\n\n')}`)
    return outcomes.length > 0 ? 1 : 0
  }

  const ready = planned.filter(({ target, req }) => {
    if (hasConfiguredCredentials(opts, req.registry)) return true
    outcomes.push({ target, ok: false, detail: `no token for ${req.registry} in .npmrc or npm_config_*; log in first (npm login --registry ${req.registry})` })
    return false
  })
  if (ready.length > 0 && v.yes !== true) {
    const what = cmd === 'revoke'
      ? `Revoking trusted publisher ${JSON.stringify(str(v.id))} of ${ready.map((p) => p.target.name).join(', ')}.`
      : `Adding to ${ready.map((p) => p.target.name).join(', ')}:\n${((ready[0] as typeof ready[0] & object).req.body as TrustedPublisher[]).map((p) => publisherLines(p).map((l) => `  ${l}`).join('\n')).join('\n\n')}\nAnyone who can run that CI job will be able to publish these packages.`
    say(io.stderr, what)
    if (io.stdin.isTTY !== true) {
      say(io.stderr, 'npm-oidc: refusing to change trusted publishers without confirmation: stdin is not a terminal. Pass --yes to proceed (or --dry-run to look first).')
      return 2
    }
    if (!await confirm(io, 'Do you want to proceed?')) {
      say(io.stderr, 'Cancelled; nothing was changed.')
      return 1
    }
  }
  for (const { target, req } of ready) {
    try {
      const created = cmd === 'revoke'
        ? await revokeTrustedPublisher(req.package, str(v.id) as string, optsFor())
        : await addTrustedPublisher(req.package, req.body as never, optsFor())
      const data = cmd === 'revoke' ? { package: req.package, id: str(v.id), revoked: true } : created
      outcomes.push({ target, ok: true, detail: successDetail(cmd, req, created), data })
    } catch (err) {
      outcomes.push(failure(target, err, io))
    }
  }
  const order = new Map(targets.map((t, i) => [t.name, i]))
  outcomes.sort((a, b) => (order.get(a.target.name) as number) - (order.get(b.target.name) as number))
  return report(cmd, outcomes, bulk, json, io)
}
