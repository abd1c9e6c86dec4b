import type { IdTokenClaims } from './claims.js'

/**
 * The result of a successful exchange. Declared as a class whose `token` is an accessor so that the type says what
 * the runtime does: `{ ...oidc }` and `JSON.stringify(oidc)` carry every field but the token.
 */
export declare class OidcToken {
  /**
   * The exchanged, short-lived, package-scoped publish token. Kept out of `JSON.stringify`, `util.inspect` and
   * object spread.
   */
  get token (): string
  /** Where a CLI puts it: the registry's nerf-darted key, `//host/path/:_authToken`. */
  readonly authKey: string
  /** The normalised registry URL the token is for. */
  readonly registry: string
  /** The package the token may publish. */
  readonly package: string
  /**
   * Stable id of the provider: `github-actions`, `gitlab`, `circleci`, `buildkite`, `npm-id-token`, or a custom
   * one.
   */
  readonly provider: string
  /** When the registry says the token expires, if it said. */
  readonly expires?: Date
  /** The non-secret claims of the ID token that was exchanged. */
  readonly claims: IdTokenClaims
}

/** An {@link OidcToken} whose secret lives in a private field, reachable only through the `token` getter. */
export class ExchangedToken implements OidcToken {
  readonly #token: string
  readonly authKey: string
  readonly registry: string
  readonly package: string
  readonly provider: string
  declare readonly expires?: Date
  readonly claims: IdTokenClaims

  constructor (token: string, fields: Omit<OidcToken, 'token'>) {
    this.#token = token
    this.authKey = fields.authKey
    this.registry = fields.registry
    this.package = fields.package
    this.provider = fields.provider
    if (fields.expires !== undefined) this.expires = fields.expires
    this.claims = fields.claims
    Object.freeze(this)
  }

  get token (): string {
    return this.#token
  }
}
