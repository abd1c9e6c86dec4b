/* IMPORTANT
 * This snapshot file is auto-generated, but designed for humans.
 * It should be checked into source control and tracked carefully.
 * Re-generate by setting TAP_SNAPSHOT=1 and running tests.
 * Make sure to inspect the output below.  Do not ignore changes!
 */
'use strict'
exports[`test/cli/main.ts > TAP > each trust command has its own help > trust circleci --help 1`] = `
Usage: npm-oidc trust circleci [pkg] --org-id <uuid> --project-id <uuid> \\
         --pipeline-definition-id <uuid> --vcs-origin <host/owner/repo> [options]

Adds a CircleCI pipeline as a trusted publisher. [pkg] defaults to package.json's name.

  --org-id <uuid>                    the CircleCI organisation
  --project-id <uuid>                the CircleCI project
  --pipeline-definition-id <uuid>    the pipeline definition
  --vcs-origin <host/owner/repo>     where the code comes from
  --context-id <uuid>                a context the job must use; repeatable
  --allow-publish          the publisher may \`npm publish\` (createPackage)
  --allow-stage-publish    the publisher may \`npm stage publish\` (createStagedPackage)
  --dry-run                send nothing; print the requests that would be sent
  -y, --yes                do not ask for confirmation (required without a terminal)
  --registry <url>         the registry (default: npm config, then https://registry.npmjs.org/)
  --otp <code>             a one-time password; without it you are asked when the registry wants one
  --workspaces             apply to every public workspace package
  --json                   machine-readable output on stdout
  -h, --help               show this help

At least one of --allow-publish and --allow-stage-publish is required.

Exit codes: 0 success, 1 failed or cancelled, 2 usage error.

`

exports[`test/cli/main.ts > TAP > each trust command has its own help > trust github --help 1`] = `
Usage: npm-oidc trust github [pkg] --file <workflow.yml> [options]

Adds a GitHub Actions workflow as a trusted publisher. [pkg] defaults to package.json's name.

  --file <workflow.yml>    the workflow file name, as in .github/workflows/
  --repository owner/repo  default: package.json's repository
  --environment <name>     the GitHub environment the job must run in
  --allow-publish          the publisher may \`npm publish\` (createPackage)
  --allow-stage-publish    the publisher may \`npm stage publish\` (createStagedPackage)
  --dry-run                send nothing; print the requests that would be sent
  -y, --yes                do not ask for confirmation (required without a terminal)
  --registry <url>         the registry (default: npm config, then https://registry.npmjs.org/)
  --otp <code>             a one-time password; without it you are asked when the registry wants one
  --workspaces             apply to every public workspace package
  --json                   machine-readable output on stdout
  -h, --help               show this help

At least one of --allow-publish and --allow-stage-publish is required.

Exit codes: 0 success, 1 failed or cancelled, 2 usage error.

`

exports[`test/cli/main.ts > TAP > each trust command has its own help > trust gitlab --help 1`] = `
Usage: npm-oidc trust gitlab [pkg] --file <.gitlab-ci.yml> [options]

Adds a GitLab CI/CD pipeline as a trusted publisher. [pkg] defaults to package.json's name.

  --file <.gitlab-ci.yml>  the pipeline file
  --project group/sub/project
                           default: package.json's repository
  --environment <name>     the GitLab environment the job must run in
  --allow-publish          the publisher may \`npm publish\` (createPackage)
  --allow-stage-publish    the publisher may \`npm stage publish\` (createStagedPackage)
  --dry-run                send nothing; print the requests that would be sent
  -y, --yes                do not ask for confirmation (required without a terminal)
  --registry <url>         the registry (default: npm config, then https://registry.npmjs.org/)
  --otp <code>             a one-time password; without it you are asked when the registry wants one
  --workspaces             apply to every public workspace package
  --json                   machine-readable output on stdout
  -h, --help               show this help

At least one of --allow-publish and --allow-stage-publish is required.

Exit codes: 0 success, 1 failed or cancelled, 2 usage error.

`

exports[`test/cli/main.ts > TAP > each trust command has its own help > trust list --help 1`] = `
Usage: npm-oidc trust list [pkg] [options]

Lists a package's trusted publishers. [pkg] defaults to package.json's name.

  --registry <url>         the registry (default: npm config, then https://registry.npmjs.org/)
  --otp <code>             a one-time password; without it you are asked when the registry wants one
  --workspaces             apply to every public workspace package
  --json                   machine-readable output on stdout
  -h, --help               show this help

Exit codes: 0 success, 1 failed or cancelled, 2 usage error.

`

exports[`test/cli/main.ts > TAP > each trust command has its own help > trust revoke --help 1`] = `
Usage: npm-oidc trust revoke [pkg] --id <id> [options]

Revokes one trusted publisher. [pkg] defaults to package.json's name; \`npm-oidc trust list\` shows the ids.

  --id <id>                the trusted publisher to revoke
  --dry-run                send nothing; print the request that would be sent
  -y, --yes                do not ask for confirmation (required without a terminal)
  --registry <url>         the registry (default: npm config, then https://registry.npmjs.org/)
  --otp <code>             a one-time password; without it you are asked when the registry wants one
  --workspaces             apply to every public workspace package
  --json                   machine-readable output on stdout
  -h, --help               show this help

Exit codes: 0 success, 1 failed or cancelled, 2 usage error.

`

