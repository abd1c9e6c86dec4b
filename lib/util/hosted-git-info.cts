// CommonJS in both builds (a .cts file), so that require() loads hosted-git-info on the first call rather than
// when 'libnpmoidc' is imported, and its callers stay synchronous (import() would make them async).

/** hosted-git-info (npm's reader of repository URLs), loaded on the first call. */
function hostedGitInfo (): typeof import('hosted-git-info') {
  return require('hosted-git-info')
}
export = hostedGitInfo
