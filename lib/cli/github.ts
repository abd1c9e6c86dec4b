import { appendFile } from 'node:fs/promises'
import { redactUrls } from '../util/redact-urls.js'
import { envValue } from '../util/env.js'
import { printable } from './printable.js'
import type { DiagnosisCheck, OidcDiagnosis } from '../index.js'
import type { CliIo } from './io.js'

/** Whether this runs in a GitHub Actions job (workflow commands and the step summary apply). */
export function onGithubActions (io: CliIo): boolean {
  return envValue(io.env, 'GITHUB_ACTIONS') !== undefined
}

// https://docs.github.com/actions/reference/workflow-commands-for-github-actions: data and property escaping.
function escapeData (text: string): string {
  // printable() leaves no CR or LF to encode.
  return printable(text).replace(/%/g, '%25')
}

function escapeProperty (text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/** A workflow command line such as `::error title=…::message`. */
export function annotation (level: 'error' | 'warning', title: string, message: string): string {
  return `::${level} title=${escapeProperty(title)}::${escapeData(redactUrls(message))}\n`
}

/** `::error::` for each failed check and `::warning::` for each warning of a diagnosis. */
export function diagnosisAnnotations (d: OidcDiagnosis): string {
  return d.checks
    .filter((c) => c.status === 'fail' || c.status === 'warn')
    .map((c) => annotation(c.status === 'fail' ? 'error' : 'warning', `npm-oidc: ${d.package} ${c.id}`,
      // A warning's findings are in its detail lines; its summary says what passed.
      (c.status === 'warn' ? (c.detail ?? [c.summary]).join('; ') : c.summary) +
      (c.hint === undefined ? '' : `. ${c.hint}`)))
    .join('')
}

const ICONS = { pass: '✅', warn: '⚠️', fail: '❌', skip: '⏭️' } as const

/**
 * Text for a Markdown table cell, one line per element: no line breaks, no control characters, no column
 * separators.
 */
export function cell (lines: string | readonly string[]): string {
  return (typeof lines === 'string' ? [lines] : lines).map((line) => printable(redactUrls(line)).replace(/\|/g, '\\|')).join('<br>')
}

function checkRow (c: DiagnosisCheck): string {
  const more = [...(c.detail ?? []), ...(c.hint === undefined ? [] : [`→ ${c.hint}`])]
  return `| ${ICONS[c.status]} | ${cell(c.id)} | ${cell([c.summary, ...more])} |`
}

/** A diagnosis as Markdown for `$GITHUB_STEP_SUMMARY`. */
export function diagnosisMarkdown (d: OidcDiagnosis): string {
  return [
    `### npm-oidc: \`${cell(d.package)}\` ` +
      (d.ok ? 'is ready for trusted publishing' : 'is not ready for trusted publishing'),
    '',
    `Registry ${cell(d.registry)}, provider ${String(d.provider)}.`,
    '',
    '| | check | result |',
    '|---|---|---|',
    ...d.checks.map(checkRow),
    '',
  ].join('\n')
}

/**
 * Appends Markdown to the job's step summary when `GITHUB_STEP_SUMMARY` names a file; a failure is reported,
 * not thrown.
 */
export async function appendStepSummary (io: CliIo, markdown: string): Promise<void> {
  const file = envValue(io.env, 'GITHUB_STEP_SUMMARY')
  if (!file) return
  try {
    await appendFile(file, `${markdown}\n`)
  } catch (err) {
    io.stderr.write(`npm-oidc: could not write the step summary: ${printable((err as Error).message)}\n`)
  }
}
