import { EXCHANGE_ROUTE } from '../contract/paths.js'

/** What a request to the test registry asks for; `kind` in {@link TestRegistryRequest}. */
export type TestRegistryRequestKind =
  | 'exchange'
  | 'packument'
  | 'tarball'
  | 'publish'
  | 'stage'
  | 'dist-tags'
  | 'visibility'
  | 'trust'
  | 'attestations'
  | 'other'

/** A request's route: what it asks for, the package it names, and what follows the name. */
export interface TestRegistryRoute {
  readonly kind: TestRegistryRequestKind
  /** The package named in the path, decoded (`@scope/name`). */
  readonly pkgName?: string
  /** The decoded path segments after the package name (`['latest']` for a dist-tag, a file name, …). */
  readonly rest: readonly string[]
}

const OTHER: TestRegistryRoute = Object.freeze({ kind: 'other', rest: Object.freeze([]) })
const PACKAGE_ROUTES: Readonly<Record<string, TestRegistryRequestKind>> = {
  'dist-tags': 'dist-tags',
  visibility: 'visibility',
  trust: 'trust',
}

function decode (segment: string | undefined): string | undefined {
  if (segment === undefined || segment === '') return undefined
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

// A name arrives escaped (`@scope%2fname`, what npm sends) or not (`@scope/name`, the tarball URL libnpmpublish
// writes); both name the same package.
function splitName (segments: readonly string[]): { pkgName: string, rest: string[] } | undefined {
  const first = decode(segments[0])
  if (first === undefined) return undefined
  let pkgName = first
  let used = 1
  if (first.startsWith('@') && !first.includes('/')) {
    const second = decode(segments[1])
    if (second === undefined) return undefined
    pkgName = `${first}/${second}`
    used = 2
  }
  const rest = segments.slice(used).map(decode)
  if (rest.some((segment) => segment === undefined)) return undefined
  return { pkgName, rest: rest as string[] }
}

function attestationRoute (subject: string | undefined): TestRegistryRoute {
  // `<name>@<version>`: the version follows the last `@` (a scope's `@` comes first).
  const at = subject?.lastIndexOf('@') ?? -1
  if (subject === undefined || at <= 0) return OTHER
  return { kind: 'attestations', pkgName: subject.slice(0, at), rest: [subject.slice(at + 1)] }
}

/**
 * Finds what a request to the test registry asks for, from its method and raw path (query dropped).
 *
 * @param method - the request's method
 * @param rawPath - the path as sent, still percent-encoded
 * @returns the route; `kind: 'other'` when no route of the registry matches
 * @example
 * ```ts
 * routeOf('PUT', '/@acme%2fwidgets') // { kind: 'publish', pkgName: '@acme/widgets', rest: [] }
 * ```
 */
export function routeOf (method: string, rawPath: string): TestRegistryRoute {
  if (rawPath.startsWith(`/${EXCHANGE_ROUTE}`)) {
    const pkgName = decode(rawPath.slice(EXCHANGE_ROUTE.length + 1))
    return { kind: 'exchange', ...(pkgName === undefined ? {} : { pkgName }), rest: [] }
  }
  const segments = rawPath.split('/').slice(1)
  if (segments[0] === '-') {
    if (segments[1] === 'npm' && segments[2] === 'v1' && segments[3] === 'attestations' && segments.length === 5) {
      return attestationRoute(decode(segments[4]))
    }
    if (segments[1] === 'stage' && segments[2] === 'package') {
      const staged = splitName(segments.slice(3))
      if (staged === undefined || staged.rest.length > 0) return OTHER
      return { kind: 'stage', pkgName: staged.pkgName, rest: [] }
    }
    const named = segments[1] === 'package' ? splitName(segments.slice(2)) : undefined
    const kind = named === undefined ? undefined : PACKAGE_ROUTES[named.rest[0] ?? '']
    if (named === undefined || kind === undefined) return OTHER
    return { kind, pkgName: named.pkgName, rest: named.rest.slice(1) }
  }
  const named = splitName(segments)
  if (named === undefined) return OTHER
  if (named.rest.length === 0) {
    if (method === 'PUT') return { kind: 'publish', pkgName: named.pkgName, rest: [] }
    return { kind: 'packument', pkgName: named.pkgName, rest: [] }
  }
  if (named.rest.length === 2 && named.rest[0] === '-' && named.rest[1]?.endsWith('.tgz') === true) {
    return { kind: 'tarball', pkgName: named.pkgName, rest: [named.rest[1]] }
  }
  return OTHER
}
