import { planTrustRequest } from './plan-trust-request.js'
import { sendTrustRequest } from './send-trust-request.js'
import type { TrustOptions, TrustPackage } from './types.js'

/**
 * Revokes one trusted publisher of a package: `DELETE <registry>-/package/<escaped name>/trust/<id>`, the id
 * escaped with `encodeURIComponent` as npm does (the package keeps `@scope%2fname`).
 *
 * @param pkg - the package name, or its manifest
 * @param id - the connection's id, as {@link listTrustedPublishers} reports it
 * @param opts - npm-registry-fetch options: `registry` / `@scope:registry`, the token under the registry's
 *   nerf-darted key, `otp`, `otpPrompt`
 * @throws TypeError for an invalid package name, registry URL or an empty id
 * @throws npm-registry-fetch's HTTP error (`code` `EOTP`, `E404`, …) with an explaining message
 * @example
 * ```ts
 * await revokeTrustedPublisher('@acme/widgets', 'b4d6…', { '//registry.npmjs.org/:_authToken': token, otp })
 * ```
 */
export async function revokeTrustedPublisher (pkg: TrustPackage, id: string, opts: TrustOptions = {}): Promise<void> {
  const req = await planTrustRequest({ action: 'revoke', package: pkg, id }, opts)
  await sendTrustRequest(req, opts)
}
