import { hasConfiguredCredentials } from '../util/npm-credentials.js'
import { addTrustedPublisher, listTrustedPublishers, planTrustRequest, revokeTrustedPublisher } from '../index.js'
import { loadNpmConfig, refuseCredentialUrl } from './npm-config.js'
import { messageOf, parseCommand, say, usageError } from './output.js'
import { confirm, otpSession } from './trust-prompt.js'
import { formatRequest, publisherLines } from './trust-format.js'
import { trustTargets, type TrustTarget } from './trust-targets.js'
import { asFlags, operationFor, str, TRUST_OPTIONS, type TrustCommand, type TrustValues } from './trust-operation.js'
import { failedOutcome, reportOutcomes, successDetail, type TrustOutcome } from './trust-outcome.js'
import type { TrustedPublisher, TrustOptions, TrustRequest } from '../index.js'
import { didYouMean } from './did-you-mean.js'
import { TRUST_USAGE, trustUsage } from './trust-usage.js'
import type { CliIo, ExitCode } from './io.js'

/** One `npm-oidc trust` run: the command, its options and where it reads and writes. */
interface TrustRun {
  readonly command: TrustCommand
  readonly values: TrustValues
  readonly bulk: boolean
  readonly json: boolean
  readonly io: CliIo
  /** npm config's registry keys and credentials, with `--registry` applied. */
  readonly opts: Readonly<Record<string, unknown>>
  /** The options of one request: {@link TrustRun.opts} and the one-time password. */
  readonly optsFor: () => TrustOptions
}

/** A change planned for one package. */
interface PlannedChange { readonly target: TrustTarget, readonly req: TrustRequest }

/**
 * `npm-oidc trust …`: list, add (github, gitlab, circleci) and revoke a package's trusted publishers with the
 * user's own token, as `npm trust` does, for one package or every public workspace package.
 *
 * @param args - the arguments after `trust`, such as `['github', '--file', 'release.yml', '--allow-publish']`
 * @param io - the streams, environment and working directory to use
 * @returns 0 success, 1 a request failed or the change was declined, 2 usage error
 */
export async function runTrust (args: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseTrustArgs(args, io)
  if ('exit' in parsed) return parsed.exit
  const { command, values, positional } = parsed
  const bulk = values.workspaces === true
  const targets = await trustTargets(io, positional, bulk)
  if (typeof targets === 'string') return usageError(io, targets, trustUsage(command))
  const opts = await registryOptions(io, values)
  const session = otpSession(io, str(values.otp))
  const optsFor = (): TrustOptions =>
    ({ ...opts, ...(io.stdin.isTTY === true ? session() : (str(values.otp) ? { otp: str(values.otp) } : {})) })
  const run: TrustRun = { command, values, bulk, json: values.json === true, io, opts, optsFor }

  if (command === 'list') return listPublishers(run, targets)
  const missing = missingChangeFlag(run)
  if (missing !== undefined) return usageError(io, missing, trustUsage(command))
  const plan = await planChanges(run, targets)
  if ('exit' in plan) return plan.exit
  const { planned, outcomes } = plan
  warnAboutPlans(run, planned)
  if (values['dry-run'] === true) return printDryRun(run, planned, outcomes)
  const ready = withCredentials(run, planned, outcomes)
  if (ready.length > 0 && values.yes !== true) {
    const declined = await confirmChanges(run, ready)
    if (declined !== undefined) return declined
  }
  outcomes.push(...await executeChanges(run, ready))
  const order = new Map(targets.map((t, i) => [t.name, i]))
  outcomes.sort((a, b) => (order.get(a.target.name) as number) - (order.get(b.target.name) as number))
  return reportOutcomes(command, outcomes, bulk, run.json, io)
}

function parseTrustArgs (
  args: string[], io: CliIo
): { command: TrustCommand, values: TrustValues, positional: string | undefined } | { exit: ExitCode } {
  const [command, ...rest] = args
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    (command === undefined ? io.stderr : io.stdout).write(`${TRUST_USAGE}\n`)
    return { exit: command === undefined ? 2 : 0 }
  }
  if (!Object.hasOwn(TRUST_OPTIONS, command)) {
    const hint = didYouMean(command, Object.keys(TRUST_OPTIONS))
    return { exit: usageError(io, `unknown trust command ${JSON.stringify(command)}${hint}`, TRUST_USAGE) }
  }
  const cmd = command as TrustCommand
  const parsed = parseCommand(rest, TRUST_OPTIONS[cmd], trustUsage(cmd), io)
  if ('exit' in parsed) return parsed
  return { command: cmd, values: parsed.values as TrustValues, positional: parsed.positionals[0] }
}

async function registryOptions (io: CliIo, values: TrustValues): Promise<Record<string, unknown>> {
  const config = await loadNpmConfig(io.cwd, io.env)
  const opts: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(config)) {
    if (key === 'registry' || /^@[^/]+:registry$/.test(key) || key.startsWith('//')) opts[key] = value
  }
  if (typeof values.registry === 'string') {
    refuseCredentialUrl('--registry', values.registry, io.env)
    // As in every command, the flag also wins over a scope's registry.
    for (const key of Object.keys(opts)) if (key.endsWith(':registry')) delete opts[key]
    opts.registry = values.registry
  }
  return opts
}

