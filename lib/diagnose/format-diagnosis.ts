import { paint as paintAlways } from '../util/paint.js'
import type { DiagnosisCheckStatus, OidcDiagnosis } from './diagnosis.js'

/** Options of {@link formatDiagnosis}. */
export interface FormatDiagnosisOptions {
  /** Colour the marks with ANSI escapes. Off unless asked: the caller knows whether its stream is a terminal. */
  color?: boolean
}

const MARKS: Readonly<Record<DiagnosisCheckStatus, readonly [string, 'green' | 'yellow' | 'red' | 'gray']>> = {
  pass: ['✓', 'green'],
  warn: ['!', 'yellow'],
  fail: ['✗', 'red'],
  skip: ['-', 'gray'],
}

type Paint = (colour: 'green' | 'yellow' | 'red' | 'gray' | 'bold' | 'dim', text: string) => string

function plural (count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/**
 * Renders a diagnosis as a readable checklist, one check per line with its details and hint indented.
 *
 * @param diagnosis - what {@link diagnose} returned
 * @param options - `color: true` for ANSI colour (never on by default)
 * @returns the text, ending in a newline
 * @example
 * ```ts
 * process.stderr.write(formatDiagnosis(await diagnose('my-pkg', registry), { color: process.stderr.isTTY }))
 * ```
 */
export function formatDiagnosis (diagnosis: OidcDiagnosis, options: FormatDiagnosisOptions = {}): string {
  const paint: Paint = options.color === true
    ? paintAlways
    : (_colour, text) => text
  const width = Math.max(...diagnosis.checks.map((c) => c.id.length))
  const lines = [paint('bold', `Trusted publishing of ${diagnosis.package} to ${diagnosis.registry}` +
    (diagnosis.provider ? ` from ${diagnosis.provider}` : ''))]
  for (const c of diagnosis.checks) {
    const [mark, colour] = MARKS[c.status]
    lines.push(`${paint(colour, mark)} ${c.id.padEnd(width)}  ${c.summary}`)
    const indent = ' '.repeat(width + 4)
    for (const line of c.detail ?? []) lines.push(paint('dim', `${indent}${line}`))
    if (c.hint !== undefined) lines.push(`${indent}→ ${c.hint}`)
  }
  const failures = diagnosis.checks.filter((c) => c.status === 'fail').length
  const warnings = diagnosis.checks.filter((c) => c.status === 'warn').length
  const tally = warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''
  lines.push(diagnosis.ok
    ? paint('green', `Ready${tally}.`)
    : paint('red', `Not ready: ${plural(failures, 'check')} failed${tally}.`))
  return `${lines.join('\n')}\n`
}
