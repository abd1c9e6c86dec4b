// npm-package-arg ships no types; only what we call is declared.
declare module 'npm-package-arg' {
  export interface Result {
    type: string
    registry?: boolean
    name: string | null
    escapedName: string | null
    scope?: string | null
    rawSpec: string
    fetchSpec: string | null
  }
  function npa (spec: string, where?: string): Result
  namespace npa {
    function resolve (name: string, spec: string, where?: string): Result
  }
  export default npa
}