async function listPublishers (run: TrustRun, targets: readonly TrustTarget[]): Promise<ExitCode> {
  const { io, bulk } = run
  const outcomes: TrustOutcome[] = []
  for (const target of targets) {
    try {
      const publishers = await listTrustedPublishers(target.pkg, run.optsFor())
      outcomes.push({ target, ok: true, detail: '', data: publishers })
    } catch (err) {
      if (err instanceof TypeError && !bulk) return usageError(io, messageOf(err), trustUsage('list'))
      outcomes.push(failedOutcome(target, err, io))
    }
  }
  return reportOutcomes(run.command, outcomes, bulk, run.json, io)
}

function missingChangeFlag ({ command, values }: TrustRun): string | undefined {
  if (command !== 'revoke' && !values['allow-publish'] && !values['allow-stage-publish'] &&
    !values['allow-staged-publish']) {
    return 'at least one permission flag is required (--allow-publish, --allow-stage-publish)'
  }
  if (command === 'revoke' && !str(values.id)) {
    return 'name the trusted publisher to revoke with --id (`npm-oidc trust list` shows the ids)'
  }
  return undefined
}

// For one package a plan that fails is a usage error; with --workspaces it is that package's failure.
async function planChanges (
  run: TrustRun, targets: readonly TrustTarget[]
): Promise<{ planned: PlannedChange[], outcomes: TrustOutcome[] } | { exit: ExitCode }> {
  const planned: PlannedChange[] = []
  const outcomes: TrustOutcome[] = []
  for (const target of targets) {
    try {
      const operation = operationFor(run.command as Exclude<TrustCommand, 'list'>, run.values, target.pkg)
      planned.push({ target, req: await planTrustRequest(operation, run.opts) })
    } catch (err) {
      if (!run.bulk) return { exit: usageError(run.io, asFlags(messageOf(err)), trustUsage(run.command)) }
      outcomes.push(failedOutcome(target, err, run.io))
    }
  }
  return { planned, outcomes }
}

function warnAboutPlans ({ io }: TrustRun, planned: readonly PlannedChange[]): void {
  for (const { target, req } of planned) {
    for (const w of req.warnings) say(io.stderr, `npm-oidc: warning: ${target.name}: ${w}`)
  }
}

function printDryRun (
  { bulk, json, io, opts }: TrustRun, planned: readonly PlannedChange[], outcomes: readonly TrustOutcome[]
): ExitCode {
  const shown = planned.map(({ req }) =>
    ({ method: req.method, url: req.url, headers: req.headers, ...(req.body ? { body: req.body } : {}) }))
  if (json) io.stdout.write(`${JSON.stringify(bulk ? shown : shown[0], null, 2)}\n`)
  else {
    const requests = planned.map(({ req }) => formatRequest(req, hasConfiguredCredentials(opts, req.registry)))
    say(io.stdout, `Dry run: nothing was sent. Would send:\n\n${requests.join('\n\n')}`)
  }
  return outcomes.length > 0 ? 1 : 0
}

// A package without a token for its registry is reported, not sent.
function withCredentials (
  { opts }: TrustRun, planned: readonly PlannedChange[], outcomes: TrustOutcome[]
): PlannedChange[] {
  return planned.filter(({ target, req }) => {
    if (hasConfiguredCredentials(opts, req.registry)) return true
    outcomes.push({
      target,
      ok: false,
      detail: `no token for ${req.registry} in .npmrc or npm_config_*; ` +
        `log in first (npm login --registry ${req.registry})`,
    })
    return false
  })
}

/** Shows the change and asks; returns the exit code when the run must stop there. */
async function confirmChanges (
  { command, values, io }: TrustRun, ready: readonly PlannedChange[]
): Promise<ExitCode | undefined> {
  const names = ready.map((p) => p.target.name).join(', ')
  const what = command === 'revoke'
    ? `Revoking trusted publisher ${JSON.stringify(str(values.id))} of ${names}.`
    : `Adding to ${names}:\n${addedPublishers(ready[0] as PlannedChange)}\n` +
      'Anyone who can run that CI job will be able to publish these packages.'
  say(io.stderr, what)
  if (io.stdin.isTTY !== true) {
    say(io.stderr, 'npm-oidc: refusing to change trusted publishers without confirmation: stdin is not a terminal. ' +
      'Pass --yes to proceed (or --dry-run to look first).')
    return 2
  }
  if (!await confirm(io, 'Do you want to proceed?')) {
    say(io.stderr, 'Cancelled; nothing was changed.')
    return 1
  }
  return undefined
}

function addedPublishers ({ req }: PlannedChange): string {
  return (req.body as TrustedPublisher[]).map((p) => publisherLines(p).map((l) => `  ${l}`).join('\n')).join('\n\n')
}

async function executeChanges (run: TrustRun, ready: readonly PlannedChange[]): Promise<TrustOutcome[]> {
  const { command, values } = run
  const outcomes: TrustOutcome[] = []
  for (const { target, req } of ready) {
    try {
      const created = command === 'revoke'
        ? await revokeTrustedPublisher(req.package, str(values.id) as string, run.optsFor())
        : await addTrustedPublisher(req.package, req.body as never, run.optsFor())
      const data = command === 'revoke' ? { package: req.package, id: str(values.id), revoked: true } : created
      outcomes.push({ target, ok: true, detail: successDetail(command, req, created), data })
    } catch (err) {
      outcomes.push(failedOutcome(target, err, run.io))
    }
  }
  return outcomes
}
