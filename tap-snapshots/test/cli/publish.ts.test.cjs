/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/cli/publish.ts > TAP > --dry-run without a credential is not ready: same refusal as the real run would reach, exit 1 > json: --oidc off, no token 1`] = `
{
  "ok": false,
  "package": "widgets",
  "code": "ERR_OIDC_NO_PROVIDER",
  "message": "nothing to publish to http://127.0.0.1:<port>/ with (OIDC is off and no token is configured for this registry). Run the publish in a supported CI job (GitHub Actions, GitLab CI/CD, CircleCI) with \`id-token: write\`, or configure a token for the registry in .npmrc. See https://www.npmjs.com/package/libnpmoidc#err_oidc_no_provider",
  "hint": "Run the publish in a supported CI job (GitHub Actions, GitLab CI/CD, CircleCI) with \`id-token: write\`, or configure a token for the registry in .npmrc"
}

`

exports[`test/cli/publish.ts > TAP > --dry-run without a credential is not ready: same refusal as the real run would reach, exit 1 > text: no provider, no token 1`] = `
npm-oidc: publishing widgets failed: nothing to publish to http://127.0.0.1:<port>/ with (no OIDC provider was detected in this job and no token is configured for this registry). Run the publish in a supported CI job (GitHub Actions, GitLab CI/CD, CircleCI) with \`id-token: write\`, or configure a token for the registry in .npmrc. See https://www.npmjs.com/package/libnpmoidc#err_oidc_no_provider

`

exports[`test/cli/publish.ts > TAP > --json on failure carries code, message, hint, status and the registry's message > stderr 1`] = `
npm-oidc: publishing widgets failed: GitHub Actions: the registry rejected the token exchange (status 405 from http://127.0.0.1:<port>/: method not allowed). The registry does not implement the trusted-publishing token exchange (405 Method Not Allowed): publish to a registry that supports trusted publishing, or with a token. See https://www.npmjs.com/package/libnpmoidc#err_oidc_exchange_rejected
::error title=npm-oidc%3A publish widgets::GitHub Actions: the registry rejected the token exchange (status 405 from http://127.0.0.1:<port>/: method not allowed). The registry does not implement the trusted-publishing token exchange (405 Method Not Allowed): publish to a registry that supports trusted publishing, or with a token. See https://www.npmjs.com/package/libnpmoidc#err_oidc_exchange_rejected

`

exports[`test/cli/publish.ts > TAP > --json on failure carries code, message, hint, status and the registry's message > stdout 1`] = `
{
  "ok": false,
  "package": "widgets",
  "code": "ERR_OIDC_EXCHANGE_REJECTED",
  "message": "GitHub Actions: the registry rejected the token exchange (status 405 from http://127.0.0.1:<port>/: method not allowed). The registry does not implement the trusted-publishing token exchange (405 Method Not Allowed): publish to a registry that supports trusted publishing, or with a token. See https://www.npmjs.com/package/libnpmoidc#err_oidc_exchange_rejected",
  "hint": "The registry does not implement the trusted-publishing token exchange (405 Method Not Allowed): publish to a registry that supports trusted publishing, or with a token",
  "status": 405,
  "registryMessage": "method not allowed"
}

`

exports[`test/cli/publish.ts > TAP > --json on success: auth has the shape of res.oidc.auth, a fallback's OIDC error included > auth after a fallback 1`] = `
{
  "method": "token",
  "oidcError": {
    "code": "ERR_OIDC_EXCHANGE_REJECTED",
    "message": "GitHub Actions: the registry rejected the token exchange (status 400 from http://127.0.0.1:<port>/). The registry gave no reason why the request or the token was not acceptable; check that it supports trusted publishing and look at its logs. See https://www.npmjs.com/package/libnpmoidc#err_oidc_exchange_rejected",
    "hint": "The registry gave no reason why the request or the token was not acceptable; check that it supports trusted publishing and look at its logs",
    "status": 400
  }
}
`

exports[`test/cli/publish.ts > TAP > failures: exit 1 with the error on stderr, an annotation and a summary on GitHub, {ok:false} with --json > hint of ERR_OIDC_NO_TRUSTED_PUBLISHER 1`] = `
No trusted publisher of widgets matches this job (this job presents repository "acme/widgets", workflow filename "release.yml", environment (none); the publisher must name exactly these, case included). \`npm-oidc doctor\` also looks the package up, in case it does not exist on the registry
`
