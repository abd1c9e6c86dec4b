/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/index.ts > TAP > exported names > named exports of libnpmoidc 1`] = `
Array [
  "OidcError",
  "addTrustedPublisher",
  "buildkite",
  "circleci",
  "defaultProviders",
  "defaults",
  "describePublisher",
  "detectProvider",
  "diagnose",
  "distTagWithOidc",
  "expectedPublisher",
  "formatDiagnosis",
  "getOidcToken",
  "getOidcTokens",
  "githubActions",
  "gitlab",
  "isOidcError",
  "listTrustedPublishers",
  "oidcErrorCodes",
  "planTrustRequest",
  "preflight",
  "publishAllWithOidc",
  "publishWithOidc",
  "revokeTrustedPublisher",
  "verifyPublished",
  "version",
]
`
