import { readWorkspaces } from '../util/workspaces.js'
import { readProjectManifest } from './project.js'
import { messageOf } from './output.js'
import type { TrustPackage } from '../index.js'
import type { CliIo } from './io.js'

/** A package a trust command applies to: its name and what to pass to the library (the manifest when known). */
export interface TrustTarget {
  readonly name: string
  readonly pkg: TrustPackage
}

/**
 * The packages to act on: every public workspace package with `--workspaces` (a package without a `repository`
 * inherits the root's, as monorepo packages often omit it), else the positional name or `package.json`'s.
 * As npm does, `package.json` supplies defaults only when it describes the named package.
 *
 * @returns the targets, or the message of a usage error
 */
export async function trustTargets (
  io: CliIo, positional: string | undefined, workspaces: boolean
): Promise<TrustTarget[] | string> {
  const root = await readProjectManifest(io.cwd)
  if (workspaces) {
    if (positional !== undefined) return '--workspaces applies to every workspace package; do not also name one'
    let found
    try {
      found = await readWorkspaces(io.cwd)
    } catch (err) {
      return messageOf(err)
    }
    if (found.length === 0) return 'no public workspace packages found'
    return found.map((w) => ({
      name: w.name,
      pkg: {
        ...w.manifest,
        name: w.name,
        ...(w.manifest.repository === undefined && root?.repository !== undefined
          ? { repository: root.repository }
          : {}),
      } as TrustPackage,
    }))
  }
  const name = positional ?? (typeof root?.name === 'string' ? root.name : undefined)
  if (name === undefined) return 'name the package as an argument, or run in a directory whose package.json has a name'
  return [{ name, pkg: root && root.name === name ? root as TrustPackage : name }]
}
