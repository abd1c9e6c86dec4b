// hosted-git-info ships no types; only what we call is declared.
declare module 'hosted-git-info' {
  class GitHost {
    /** The host it knows the URL for: `github.com`, `gitlab.com`, `bitbucket.org`, … */
    readonly domain: string
    /** The owner; for GitLab every group and subgroup (`group/sub`); `null` when the value names none. */
    readonly user: string | null
    readonly project: string
    /** @returns `undefined` when `url` names no repository on a host it knows */
    static fromUrl (url: string): GitHost | undefined
  }
  export = GitHost
}
