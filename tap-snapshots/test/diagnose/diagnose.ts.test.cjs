/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/diagnose/diagnose.ts > TAP > exchange 404, 401, 400, 5xx and an unreachable registry > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
✓ id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
✗ exchange      GitHub Actions: the registry has no trusted publisher for @acme/widgets that matches this job (status 404 from http://127.0.0.1:<port>/: OIDC token exchange error - package not found)
                repository: "acme/widgets" (from repository)
                workflow filename: "release.yml" (from workflow_ref)
                environment: (none) (from environment)
                → Add a trusted publisher to the package with exactly these values (case-sensitive), or correct the one it has
- provenance    skipped: exchange failed
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > exchange 404, 401, 400, 5xx and an unreachable registry > formatted 2`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
✓ id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
✗ exchange      GitHub Actions: the registry refused the ID token (status 401 from http://127.0.0.1:<port>/: OIDC token exchange error - unauthorized)
                → The registry refused the ID token itself: its issuer (https://token.actions.githubusercontent.com) may not be trusted (GHES, enterprise issuers and self-managed GitLab are not), its audience must be npm:127.0.0.1, and it must not have expired
- provenance    skipped: exchange failed
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > exchange 404, 401, 400, 5xx and an unreachable registry > formatted 3`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
✓ id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
✗ exchange      GitHub Actions: the registry rejected the token exchange (status 400 from http://127.0.0.1:<port>/: OIDC token exchange error - bad request)
                → The registry's message, quoted in parentheses, says why the request or the token was not acceptable
- provenance    skipped: exchange failed
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > exchange 404, 401, 400, 5xx and an unreachable registry > formatted 4`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
✓ id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
✗ exchange      GitHub Actions: the token exchange failed (status 503 from http://127.0.0.1:<port>/: <html>Service Unavailable</html>)
                a publish retries this within its deadline; the diagnosis asks once
                → The registry or the network is having trouble; rerun the job. Nothing was published
- provenance    skipped: exchange failed
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > GitLab, CircleCI, Buildkite and custom providers: where the token comes from > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from gitlab
✓ environment   GitLab CI/CD (GITLAB_CI is set)
✗ token-source  NPM_ID_TOKEN is not set
                → Declare it on the publishing job (or under \`default:\`, not at the top level): id_tokens: { NPM_ID_TOKEN: { aud: "npm:127.0.0.1" } }
- id-token      skipped: token-source failed
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
- exchange      skipped: token-source failed
- provenance    skipped: token-source failed
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > GitLab, CircleCI, Buildkite and custom providers: where the token comes from > formatted 2`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from circleci
✓ environment   CircleCI (CIRCLECI is set)
✗ token-source  NPM_ID_TOKEN is not set and circleci is not on PATH
                → Mint one before publishing: export NPM_ID_TOKEN="$(circleci run oidc get --claims '{"aud":"npm:127.0.0.1"}')"
- id-token      skipped: token-source failed
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
- exchange      skipped: token-source failed
- provenance    skipped: token-source failed
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > GitLab, CircleCI, Buildkite and custom providers: where the token comes from > formatted 3`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from circleci
✓ environment   CircleCI (CIRCLECI is set)
✓ token-source  NPM_ID_TOKEN is not set; the ID token will be minted with circleci (<tmp>/circleci)
! id-token      obtained from circleci run oidc get: audience npm:127.0.0.1, expires <time>
                issuer https://oidc.circleci.com/org/o (not checked: only registry.npmjs.org's trusted issuers are known)
                the token was issued <n> s ago
                → The registry reportedly accepts CircleCI tokens only for about 5 minutes; mint NPM_ID_TOKEN right before publishing
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
✓ exchange      the registry issued a publish token for @acme/widgets (discarded)
                a successful exchange does not prove the upload: 403 (staged-only publisher), 409 and 422 (provenance) come later
✓ provenance    off (auto): circleci cannot sign provenance
Ready (1 warning).

`

exports[`test/diagnose/diagnose.ts > TAP > immutable sub: a warning before, and the known registry issue on a 404 > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
! id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
                sub repo:acme@1234/widgets@5678:ref:refs/heads/main uses GitHub's immutable subject format
                → registry.npmjs.org currently fails to match such repositories and answers 404 (known registry issue npm/cli#9969)
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
✗ exchange      GitHub Actions: the registry has no trusted publisher for @acme/widgets that matches this job (status 404 from http://127.0.0.1:<port>/: OIDC token exchange error - package not found)
                repository: "acme/widgets" (from repository)
                workflow filename: "release.yml" (from workflow_ref)
                environment: (none) (from environment)
                → Add a trusted publisher to the package with exactly these values (case-sensitive), or correct the one it has. This repository uses GitHub's immutable subject format, which the registry currently fails to match (npm/cli#9969)
- provenance    skipped: exchange failed
Not ready: 1 check failed (1 warning).

`

exports[`test/diagnose/diagnose.ts > TAP > issuers registry.npmjs.org does not trust (only checked for registry.npmjs.org) > formatted 1`] = `
Trusted publishing of @acme/widgets to https://registry.npmjs.org/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set); NPM_ID_TOKEN is set and is used instead of the provider's own source
✓ token-source  NPM_ID_TOKEN is set (<n> characters)
! id-token      obtained from NPM_ID_TOKEN: audience npm:registry.npmjs.org, expires <time>
                issuer https://token.actions.githubusercontent.com/acme-corp is an enterprise-slug issuer; registry.npmjs.org refuses its tokens with 401
                → Turn off the enterprise's custom issuer for this repository so tokens carry iss https://token.actions.githubusercontent.com
✓ package       @acme/widgets exists publicly (1 version)
✗ exchange      GitHub Actions: the registry refused the ID token (status 401 from https://registry.npmjs.org/: OIDC token exchange error - unauthorized)
                → The registry refused the ID token itself: its issuer (https://token.actions.githubusercontent.com/acme-corp) may not be trusted (GHES, enterprise issuers and self-managed GitLab are not), its audience must be npm:registry.npmjs.org, and it must not have expired
- provenance    skipped: exchange failed
Not ready: 1 check failed (1 warning).

`

exports[`test/diagnose/diagnose.ts > TAP > issuers registry.npmjs.org does not trust (only checked for registry.npmjs.org) > formatted 2`] = `
Trusted publishing of @acme/widgets to https://registry.npmjs.org/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set); NPM_ID_TOKEN is set and is used instead of the provider's own source
✓ token-source  NPM_ID_TOKEN is set (<n> characters)
! id-token      obtained from NPM_ID_TOKEN: audience npm:registry.npmjs.org, expires <time>
                issuer "https://github.acme.example/_services/token" is a GitHub Enterprise Server issuer; registry.npmjs.org refuses its tokens with 401
                → npmjs trusts only https://token.actions.githubusercontent.com, https://gitlab.com and CircleCI's organisation issuers; publish from github.com, gitlab.com or CircleCI
✓ package       @acme/widgets exists publicly (1 version)
✗ exchange      GitHub Actions: the registry refused the ID token (status 401 from https://registry.npmjs.org/: OIDC token exchange error - unauthorized)
                → The registry refused the ID token itself: its issuer (https://github.acme.example/_services/token) may not be trusted (GHES, enterprise issuers and self-managed GitLab are not), its audience must be npm:registry.npmjs.org, and it must not have expired
- provenance    skipped: exchange failed
Not ready: 1 check failed (1 warning).

`

exports[`test/diagnose/diagnose.ts > TAP > issuers registry.npmjs.org does not trust (only checked for registry.npmjs.org) > formatted 3`] = `
Trusted publishing of @acme/widgets to https://registry.npmjs.org/ from gitlab
✓ environment   GitLab CI/CD (GITLAB_CI is set); NPM_ID_TOKEN is set and is used instead of the provider's own source
✓ token-source  NPM_ID_TOKEN is set (<n> characters)
! id-token      obtained from NPM_ID_TOKEN: audience npm:registry.npmjs.org, expires <time>
                issuer "https://gitlab.acme.example" is a self-managed GitLab issuer; registry.npmjs.org refuses its tokens with 401
                → npmjs trusts only https://token.actions.githubusercontent.com, https://gitlab.com and CircleCI's organisation issuers; publish from github.com, gitlab.com or CircleCI
✓ package       @acme/widgets exists publicly (1 version)
✗ exchange      GitLab CI/CD: the registry refused the ID token (status 401 from https://registry.npmjs.org/: OIDC token exchange error - unauthorized)
                → The registry refused the ID token itself: its issuer (https://gitlab.acme.example) may not be trusted (GHES, enterprise issuers and self-managed GitLab are not), its audience must be npm:registry.npmjs.org, and it must not have expired
- provenance    skipped: exchange failed
Not ready: 1 check failed (1 warning).

`

exports[`test/diagnose/diagnose.ts > TAP > issuers registry.npmjs.org does not trust (only checked for registry.npmjs.org) > formatted 4`] = `
Trusted publishing of @acme/widgets to https://registry.npmjs.org/ from npm-id-token
✓ environment   no CI provider detected; NPM_ID_TOKEN is set and is used as it is
✓ token-source  NPM_ID_TOKEN is set (<n> characters)
! id-token      obtained from NPM_ID_TOKEN: audience npm:registry.npmjs.org, expires <time>
                issuer "https://ci.example" is not an issuer npmjs trusts; registry.npmjs.org refuses its tokens with 401
                → npmjs trusts only https://token.actions.githubusercontent.com, https://gitlab.com and CircleCI's organisation issuers; publish from github.com, gitlab.com or CircleCI
✓ package       @acme/widgets exists publicly (1 version)
✗ exchange      NPM_ID_TOKEN: the registry refused the ID token (status 401 from https://registry.npmjs.org/: OIDC token exchange error - unauthorized)
                → The registry refused the ID token itself: its issuer (https://ci.example) may not be trusted (GHES, enterprise issuers and self-managed GitLab are not), its audience must be npm:registry.npmjs.org, and it must not have expired
- provenance    skipped: exchange failed
Not ready: 1 check failed (1 warning).

`

exports[`test/diagnose/diagnose.ts > TAP > issuers registry.npmjs.org does not trust (only checked for registry.npmjs.org) > formatted 5`] = `
Trusted publishing of @acme/widgets to https://registry.npmjs.org/ from npm-id-token
✓ environment   no CI provider detected; NPM_ID_TOKEN is set and is used as it is
✓ token-source  NPM_ID_TOKEN is set (<n> characters)
! id-token      obtained from NPM_ID_TOKEN: audience npm:registry.npmjs.org, expires <time>
                issuer (none) is not an issuer npmjs trusts; registry.npmjs.org refuses its tokens with 401
                → npmjs trusts only https://token.actions.githubusercontent.com, https://gitlab.com and CircleCI's organisation issuers; publish from github.com, gitlab.com or CircleCI
✓ package       @acme/widgets exists publicly (1 version)
✗ exchange      NPM_ID_TOKEN: the registry refused the ID token (status 401 from https://registry.npmjs.org/: OIDC token exchange error - unauthorized)
                → The registry refused the ID token itself: its issuer (unknown) may not be trusted (GHES, enterprise issuers and self-managed GitLab are not), its audience must be npm:registry.npmjs.org, and it must not have expired
- provenance    skipped: exchange failed
Not ready: 1 check failed (1 warning).

`

exports[`test/diagnose/diagnose.ts > TAP > missing id-token permission > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✗ token-source  the job may not request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN not set)
                → Add \`permissions: id-token: write\` to the publishing job; when it runs in a reusable workflow, the calling workflow must grant it too.
- id-token      skipped: token-source failed
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
- exchange      skipped: token-source failed
- provenance    skipped: token-source failed
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > missing id-token permission > formatted 2`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✗ token-source  the job may not request an ID token (ACTIONS_ID_TOKEN_REQUEST_TOKEN not set)
                event pull_request from a fork
                → Pull requests from forks never get an ID token; publish from a push, tag or release event of the repository itself.
- id-token      skipped: token-source failed
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
- exchange      skipped: token-source failed
- provenance    skipped: token-source failed
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > not in CI, but Buildkite (opt-in) is > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from buildkite
✓ environment   Buildkite (BUILDKITE is set)
✗ token-source  NPM_ID_TOKEN is not set and buildkite-agent is not on PATH
                → Run on a Buildkite agent, or export NPM_ID_TOKEN="$(buildkite-agent oidc request-token --audience npm:127.0.0.1)"
- id-token      skipped: token-source failed
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
- exchange      skipped: token-source failed
- provenance    skipped: token-source failed
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > not in CI: lists what was looked for; the package is still checked > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/
✗ environment   no OIDC provider detected: not in a supported CI job
                looked for GITHUB_ACTIONS, GITLAB_CI, CIRCLECI, NPM_ID_TOKEN
                → Run this in the CI job that publishes (GitHub Actions, GitLab CI/CD, CircleCI), or set NPM_ID_TOKEN to an ID token minted for npm:127.0.0.1.
- token-source  skipped: environment failed
- id-token      skipped: environment failed
! package       @acme/widgets was not found publicly on http://127.0.0.1:<port>/
                → If it does not exist yet, the first publish must be done another way (with a token): trusted publishers can only be added to an existing package. A private package also answers 404 here
- exchange      skipped: environment failed
- provenance    skipped: environment failed
Not ready: 1 check failed (1 warning).

`

exports[`test/diagnose/diagnose.ts > TAP > package does not exist: the exchange 404 says the first publish must be done another way > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
✓ id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
! package       @acme/widgets was not found publicly on http://127.0.0.1:<port>/
                → If it does not exist yet, the first publish must be done another way (with a token): trusted publishers can only be added to an existing package. A private package also answers 404 here
✗ exchange      GitHub Actions: the registry has no trusted publisher for @acme/widgets that matches this job (status 404 from http://127.0.0.1:<port>/: OIDC token exchange error - package not found)
                repository: "acme/widgets" (from repository)
                workflow filename: "release.yml" (from workflow_ref)
                environment: (none) (from environment)
                → @acme/widgets was not found publicly either: if it does not exist yet, publish the first version another way (with a token), then add the trusted publisher
- provenance    skipped: exchange failed
Not ready: 1 check failed (1 warning).

`

exports[`test/diagnose/diagnose.ts > TAP > provenance: repository mismatch, explicit settings, a bundle, private packages > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
✓ id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
✓ exchange      the registry issued a publish token for @acme/widgets (discarded)
                a successful exchange does not prove the upload: 403 (staged-only publisher), 409 and 422 (provenance) come later
✗ provenance    package.json repository does not match the repository provenance would name (repository.url is "github:acme/other", expected to match https://github.com/acme/widgets)
                → Set "repository": { "type": "git", "url": "git+https://github.com/acme/widgets.git" } in package.json, or publish with provenance off
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > ready: every check passes, and the requests are what a publish would send > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
✓ id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0); 1.1.0 is not published yet
✓ exchange      the registry issued a publish token for @acme/widgets (discarded)
                a successful exchange does not prove the upload: 403 (staged-only publisher), 409 and 422 (provenance) come later
✓ provenance    on (auto): public source repository and public package
Ready.

`

exports[`test/diagnose/diagnose.ts > TAP > reusable workflow: both refs are shown, and which one npm matches > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
! id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
                reusable workflow: the job runs acme/shared/.github/workflows/publish.yml@refs/heads/main, called from acme/widgets/.github/workflows/release.yml@refs/heads/main
                → The registry matches the calling workflow: the trusted publisher must name release.yml, and the caller must grant \`id-token: write\`
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
✗ exchange      GitHub Actions: the registry has no trusted publisher for @acme/widgets that matches this job (status 404 from http://127.0.0.1:<port>/: OIDC token exchange error - package not found)
                repository: "acme/widgets" (from repository)
                workflow filename: "release.yml" (from workflow_ref)
                environment: (none) (from environment)
                (job_workflow_ref acme/shared/.github/workflows/publish.yml@refs/heads/main is not what the registry matches)
                → Add a trusted publisher to the package with exactly these values (case-sensitive), or correct the one it has
- provenance    skipped: exchange failed
Not ready: 1 check failed (1 warning).

`

exports[`test/diagnose/diagnose.ts > TAP > self-hosted runner: a warning, and provenance stays off > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
! id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
                runner_environment is self-hosted: npmjs supports GitHub-hosted runners only
                → Automatic provenance stays off, and explicit provenance is rejected with 422; publish from a GitHub-hosted runner
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
✓ exchange      the registry issued a publish token for @acme/widgets (discarded)
                a successful exchange does not prove the upload: 403 (staged-only publisher), 409 and 422 (provenance) come later
✓ provenance    off (auto): the runner is self-hosted, not github-hosted
Ready (1 warning).

`

exports[`test/diagnose/diagnose.ts > TAP > version already published > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set)
✓ token-source  the job may request an ID token (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set)
✓ id-token      obtained from the GitHub ID-token endpoint: audience npm:127.0.0.1, expires <time>
                issuer https://token.actions.githubusercontent.com (not checked: only registry.npmjs.org's trusted issuers are known)
✗ package       @acme/widgets@1.1.0 is already published (2 versions, latest 1.1.0)
                → A registry never accepts the same version twice; bump the version before publishing
✓ exchange      the registry issued a publish token for @acme/widgets (discarded)
                a successful exchange does not prove the upload: 403 (staged-only publisher), 409 and 422 (provenance) come later
✓ provenance    on (auto): public source repository and public package
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > wrong audience and expired tokens are refused before any exchange > formatted 1`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from github-actions
✓ environment   GitHub Actions (GITHUB_ACTIONS is set); NPM_ID_TOKEN is set and is used instead of the provider's own source
✓ token-source  NPM_ID_TOKEN is set (<n> characters)
✗ id-token      GitHub Actions: ID token audience mismatch (expected npm:127.0.0.1, got npm:registry.npmjs.org)
                → The token from NPM_ID_TOKEN was minted for another registry; mint it with the audience npm:127.0.0.1
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
- exchange      skipped: id-token failed
- provenance    skipped: id-token failed
Not ready: 1 check failed.

`

exports[`test/diagnose/diagnose.ts > TAP > wrong audience and expired tokens are refused before any exchange > formatted 2`] = `
Trusted publishing of @acme/widgets to http://127.0.0.1:<port>/ from npm-id-token
✓ environment   no CI provider detected; NPM_ID_TOKEN is set and is used as it is
✓ token-source  NPM_ID_TOKEN is set (<n> characters)
✗ id-token      NPM_ID_TOKEN: the ID token has expired (exp <time>, <n> s left, at least 31 s needed)
                → Mint the token right before publishing: NPM_ID_TOKEN tokens are short-lived
✓ package       @acme/widgets exists publicly (1 version, latest 1.0.0)
- exchange      skipped: id-token failed
- provenance    skipped: id-token failed
Not ready: 1 check failed.

`