exports[`test/cli/main.ts > TAP > messages name what the user typed (package name, registry URL), not the library's arguments > doctor ok --registry ftp://x 1`] = `
npm-oidc: the registry URL must be an absolute http(s) URL, got "ftp://x"
`

exports[`test/cli/main.ts > TAP > messages name what the user typed (package name, registry URL), not the library's arguments > token bad name 1`] = `
npm-oidc: the package name must be a valid npm package name, got "bad name"
`

exports[`test/cli/main.ts > TAP > messages name what the user typed (package name, registry URL), not the library's arguments > trust list bad name 1`] = `
npm-oidc: the package name must be a valid npm package name, got "bad name"
`

exports[`test/cli/main.ts > TAP > unknown flags and commands: "did you mean", then the command's own usage, never parseArgs' advice > docter 1`] = `
npm-oidc: unknown command "docter" (did you mean doctor?)

Usage: npm-oidc <command> [options]

npm trusted publishing (OIDC) from CI, for any Node.js tool.

Commands:
  doctor [pkg]            explain whether trusted publishing works for a package from this job
  preflight [pkg...]      doctor for every package of a release (--workspaces)
  publish [tarball|dir]   publish with a token from trusted publishing
  token [pkg]             print a publish token for one package (stdout: the token only)
  trust ...               manage a package's trusted publishers
  verify <pkg>@<version>  check that a published version came through trusted publishing

Run \`npm-oidc <command> --help\` for a command's options.

Exit codes: 0 success / ready, 1 failed / not ready, 2 usage error.

`

exports[`test/cli/main.ts > TAP > unknown flags and commands: "did you mean", then the command's own usage, never parseArgs' advice > doctor --jsn=1 1`] = `
npm-oidc: unknown option --jsn (did you mean --json?)

Usage: npm-oidc doctor [pkg] [--registry URL] [--json]

Checks, without publishing, whether trusted publishing works for one package from this job:
CI provider, ID-token permission, the ID token's claims, the package on the registry, a real
token exchange (the token is discarded) and the provenance decision.

  pkg              package name; default: the name in ./package.json (whose version and
                   repository are then checked too)
  --registry URL   registry (wins over publishConfig and npm config); default: publishConfig,
                   then npm config (@scope:registry, registry), then https://registry.npmjs.org/
  --json           print the diagnosis as JSON on stdout
  -h, --help       show this help

Exit codes: 0 ready, 1 not ready, 2 usage error.

`

exports[`test/cli/main.ts > TAP > unknown flags and commands: "did you mean", then the command's own usage, never parseArgs' advice > preflight --zzzzzz 1`] = `
npm-oidc: unknown option --zzzzzz

Usage: npm-oidc preflight [pkg...] [--workspaces] [--registry URL] [--concurrency N] [--json]

Runs the doctor checks for every package of a release, each with a real token exchange,
before anything is published. Progress goes to stderr.

  pkg...            package names; default: ./package.json
  --workspaces      every non-private package of ./pnpm-workspace.yaml or ./package.json's workspaces
                    (plain directories and "dir/*" patterns)
  --registry URL    registry for all packages (wins over publishConfig and npm config);
                    default: per package, as doctor picks it
  --concurrency N   packages checked at once; default 4
  --json            print the report as JSON on stdout
  -h, --help        show this help

Exit codes: 0 every package ready, 1 some package not ready, 2 usage error.

`

exports[`test/cli/main.ts > TAP > unknown flags and commands: "did you mean", then the command's own usage, never parseArgs' advice > publish --dryrun 1`] = `
npm-oidc: unknown option --dryrun (did you mean --dry-run?)

Usage: npm-oidc publish [tarball|dir] [options]

Publishes a package with a token from trusted publishing (OIDC). A directory (default: .) is
packed without CI credentials in the packer's environment (build it first): with pnpm or Yarn
from PATH when packageManager or a lockfile (pnpm-lock.yaml, yarn.lock, up to the workspace
root) names them, so workspace: ranges are rewritten; else with the running npm (npm_execpath,
else the npm beside node; never one found on PATH) as \`npm pack --ignore-scripts\`.
A manifest still holding workspace: or catalog: ranges is refused before any exchange.
A .tgz is published as it is; its manifest is package/package.json, as npm extracts it.

  --tag TAG                dist-tag; default latest
  --access public|restricted
  --provenance             require provenance
  --no-provenance          never attach provenance; default: decided automatically
  --stage                  staged publish
  --dry-run                exchange and decide, upload nothing
  --oidc auto|required|off default auto (falls back to a configured token only when OIDC is unavailable)
  --registry URL           registry (wins over publishConfig and npm config); default:
                           publishConfig, then npm config
  --json                   print the outcome as JSON on stdout
  -h, --help               show this help

Exit codes: 0 published, 1 failed, 2 usage error.

`

