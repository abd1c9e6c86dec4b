// npm-registry-fetch ships no types; only the call the verifier makes is declared, and no public type refers
// to it. If lib/ gains a shared declaration of this module, this file goes.
declare module 'npm-registry-fetch' {
  interface NpmFetch {
    json (url: string, opts?: Record<string, unknown>): Promise<unknown>
  }
  const npmFetch: NpmFetch
  export default npmFetch
}
