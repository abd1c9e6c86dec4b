import { getOidcToken } from '../index.js'
import { OidcError } from '../errors.js'
import { commandRegistries } from './command-registry.js'
import { printable } from './printable.js'
import { readProjectManifest } from './project.js'
import { messageOf, parseCommand, say, usageError } from './output.js'
import { annotation, onGithubActions } from './github.js'
import type { CliIo, ExitCode } from './io.js'

/** `npm-oidc token --help`. */
const TOKEN_USAGE = `Usage: npm-oidc token [pkg] [--registry URL]

Exchanges this job's ID token for a short-lived publish token for one package and prints ONLY
the token on stdout, so TOKEN="$(npm-oidc token pkg)" captures exactly the token; everything else
goes to stderr. On GitHub Actions ::add-mask::<token> goes to stderr first, where the runner reads it
too, to hide the token in the job log. A token with whitespace or control characters is refused.
Prefer \`npm-oidc publish\`: a token in a shell variable can leak into logs and child processes.

  pkg              package name; default: the name in ./package.json
  --registry URL   registry (wins over publishConfig and npm config); default: publishConfig,
                   then npm config
  -h, --help       show this help

Exit codes: 0 token printed, 1 no token, 2 usage error.`

/** Runs `npm-oidc token`. */
export async function runToken (args: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand(args, { registry: { type: 'string' } }, TOKEN_USAGE, io)
  if ('exit' in parsed) return parsed.exit
  const project = await readProjectManifest(io.cwd)
  const name = parsed.positionals[0] ?? (typeof project?.name === 'string' ? project.name : undefined)
  if (name === undefined) return usageError(io, 'no package name given and no name in ./package.json', TOKEN_USAGE)
  const flag = parsed.values.registry as string | undefined
  const own = project?.name === name ? project : undefined
  const { config, registries } = await commandRegistries(io, [{ name, manifest: own }], flag)
  let oidc
  try {
    oidc = await getOidcToken(name, registries.get(name) as string, io.env, config)
    // eslint-disable-next-line no-control-regex -- a token with control characters is refused, not printed
    if (oidc && /[\s\u0000-\u001f\u007f-\u009f]/.test(oidc.token)) {
      throw new OidcError('ERR_OIDC_EXCHANGE_BAD_RESPONSE', {
        what: 'the registry answered the exchange with a token that contains whitespace or control characters',
        facts: `registry ${oidc.registry}, package ${name}; the token is not printed`,
        hint: 'A shell variable or workflow command could not carry it safely. Report it to the registry\'s operator',
      })
    }
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
  // Workflow commands are read from stderr too, and stdout must carry nothing but the token.
  if (onGithubActions(io)) io.stderr.write(`::add-mask::${oidc.token}\n`)
  io.stdout.write(`${oidc.token}\n`)
  say(io.stderr, printable(`npm-oidc: publish token for ${name} at ${oidc.registry} (${oidc.authKey})` +
    (oidc.expires ? `, expires ${oidc.expires.toISOString()}` : '')))
  return 0
}
