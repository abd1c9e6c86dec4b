import { diagnose } from '../diagnose.js'
import { formatDiagnosis } from '../format-diagnosis.js'
import { loadNpmConfig, registryFor } from './npm-config.js'
import { readProjectManifest } from './project.js'
import { colorFor, messageOf, parseCommand, say, usageError } from './output.js'
import { appendStepSummary, diagnosisAnnotations, diagnosisMarkdown, onGithubActions } from './github.js'
import type { CliIo, ExitCode } from './io.js'

/** `npm-oidc doctor --help`. */
export const DOCTOR_USAGE = `Usage: npm-oidc doctor [pkg] [--registry URL] [--json]

Checks, without publishing, whether trusted publishing works for one package from this job:
CI provider, ID-token permission, the ID token's claims, the package on the registry, a real
token exchange (the token is discarded) and the provenance decision.

  pkg              package name; default: the name in ./package.json (whose version and
                   repository are then checked too)
  --registry URL   registry; default: publishConfig, then npm config (@scope:registry,
                   registry), then https://registry.npmjs.org/
  --json           print the diagnosis as JSON on stdout
  -h, --help       show this help

Exit codes: 0 ready, 1 not ready, 2 usage error.`

/** Runs `npm-oidc doctor`. */
export async function runDoctor (args: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand(args, { registry: { type: 'string' }, json: { type: 'boolean' } }, DOCTOR_USAGE, io)
  if ('exit' in parsed) return parsed.exit
  const project = await readProjectManifest(io.cwd)
  const name = parsed.positionals[0] ?? (typeof project?.name === 'string' ? project.name : undefined)
  if (name === undefined) return usageError(io, 'no package name given and no name in ./package.json', DOCTOR_USAGE)
  const own = project?.name === name ? project : undefined
  const config = await loadNpmConfig(io.cwd, io.env)
  const registry = await registryFor(name, config, parsed.values.registry as string | undefined, own)
  let diagnosis
  try {
    diagnosis = await diagnose(name, registry, io.env, {
      ...(typeof own?.version === 'string' ? { version: own.version } : {}),
      ...(own ? { manifest: own } : {}),
    })
  } catch (err) {
    return usageError(io, messageOf(err), DOCTOR_USAGE)
  }
  const json = parsed.values.json === true
  if (json) io.stdout.write(`${JSON.stringify(diagnosis, null, 2)}\n`)
  else say(io.stdout, formatDiagnosis(diagnosis, { color: colorFor(io.stdout, io) }).trimEnd())
  if (onGithubActions(io)) {
    // With --json, stdout carries only JSON; the runner reads workflow commands from stderr too.
    (json ? io.stderr : io.stdout).write(diagnosisAnnotations(diagnosis))
    await appendStepSummary(io, diagnosisMarkdown(diagnosis))
  }
  return diagnosis.ok ? 0 : 1
}
