import { readFile, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { publishWithOidc, type PublishAuth, type PublishOptions, type PublishResult } from '../index.js'
import { redactUrls } from '../util/redact-urls.js'
import { isOidcError, OidcError } from '../errors.js'
import { OIDC_MODES } from '../options.js'
import { commandRegistries } from './command-registry.js'
import { printable } from './printable.js'
import { packDirectory } from './pack.js'
import { tarballManifest } from './tarball-manifest.js'
import { messageOf, parseCommand, say, usageError } from './output.js'
import { annotation, appendStepSummary, cell, onGithubActions } from './github.js'
import type { CliIo, ExitCode } from './io.js'

/** `npm-oidc publish --help`. */
const PUBLISH_USAGE = `Usage: npm-oidc publish [tarball|dir] [options]

Publishes a package with a token from trusted publishing (OIDC). A directory (default: .) is
packed without CI credentials in the packer's environment (build it first): with pnpm or Yarn
from PATH when packageManager or a lockfile (pnpm-lock.yaml, yarn.lock, up to the workspace
root) names them, so workspace: ranges are rewritten; else with the running npm (npm_execpath,
else the npm beside node; never one found on PATH) as \`npm pack --ignore-scripts\`.
A manifest still holding workspace: or catalog: ranges is refused before any exchange.
A .tgz is published as it is; its manifest is package/package.json, as npm extracts it.

  --tag TAG                dist-tag; default latest
  --access public|restricted
  --provenance             require provenance
  --no-provenance          never attach provenance; default: decided automatically
  --stage                  staged publish
  --dry-run                exchange and decide, upload nothing
  --oidc auto|required|off default auto (falls back to a configured token only when OIDC is unavailable)
  --registry URL           registry (wins over publishConfig and npm config); default:
                           publishConfig, then npm config
  --json                   print the outcome as JSON on stdout
  -h, --help               show this help

Exit codes: 0 published, 1 failed, 2 usage error.`

async function loadPackage (
  target: string, env: CliIo['env']
): Promise<{ manifest: Record<string, unknown>, tarball: Buffer }> {
  const info = await stat(target)
  const tarball = info.isDirectory() ? await packDirectory(target, env) : await readFile(target)
  return { manifest: await tarballManifest(tarball), tarball }
}

const PUBLISH_OPTIONS = {
  tag: { type: 'string' },
  access: { type: 'string' },
  provenance: { type: 'boolean' },
  'no-provenance': { type: 'boolean' },
  stage: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  oidc: { type: 'string' },
  registry: { type: 'string' },
  json: { type: 'boolean' },
} as const

type PublishValues = Record<string, string | boolean | undefined>

/** Runs `npm-oidc publish`. */
export async function runPublish (args: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parsePublishArgs(args, io)
  if ('exit' in parsed) return parsed.exit
  const { values } = parsed
  const target = resolve(io.cwd, parsed.positional ?? '.')
  let pkg
  try {
    pkg = await loadPackage(target, io.env)
  } catch (err) {
    say(io.stderr, `npm-oidc: cannot read the package at ${target}: ${messageOf(err)}`)
    return 1
  }
  const name = String(pkg.manifest.name)
  const opts = await publishOptions(io, values, name, pkg.manifest)
  const json = values.json === true
  try {
    const res = await publishWithOidc(pkg.manifest, pkg.tarball, opts)
    if (res.oidc.dryRun && res.oidc.auth.method === 'none') {
      await reportFailure(io, name, noCredential(res.oidc.registry, opts.oidc), json)
      return 1
    }
    await reportPublished(io, res, json)
    return 0
  } catch (err) {
    await reportFailure(io, name, err, json)
    return 1
  }
}

function parsePublishArgs (
  args: string[], io: CliIo
): { values: PublishValues, positional: string | undefined } | { exit: ExitCode } {
  const parsed = parseCommand(args, PUBLISH_OPTIONS, PUBLISH_USAGE, io)
  if ('exit' in parsed) return parsed
  const values: PublishValues = parsed.values
  const oidc = (values.oidc ?? 'auto') as string
  const usage = (message: string): { exit: ExitCode } => ({ exit: usageError(io, message, PUBLISH_USAGE) })
  if (!OIDC_MODES.has(oidc)) return usage(`--oidc must be auto, required or off, got ${JSON.stringify(oidc)}`)
  if (values.provenance === true && values['no-provenance'] === true) {
    return usage('--provenance and --no-provenance exclude each other')
  }
  if (values.access !== undefined && values.access !== 'public' && values.access !== 'restricted') {
    return usage(`--access must be public or restricted, got ${JSON.stringify(values.access)}`)
  }
  return { values, positional: parsed.positionals[0] }
}

async function publishOptions (
  io: CliIo, values: PublishValues, name: string, manifest: Record<string, unknown>
): Promise<PublishOptions> {
  const registry = values.registry as string | undefined
  const { config } = await commandRegistries(io, [{ name, manifest }], registry)
  return {
    ...config,
    ...(registry === undefined ? {} : { forceRegistry: registry }),
    ...(values.tag === undefined ? {} : { defaultTag: values.tag as string }),
    ...(values.access === undefined ? {} : { access: values.access as 'public' | 'restricted' }),
    provenance: values.provenance === true ? true : values['no-provenance'] === true ? false : 'auto',
    stage: values.stage === true,
    dryRun: values['dry-run'] === true,
    oidc: (values.oidc ?? 'auto') as PublishOptions['oidc'],
    env: io.env,
  }
}

async function reportPublished (io: CliIo, res: PublishResult, json: boolean): Promise<void> {
  const o = res.oidc
  const auth = o.auth.method === 'oidc'
    ? `trusted publishing from ${o.auth.provider}`
    : o.auth.method === 'token' ? 'a configured token' : 'no credential'
  const { enabled, source, reason } = o.provenance
  const provenance = `provenance ${enabled ? 'on' : 'off'} (${source}): ${reason}`
  const done = o.dryRun ? 'Dry run: would publish' : o.stage ? 'Staged' : 'Published'
  const line = printable(`${done} ${o.package}@${o.version} to ${o.registry} with ${auth}; ${provenance}`)
  if (json) {
    io.stdout.write(`${JSON.stringify({
      ok: true,
      package: o.package,
      version: o.version,
      registry: o.registry,
      auth: authJson(o.auth),
      ...(o.auth.method === 'oidc' ? { provider: o.auth.provider } : {}),
      provenance: o.provenance,
      stage: o.stage,
      dryRun: o.dryRun,
      ...(res.stageId ? { stageId: res.stageId } : {}),
    }, null, 2)}\n`)
  } else {
    say(io.stdout, line)
  }
  if (onGithubActions(io)) await appendStepSummary(io, `### npm-oidc publish\n\n${cell(line)}\n`)
}

/** `res.oidc.auth` as JSON: the same fields, an `oidcError` as its printable facts. */
function authJson (auth: PublishAuth): Record<string, unknown> {
  if (auth.method !== 'token' || auth.oidcError === undefined) return { ...auth }
  return { method: auth.method, oidcError: failureJson(auth.oidcError) }
}

/** What a failure's JSON carries: code, message, hint, status and the registry's message, each when known. */
function failureJson (err: unknown): Record<string, unknown> {
  const message = messageOf(err)
  if (!isOidcError(err)) return { message }
  return {
    code: err.code,
    message,
    hint: printable(redactUrls(err.hint)),
    ...(err.status === undefined ? {} : { status: err.status }),
    ...(err.registryMessage === undefined ? {} : { registryMessage: printable(redactUrls(err.registryMessage)) }),
  }
}

/** Why a dry run is not ready: the real run would upload with no credential and be refused. */
function noCredential (registry: string, mode: PublishOptions['oidc']): OidcError {
  return new OidcError('ERR_OIDC_NO_PROVIDER', {
    what: `nothing to publish to ${registry} with`,
    facts: mode === 'off'
      ? 'OIDC is off and no token is configured for this registry'
      : 'no OIDC provider was detected in this job and no token is configured for this registry',
    hint: 'Run the publish in a supported CI job (GitHub Actions, GitLab CI/CD, CircleCI) with `id-token: write`, ' +
      'or configure a token for the registry in .npmrc',
  })
}

async function reportFailure (io: CliIo, name: string, err: unknown, json: boolean): Promise<void> {
  const message = messageOf(err)
  if (json) {
    io.stdout.write(`${JSON.stringify({ ok: false, package: name, ...failureJson(err) }, null, 2)}\n`)
  }
  say(io.stderr, `npm-oidc: publishing ${printable(name)} failed: ${message}`)
  if (onGithubActions(io)) {
    io.stderr.write(annotation('error', `npm-oidc: publish ${name}`, message))
    await appendStepSummary(io, `### npm-oidc publish\n\n❌ ${cell(`${name}: ${message}`)}\n`)
  }
}
