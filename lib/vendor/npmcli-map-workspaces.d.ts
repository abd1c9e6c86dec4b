// @npmcli/map-workspaces ships no types; only the part we call is declared, and no public type refers to it.
declare module '@npmcli/map-workspaces' {
  interface MapWorkspacesOptions {
    cwd: string
    pkg: { workspaces?: unknown }
  }
  function mapWorkspaces (opts: MapWorkspacesOptions): Promise<Map<string, string>>
  export default mapWorkspaces
}
