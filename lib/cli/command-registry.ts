import { loadNpmConfig, registryFor, type NpmConfig } from './npm-config.js'
import { warnOverridden } from './output.js'
import type { CliIo } from './io.js'

/** What a command talks to: npm's configuration and each package's registry. */
export interface CommandRegistries {
  readonly config: NpmConfig
  readonly registries: ReadonlyMap<string, string>
}

/**
 * Loads npm's configuration and picks each package's registry by the one rule every command shares (see
 * {@link registryFor}); prints one warning line when `--registry` replaced a different registry.
 *
 * @throws {OidcError} `ERR_OIDC_INSECURE_REGISTRY` when a registry URL carries a CI credential
 */
export async function commandRegistries (
  io: CliIo,
  packages: ReadonlyArray<{ readonly name: string, readonly manifest?: Readonly<Record<string, unknown>> | undefined }>,
  flag: string | undefined
): Promise<CommandRegistries> {
  const config = await loadNpmConfig(io.cwd, io.env)
  const picked = await Promise.all(packages.map(async (p) => {
    const registry = await registryFor(p.name, config, io.env, flag, p.manifest)
    return [p.name, registry] as const
  }))
  warnOverridden(io, flag, picked.map(([, r]) => r.overridden))
  return { config, registries: new Map(picked.map(([name, r]) => [name, r.registry])) }
}
