// The registry routes of trusted publishing, relative to a registry URL that ends in `/` (path prefix kept).
// One definition for the client, the registry side and the trust commands, so they cannot drift apart.

/** The exchange route without its leading `/`: `POST <registry>-/npm/v1/oidc/token/exchange/package/<name>`. */
export const EXCHANGE_ROUTE = '-/npm/v1/oidc/token/exchange/package/'

/** `<registry>-/package/<escaped name>/<what>`: the package routes npm uses for `trust` and `visibility`. */
export function packageRoute (registry: string, escapedName: string, what: 'trust' | 'visibility'): string {
  return `${registry}-/package/${escapedName}/${what}`
}
