import { verifyPublished, isOidcError, type PublishedEvidence, type PublishedExpectation } from '../index.js'
import { redactUrls } from '../util/redact-urls.js'
import { commandRegistries } from './command-registry.js'
import { printable } from './printable.js'
import { messageOf, parseCommand, say, usageError } from './output.js'
import { annotation, onGithubActions } from './github.js'
import type { CliIo, ExitCode } from './io.js'

/** `npm-oidc verify --help`. */
const VERIFY_USAGE = `Usage: npm-oidc verify <pkg>@<version> [--provider ID] [--repository R] [--workflow F]
                        [--provenance] [--registry URL] [--json]

Checks how a published version was published, from what the registry shows anyone (no credential
is sent): it fails unless the version was published through trusted publishing, and, when asked,
from the given CI provider, with provenance, built from the given repository and workflow. Run it
right after a release, or on every release of a package you depend on.

  --provider ID      github, gitlab or circleci (as the registry records it)
  --repository R     owner/repo (GitHub) or group/project (GitLab) the provenance must name
  --workflow F       workflow file (release.yml, .gitlab-ci.yml) or path the provenance must name
  --provenance       the version must carry a provenance attestation
  --registry URL     registry (wins over npm config); default: npm config (@scope:registry,
                     registry), then https://registry.npmjs.org/
  --json             print the evidence (or the failure) as JSON on stdout
  -h, --help         show this help

The provenance attestation is read, not verified again: the registry verified its signature when it
accepted the upload. Its statement must name this version and its tarball's sha512.

Exit codes: 0 as expected, 1 not (or the registry could not be read), 2 usage error.`

const OPTIONS = {
  provider: { type: 'string' },
  repository: { type: 'string' },
  workflow: { type: 'string' },
  provenance: { type: 'boolean' },
  registry: { type: 'string' },
  json: { type: 'boolean' },
} as const

/** `<pkg>@<version>` with an exact version, read as npm reads a spec; `undefined` for anything else. */
async function exactVersion (spec: string): Promise<{ name: string, version: string } | undefined> {
  const { default: npa } = await import('npm-package-arg')
  try {
    const parsed = npa(spec)
    const version = parsed.fetchSpec as string
    // npm reads `v1.2.0` and `=1.2.0` as versions too; the packument's keys are plain.
    return parsed.type === 'version' && parsed.name !== null && /^\d/.test(version)
      ? { name: parsed.name, version }
      : undefined
  } catch {
    return undefined
  }
}

function evidenceLines (e: PublishedEvidence): string {
  const { id, oidcConfigId } = e.trustedPublisher
  const publisher = `${id}${oidcConfigId ? ` (${oidcConfigId})` : ''}`
  const lines = [`✓ ${e.name}@${e.version} was published through trusted publishing: ${publisher}`]
  const p = e.provenance
  if (p === null) lines.push('  provenance: none')
  else {
    lines.push(`  provenance: ${p.repository ?? '(no repository)'}, ${p.workflow ?? '(no workflow)'}` +
      `${p.ref === undefined ? '' : ` @ ${p.ref}`}`)
    if (p.certificateIdentity !== undefined) lines.push(`  signed by:  ${p.certificateIdentity}`)
  }
  return lines.map(printable).join('\n')
}

/** Runs `npm-oidc verify`. */
export async function runVerify (args: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand(args, OPTIONS, VERIFY_USAGE, io)
  if ('exit' in parsed) return parsed.exit
  const [spec] = parsed.positionals
  if (spec === undefined) return usageError(io, 'no <pkg>@<version> given', VERIFY_USAGE)
  const target = await exactVersion(spec)
  if (target === undefined) {
    return usageError(io, `${printable(JSON.stringify(spec))} is not <pkg>@<exact version>`, VERIFY_USAGE)
  }
  const { values } = parsed
  const expect: PublishedExpectation = {
    ...(values.provider === undefined ? {} : { provider: values.provider as string }),
    ...(values.repository === undefined ? {} : { repository: values.repository as string }),
    ...(values.workflow === undefined ? {} : { workflow: values.workflow as string }),
    ...(values.provenance === true ? { provenance: true } : {}),
  }
  const flag = values.registry as string | undefined
  const { config, registries } = await commandRegistries(io, [{ name: target.name }], flag)
  const json = values.json === true
  try {
    const evidence = await verifyPublished(target.name, target.version, {
      ...config, registry: registries.get(target.name) as string, expect,
    })
    if (json) io.stdout.write(`${JSON.stringify({ ok: true, ...evidence }, null, 2)}\n`)
    else say(io.stdout, evidenceLines(evidence))
    return 0
  } catch (err) {
    // Everything but a bad option in npm's configuration is an OidcError.
    if (!isOidcError(err)) return usageError(io, messageOf(err), VERIFY_USAGE)
    const message = messageOf(err)
    if (json) {
      const facts = { code: err.code, message, hint: printable(redactUrls(err.hint)) }
      const failure = { ok: false, package: target.name, version: target.version, ...facts }
      io.stdout.write(`${JSON.stringify(failure, null, 2)}\n`)
    }
    say(io.stderr, `npm-oidc: ${message}`)
    if (onGithubActions(io)) io.stderr.write(annotation('error', `npm-oidc: verify ${spec}`, message))
    return 1
  }
}
