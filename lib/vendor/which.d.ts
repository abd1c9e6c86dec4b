// which ships no types; only the part we call is declared, and no public type refers to it.
declare module 'which' {
  interface WhichOptions {
    path?: string
    pathExt?: string
    nothrow: true
  }
  function which (cmd: string, opts: WhichOptions): Promise<string | null>
  export default which
}
