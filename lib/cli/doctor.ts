import { diagnose, formatDiagnosis, type OidcDiagnosis } from '../index.js'
import { commandRegistries } from './command-registry.js'
import { printable } from './printable.js'
import { readProjectManifest } from './project.js'
import { colorFor, messageOf, parseCommand, say, usageError } from './output.js'
import { appendStepSummary, diagnosisAnnotations, diagnosisMarkdown, onGithubActions } from './github.js'
import type { CliIo, ExitCode } from './io.js'

/** `npm-oidc doctor --help`. */
const DOCTOR_USAGE = `Usage: npm-oidc doctor [pkg] [--registry URL] [--json]

Checks, without publishing, whether trusted publishing works for one package from this job:
CI provider, ID-token permission, the ID token's claims, the package on the registry, a real
token exchange (the token is discarded) and the provenance decision.

  pkg              package name; default: the name in ./package.json (whose version and
                   repository are then checked too)
  --registry URL   registry (wins over publishConfig and npm config); default: publishConfig,
                   then npm config (@scope:registry, registry), then https://registry.npmjs.org/
  --json           print the diagnosis as JSON on stdout
  -h, --help       show this help

Exit codes: 0 ready, 1 not ready, 2 usage error.`

// Every string of a diagnosis may quote the registry or the ID token.
function printableDiagnosis (d: OidcDiagnosis): OidcDiagnosis {
  return {
    ...d,
    package: printable(d.package),
    registry: printable(d.registry),
    provider: d.provider === null ? null : printable(d.provider),
    checks: d.checks.map((c) => ({
      ...c,
      summary: printable(c.summary),
      ...(c.detail === undefined ? {} : { detail: c.detail.map(printable) }),
      ...(c.hint === undefined ? {} : { hint: printable(c.hint) }),
    })),
  }
}

const PREFLIGHT_HINT = 'This is a monorepo root: to check the packages a release publishes, run ' +
  '`npm-oidc preflight --workspaces`'

/** A private package.json with workspaces: its own package is never published, its workspaces are. */
function isPrivateMonorepoRoot (project: Record<string, unknown> | undefined): boolean {
  return project?.private === true && project.workspaces !== undefined
}

/** Runs `npm-oidc doctor`. */
export async function runDoctor (args: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand(args, { registry: { type: 'string' }, json: { type: 'boolean' } }, DOCTOR_USAGE, io)
  if ('exit' in parsed) return parsed.exit
  const project = await readProjectManifest(io.cwd)
  const name = parsed.positionals[0] ?? (typeof project?.name === 'string' ? project.name : undefined)
  const monorepo = isPrivateMonorepoRoot(project)
  if (name === undefined) {
    const message = 'no package name given and no name in ./package.json'
    return usageError(io, monorepo ? `${message}. ${PREFLIGHT_HINT}` : message, DOCTOR_USAGE)
  }
  const own = project?.name === name ? project : undefined
  const flag = parsed.values.registry as string | undefined
  const { config, registries } = await commandRegistries(io, [{ name, manifest: own }], flag)
  let diagnosis
  try {
    diagnosis = await diagnose(name, registries.get(name) as string, io.env, {
      ...config,
      ...(typeof own?.version === 'string' ? { version: own.version } : {}),
      ...(own ? { manifest: own } : {}),
    })
  } catch (err) {
    return usageError(io, messageOf(err), DOCTOR_USAGE)
  }
  const json = parsed.values.json === true
  if (json) io.stdout.write(`${JSON.stringify(diagnosis, null, 2)}\n`)
  else say(io.stdout, formatDiagnosis(printableDiagnosis(diagnosis), { color: colorFor(io.stdout, io) }).trimEnd())
  if (monorepo && own !== undefined) say(io.stderr, `npm-oidc: note: ${printable(name)} is private. ${PREFLIGHT_HINT}`)
  if (onGithubActions(io)) {
    // With --json, stdout carries only JSON; the runner reads workflow commands from stderr too.
    (json ? io.stderr : io.stdout).write(diagnosisAnnotations(diagnosis))
    await appendStepSummary(io, diagnosisMarkdown(diagnosis))
  }
  return diagnosis.ok ? 0 : 1
}
