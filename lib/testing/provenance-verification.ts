import { isOidcError } from '../errors.js'
import {
  provenanceRejection, verifyProvenance, type IdTokenClaims, type ProvenanceRejection, type VerifyProvenanceOptions,
} from '../registry/index.js'

/** What {@link TestRegistryOptions.verifyProvenance} is given before a publish with provenance is accepted. */
export interface ProvenanceCheck {
  /** The attached Sigstore bundle, parsed. */
  readonly bundle: unknown
  /** `sha512-…` of the uploaded tarball. */
  readonly integrity: string
  /** The version's manifest as uploaded. */
  readonly manifest: Readonly<Record<string, unknown>>
  /** The claims of the ID token the publish token was exchanged for; absent for a classic token. */
  readonly claims?: IdTokenClaims
}

const NO_EXCHANGED_JOB = 'a publish with a classic token has no exchanged job to check the signing identity against'

/**
 * The test registry's provenance check with the trust root of `options`: `verifyProvenance` of
 * `libnpmoidc/registry`, given the claims of the ID token the publish token was exchanged for.
 */
export function provenanceVerifier (options: VerifyProvenanceOptions): (check: ProvenanceCheck) => Promise<void> {
  return async ({ bundle, integrity, manifest, claims }) => {
    if (claims === undefined) throw new Error(NO_EXCHANGED_JOB)
    await verifyProvenance({ bundle, integrity, manifest, claims }, options)
  }
}

/**
 * How the registry answers a refused provenance bundle: npmjs's own answer for what `verifyProvenance` throws,
 * otherwise a 422 with the thrown message.
 */
export function provenanceRefusal (err: unknown): ProvenanceRejection {
  if (isOidcError(err) && err.code.startsWith('ERR_OIDC_VERIFY_PROVENANCE_')) return provenanceRejection(err)
  const reason = err instanceof Error ? err.message : String(err)
  return { status: 422, body: { error: `Error verifying sigstore provenance bundle: ${reason}` } }
}
