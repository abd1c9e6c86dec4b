// proc-log ships no types; only the part we call is declared, and no public type refers to it.
// It is CommonJS without named-export hints, so it is imported as a default.
declare module 'proc-log' {
  type LogFn = (title: string, ...args: unknown[]) => void
  const procLog: {
    log: {
      error: LogFn
      warn: LogFn
      notice: LogFn
      info: LogFn
      verbose: LogFn
      http: LogFn
      silly: LogFn
    }
  }
  export default procLog
}
