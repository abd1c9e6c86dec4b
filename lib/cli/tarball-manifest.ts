import { posix } from 'node:path'

// npm extracts a package with the first path component stripped, so any `<top>/package.json` lands on
// `package.json`; with several, the last one written would win. Only `package/` is npm's own layout.
function isManifestPath (path: string): boolean {
  const parts = posix.normalize(path.replace(/\\/g, '/')).split('/').filter((part) => part !== '' && part !== '.')
  return parts.length === 2 && parts[1] === 'package.json'
}

/**
 * Reads `package.json` out of an npm package tarball with node-tar, npm's own tar library (loaded only when a
 * tarball is published), as extraction would place it. A tarball with more than one entry that extracts to
 * `package.json` is refused: the metadata sent must be what a user installs.
 *
 * @throws Error when the data is not a tarball, or holds no top-level `package.json` or more than one
 */
export async function tarballManifest (tarball: Buffer): Promise<Record<string, unknown>> {
  const { Parser } = await import('tar')
  return new Promise((resolve, reject) => {
    const candidates: Array<{ path: string, type: string, chunks: Buffer[] }> = []
    const parser = new Parser({
      filter: (path) => isManifestPath(path),
      onReadEntry: (entry) => {
        const candidate = { path: entry.path, type: entry.type, chunks: [] as Buffer[] }
        candidates.push(candidate)
        entry.on('data', (chunk: Buffer) => candidate.chunks.push(chunk))
      },
    })
    parser.on('error', reject)
    parser.on('end', () => {
      const [only, second] = candidates
      if (!only) return reject(new Error('the tarball holds no package.json'))
      if (second) {
        const paths = candidates.map((c) => JSON.stringify(c.path)).join(', ')
        return reject(new Error(`the tarball holds ${candidates.length} entries that extract to package.json ` +
          `(${paths}); npm would install the last, so it is refused`))
      }
      if (only.type !== 'File' && only.type !== 'OldFile') {
        return reject(new Error(`the tarball's ${JSON.stringify(only.path)} is a ${only.type}, not a file`))
      }
      try {
        resolve(JSON.parse(Buffer.concat(only.chunks).toString('utf8')) as Record<string, unknown>)
      } catch (err) {
        reject(err)
      }
    })
    parser.end(tarball)
  })
}
