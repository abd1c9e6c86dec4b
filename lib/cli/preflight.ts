import { join } from 'node:path'
import { preflight, type PreflightPackage, type PreflightReport } from '../index.js'
import { readWorkspaces } from '../util/workspaces.js'
import { commandRegistries } from './command-registry.js'
import { printable } from './printable.js'
import { readProjectManifest } from './project.js'
import { colorFor, messageOf, parseCommand, say, usageError } from './output.js'
import { appendStepSummary, annotation, cell, onGithubActions } from './github.js'
import { paint as paintAlways } from '../util/paint.js'
import type { CliIo, ExitCode } from './io.js'

/** `npm-oidc preflight --help`. */
const PREFLIGHT_USAGE = `Usage: npm-oidc preflight [pkg...] [--workspaces] [--registry URL] [--concurrency N] [--json]

Runs the doctor checks for every package of a release, each with a real token exchange,
before anything is published. Progress goes to stderr.

  pkg...            package names; default: ./package.json
  --workspaces      every non-private package of ./pnpm-workspace.yaml or ./package.json's workspaces
                    (plain directories and "dir/*" patterns)
  --registry URL    registry for all packages (wins over publishConfig and npm config);
                    default: per package, as doctor picks it
  --concurrency N   packages checked at once; default 4
  --json            print the report as JSON on stdout
  -h, --help        show this help

Exit codes: 0 every package ready, 1 some package not ready, 2 usage error.`

function reportText (report: PreflightReport, color: boolean): string {
  const paint = (colour: string, text: string): string => color ? paintAlways(colour, text) : text
  const lines = report.packages.map((p) => {
    const id = printable(`${p.name}${p.version === undefined ? '' : `@${p.version}`}`)
    if (!p.failing) return `${paint('green', '✓')} ${id} ready`
    const failing = printable(`${p.failing.id}: ${p.failing.summary}`)
    return `${paint('red', '✗')} ${id}: ${failing}\n    → ${printable(p.failing.hint)}`
  })
  const notReady = report.packages.filter((p) => !p.ready).length
  lines.push(report.ok ? `All ${report.packages.length} ready.` : `${notReady} of ${report.packages.length} not ready.`)
  return lines.join('\n')
}

function reportMarkdown (report: PreflightReport): string {
  return [
    `### npm-oidc preflight: ${report.ok ? 'every package is ready' : 'some packages are not ready'}`,
    '',
    '| | package | failing check |',
    '|---|---|---|',
    ...report.packages.map((p) => {
      const id = cell(`${p.name}${p.version === undefined ? '' : `@${p.version}`}`)
      const failing = p.failing ? cell([`${p.failing.id}: ${p.failing.summary}`, `→ ${p.failing.hint}`]) : ''
      return `| ${p.ready ? '✅' : '❌'} | ${id} | ${failing} |`
    }),
    '',
  ].join('\n')
}

/** Runs `npm-oidc preflight`. */
export async function runPreflight (args: string[], io: CliIo): Promise<ExitCode> {
  const parsed = parseCommand(args, {
    workspaces: { type: 'boolean' },
    registry: { type: 'string' },
    concurrency: { type: 'string' },
    json: { type: 'boolean' },
  }, PREFLIGHT_USAGE, io, Infinity)
  if ('exit' in parsed) return parsed.exit
  const { values, positionals } = parsed
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency)
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    return usageError(io, '--concurrency must be a positive integer', PREFLIGHT_USAGE)
  }
  if (values.workspaces === true && positionals.length > 0) {
    return usageError(io, 'give package names or --workspaces, not both', PREFLIGHT_USAGE)
  }
  let packages: PreflightPackage[]
  try {
    if (values.workspaces === true) {
      packages = await readWorkspaces(io.cwd)
    } else if (positionals.length > 0) {
      packages = positionals.map((name) => ({ name }))
    } else {
      const project = await readProjectManifest(io.cwd)
      if (typeof project?.name !== 'string') {
        const message = `no package names given and no name in ${join(io.cwd, 'package.json')}`
        return usageError(io, message, PREFLIGHT_USAGE)
      }
      const version = typeof project.version === 'string' ? { version: project.version } : {}
      packages = [{ name: project.name, ...version, manifest: project }]
    }
  } catch (err) {
    return usageError(io, messageOf(err), PREFLIGHT_USAGE)
  }
  const { config, registries } = await commandRegistries(io, packages, values.registry as string | undefined)
  let report: PreflightReport
  try {
    report = await preflight(packages, {
      ...config,
      env: io.env,
      concurrency,
      registry: (name) => registries.get(name) as string,
      onProgress: (done, total, name) => say(io.stderr, printable(`[${done}/${total}] ${name}`)),
    })
  } catch (err) {
    return usageError(io, messageOf(err), PREFLIGHT_USAGE)
  }
  const json = values.json === true
  if (json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  else say(io.stdout, reportText(report, colorFor(io.stdout, io)))
  if (onGithubActions(io)) {
    const stream = json ? io.stderr : io.stdout
    for (const p of report.packages) {
      if (p.failing) {
        const message = `${p.failing.summary}. ${p.failing.hint}`
        stream.write(annotation('error', `npm-oidc: ${p.name} ${p.failing.id}`, message))
      }
    }
    await appendStepSummary(io, reportMarkdown(report))
  }
  return report.ok ? 0 : 1
}
