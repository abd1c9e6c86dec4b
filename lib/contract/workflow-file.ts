// GitHub and GitLab append the ref as `@refs/…`. A file or directory name may itself contain `@`, so cutting at the
// first `@` would let `release.yml@evil.yml` pass for `release.yml`.
const REF_SEPARATOR = '@refs/'

function beforeRef (value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const at = value.indexOf(REF_SEPARATOR)
  return at < 0 ? value : value.slice(0, at)
}

const WORKFLOWS_DIR = '/.github/workflows/'

/**
 * The workflow file named by GitHub's `workflow_ref` claim: `owner/repo/.github/workflows/release.yml@refs/heads/main`
 * → `release.yml`. npm matches this (the calling workflow), never `job_workflow_ref`.
 *
 * @returns the file, or `undefined` when the claim does not have that form
 */
export function githubWorkflowFile (workflowRef: unknown): string | undefined {
  const path = beforeRef(workflowRef)
  if (path === undefined) return undefined
  const start = path.indexOf(WORKFLOWS_DIR)
  return start < 0 ? undefined : path.slice(start + WORKFLOWS_DIR.length)
}

function splitConfigUri (ciConfigRefUri: unknown): { project: string, file: string } | undefined {
  const path = beforeRef(ciConfigRefUri)
  if (path === undefined) return undefined
  const start = path.indexOf('//')
  return start < 0 ? undefined : { project: path.slice(0, start), file: path.slice(start + 2) }
}

/**
 * The CI file named by GitLab's `ci_config_ref_uri` claim: `gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main`
 * → `.gitlab-ci.yml`.
 *
 * @returns the file, or `undefined` when the claim does not have that form
 */
export function gitlabConfigFile (ciConfigRefUri: unknown): string | undefined {
  return splitConfigUri(ciConfigRefUri)?.file
}

/**
 * The project whose CI file GitLab's `ci_config_ref_uri` claim names, without the host:
 * `gitlab.com/group/sub/project//.gitlab-ci.yml@refs/heads/main` → `group/sub/project`. It differs from the
 * job's `project_path` when the project runs a CI file kept in another project.
 *
 * @returns the project path, or `undefined` when the claim does not have that form
 */
export function gitlabConfigProject (ciConfigRefUri: unknown): string | undefined {
  const project = splitConfigUri(ciConfigRefUri)?.project ?? ''
  const slash = project.indexOf('/')
  return slash < 1 ? undefined : project.slice(slash + 1)
}
