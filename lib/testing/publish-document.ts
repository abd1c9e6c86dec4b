import { createHash } from 'node:crypto'

/** A publish body as libnpmpublish sends it, checked and unpacked. */
export interface PublishDocument {
  readonly version: string
  /** The version's manifest as sent (`dist` included), without the fields the registry sets. */
  readonly manifest: Readonly<Record<string, unknown>>
  readonly tarball: Buffer
  /** `sha512-…` of the tarball. */
  readonly integrity: string
  /** The tarball's file name, `<name without scope>-<version>.tgz`. */
  readonly tarballFile: string
  /** The parsed provenance bundle, when the body attached one (`<name>-<version>.sigstore`). */
  readonly bundle?: unknown
  readonly distTags: Readonly<Record<string, string>>
  /** `access` as sent: `'public'`, `'restricted'` or absent. */
  readonly access?: string
}

type Problem = { readonly problem: string }

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function attachmentData (attachment: unknown): string | undefined {
  return isRecord(attachment) && typeof attachment.data === 'string' ? attachment.data : undefined
}

function parseBundle (data: string | undefined): { bundle?: unknown } | Problem {
  if (data === undefined) return {}
  try {
    return { bundle: JSON.parse(data) }
  } catch {
    return { problem: 'the provenance bundle is not JSON' }
  }
}

/**
 * Reads the body of `PUT /<name>` (libnpmpublish's document: `versions` with one version, `_attachments` with its
 * tarball and maybe its provenance bundle, `dist-tags`, `access`), checking that it describes `pkgName` and that the
 * tarball matches the `dist.integrity` it declares.
 *
 * @returns the document, or `{ problem }` saying what is wrong with it
 */
export function readPublishDocument (pkgName: string, body: unknown): PublishDocument | Problem {
  if (!isRecord(body) || body.name !== pkgName) return { problem: `the body does not describe ${pkgName}` }
  const versions = isRecord(body.versions) ? Object.keys(body.versions) : []
  const version = versions[0] as string
  const manifest = (body.versions as Record<string, unknown> | undefined)?.[version]
  if (versions.length !== 1 || !isRecord(manifest) || manifest.name !== pkgName || manifest.version !== version) {
    return { problem: 'the body must hold exactly one version, whose manifest names it' }
  }
  const base = pkgName.replace(/^@[^/]+\//, '')
  const tarballFile = `${base}-${version}.tgz`
  const attachments = isRecord(body._attachments) ? body._attachments : {}
  const data = attachmentData(attachments[`${pkgName}-${version}.tgz`])
  if (data === undefined) return { problem: `the tarball ${pkgName}-${version}.tgz is not attached` }
  const tarball = Buffer.from(data, 'base64')
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`
  const declared = isRecord(manifest.dist) ? manifest.dist.integrity : undefined
  if (declared !== undefined && declared !== integrity) {
    return { problem: `the tarball's integrity ${integrity} is not the declared ${String(declared)}` }
  }
  const bundle = parseBundle(attachmentData(attachments[`${pkgName}-${version}.sigstore`]))
  if ('problem' in bundle) return bundle
  const distTags: Record<string, string> = {}
  for (const [tag, value] of Object.entries(isRecord(body['dist-tags']) ? body['dist-tags'] : {})) {
    if (typeof value === 'string') distTags[tag] = value
  }
  return {
    version,
    manifest,
    tarball,
    integrity,
    tarballFile,
    ...bundle,
    distTags,
    ...(typeof body.access === 'string' ? { access: body.access } : {}),
  }
}
