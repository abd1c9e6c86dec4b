// make-fetch-happen ships no types; only the part the key-set fetch uses is declared.
declare module 'make-fetch-happen' {
  interface FetchResponse {
    readonly status: number
    readonly headers: { get (name: string): string | null }
    readonly body: AsyncIterable<Buffer> & { destroy?: () => void }
  }
  function fetch (url: string, options: Record<string, unknown>): Promise<FetchResponse>
  export default fetch
}
