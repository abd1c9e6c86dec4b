export { verifyIdToken } from './verify-id-token.js'
export { matchTrustedPublisher } from './match-trusted-publisher.js'
export { createExchangeHandler } from './create-exchange-handler.js'
export { verifyProvenance, provenanceRejection } from './verify-provenance.js'
export type { VerifyErrorCode } from '../errors.js'
export type { VerifiedIdTokenClaims as IdTokenClaims } from './verify-id-token.js'
export type { JsonWebKeySet, JwksCache, JwksCacheEntry, VerifyIdTokenOptions } from './verify-options.js'
export type {
  FieldMismatch,
  MatchTrustedPublisherOptions,
  PublisherMismatch,
  TrustedPublisherMatch,
} from './match-trusted-publisher.js'
export type {
  CircleciTrustedPublisher,
  GithubTrustedPublisher,
  GitlabTrustedPublisher,
  TrustedPublisher,
  TrustedPublisherPermission,
  TrustedPublisherType,
} from '../contract/trusted-publisher.js'
export type { ExchangeHandler, ExchangeHandlerOptions, MintedToken } from './create-exchange-handler.js'
export type {
  ProvenanceInput, VerifyProvenanceOptions, VerifiedProvenance, ProvenanceRejection, SigstoreTufOptions,
} from './verify-provenance.js'
