import { randomBytes, randomUUID } from 'node:crypto'
import type { IdTokenClaims, TrustedPublisher, TrustedPublisherPermission } from '../registry/index.js'

/** How a request to the test registry authenticated; `auth` in {@link TestRegistryRequest}. */
export type TestRegistryAuth = 'oidc' | 'token' | 'id-token' | 'unknown' | 'none'

/** A publish token the exchange minted: for one package, what its trusted publisher grants, until it expires. */
export interface OidcGrant {
  readonly kind: 'oidc'
  readonly pkgName: string
  readonly permissions: readonly TrustedPublisherPermission[]
  readonly publisher: TrustedPublisher
  readonly claims: IdTokenClaims
  /** ms since the epoch. */
  readonly expires: number
}

/** A classic token the registry was configured with. */
export interface UserGrant {
  readonly kind: 'token'
  readonly user: string
}

/** What a request's bearer is worth. */
export type Credential =
  | OidcGrant
  | UserGrant
  | { readonly kind: 'expired', readonly grant: OidcGrant }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'none' }

/** The bearer of an `Authorization` header, or `undefined`. */
export function bearerOf (header: string | undefined): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(header ?? '')?.[1]
}

/** A trusted publisher's `id`, made up as `oidc:<uuid>` when it has none, as a registry assigns one. */
export function withId (publisher: TrustedPublisher): TrustedPublisher {
  if (typeof publisher.id === 'string' && publisher.id !== '') return publisher
  return { ...publisher, id: `oidc:${randomUUID()}` }
}

/** The tokens a test registry knows: the classic ones it was given and the ones its exchange minted. */
export interface CredentialBook {
  /** Mints a random publish token for `grant` and remembers it. */
  readonly mint: (grant: OidcGrant) => string
  /** What the bearer of `header` is worth, at `now` (ms). */
  readonly lookUp: (header: string | undefined, now: number) => Credential
}

/**
 * Keeps the test registry's tokens. They stay in this closure: nothing lists them, and the request log stores
 * only which kind a request carried.
 *
 * @param users - classic tokens and the user each one stands for
 */
export function credentialBook (users: Readonly<Record<string, { readonly user: string }>>): CredentialBook {
  const minted = new Map<string, OidcGrant>()
  return {
    mint: (grant) => {
      const token = randomBytes(24).toString('base64url')
      minted.set(token, grant)
      return token
    },
    lookUp: (header, now) => {
      const token = bearerOf(header)
      if (token === undefined) return { kind: 'none' }
      const grant = minted.get(token)
      if (grant !== undefined) return grant.expires > now ? grant : { kind: 'expired', grant }
      const user = Object.hasOwn(users, token) ? users[token] : undefined
      return user === undefined ? { kind: 'unknown' } : { kind: 'token', user: user.user }
    },
  }
}

/** The `auth` a request log entry records for a credential. */
export function authOf (credential: Credential): TestRegistryAuth {
  if (credential.kind === 'expired') return 'oidc'
  return credential.kind
}
