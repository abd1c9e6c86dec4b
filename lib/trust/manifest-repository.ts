import { manifestRepositoryUrl, repositoryLocation } from '../contract/repository-url.js'

/** A manifest's `repository` reduced to the provider it lives on and its path there (case kept). */
export interface ManifestRepository {
  /** `github` or `gitlab` for github.com / gitlab.com, else the host name. */
  readonly provider: string
  /** GitHub `owner/repo`; GitLab `group/sub/project`; elsewhere the whole path. */
  readonly path: string
}

const PROVIDERS: Readonly<Record<string, string>> = { 'github.com': 'github', 'gitlab.com': 'gitlab' }

/**
 * Reads a manifest's `repository` (string, shorthand or `{ url }`) the way npm's `trust` commands use it:
 * which provider it lives on and its path there. Case is kept, because the registry compares exactly.
 *
 * @returns `null` when the manifest names no repository or it cannot be read as one
 */
export function manifestRepository (manifest: Readonly<Record<string, unknown>>): ManifestRepository | null {
  const found = repositoryLocation(manifestRepositoryUrl(manifest))
  if (!found) return null
  const host = found.host.toLowerCase()
  const provider = PROVIDERS[host] ?? host
  let path = found.path
  // Links into a repository that hosted-git-info does not read (`/blob/main/x`, GitLab's `/-/tree/…`) still name it.
  if (provider === 'github') path = path.split('/').slice(0, 2).join('/')
  if (provider === 'gitlab') path = path.split('/-/')[0] as string
  return path === '' ? null : { provider, path }
}
