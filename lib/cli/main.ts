import { version } from '../version.js'
import { runDoctor } from './doctor.js'
import { runPreflight } from './preflight.js'
import { runPublish } from './publish.js'
import { runToken } from './token.js'
import { runTrust } from './trust.js'
import { runVerify } from './verify.js'
import { messageOf, say } from './output.js'
import { didYouMean } from './did-you-mean.js'
import type { CliIo, ExitCode } from './io.js'

/** `npm-oidc --help`. */
const MAIN_USAGE = `Usage: npm-oidc <command> [options]

npm trusted publishing (OIDC) from CI, for any Node.js tool.

Commands:
  doctor [pkg]            explain whether trusted publishing works for a package from this job
  preflight [pkg...]      doctor for every package of a release (--workspaces)
  publish [tarball|dir]   publish with a token from trusted publishing
  token [pkg]             print a publish token for one package (stdout: the token only)
  trust ...               manage a package's trusted publishers
  verify <pkg>@<version>  check that a published version came through trusted publishing

Run \`npm-oidc <command> --help\` for a command's options.

Exit codes: 0 success / ready, 1 failed / not ready, 2 usage error.`

const COMMANDS: Readonly<Record<string, (args: string[], io: CliIo) => Promise<ExitCode>>> = {
  doctor: runDoctor,
  preflight: runPreflight,
  publish: runPublish,
  token: runToken,
  trust: runTrust,
  verify: runVerify,
}

/**
 * The `npm-oidc` command line: dispatches `argv` (without the node and script paths) to a command.
 * Touches nothing but `io`; never rejects (an unexpected error is printed and gives exit code 1).
 *
 * @param argv - the arguments, such as `['doctor', '--json']`
 * @param io - the streams, environment and working directory to use
 * @returns the exit code: 0 success, 1 not ready or failed, 2 usage error
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), {
 *   stdout: process.stdout,
 *   stderr: process.stderr,
 *   stdin: process.stdin,
 *   env: process.env,
 *   cwd: process.cwd(),
 * })
 * ```
 */
export async function main (argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [command, ...args] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(`${MAIN_USAGE}\n`)
    return command === undefined ? 2 : 0
  }
  if (command === '--version' || command === '-v') {
    io.stdout.write(`${version}\n`)
    return 0
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined
  if (!run) {
    const hint = didYouMean(command, Object.keys(COMMANDS))
    say(io.stderr, `npm-oidc: unknown command ${JSON.stringify(command)}${hint}\n\n${MAIN_USAGE}`)
    return 2
  }
  try {
    return await run(args, io)
  } catch (err) {
    say(io.stderr, `npm-oidc ${command}: ${messageOf(err)}`)
    return 1
  }
}
