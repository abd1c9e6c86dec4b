import { readFile } from 'node:fs/promises'
import { join } from 'node:path'

/** `package.json` of `dir`, or `undefined` when there is none (or it is not JSON). */
export async function readProjectManifest (dir: string): Promise<Record<string, unknown> | undefined> {
  try {
    const manifest: unknown = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'))
    return typeof manifest === 'object' && manifest !== null ? manifest as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}
