function beforeRef (value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const at = value.indexOf('@')
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

/**
 * The CI file named by GitLab's `ci_config_ref_uri` claim: `gitlab.com/group/project//.gitlab-ci.yml@refs/heads/main`
 * → `.gitlab-ci.yml`.
 *
 * @returns the file, or `undefined` when the claim does not have that form
 */
export function gitlabConfigFile (ciConfigRefUri: unknown): string | undefined {
  const path = beforeRef(ciConfigRefUri)
  if (path === undefined) return undefined
  const start = path.indexOf('//')
  return start < 0 ? undefined : path.slice(start + 2)
}