exports[`test/cli/main.ts > TAP > unknown flags and commands: "did you mean", then the command's own usage, never parseArgs' advice > publish --json=yes 1`] = `
npm-oidc: --json takes no value

Usage: npm-oidc publish [tarball|dir] [options]

Publishes a package with a token from trusted publishing (OIDC). A directory (default: .) is
packed without CI credentials in the packer's environment (build it first): with pnpm or Yarn
from PATH when packageManager or a lockfile (pnpm-lock.yaml, yarn.lock, up to the workspace
root) names them, so workspace: ranges are rewritten; else with the running npm (npm_execpath,
else the npm beside node; never one found on PATH) as \`npm pack --ignore-scripts\`.
A manifest still holding workspace: or catalog: ranges is refused before any exchange.
A .tgz is published as it is; its manifest is package/package.json, as npm extracts it.

  --tag TAG                dist-tag; default latest
  --access public|restricted
  --provenance             require provenance
  --no-provenance          never attach provenance; default: decided automatically
  --stage                  staged publish
  --dry-run                exchange and decide, upload nothing
  --oidc auto|required|off default auto (falls back to a configured token only when OIDC is unavailable)
  --registry URL           registry (wins over publishConfig and npm config); default:
                           publishConfig, then npm config
  --json                   print the outcome as JSON on stdout
  -h, --help               show this help

Exit codes: 0 published, 1 failed, 2 usage error.

`

exports[`test/cli/main.ts > TAP > unknown flags and commands: "did you mean", then the command's own usage, never parseArgs' advice > publish --regstry https://r.example/ 1`] = `
npm-oidc: unknown option --regstry (did you mean --registry?)

Usage: npm-oidc publish [tarball|dir] [options]

Publishes a package with a token from trusted publishing (OIDC). A directory (default: .) is
packed without CI credentials in the packer's environment (build it first): with pnpm or Yarn
from PATH when packageManager or a lockfile (pnpm-lock.yaml, yarn.lock, up to the workspace
root) names them, so workspace: ranges are rewritten; else with the running npm (npm_execpath,
else the npm beside node; never one found on PATH) as \`npm pack --ignore-scripts\`.
A manifest still holding workspace: or catalog: ranges is refused before any exchange.
A .tgz is published as it is; its manifest is package/package.json, as npm extracts it.

  --tag TAG                dist-tag; default latest
  --access public|restricted
  --provenance             require provenance
  --no-provenance          never attach provenance; default: decided automatically
  --stage                  staged publish
  --dry-run                exchange and decide, upload nothing
  --oidc auto|required|off default auto (falls back to a configured token only when OIDC is unavailable)
  --registry URL           registry (wins over publishConfig and npm config); default:
                           publishConfig, then npm config
  --json                   print the outcome as JSON on stdout
  -h, --help               show this help

Exit codes: 0 published, 1 failed, 2 usage error.

`

exports[`test/cli/main.ts > TAP > unknown flags and commands: "did you mean", then the command's own usage, never parseArgs' advice > token --registry 1`] = `
npm-oidc: --registry needs a value

Usage: npm-oidc token [pkg] [--registry URL]

Exchanges this job's ID token for a short-lived publish token for one package and prints ONLY
the token on stdout, so TOKEN="$(npm-oidc token pkg)" captures exactly the token; everything else
goes to stderr. On GitHub Actions ::add-mask::<token> goes to stderr first, where the runner reads it
too, to hide the token in the job log. A token with whitespace or control characters is refused.
Prefer \`npm-oidc publish\`: a token in a shell variable can leak into logs and child processes.

  pkg              package name; default: the name in ./package.json
  --registry URL   registry (wins over publishConfig and npm config); default: publishConfig,
                   then npm config
  -h, --help       show this help

Exit codes: 0 token printed, 1 no token, 2 usage error.

`

exports[`test/cli/main.ts > TAP > unknown flags and commands: "did you mean", then the command's own usage, never parseArgs' advice > trust githb 1`] = `
npm-oidc: unknown trust command "githb" (did you mean github?)

Usage: npm-oidc trust <command> [pkg] [options]

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

Exit codes: 0 success, 1 failed or cancelled, 2 usage error.

`

exports[`test/cli/main.ts > TAP > unknown flags and commands: "did you mean", then the command's own usage, never parseArgs' advice > trust revoke --idd x 1`] = `
npm-oidc: unknown option --idd (did you mean --id?)

Usage: npm-oidc trust revoke [pkg] --id <id> [options]

Revokes one trusted publisher. [pkg] defaults to package.json's name; \`npm-oidc trust list\` shows the ids.

  --id <id>                the trusted publisher to revoke
  --dry-run                send nothing; print the request that would be sent
  -y, --yes                do not ask for confirmation (required without a terminal)
  --registry <url>         the registry (default: npm config, then https://registry.npmjs.org/)
  --otp <code>             a one-time password; without it you are asked when the registry wants one
  --workspaces             apply to every public workspace package
  --json                   machine-readable output on stdout
  -h, --help               show this help

Exit codes: 0 success, 1 failed or cancelled, 2 usage error.

`
