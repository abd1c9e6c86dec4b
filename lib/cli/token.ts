import { getOidcToken } from '../get-oidc-token.js'
import { loadNpmConfig, registryFor } from './npm-config.js'
import { readProjectManifest } from './project.js'
import { messageOf, parseCommand, say, usageError } from './output.js'
import { annotation, onGithubActions } from './github.js'
import type { CliIo, ExitCode } from './io.js'

/** `npm-oidc token --help`. */
export const TOKEN_USAGE = `Usage: npm-oidc token [pkg] [--registry URL]

Exchanges this job's ID token for a short-lived publish token for one package and prints ONLY
the token on stdout; everything else goes to stderr. On GitHub Actions the first stdout line is
::add-mask::<token>, which GitHub reads from stdout to hide the token in the job log.
Prefer \`npm-oidc publish\`: a token in a shell variable can leak into logs and child processes.

  pkg              package name; default: the name in ./package.json
  --registry URL   registry; default: publishConfig, then npm config
  -h, --help       show this help

Exit codes: 0 token printed, 1 no token, 2 usage error.`

/** Runs `npm-oidc token`. */
export async function runToken (args: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand(args, { registry: { type: 'string' } }, TOKEN_USAGE, io)
  if ('exit' in parsed) return parsed.exit
  const project = await readProjectManifest(io.cwd)
  const name = parsed.positionals[0] ?? (typeof project?.name === 'string' ? project.name : undefined)
  if (name === undefined) return usageError(io, 'no package name given and no name in ./package.json', TOKEN_USAGE)
  const config = await loadNpmConfig(io.cwd, io.env)
  const registry = await registryFor(name, config, parsed.values.registry as string | undefined, project?.name === name ? project : undefined)
  let oidc
  try {
    oidc = await getOidcToken(name, registry, io.env)
  } catch (err) {
    if (err instanceof TypeError) return usageError(io, messageOf(err), TOKEN_USAGE)
    say(io.stderr, `npm-oidc: ${messageOf(err)}`)
    if (onGithubActions(io)) io.stderr.write(annotation('error', `npm-oidc: token ${name}`, messageOf(err)))
    return 1
  }
  if (!oidc) {
    say(io.stderr, 'npm-oidc: no OIDC provider detected and NPM_ID_TOKEN is not set; run `npm-oidc doctor` for details')
    return 1
  }
  if (onGithubActions(io)) io.stdout.write(`::add-mask::${oidc.token}\n`)
  io.stdout.write(`${oidc.token}\n`)
  say(io.stderr, `npm-oidc: publish token for ${name} at ${oidc.registry} (${oidc.authKey})` +
    (oidc.expires ? `, expires ${oidc.expires.toISOString()}` : ''))
  return 0
}
