/**
 * Reads `package.json` out of an npm package tarball with node-tar, npm's own tar library (loaded only when a
 * tarball is published). The top folder may have any name; npm packs it as `package/`.
 *
 * @throws Error when the data is not a tarball or holds no top-level `package.json`
 */
export async function tarballManifest (tarball: Buffer): Promise<Record<string, unknown>> {
  const { Parser } = await import('tar')
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let found = false
    const parser = new Parser({
      filter: (path) => !found && /^[^/]+\/package\.json$/.test(path),
      onReadEntry: (entry) => {
        found = true
        entry.on('data', (chunk: Buffer) => chunks.push(chunk))
      },
    })
    parser.on('error', reject)
    parser.on('end', () => {
      if (!found) return reject(new Error('the tarball holds no package.json'))
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
      } catch (err) {
        reject(err)
      }
    })
    parser.end(tarball)
  })
}
