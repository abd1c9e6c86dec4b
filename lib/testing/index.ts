export { createOidcIssuer } from './create-oidc-issuer.js'
export { createTestRegistry } from './create-test-registry.js'
export { DEFAULT_EXPIRES_IN } from './id-token-payload.js'
export { DEFAULT_JOB_AUDIENCE } from './job-env.js'
export { providerClaims, testkitProviders } from './provider-claims.js'

export type { OidcIssuer, OidcIssuerOptions } from './create-oidc-issuer.js'
export type { MintOptions } from './id-token-payload.js'
export type { JobEnvOptions } from './job-env.js'
export type { ClaimOverrides, TestkitProvider } from './provider-claims.js'
export type { Jwks, PublicJwk } from './signing-key.js'
export type { TokenRequest } from './token-endpoint.js'
export type {
  TestRegistry, TestRegistryIssuer, TestRegistryOptions, TestRegistryRequest,
} from './create-test-registry.js'
export type { ProvenanceCheck } from './provenance-verification.js'
export type { TestRegistryAuth } from './registry-credentials.js'
export type { TestRegistryRequestKind } from './test-registry-route.js'
