import { gunzipSync } from 'node:zlib'

const BLOCK = 512

function field (header: Buffer, start: number, length: number): string {
  return header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '')
}

/**
 * Reads `package.json` out of an npm package tarball (gzipped ustar; the top folder may have any name, npm
 * packs it as `package/`). Long-name, pax and prefix fields are not read: `<folder>/package.json` never needs them.
 *
 * @throws Error when the data is not a gzipped tar or holds no top-level `package.json`
 */
export function tarballManifest (tarball: Buffer): Record<string, unknown> {
  const tar = gunzipSync(tarball)
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK)
    const name = field(header, 0, 100)
    if (name === '') break
    const size = parseInt(field(header, 124, 12), 8)
    if (/^[^/]+\/package\.json$/.test(name)) {
      return JSON.parse(tar.subarray(offset + BLOCK, offset + BLOCK + size).toString('utf8')) as Record<string, unknown>
    }
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK
  }
  throw new Error('the tarball holds no package.json')
}
