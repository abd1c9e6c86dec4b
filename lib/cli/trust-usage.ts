import type { TrustCommand } from './trust-operation.js'

/** `npm-oidc trust --help`. */
export const TRUST_USAGE = `Usage: npm-oidc trust <command> [pkg] [options]

Manage a package's trusted publishers with your own npm token (from .npmrc or npm_config_*), as
\`npm trust\` does. [pkg] defaults to package.json's name; package.json's repository fills in --repository / --project.

Commands:
  list [pkg]                          list the trusted publishers
  github [pkg] --file <workflow.yml> [--repository owner/repo] [--environment <name>]
  gitlab [pkg] --file <.gitlab-ci.yml> [--project group/sub/project] [--environment <name>]
  circleci [pkg] --org-id <uuid> --project-id <uuid> --pipeline-definition-id <uuid>
                 --vcs-origin <host/owner/repo> [--context-id <uuid>]...
                                      add a trusted publisher; needs --allow-publish and/or --allow-stage-publish
  revoke [pkg] --id <id>              revoke one trusted publisher

Run \`npm-oidc trust <command> --help\` for one command's options.

Options:
  --allow-publish          the publisher may \`npm publish\` (createPackage)
  --allow-stage-publish    the publisher may \`npm stage publish\` (createStagedPackage)
  --workspaces             apply to every public workspace package (one confirmation, one OTP prompt)
  --dry-run                send nothing; print the requests that would be sent
  -y, --yes                do not ask for confirmation (required without a terminal)
  --otp <code>             a one-time password; without it you are asked when the registry wants one
  --registry <url>         the registry (default: npm config, then https://registry.npmjs.org/)
  --json                   machine-readable output on stdout

Exit codes: 0 success, 1 failed or cancelled, 2 usage error.`

const COMMON = `  --registry <url>         the registry (default: npm config, then https://registry.npmjs.org/)
  --otp <code>             a one-time password; without it you are asked when the registry wants one
  --workspaces             apply to every public workspace package
  --json                   machine-readable output on stdout
  -h, --help               show this help`

const CHANGE = `  --allow-publish          the publisher may \`npm publish\` (createPackage)
  --allow-stage-publish    the publisher may \`npm stage publish\` (createStagedPackage)
  --dry-run                send nothing; print the requests that would be sent
  -y, --yes                do not ask for confirmation (required without a terminal)
${COMMON}

At least one of --allow-publish and --allow-stage-publish is required.`

const EXIT = 'Exit codes: 0 success, 1 failed or cancelled, 2 usage error.'

const SUBCOMMAND_USAGE: Readonly<Record<TrustCommand, string>> = {
  list: `Usage: npm-oidc trust list [pkg] [options]

Lists a package's trusted publishers. [pkg] defaults to package.json's name.

${COMMON}

${EXIT}`,
  github: `Usage: npm-oidc trust github [pkg] --file <workflow.yml> [options]

Adds a GitHub Actions workflow as a trusted publisher. [pkg] defaults to package.json's name.

  --file <workflow.yml>    the workflow file name, as in .github/workflows/
  --repository owner/repo  default: package.json's repository
  --environment <name>     the GitHub environment the job must run in
${CHANGE}

${EXIT}`,
  gitlab: `Usage: npm-oidc trust gitlab [pkg] --file <.gitlab-ci.yml> [options]

Adds a GitLab CI/CD pipeline as a trusted publisher. [pkg] defaults to package.json's name.

  --file <.gitlab-ci.yml>  the pipeline file
  --project group/sub/project
                           default: package.json's repository
  --environment <name>     the GitLab environment the job must run in
${CHANGE}

${EXIT}`,
  circleci: `Usage: npm-oidc trust circleci [pkg] --org-id <uuid> --project-id <uuid> \\
         --pipeline-definition-id <uuid> --vcs-origin <host/owner/repo> [options]

Adds a CircleCI pipeline as a trusted publisher. [pkg] defaults to package.json's name.

  --org-id <uuid>                    the CircleCI organisation
  --project-id <uuid>                the CircleCI project
  --pipeline-definition-id <uuid>    the pipeline definition
  --vcs-origin <host/owner/repo>     where the code comes from
  --context-id <uuid>                a context the job must use; repeatable
${CHANGE}

${EXIT}`,
  revoke: `Usage: npm-oidc trust revoke [pkg] --id <id> [options]

Revokes one trusted publisher. [pkg] defaults to package.json's name; \`npm-oidc trust list\` shows the ids.

  --id <id>                the trusted publisher to revoke
  --dry-run                send nothing; print the request that would be sent
  -y, --yes                do not ask for confirmation (required without a terminal)
${COMMON}

${EXIT}`,
}

/** The usage of one `npm-oidc trust` command: what `npm-oidc trust <command> --help` prints. */
export function trustUsage (command: TrustCommand): string {
  return SUBCOMMAND_USAGE[command]
}
