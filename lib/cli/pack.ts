import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { withoutCiCredentials } from './ci-credentials.js'
import { runningNpmCli } from './running-npm.js'
import { detectPackageManager, type PackageManager } from './package-manager.js'
import type { Env } from '../util/env.js'

interface PackCommand {
  readonly command: string
  readonly args: readonly string[]
  /** Where the tarball lands, from the command's stdout. */
  readonly tarball: (stdout: string) => string
}

/** `npm pack`, run by this Node itself: no shell, no executable lookup, nothing on `PATH` stands in for npm. */
function npmPack (destination: string, env: Env, execPath: string): PackCommand {
  const npmCli = runningNpmCli(env, execPath)
  if (npmCli === undefined) throw new Error('could not find npm: neither npm_execpath nor an npm beside node names one')
  return {
    command: execPath,
    args: [npmCli, 'pack', '--json', '--ignore-scripts', '--pack-destination', destination],
    tarball: (stdout) => join(destination, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename),
  }
}

/** `pnpm pack` or Yarn's (Berry) `yarn pack`, found on `PATH` as the user's own scripts would find them. */
async function workspacePack (manager: Exclude<PackageManager, 'npm'>, destination: string, env: Env,
  cwd: string): Promise<PackCommand> {
  const { default: which } = await import('which')
  const command = await which(manager, { path: env.PATH ?? env.Path ?? '', nothrow: true })
  if (command === null) throw new Error(`could not find ${manager} on PATH, and this package is packed with ${manager}`)
  if (manager === 'yarn') {
    const out = join(destination, 'package.tgz')
    return { command, args: ['pack', '--out', out], tarball: () => out }
  }
  return {
    command,
    args: ['pack', '--json', '--pack-destination', destination],
    tarball: (stdout) => resolve(cwd, (JSON.parse(stdout) as { filename: string }).filename),
  }
}

/**
 * Packs `dir` with the package manager of its project (see {@link detectPackageManager}) into a temporary folder,
 * without CI credentials in its environment, and returns the tarball's bytes.
 *
 * npm is the running npm (see {@link runningNpmCli}), run without lifecycle scripts. pnpm and Yarn are the ones
 * on `PATH`, so that `workspace:` and `catalog:` ranges are rewritten as the user's tool does; they run the
 * `prepack`/`postpack` scripts they always run (Yarn has no way to skip them), under `npm_config_ignore_scripts`
 * for pnpm. Build before publishing either way.
 *
 * @param execPath - the running Node, which runs npm and beside which npm is looked for
 * @throws Error when the package manager cannot be found or run, or fails
 */
export async function packDirectory (dir: string, env: Env, execPath = process.execPath): Promise<Buffer> {
  const manager = await detectPackageManager(dir)
  const destination = await mkdtemp(join(tmpdir(), 'npm-oidc-pack-'))
  try {
    const pack = manager === 'npm'
      ? npmPack(destination, env, execPath)
      : await workspacePack(manager, destination, env, dir)
    const { default: spawn } = await import('@npmcli/promise-spawn')
    let stdout: string
    try {
      ({ stdout } = await spawn(pack.command, [...pack.args], {
        cwd: dir,
        env: { ...withoutCiCredentials(env), ...(manager === 'pnpm' ? { npm_config_ignore_scripts: 'true' } : {}) },
        stdio: ['ignore', 'pipe', 'pipe'],
        stdioString: true,
      }))
    } catch (err) {
      const { code, stderr, stdout: out } = err as { code: unknown, stderr: string, stdout: string }
      const tail = `${stderr}\n${out}`.trim().split('\n').slice(-3).join(' ')
      throw new Error(`${manager} pack failed with exit code ${String(code)}: ${tail}`)
    }
    return await readFile(pack.tarball(stdout))
  } finally {
    await rm(destination, { recursive: true, force: true })
  }
}
