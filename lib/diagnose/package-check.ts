import { connectionOptions } from '../util/connection-options.js'
import { assertNoWorkspaceRanges } from '../contract/workspace-ranges.js'
import { check, failed } from './check.js'
import type { DiagnosisCheck } from './diagnosis.js'
import type { OidcCall } from '../client/oidc-call.js'

/** What the package check learnt, for the exchange check's wording. */
export interface PackageOutcome {
  readonly check: DiagnosisCheck
  /** The registry answered the public packument GET with 404. */
  readonly notFound: boolean
}

// No credential of the caller's goes along: the question is what anyone can see.
function unauthenticated (call: OidcCall, url: string): Record<string, unknown> {
  return {
    ...connectionOptions(url, call.options.raw),
    headers: { ...call.options.headers, accept: 'application/json' },
    timeout: call.options.timeout,
    retry: { retries: 0 },
    preferOnline: true,
  }
}

/**
 * Reads the public packument (unauthenticated): does the package exist, and is `version` already published?
 * A 404 cannot tell a package that does not exist from a private one, and is worded that way. A `manifest` that
 * still holds `workspace:` or `catalog:` ranges fails the check before the registry is asked.
 */
export async function packageCheck (
  call: OidcCall, version: string | undefined, manifest?: Readonly<Record<string, unknown>>
): Promise<PackageOutcome> {
  try {
    if (manifest !== undefined) assertNoWorkspaceRanges(manifest)
  } catch (err) {
    return { notFound: false, check: failed('package', err) }
  }
  const { default: npmFetch } = await import('npm-registry-fetch')
  const name = call.pkgName
  let body: { versions?: Record<string, unknown>, 'dist-tags'?: { latest?: unknown } }
  try {
    const url = `${call.target.href}${call.escapedName}`
    body = await npmFetch.json(url, unauthenticated(call, url)) as typeof body
  } catch (err) {
    const status = (err as { statusCode?: unknown }).statusCode
    if (status === 404) {
      return {
        notFound: true,
        check: check('package', 'warn', `${name} was not found publicly on ${call.target.href}`, {
          hint: 'If it does not exist yet, the first publish must be done another way (with a token): ' +
            'trusted publishers can only be added to an existing package. A private package also answers 404 here',
        }),
      }
    }
    const code = (err as { code?: unknown }).code
    const why = typeof status === 'number' ? `status ${status}` : String(code)
    return { notFound: false, check: check('package', 'warn', `could not read the packument of ${name} (${why})`) }
  }
  const versions = Object.keys(body.versions ?? {})
  const latest = body['dist-tags']?.latest
  const latestFact = typeof latest === 'string' ? `, latest ${latest}` : ''
  const facts = `${versions.length} version${versions.length === 1 ? '' : 's'}${latestFact}`
  if (version !== undefined && versions.includes(version)) {
    return {
      notFound: false,
      check: check('package', 'fail', `${name}@${version} is already published (${facts})`, {
        hint: 'A registry never accepts the same version twice; bump the version before publishing',
      }),
    }
  }
  const pending = version === undefined ? '' : `; ${version} is not published yet`
  return { notFound: false, check: check('package', 'pass', `${name} exists publicly (${facts})${pending}`) }
}
