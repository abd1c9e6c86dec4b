// proc-log ships no types; only the part we call is declared, and no public type refers to it.
declare module 'proc-log' {
  type LogFn = (title: string, ...args: unknown[]) => void
  export const log: {
    error: LogFn
    warn: LogFn
    notice: LogFn
    info: LogFn
    verbose: LogFn
    http: LogFn
    silly: LogFn
  }
}
