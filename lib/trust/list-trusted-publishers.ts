import { asPublisherList } from './as-publisher-list.js'
import { planTrustRequest } from './plan-trust-request.js'
import { sendTrustRequest } from './send-trust-request.js'
import type { TrustedPublisher, TrustOptions, TrustPackage } from './types.js'

/**
 * Lists a package's trusted publishers: `GET <registry>-/package/<escaped name>/trust` with the user's token,
 * as `npm trust list` does.
 *
 * @param pkg - the package name, or its manifest
 * @param opts - npm-registry-fetch options: `registry` / `@scope:registry`, the token under the registry's
 *   nerf-darted key, `otp`, `otpPrompt`
 * @returns the connections as the registry describes them (`id`, `type`, `claims`, `permissions`)
 * @throws TypeError for an invalid package name or registry URL
 * @throws npm-registry-fetch's HTTP error (`code` `EOTP`, `E401`, `E404`, `E500`, …; `statusCode`, `body`)
 *   with a message saying what failed and what to do
 * @example
 * ```ts
 * const publishers = await listTrustedPublishers('@acme/widgets', { '//registry.npmjs.org/:_authToken': token })
 * for (const p of publishers) console.log(p.id, p.type, p.permissions)
 * ```
 */
export async function listTrustedPublishers (pkg: TrustPackage, opts: TrustOptions = {}): Promise<TrustedPublisher[]> {
  const req = await planTrustRequest({ action: 'list', package: pkg }, opts)
  return asPublisherList(await sendTrustRequest(req, opts))
}
