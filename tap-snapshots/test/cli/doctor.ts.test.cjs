/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/cli/doctor.ts > TAP > at a private monorepo root, doctor points at preflight --workspaces > named private root 1`] = `
npm-oidc: note: acme-monorepo is private. This is a monorepo root: to check the packages a release publishes, run \`npm-oidc preflight --workspaces\`

`

exports[`test/cli/doctor.ts > TAP > at a private monorepo root, doctor points at preflight --workspaces > unnamed private root 1`] = `
npm-oidc: no package name given and no name in ./package.json. This is a monorepo root: to check the packages a release publishes, run \`npm-oidc preflight --workspaces\`
`

exports[`test/cli/doctor.ts > TAP > not ready: text report, exit 1, ::error:: annotations on stdout, summary appended > stdout 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
! id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
                runner_environment is self-hosted: npmjs supports GitHub-hosted runners only
                → Automatic provenance stays off, and explicit provenance is rejected with 422; publish from a GitHub-hosted runner
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0); 1.1.0 is not published yet
✗ exchange      GitHub Actions: the registry has no trusted publisher for @acme/widgets that matches this job (status 404 from http://127.0.0.1:<port>/: OIDC token exchange error - package not found)
                repository: "acme/widgets" (from repository)
                workflow filename: "release.yml" (from workflow_ref)
                environment: (none) (from environment)
                → Add a trusted publisher to the package with exactly these values (case-sensitive), or correct the one it has
- provenance    skipped: exchange failed
Not ready: 1 check failed (1 warning).
::warning title=npm-oidc%3A @acme/widgets id-token::issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known); runner_environment is self-hosted: npmjs supports GitHub-hosted runners only. Automatic provenance stays off, and explicit provenance is rejected with 422; publish from a GitHub-hosted runner
::error title=npm-oidc%3A @acme/widgets exchange::GitHub Actions: the registry has no trusted publisher for @acme/widgets that matches this job (status 404 from http://127.0.0.1:<port>/: OIDC token exchange error - package not found). Add a trusted publisher to the package with exactly these values (case-sensitive), or correct the one it has

`

exports[`test/cli/doctor.ts > TAP > ready: --json on stdout, exit 0, step summary written, no token anywhere > step summary 1`] = `
### npm-oidc: \`@acme/widgets\` is ready for trusted publishing

Registry http://127.0.0.1:<port>/, provider github-actions.

| | check | result |
|---|---|---|
| ✅ | environment | GitHub Actions (GITHUB_ACTIONS is set) |
| ✅ | token-source | the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set) |
| ✅ | id-token | obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time><br>issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known) |
| ✅ | package | @acme/widgets exists publicly (1 version, latest 1.0.0); 1.1.0 is not published yet |
| ✅ | exchange | the registry issued a publish token for @acme/widgets (discarded)<br>a successful exchange does not prove the upload: 403 (staged-only publisher), 409 and 422 (provenance) come later |
| ✅ | provenance | on (auto): public source repository and public package |


`
