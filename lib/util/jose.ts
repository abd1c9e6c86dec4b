// The only module that loads jose. jose 6 is ESM-only: a dynamic import() works from the CommonJS build on
// every Node version in our engines range, where require() would not (Node 20.17 has no require(esm)).
type Jose = typeof import('jose')

/** Loads jose on first use, so importing libnpmoidc stays cheap. */
export async function loadJose (): Promise<Jose> {
  return import('jose')
}

/** jose's two JWT decoders: no signature check, no key, no crypto. */
export interface JwtDecoder {
  readonly decodeJwt: typeof import('jose/jwt/decode').decodeJwt
  readonly decodeProtectedHeader: typeof import('jose/decode/protected_header').decodeProtectedHeader
}

/**
 * Loads only jose's decoders (its `jose/jwt/decode` and `jose/decode/protected_header` entry points): a handful
 * of small modules, where all of jose costs several times their load time on a client that only decodes.
 */
export async function loadJwtDecoder (): Promise<JwtDecoder> {
  const [{ decodeJwt }, { decodeProtectedHeader }] = await Promise.all([
    import('jose/jwt/decode'),
    import('jose/decode/protected_header'),
  ])
  return { decodeJwt, decodeProtectedHeader }
}
