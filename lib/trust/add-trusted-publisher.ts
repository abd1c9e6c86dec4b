import { asPublisherList } from './as-publisher-list.js'
import { planTrustRequest } from './plan-trust-request.js'
import { sendTrustRequest } from './send-trust-request.js'
import type { TrustedPublisher, TrustedPublisherInput, TrustOptions, TrustPackage } from './types.js'

/**
 * Adds trusted publishers to a package: `POST <registry>-/package/<escaped name>/trust` with the body npm
 * 11.19.1 sends, always an array of `{ type, claims, permissions }`. Every field is checked with npm's rules
 * before any request. When `pkg` is a manifest, its `repository` supplies a missing GitHub `repository` or
 * GitLab `project`; a given value that disagrees with it wins, with a `warn` log line.
 *
 * @param pkg - the package name, or its manifest (`package.json` contents)
 * @param publishers - one publisher or several: `{ type: 'github', repository?, file, environment?, permissions }`,
 *   `{ type: 'gitlab', project?, file, environment?, permissions }`, `{ type: 'circleci', orgId, projectId,
 *   pipelineDefinitionId, vcsOrigin, contextIds?, permissions }`, or the registry's own shape
 * @param opts - npm-registry-fetch options: `registry` / `@scope:registry`, the token under the registry's
 *   nerf-darted key, `otp`, `otpPrompt`
 * @returns the connections the registry reports as created (an empty list when it answers with no body)
 * @throws TypeError naming the first argument or field that breaks a rule; nothing is sent then
 * @throws npm-registry-fetch's HTTP error (`code` `EOTP`, `E401`, `E404`, `E500`, …) with an explaining message
 * @example
 * ```ts
 * await addTrustedPublisher(manifest, { type: 'github', file: 'release.yml', permissions: ['createPackage'] }, {
 *   '//registry.npmjs.org/:_authToken': token,
 *   otpPrompt: async () => askUser('OTP: '),
 * })
 * ```
 */
export async function addTrustedPublisher (
  pkg: TrustPackage,
  publishers: TrustedPublisherInput | readonly TrustedPublisherInput[],
  opts: TrustOptions = {}
): Promise<TrustedPublisher[]> {
  const req = await planTrustRequest({ action: 'add', package: pkg, publishers }, opts)
  return asPublisherList(await sendTrustRequest(req, opts))
}
