import { messageOf, say } from './output.js'
import { formatList, publisherLines, table } from './trust-format.js'
import { asFlags, type TrustCommand } from './trust-operation.js'
import type { TrustedPublisher, TrustRequest } from '../index.js'
import type { TrustTarget } from './trust-targets.js'
import type { CliIo, ExitCode } from './io.js'

/** What became of one package: `data` is what `--json` prints. */
export interface TrustOutcome {
  readonly target: TrustTarget
  readonly ok: boolean
  readonly detail: string
  readonly data?: unknown
}

/** The outcome of a request that failed; without a terminal, an OTP request says how to pass one. */
export function failedOutcome (target: TrustTarget, err: unknown, io: CliIo): TrustOutcome {
  const { code } = err as { code?: unknown }
  let detail = asFlags(messageOf(err))
  if (code === 'EOTP' && io.stdin.isTTY !== true) detail += ' Without a terminal to ask on, pass --otp <code>.'
  return { target, ok: false, detail, data: { code, message: detail } }
}

/** Prints the outcomes, as JSON, one line, or a table for `--workspaces`. */
export function reportOutcomes (
  command: TrustCommand, outcomes: readonly TrustOutcome[], bulk: boolean, json: boolean, io: CliIo
): ExitCode {
  const failed = outcomes.some((o) => !o.ok)
  if (json) {
    const rows = outcomes.map((o) =>
      ({ package: o.target.name, ok: o.ok, ...(o.ok ? { result: o.data } : { error: o.data }) }))
    io.stdout.write(`${JSON.stringify(bulk ? rows : (outcomes[0]?.ok ? outcomes[0].data : rows[0]), null, 2)}\n`)
  } else if (!bulk) {
    const [o] = outcomes as [TrustOutcome]
    if (o.ok) say(io.stdout, command === 'list' ? formatList(o.target.name, o.data as never) : o.detail)
    else say(io.stderr, `npm-oidc: ${o.detail}`)
  } else {
    if (command === 'list') {
      for (const o of outcomes) if (o.ok) say(io.stdout, `${formatList(o.target.name, o.data as never)}\n`)
    }
    const rows = outcomes.map((o): [string, string, string] => [
      o.target.name,
      o.ok ? 'ok' : 'failed',
      o.ok && command === 'list' ? `${(o.data as unknown[]).length} trusted publisher(s)` : o.detail,
    ])
    say(io.stdout, table([['PACKAGE', 'RESULT', 'DETAIL'], ...rows]))
  }
  return failed ? 1 : 0
}

/** What a change that succeeded says. */
export function successDetail (command: TrustCommand, req: TrustRequest, created: unknown): string {
  if (command === 'revoke') {
    const id = decodeURIComponent(req.url.slice(req.url.lastIndexOf('/') + 1))
    return `Revoked trusted publisher ${JSON.stringify(id)} of ${req.package}.`
  }
  // The registry may answer without a body; then what was sent is what was added.
  const shown = Array.isArray(created) && created.length > 0 ? created : req.body as TrustedPublisher[]
  return [`Added a trusted publisher to ${req.package}:`,
    ...shown.map((p) => publisherLines(p).map((l) => `  ${l}`).join('\n'))].join('\n')
}
