// @npmcli/promise-spawn ships no types; only the part we call is declared, and no public type refers to it.
declare module '@npmcli/promise-spawn' {
  interface SpawnResult {
    code: number | null
    signal: NodeJS.Signals | null
    stdout: string
    stderr: string
  }
  function promiseSpawn (
    cmd: string,
    args: readonly string[],
    opts: import('node:child_process').SpawnOptions & { stdioString?: boolean },
  ): Promise<SpawnResult>
  export default promiseSpawn
}
