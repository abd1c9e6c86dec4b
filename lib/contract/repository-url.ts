import hostedGitInfo from '../util/hosted-git-info.cjs'

/** Where a repository URL points: its host (port dropped) and the path there, case kept. */
export interface RepositoryLocation {
  readonly host: string
  readonly path: string
}

// A scheme is case-insensitive, but hosted-git-info knows its shorthands (`github:`) in lowercase only.
const lowercaseScheme = (url: string): string => url.replace(/^[a-z][a-z0-9+.-]*:/i, (scheme) => scheme.toLowerCase())

/**
 * Reads the forms a `repository` takes in package.json as npm does, with hosted-git-info: `git+https://host/o/r.git`,
 * `git@host:o/r.git`, `ssh://git@host/o/r`, the `github:o/r` shorthands, a bare `o/r` (GitHub), GitLab subgroups.
 *
 * @returns `null` when the value names no host and path
 */
export function repositoryLocation (value: string): RepositoryLocation | null {
  const url = value.trim()
  const hosted = hostedGitInfo().fromUrl(lowercaseScheme(url))
  if (hosted?.user && hosted.project) return { host: hosted.domain, path: `${hosted.user}/${hosted.project}` }
  // Nothing from hosted-git-info for a self-hosted host or a link into a repository: read by hand, as before.
  return locationByHand(url)
}

function locationByHand (url: string): RepositoryLocation | null {
  const rest = url
    .replace(/^git\+/, '')
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):(?!\d)/, '$1/')
  const slash = rest.indexOf('/')
  if (slash <= 0) return null
  const host = rest.slice(0, slash).replace(/:\d+$/, '')
  const path = rest.slice(slash + 1).replace(/[?#].*$/, '').replace(/\/+$/, '').replace(/\.git$/, '')
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
