import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Env } from '../providers/provider.js'

/**
 * Packs `dir` with the user's own `npm pack` (found on `PATH`), without lifecycle scripts, into a temporary
 * folder, and returns the tarball's bytes. Build before publishing: no `prepack`/`prepare` runs here.
 *
 * @throws Error when npm cannot be run or fails
 */
export async function packDirectory (dir: string, env: Env): Promise<Buffer> {
  const destination = await mkdtemp(join(tmpdir(), 'npm-oidc-pack-'))
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', destination], {
        cwd: dir,
        env: { ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
        // npm is npm.cmd on Windows, which only a shell runs.
        shell: process.platform === 'win32',
      })
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
      child.on('error', (cause) => reject(new Error(`could not run npm pack: ${cause.message}`)))
      child.on('close', (code) => {
        if (code === 0) resolve(Buffer.concat(out).toString('utf8'))
        else reject(new Error(`npm pack failed with exit code ${String(code)}: ${Buffer.concat(err).toString('utf8').trim().split('\n').slice(-3).join(' ')}`))
      })
    })
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>
    return await readFile(join(destination, (packed as { filename: string }).filename))
  } finally {
    await rm(destination, { recursive: true, force: true })
  }
}
