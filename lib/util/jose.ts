// The only module that loads jose. jose 6 is ESM-only: a dynamic import() works from the CommonJS build on
// every Node version in our engines range, where require() would not (Node 20.17 has no require(esm)).
type Jose = typeof import('jose')

/** Loads jose on first use, so importing libnpmoidc stays cheap. */
export async function loadJose (): Promise<Jose> {
  return import('jose')
}
