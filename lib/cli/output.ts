import { parseArgs, type ParseArgsConfig } from 'node:util'
import { redactUrls } from '../util/redact-urls.js'
import { envValue } from '../util/env.js'
import { printable } from './printable.js'
import { didYouMean } from './did-you-mean.js'
import type { CliIo, ExitCode } from './io.js'

/** Colour only on a terminal, and never with `NO_COLOR` (https://no-color.org). */
export function colorFor (stream: { isTTY?: boolean }, io: CliIo): boolean {
  return stream.isTTY === true && envValue(io.env, 'NO_COLOR') === undefined
}

/** Writes a line, URLs redacted. */
export function say (stream: NodeJS.WritableStream, text: string): void {
  stream.write(`${redactUrls(text)}\n`)
}

/** The library's argument names, as the user typed the thing: on the command line or in package.json. */
const USER_TERMS: Readonly<Record<string, string>> = {
  pkgName: 'package name',
  pkg: 'package name',
  registry: 'registry URL',
}

/**
 * The message of anything thrown, URLs redacted, on one line: it may quote a server. The library's
 * "Expected `pkgName` to be …" names its argument; the user typed a package name.
 */
export function messageOf (err: unknown): string {
  let message = err instanceof Error ? err.message : String(err)
  const argument = err instanceof TypeError ? /^Expected `(\w+)` to (.*)$/s.exec(message) : null
  if (argument !== null && Object.hasOwn(USER_TERMS, argument[1] as string)) {
    message = `the ${USER_TERMS[argument[1] as string] as string} must ${(argument[2] as string).replace(/\.$/, '')}`
  }
  return printable(redactUrls(message))
}

/** The one warning line when `--registry` replaced the registries publishConfig or npm config name. */
export function warnOverridden (
  io: CliIo, flag: string | undefined, overridden: ReadonlyArray<string | undefined>
): void {
  const others = [...new Set(overridden.filter((r) => r !== undefined))]
  if (flag === undefined || others.length === 0) return
  const warning = `npm-oidc: warning: --registry ${flag} wins over ${others.join(', ')} ` +
    '(from publishConfig or npm config)'
  say(io.stderr, printable(warning))
}

/** Parsed arguments, or the exit code of a usage error (already reported). */
export type Parsed<V> = { values: V, positionals: string[] } | { exit: ExitCode }

/**
 * `util.parseArgs` in strict mode with `--help`; prints the usage and returns 0 for `--help`, 2 for a usage error.
 */
export function parseCommand (
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  usage: string,
  io: CliIo,
  maxPositionals = 1
): Parsed<Record<string, string | boolean | undefined>> {
  let parsed: { values: Record<string, string | boolean | undefined>, positionals: string[] }
  try {
    parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }) as typeof parsed
  } catch (err) {
    return { exit: usageError(io, parseFailure(err, options), usage) }
  }
  if (parsed.values.help === true) {
    io.stdout.write(`${usage}\n`)
    return { exit: 0 }
  }
  if (parsed.positionals.length > maxPositionals) {
    say(io.stderr, `npm-oidc: unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}\n\n${usage}`)
    return { exit: 2 }
  }
  return parsed
}

/** parseArgs' complaint in the user's terms: the option as typed, the likely one meant, no parser advice. */
function parseFailure (err: unknown, options: NonNullable<ParseArgsConfig['options']>): string {
  const { code, message } = err as { code: string, message: string }
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = String(/(?<=')-[^']*(?=')/.exec(message))
    const known = [...Object.keys(options), 'help'].map((name) => `--${name}`)
    return `unknown option ${printable(typed)}${didYouMean(typed.replace(/=.*/s, ''), known)}`
  }
  // With positionals allowed, parseArgs' only other complaint is a value missing, or given to a flag.
  const option = String(/--[\w-]+/.exec(message))
  return message.includes('argument missing') ? `${option} needs a value` : `${option} takes no value`
}

/** A usage error: the message and the usage on stderr, exit code 2. */
export function usageError (io: CliIo, message: string, usage: string): ExitCode {
  say(io.stderr, `npm-oidc: ${message}\n\n${usage}`)
  return 2
}
