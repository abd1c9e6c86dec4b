// @npmcli/config ships no types; only the part we call is declared, and no public type refers to it.
declare module '@npmcli/config' {
  interface ConfigOptions {
    definitions: unknown
    shorthands: unknown
    flatten: (obj: Record<string, unknown>, flat?: Record<string, unknown>) => Record<string, unknown>
    npmPath: string
    env: Record<string, string | undefined>
    argv: string[]
    cwd: string
    execPath?: string
    warn?: boolean
  }
  class Config {
    constructor (options: ConfigOptions)
    load (): Promise<void>
    readonly data: Map<string, { readonly data: Record<string, unknown> }>
  }
  export default Config
}

declare module '@npmcli/config/lib/definitions/index.js' {
  const definitions: {
    definitions: unknown
    shorthands: unknown
    flatten: (obj: Record<string, unknown>, flat?: Record<string, unknown>) => Record<string, unknown>
  }
  export default definitions
}
