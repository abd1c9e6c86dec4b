import { manifestRepositoryUrl } from '../repository-url.js'

/** A manifest's `repository` reduced to the provider it lives on and its path there (case kept). */
export interface ManifestRepository {
  /** `github` or `gitlab` for github.com / gitlab.com, else the host name. */
  readonly provider: string
  /** GitHub `owner/repo`; GitLab `group/sub/project`; elsewhere the whole path. */
  readonly path: string
}

const SHORTHAND_HOSTS: Readonly<Record<string, string>> = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' }
const PROVIDERS: Readonly<Record<string, string>> = { 'github.com': 'github', 'gitlab.com': 'gitlab' }

function hostAndPath (url: string): [string, string] | null {
  const shorthand = /^(github|gitlab|bitbucket):(.+)$/.exec(url)
  if (shorthand) return [SHORTHAND_HOSTS[shorthand[1] as string] as string, shorthand[2] as string]
  // npm reads a bare `owner/repo` as a GitHub repository.
  if (/^[^:@/\s]+\/[^:/\s]+$/.test(url)) return ['github.com', url]
  const rest = url
    .replace(/^git\+/, '')
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):(?!\d)/, '$1/')
  const slash = rest.indexOf('/')
  if (slash <= 0) return null
  return [rest.slice(0, slash).replace(/:\d+$/, ''), rest.slice(slash + 1)]
}

/**
 * Reads a manifest's `repository` (string, shorthand or `{ url }`) the way npm's `trust` commands use it:
 * which provider it lives on and its path there. Case is kept, because the registry compares exactly.
 *
 * @returns `null` when the manifest names no repository or it cannot be read as one
 */
export function manifestRepository (manifest: Readonly<Record<string, unknown>>): ManifestRepository | null {
  const found = hostAndPath(manifestRepositoryUrl(manifest).trim())
  if (!found) return null
  const host = found[0].toLowerCase()
  const provider = PROVIDERS[host] ?? host
  let path = found[1].replace(/[?#].*$/, '').replace(/\/+$/, '').replace(/\.git$/, '')
  // Links into a repository (`/tree/main/pkg`, GitLab's `/-/tree/…`) still name it.
  if (provider === 'github') path = path.split('/').slice(0, 2).join('/')
  if (provider === 'gitlab') path = path.split('/-/')[0] as string
  return path === '' ? null : { provider, path }
}
