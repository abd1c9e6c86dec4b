/**
 * The registry npm 11 publishes to: `publishConfig` first overlays the caller's options (its `registry` and
 * `@scope:registry` keys, as `npm publish` flattens them), then npm-registry-fetch's own `pickRegistry`
 * decides: the package scope's registry, else `registry`, else registry.npmjs.org.
 *
 * A `forced` registry (a command line's `--registry`) replaces both `publishConfig` and the scope's registry.
 *
 * @returns the registry URL and the options libnpmpublish must also be given so that it picks the same one
 */
export async function pickPublishRegistry (
  manifest: { readonly name: string, readonly publishConfig?: unknown },
  opts: Readonly<Record<string, unknown>>,
  forced?: string
): Promise<{ registry: string, overlay: Record<string, string> }> {
  const overlay: Record<string, string> = {}
  const publishConfig = manifest.publishConfig
  if (forced !== undefined) {
    overlay.registry = forced
    if (manifest.name.startsWith('@')) overlay[`${manifest.name.split('/')[0] as string}:registry`] = forced
  } else if (publishConfig && typeof publishConfig === 'object') {
    for (const [key, value] of Object.entries(publishConfig)) {
      if (typeof value === 'string' && (key === 'registry' || /^@[^/]+:registry$/.test(key))) overlay[key] = value
    }
  }
  const { default: npmFetch } = await import('npm-registry-fetch')
  const registry = npmFetch.pickRegistry(manifest.name, { ...opts, ...overlay })
  return { registry, overlay }
}
