import type { PublishDocument } from './publish-document.js'

/** One package as the test registry keeps it in memory. */
export interface StoredPackage {
  readonly name: string
  readonly versions: Record<string, Record<string, unknown>>
  readonly distTags: Record<string, string>
  readonly time: Record<string, string>
  /** File name → bytes. */
  readonly tarballs: Map<string, Buffer>
  /** Version → the provenance attached when it was published. */
  readonly attestations: Map<string, { readonly predicateType: string, readonly bundle: unknown }>
  access: 'public' | 'restricted'
}

// What libnpmpublish signs: a SLSA provenance statement. Read from the bundle, as npmjs reports what it received.
const DEFAULT_PREDICATE_TYPE = 'https://slsa.dev/provenance/v1'

/** `@scope/name` → `@scope%2fname`, as npm puts a name in a URL. */
function escapePackageName (pkgName: string): string {
  return pkgName.replace('/', '%2f')
}

/** The `predicateType` of the in-toto statement a DSSE bundle carries; SLSA provenance v1 when unreadable. */
function predicateTypeOf (bundle: unknown): string {
  try {
    const payload = (bundle as { dsseEnvelope: { payload: string } }).dsseEnvelope.payload
    const { predicateType } = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as { predicateType?: unknown }
    return typeof predicateType === 'string' ? predicateType : DEFAULT_PREDICATE_TYPE
  } catch {
    return DEFAULT_PREDICATE_TYPE
  }
}

/**
 * Adds a checked publish document to `pkg` (created when `undefined`), as npmjs records it: `dist.tarball` on this
 * registry, `_npmUser` (how it was published), `dist.attestations` when a provenance bundle came with it, the
 * publish time, and the document's dist-tags.
 *
 * @param registry - the registry URL, ending in `/`
 * @returns the package, changed in place
 */
export function addVersion (registry: string, pkg: StoredPackage | undefined, pkgName: string,
  doc: PublishDocument, npmUser: Readonly<Record<string, unknown>>, now: Date): StoredPackage {
  const stored: StoredPackage = pkg ?? {
    name: pkgName,
    versions: {},
    distTags: {},
    time: { created: now.toISOString() },
    tarballs: new Map(),
    attestations: new Map(),
    // npmjs makes a scoped package restricted unless the first publish says `access: public`.
    access: !pkgName.startsWith('@') || doc.access === 'public' ? 'public' : 'restricted',
  }
  if (pkg !== undefined && (doc.access === 'public' || doc.access === 'restricted')) stored.access = doc.access
  const escaped = escapePackageName(pkgName)
  const dist: Record<string, unknown> = {
    ...(doc.manifest.dist as Record<string, unknown> | undefined),
    integrity: doc.integrity,
    tarball: `${registry}${pkgName}/-/${doc.tarballFile}`,
  }
  if (doc.bundle !== undefined) {
    const predicateType = predicateTypeOf(doc.bundle)
    stored.attestations.set(doc.version, { predicateType, bundle: doc.bundle })
    dist.attestations = {
      url: `${registry}-/npm/v1/attestations/${escaped}@${doc.version}`,
      provenance: { predicateType },
    }
  }
  stored.versions[doc.version] = { ...doc.manifest, _id: `${pkgName}@${doc.version}`, _npmUser: npmUser, dist }
  stored.tarballs.set(doc.tarballFile, doc.tarball)
  Object.assign(stored.distTags, doc.distTags)
  stored.time[doc.version] = now.toISOString()
  stored.time.modified = now.toISOString()
  return stored
}

/** The packument npm reads: name, dist-tags, versions and time; never the attachments. */
export function packumentOf (pkg: StoredPackage): Record<string, unknown> {
  const latest = pkg.distTags.latest === undefined ? undefined : pkg.versions[pkg.distTags.latest]
  return {
    _id: pkg.name,
    name: pkg.name,
    ...(typeof latest?.description === 'string' ? { description: latest.description } : {}),
    'dist-tags': { ...pkg.distTags },
    versions: pkg.versions,
    time: { ...pkg.time },
  }
}
