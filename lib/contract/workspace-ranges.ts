import { OidcError } from '../errors.js'

/**
 * The dependency fields an install of the published package reads. `devDependencies` are left out: installing a
 * package from a registry never installs its dev dependencies, so a `workspace:` range there breaks no consumer.
 */
const PUBLISHED_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const

/** Protocols only a workspace-aware package manager understands; its `pack` rewrites them to real ranges. */
const LOCAL_PROTOCOL = /^(workspace|catalog):/

/**
 * The dependencies of `manifest` that still hold a `workspace:` or `catalog:` range, as `field name@range`.
 *
 * @param manifest - the manifest about to be published
 * @returns one entry per such dependency, in field order; empty when the manifest can be published
 */
export function workspaceRanges (manifest: Readonly<Record<string, unknown>>): string[] {
  const found: string[] = []
  for (const field of PUBLISHED_FIELDS) {
    const deps = manifest[field]
    if (typeof deps !== 'object' || deps === null) continue
    for (const [name, range] of Object.entries(deps)) {
      if (typeof range === 'string' && LOCAL_PROTOCOL.test(range)) found.push(`${field} ${name}@${range}`)
    }
  }
  return found
}

/**
 * Refuses a manifest whose dependencies still hold `workspace:` or `catalog:` ranges: no install outside the
 * monorepo could resolve them, and a published version can never be changed.
 *
 * @param manifest - the manifest about to be published
 * @throws OidcError `ERR_OIDC_WORKSPACE_PROTOCOL` naming each such dependency
 */
export function assertNoWorkspaceRanges (manifest: Readonly<Record<string, unknown>>): void {
  const found = workspaceRanges(manifest)
  if (found.length === 0) return
  throw new OidcError('ERR_OIDC_WORKSPACE_PROTOCOL', {
    what: 'The manifest still holds workspace-only dependency ranges',
    facts: found.join(', '),
    hint: 'Pack with the package manager of the workspace (`pnpm pack`, `yarn pack`), which rewrites them to real ' +
      'versions, and publish the manifest inside that tarball; `npm-oidc publish <dir>` does so for pnpm and Yarn',
  })
}
