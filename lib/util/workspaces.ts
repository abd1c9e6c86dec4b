import { join } from 'node:path'
import { OidcError } from '../errors.js'

/** One publishable workspace package. */
export interface WorkspacePackage {
  readonly name: string
  readonly version?: string
  readonly dir: string
  readonly manifest: Readonly<Record<string, unknown>>
}

async function readText (file: string): Promise<string | undefined> {
  try {
    // node:fs/promises loads with the first read: about a millisecond that importing libnpmoidc should not cost.
    const { readFile } = await import('node:fs/promises')
    return await readFile(file, 'utf8')
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined
    throw err
  }
}

async function readManifest (dir: string): Promise<Record<string, unknown> | undefined> {
  const text = await readText(join(dir, 'package.json'))
  return text === undefined ? undefined : JSON.parse(text) as Record<string, unknown>
}

function invalid (file: string, facts: string, cause?: unknown): OidcError<'ERR_OIDC_WORKSPACE_INVALID'> {
  return new OidcError('ERR_OIDC_WORKSPACE_INVALID', {
    what: 'Workspace configuration is invalid',
    facts: `${file}: ${facts}`,
    hint: 'Fix the workspace declaration so that your package manager accepts it',
    ...(cause === undefined ? {} : { cause }),
  })
}

/** The patterns of `pnpm-workspace.yaml`, or undefined when the root has none. */
async function pnpmPatterns (root: string): Promise<{ file: string, patterns: unknown } | undefined> {
  const file = join(root, 'pnpm-workspace.yaml')
  const text = await readText(file)
  if (text === undefined) return undefined
  const { parse: parseYaml } = await import('yaml')
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (err) {
    throw invalid(file, 'not valid YAML', err)
  }
  return { file, patterns: (doc as { packages?: unknown } | null)?.packages }
}

/** The patterns of `package.json`'s `workspaces` (npm, Yarn): an array, or `{ packages }` as Yarn 1 allows. */
async function manifestPatterns (root: string): Promise<{ file: string, patterns: unknown }> {
  const rootManifest = await readManifest(root)
  if (!rootManifest) throw new Error(`No package.json in ${root}.`)
  const declared = rootManifest.workspaces
  const patterns = Array.isArray(declared) ? declared : (declared as { packages?: unknown } | undefined)?.packages
  return { file: join(root, 'package.json'), patterns }
}

/**
 * The non-private packages of the workspaces declared at `root`, found as the package managers find them:
 * `pnpm-workspace.yaml`'s `packages` when that file exists (pnpm then ignores `package.json`'s `workspaces`, and
 * so does this), else `package.json`'s `workspaces` (an array or `{ packages }`). Patterns are globs with `**`,
 * braces and `!` negations, matched by npm's own `@npmcli/map-workspaces`; as with npm, a matched folder without
 * a `package.json` is skipped and `node_modules` is never searched. The order is npm's: pattern by pattern as
 * declared, and by path within one pattern.
 *
 * @throws OidcError `ERR_OIDC_WORKSPACE_INVALID` when two folders hold packages of the same name (naming both
 *   paths), when the patterns are not a list of strings, or when `pnpm-workspace.yaml` is not YAML; Error when
 *   there is neither a `pnpm-workspace.yaml` nor a `package.json`, or no workspaces are declared
 */
export async function readWorkspaces (root: string): Promise<WorkspacePackage[]> {
  const { file, patterns } = await pnpmPatterns(root) ?? await manifestPatterns(root)
  if (!Array.isArray(patterns) || patterns.length === 0) throw new Error(`${file} declares no workspaces.`)
  if (!patterns.every((p) => typeof p === 'string')) {
    throw invalid(file, `workspace patterns must be strings, got ${JSON.stringify(patterns)}`)
  }
  let found: Map<string, string>
  try {
    const { default: mapWorkspaces } = await import('@npmcli/map-workspaces')
    found = await mapWorkspaces({ cwd: root, pkg: { workspaces: patterns } })
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'EDUPLICATEWORKSPACE') throw err
    const conflicts = (err as Error).message.split('\n').slice(1).map((line) => line.trim())
    throw invalid(file, conflicts.join(' '), err)
  }
  const packages: WorkspacePackage[] = []
  for (const dir of found.values()) {
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
