import { printable } from './printable.js'
import { publisherFileOf } from '../contract/trusted-publisher.js'
import type { TrustedPublisher, TrustRequest } from '../index.js'

const LABELS: Readonly<Record<string, string>> = { createPackage: 'publish', createStagedPackage: 'stage publish' }
const CIRCLE = 'oidc.circleci.com/'

/** The fields `npm trust list` prints for a connection, in its order. */
export function publisherLines (p: TrustedPublisher): string[] {
  const c = (p.claims ?? {}) as Readonly<Record<string, unknown>>
  const fields: Array<[string, unknown]> = p.type === 'github'
    ? [['repository', c.repository], ['file', publisherFileOf(c.workflow_ref)], ['environment', c.environment]]
    : p.type === 'gitlab'
      ? [['project', c.project_path], ['file', publisherFileOf(c.ci_config_ref_uri)], ['environment', c.environment]]
      : Object.entries(c).map(([k, v]) => [k.startsWith(CIRCLE) ? k.slice(CIRCLE.length) : k, v])
  const perms = Array.isArray(p.permissions) ? p.permissions.map((x) => LABELS[x] ?? x).join(', ') : undefined
  return [['id', p.id], ['type', p.type], ...fields, ['permissions', perms]]
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => printable(`${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`))
}

/** A package's connections as indented blocks under a heading. */
export function formatList (pkg: string, publishers: readonly TrustedPublisher[]): string {
  if (publishers.length === 0) return `${printable(pkg)}: no trusted publishers`
  const n = publishers.length
  const blocks = publishers.map((p) => publisherLines(p).map((l) => `  ${l}`).join('\n'))
  return [`${printable(pkg)}: ${n} trusted publisher${n === 1 ? '' : 's'}`, ...blocks].join('\n\n')
}

/** What a dry run would send: method, URL, headers, a credential note (never the credential) and the body. */
export function formatRequest (req: TrustRequest, credential: boolean): string {
  const headers = Object.entries(req.headers).map(([k, v]) => `  ${k}: ${v}`)
  const authorization = credential
    ? `(the token configured for ${req.registry})`
    : '(no token is configured for this registry)'
  headers.push(`  authorization: ${authorization}`)
  const body = req.body ? ['', JSON.stringify(req.body, null, 2)] : []
  return [`${req.method} ${req.url}`, ...headers, ...body].join('\n')
}

/** A plain-text table of three columns, the first two padded. */
export function table (rows: ReadonlyArray<readonly [string, string, string]>): string {
  const first = Math.max(...rows.map((r) => r[0].length))
  const second = Math.max(...rows.map((r) => r[1].length))
  return rows.map((r) => `${r[0].padEnd(first)}  ${r[1].padEnd(second)}  ${r[2]}`).join('\n')
}
