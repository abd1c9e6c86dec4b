import { access, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/** The tool whose `pack` builds the tarball: it decides how `workspace:` and `catalog:` ranges are rewritten. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn'

const LOCKFILES: ReadonlyArray<readonly [string, PackageManager]> = [
  ['pnpm-lock.yaml', 'pnpm'], ['yarn.lock', 'yarn'], ['package-lock.json', 'npm'], ['npm-shrinkwrap.json', 'npm'],
]

// Yarn 1 knows no `workspace:` protocol and packs as npm does; only Yarn 2+ (Berry) rewrites ranges in `yarn pack`.
const YARN_CLASSIC_FIELD = /^yarn@1\./
const YARN_CLASSIC_LOCKFILE = /^# yarn lockfile v1$/m

async function exists (file: string): Promise<boolean> {
  return access(file).then(() => true, () => false)
}

async function readManifest (dir: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
}

/**
 * The package manager of the project `dir` belongs to. From `dir` upward, each folder is asked in turn: its
 * `package.json`'s `packageManager` field (`pnpm@10.0.0`), else its lockfile (`pnpm-lock.yaml`, `yarn.lock`,
 * `package-lock.json`); the search stops at the workspace root (`pnpm-workspace.yaml`, or a `package.json` with
 * `workspaces`) and at the file system's root. npm when nothing names another, and for Yarn 1 (`yarn@1.x`, or a
 * `yarn lockfile v1`), whose `pack` is npm's.
 *
 * @param dir - the package folder about to be packed
 */
export async function detectPackageManager (dir: string): Promise<PackageManager> {
  const manifest = await readManifest(dir)
  const field = typeof manifest?.packageManager === 'string' ? manifest.packageManager : ''
  const named = /^(npm|pnpm|yarn)@/.exec(field)?.[1] as PackageManager | undefined
  if (named !== undefined) return YARN_CLASSIC_FIELD.test(field) ? 'npm' : named
  for (const [file, manager] of LOCKFILES) {
    if (!await exists(join(dir, file))) continue
    const classic = manager === 'yarn' && YARN_CLASSIC_LOCKFILE.test(await readFile(join(dir, file), 'utf8'))
    return classic ? 'npm' : manager
  }
  const workspaceRoot = manifest?.workspaces !== undefined || await exists(join(dir, 'pnpm-workspace.yaml'))
  const parent = dirname(dir)
  return workspaceRoot || parent === dir ? 'npm' : detectPackageManager(parent)
}
