import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { withoutCiCredentials } from './ci-credentials.js'
import { runningNpmCli } from './running-npm.js'
import type { Env } from '../util/env.js'

/**
 * Packs `dir` with the running npm (see {@link runningNpmCli}), without lifecycle scripts and without CI
 * credentials in its environment, into a temporary folder, and returns the tarball's bytes. npm's script is run
 * by this Node itself: no shell, no executable lookup, so nothing in `dir` or on `PATH` can stand in for npm.
 * Build before publishing: no `prepack`/`prepare` runs here.
 *
 * @param execPath - the running Node, which runs npm and beside which npm is looked for
 * @throws Error when npm cannot be found or run, or fails
 */
export async function packDirectory (dir: string, env: Env, execPath = process.execPath): Promise<Buffer> {
  const npmCli = runningNpmCli(env, execPath)
  if (npmCli === undefined) throw new Error('could not find npm: neither npm_execpath nor an npm beside node names one')
  const { default: spawn } = await import('@npmcli/promise-spawn')
  const destination = await mkdtemp(join(tmpdir(), 'npm-oidc-pack-'))
  try {
    const packArgs = [npmCli, 'pack', '--json', '--ignore-scripts', '--pack-destination', destination]
    let stdout: string
    try {
      ({ stdout } = await spawn(execPath, packArgs, {
        cwd: dir,
        env: withoutCiCredentials(env),
        stdio: ['ignore', 'pipe', 'pipe'],
        stdioString: true,
      }))
    } catch (err) {
      const { code, stderr } = err as { code: unknown, stderr: string }
      const tail = stderr.trim().split('\n').slice(-3).join(' ')
      throw new Error(`npm pack failed with exit code ${String(code)}: ${tail}`)
    }
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>
    return await readFile(join(destination, (packed as { filename: string }).filename))
  } finally {
    await rm(destination, { recursive: true, force: true })
  }
}
