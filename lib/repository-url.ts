/**
 * A repository URL reduced to `host/owner/repo`, lowercase, so that `git+https://github.com/Acme/Widgets.git`,
 * `git@github.com:acme/widgets.git` and the `github:acme/widgets` shorthand all compare equal.
 */
export function normaliseRepositoryUrl (value: string): string {
  let url = value.trim()
  const shorthand = /^(github|gitlab):(.+)$/.exec(url)
  if (shorthand) url = `${shorthand[1]}.com/${shorthand[2]}`
  return url
    .replace(/^git\+/, '')
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):(?!\d)/, '$1/')
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .toLowerCase()
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
