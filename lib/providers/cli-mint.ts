import { delimiter, sep } from 'node:path'
import { OidcError } from '../errors.js'
import { TransientFailure, remaining, withRetries } from '../client/retry.js'
import { excerpt } from '../util/response.js'
import {
  asCallContext, type CallContext, type IdTokenSource, type OidcProvider, type ProviderContext,
} from './provider.js'
import { envValue, type Env } from '../util/env.js'

/**
 * Finds `command` on the `PATH` of the given environment (not this process's); on Windows with the
 * extensions its `PATHEXT` lists.
 */
export async function findExecutable (command: string, env: Env): Promise<string | undefined> {
  const { default: which } = await import('which')
  const pathExt = envValue(env, 'PATHEXT') ?? ''
  for (const entry of (envValue(env, 'PATH') ?? '').split(delimiter)) {
    // Windows allows a quoted entry (`"C:\Program Files\CircleCI"`); which unquotes only entries it splits itself.
    const dir = /^".*"$/.test(entry) ? entry.slice(1, -1) : entry
    if (dir === '') continue
    // One directory at a time, named in the path: given a bare name, which searches the current directory
    // first on Windows, where a checked-out repository could plant a `circleci.cmd`.
    const found = await which(`${dir}${sep}${command}`, { path: '', pathExt, nothrow: true })
    if (found) return found
  }
  return undefined
}

/** What a CLI mint needs besides the command line. */
interface CliMint {
  readonly executable: string
  readonly args: readonly string[]
  readonly provider: string
  readonly providerName: string
  /** The command as a user would type it, for messages. */
  readonly display: string
}

async function run (mint: CliMint, context: CallContext): Promise<{ stdout: string, stderr: string }> {
  const limit = Math.max(1, Math.min(context.options.timeout, remaining(context.clock)))
  // Loaded by the first mint: child_process loads net and dgram, which importing libnpmoidc should not.
  const { execFile } = await import('node:child_process')
  return new Promise((resolve, reject) => {
    execFile(mint.executable, [...mint.args], {
      env: { ...context.env },
      timeout: limit,
      signal: context.signal,
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }))
      else resolve({ stdout, stderr })
    })
  })
}

/**
 * Runs the provider's own CLI to mint an ID token (`circleci run oidc get`, `buildkite-agent oidc
 * request-token`). A failing run is retried within the deadline; empty output is a setup error.
 *
 * @throws {OidcError} `ERR_OIDC_ID_TOKEN_REQUEST_FAILED`, `ERR_OIDC_NO_ID_TOKEN`
 */
async function mintWithCli (mint: CliMint, context: CallContext): Promise<string> {
  const who = { provider: mint.provider, providerName: mint.providerName }
  const stdout = await withRetries(async () => {
    try {
      return (await run(mint, context)).stdout
    } catch (err) {
      if (context.clock.signal?.aborted) throw context.clock.signal.reason
      const { code, stderr } = err as { code?: unknown, stderr?: string }
      const facts = `\`${mint.display}\` failed${typeof code === 'number' ? ` with exit code ${code}` : ''}` +
        (stderr ? `: ${excerpt(stderr)}` : '')
      throw new TransientFailure(new OidcError('ERR_OIDC_ID_TOKEN_REQUEST_FAILED', {
        ...who,
        what: 'minting an ID token failed',
        facts,
        hint: `Run \`${mint.display}\` in the job to see the full error`,
      }))
    }
  }, context.options, context.clock)
  const idToken = stdout.trim()
  if (idToken === '') {
    throw new OidcError('ERR_OIDC_NO_ID_TOKEN', {
      ...who,
      what: 'minting an ID token printed nothing',
      facts: `\`${mint.display}\` exited 0 with empty output`,
      hint: 'Check the shell quoting of the command and that the job may request OIDC tokens',
    })
  }
  return idToken
}

/** How a provider that mints with its own CLI is described. */
export interface CliProviderSpec {
  readonly id: string
  readonly name: string
  readonly detectedBy: string
  readonly command: string
  /** Named in messages as where the token came from: `circleci run oidc get`. */
  readonly source: string
  readonly args: (audience: string) => string[]
  /** The command as a user would type it, for messages. */
  readonly display: (audience: string) => string
  /** Why there is no token, and what to do, when the CLI is not on PATH. */
  readonly missing: (display: string) => { facts: string, hint: string }
}

/** A provider whose ID token comes from its CLI, found on the environment's PATH. */
export function cliProvider (spec: CliProviderSpec): OidcProvider {
  return Object.freeze({
    id: spec.id,
    name: spec.name,
    detectedBy: spec.detectedBy,
    detect: (env: Env) => envValue(env, spec.detectedBy) !== undefined,
    async getIdToken (context: ProviderContext): Promise<IdTokenSource> {
      const display = spec.display(context.audience)
      const executable = await findExecutable(spec.command, context.env)
      if (!executable) {
        throw new OidcError('ERR_OIDC_NO_ID_TOKEN', {
          provider: spec.id, providerName: spec.name, what: 'the job has no ID token', ...spec.missing(display),
        })
      }
      const args = spec.args(context.audience)
      const idToken = await mintWithCli({
        executable,
        args,
        provider: spec.id,
        providerName: spec.name,
        display,
      }, asCallContext(context))
      return { idToken, source: spec.source }
    },
  })
}
