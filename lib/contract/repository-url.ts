/** Where a repository URL points: its host (port dropped) and the path there, case kept. */
export interface RepositoryLocation {
  readonly host: string
  readonly path: string
}

const SHORTHAND_HOSTS: Readonly<Record<string, string>> = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' }

/**
 * Reads the forms a `repository` takes in package.json — `git+https://host/o/r.git`, `git@host:o/r.git`,
 * `ssh://git@host/o/r`, the `github:o/r` shorthands, and a bare `o/r` (GitHub, as npm reads it).
 *
 * @returns `null` when the value names no host and path
 */
export function repositoryLocation (value: string): RepositoryLocation | null {
  const url = value.trim()
  const shorthand = /^(github|gitlab|bitbucket):(.+)$/.exec(url)
  let host: string
  let path: string
  if (shorthand) {
    [host, path] = [SHORTHAND_HOSTS[shorthand[1] as string] as string, shorthand[2] as string]
  } else if (/^[^:@/\s]+\/[^:/\s]+$/.test(url)) {
    [host, path] = ['github.com', url]
  } else {
    const rest = url
      .replace(/^git\+/, '')
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .replace(/^[^@/]+@/, '')
      .replace(/^([^/:]+):(?!\d)/, '$1/')
    const slash = rest.indexOf('/')
    if (slash <= 0) return null
    ;[host, path] = [rest.slice(0, slash).replace(/:\d+$/, ''), rest.slice(slash + 1)]
  }
  path = path.replace(/[?#].*$/, '').replace(/\/+$/, '').replace(/\.git$/, '')
  return path === '' ? null : { host, path }
}

/**
 * A repository URL reduced to `host/owner/repo`, lowercase, so that `git+https://github.com/Acme/Widgets.git`,
 * `git@github.com:acme/widgets.git` and the `github:acme/widgets` shorthand all compare equal; `''` when it names
 * no repository.
 */
export function normaliseRepositoryUrl (value: string): string {
  const location = repositoryLocation(value)
  return location ? `${location.host}/${location.path}`.toLowerCase() : ''
}

/** `repository` of a manifest as a URL string: the string form or its `url`; `''` when absent. */
export function manifestRepositoryUrl (manifest: Readonly<Record<string, unknown>>): string {
  const repository = manifest.repository
  if (typeof repository === 'string') return repository
  if (repository && typeof repository === 'object') {
    const url = (repository as { url?: unknown }).url
    if (typeof url === 'string') return url
  }
  return ''
}
