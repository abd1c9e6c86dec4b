import { join, resolve } from 'node:path'

/** One publishable workspace package. */
export interface WorkspacePackage {
  readonly name: string
  readonly version?: string
  readonly dir: string
  readonly manifest: Readonly<Record<string, unknown>>
}

// node:fs/promises loads with the first read: it costs about a millisecond, which importing libnpmoidc should not.
async function readManifest (dir: string): Promise<Record<string, unknown> | undefined> {
  const { readFile } = await import('node:fs/promises')
  try {
    return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined
    throw err
  }
}

async function subdirectories (dir: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises')
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    return entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name)).sort()
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return []
    throw err
  }
}

/**
 * The non-private packages of the workspaces declared in `<root>/package.json` (`workspaces` as an array or as
 * `{ packages }`). Only plain directories (`packages/cli`) and one-level globs (`packages/*`) are understood.
 *
 * @throws Error when the root has no readable `package.json` or no `workspaces`; TypeError for other patterns
 */
export async function readWorkspaces (root: string): Promise<WorkspacePackage[]> {
  const rootManifest = await readManifest(root)
  if (!rootManifest) throw new Error(`No package.json in ${root}.`)
  const declared = rootManifest.workspaces
  const patterns = Array.isArray(declared) ? declared : (declared as { packages?: unknown } | undefined)?.packages
  if (!Array.isArray(patterns) || patterns.length === 0) {
    throw new Error(`${join(root, 'package.json')} declares no workspaces.`)
  }
  const dirs: string[] = []
  for (const pattern of patterns) {
    if (typeof pattern !== 'string' || /[*?{}[\]!]/.test(pattern.replace(/\/\*$/, ''))) {
      throw new TypeError('Expected workspace patterns of the form `dir` or `dir/*`, ' +
        `got ${JSON.stringify(pattern)}.`)
    }
    const matched = pattern.endsWith('/*')
      ? await subdirectories(resolve(root, pattern.slice(0, -2)))
      : [resolve(root, pattern)]
    dirs.push(...matched)
  }
  const packages: WorkspacePackage[] = []
  for (const dir of [...new Set(dirs)]) {
    const manifest = await readManifest(dir)
    if (!manifest || manifest.private === true || typeof manifest.name !== 'string') continue
    packages.push({
      name: manifest.name,
      ...(typeof manifest.version === 'string' ? { version: manifest.version } : {}),
      dir,
      manifest,
    })
  }
  return packages
}
