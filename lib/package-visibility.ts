/** The registry's word on whether a package is public, and why provenance follows from it. */
export interface PackageVisibility {
  readonly public: boolean
  readonly reason: string
}

/**
 * Asks `GET <registry>-/package/<escaped>/visibility` with the exchanged token, as npm does before it turns
 * provenance on. Any failure (a registry without the route answers 404) just means "not public".
 */
export async function packageVisibility (
  registry: string,
  escapedName: string,
  token: string,
  opts: Readonly<Record<string, unknown>>,
): Promise<PackageVisibility> {
  const { default: npmFetch } = await import('npm-registry-fetch')
  try {
    const body = await npmFetch.json(`${registry}-/package/${escapedName}/visibility`, { ...opts, forceAuth: { token } })
    const isPublic = (body as { public?: unknown }).public === true
    return { public: isPublic, reason: isPublic ? 'the registry says the package is public' : 'the registry says the package is not public' }
  } catch (err) {
    const status = (err as { statusCode?: unknown }).statusCode
    return { public: false, reason: `the registry's visibility check failed${typeof status === 'number' ? ` (status ${status})` : ''}` }
  }
}
