import { withoutCredentialHeaders } from '../client/resolve-options.js'
import { connectionOptions } from '../util/connection-options.js'
import { scrubSecret } from '../util/scrub.js'
import { capUploadError, mapUploadError, redirectRefused } from './upload-errors.js'
import { refusingRedirects } from './refuse-redirects.js'
import type { OidcOptions } from '../options.js'
import type { OidcToken } from '../client/token.js'

/** How {@link uploadPackage} uploads: the caller's options, the registry, and the credential and provenance. */
export interface UploadSettings {
  /** The caller's options, passed on to libnpmpublish. */
  readonly opts: OidcOptions & { readonly provenanceFile?: string }
  /** The registry keys from `publishConfig` (or the forced registry), so libnpmpublish picks the same registry. */
  readonly overlay: Readonly<Record<string, string>>
  readonly registry: string
  readonly provenance: boolean
  readonly oidc: OidcToken | null
  /** The publish is staged: upload errors name the staged route. */
  readonly stage: boolean
}

// The upload carries a token: the caller's headers may not add a second credential, and a loopback registry
// is reached without any proxy, as the token requests are.
/** Internal: the connection settings of a request that carries an exchanged token. */
export function uploadConnection (registry: string, opts: OidcOptions): Record<string, unknown> {
  const { agent, proxy, httpsProxy, noProxy } = connectionOptions(registry, opts as Readonly<Record<string, unknown>>)
  return { headers: withoutCredentialHeaders(opts.headers), agent, proxy, httpsProxy, noProxy }
}

// A new options object, so the caller's never holds the token.
function uploadOptions ({ opts, overlay, registry, provenance, oidc }: UploadSettings): Record<string, unknown> {
  const publishOpts: Record<string, unknown> = {
    ...opts, ...overlay, registry, ...uploadConnection(registry, opts),
  }
  if (opts.provenanceFile === undefined) publishOpts.provenance = provenance
  if (oidc) {
    publishOpts[oidc.authKey] = oidc.token
    publishOpts.forceAuth = { token: oidc.token }
  }
  return publishOpts
}

/** libnpmpublish's `publish`. */
export type Publish = typeof import('libnpmpublish').publish

/**
 * Internal: uploads with libnpmpublish's `publish`. The exchanged token never follows a redirect, and an upload
 * error is scrubbed of it, cut to size and mapped to an `OidcError` code.
 *
 * @throws {OidcError} `ERR_OIDC_REDIRECT_REFUSED` and the codes of `mapUploadError`; libnpmpublish's errors
 *   (scrubbed and capped) when no token was exchanged
 */
export async function uploadPackage (
  publish: Publish, manifest: Record<string, unknown>, tarball: Buffer, settings: UploadSettings
): Promise<Response> {
  const { registry, oidc, stage } = settings
  const publishOpts = uploadOptions(settings)
  try {
    const upload = () => publish(manifest, tarball, publishOpts)
    return oidc
      ? await refusingRedirects(oidc.token, upload, (status) =>
        redirectRefused(oidc, registry, status, 'the upload', 'nothing was published'))
      : await upload()
  } catch (err) {
    // Scrubbed before it is cut, so that a cut cannot leave part of the token behind.
    const bounded = capUploadError(oidc ? scrubSecret(err, oidc.token) : err)
    throw oidc ? mapUploadError(bounded, oidc, stage) : bounded
  }
}
