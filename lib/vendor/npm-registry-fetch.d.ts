// npm-registry-fetch ships no types; only what we call is declared.
declare module 'npm-registry-fetch' {
  import type { Result } from 'npm-package-arg'
  interface FetchOptions { [key: string]: unknown }
  function npmFetch (uri: string, opts?: FetchOptions): Promise<Response>
  namespace npmFetch {
    function json (uri: string, opts?: FetchOptions): Promise<unknown>
    function pickRegistry (spec: Result | string, opts?: FetchOptions): string
  }
  export default npmFetch
}
