export { getOidcToken } from './client/get-oidc-token.js'
export { detectProvider } from './client/detect-provider.js'
export { getOidcTokens } from './client/get-oidc-tokens.js'
export { publishWithOidc } from './publish/publish-with-oidc.js'
export { publishAllWithOidc } from './publish/publish-all-with-oidc.js'
export { distTagWithOidc } from './publish/dist-tag-with-oidc.js'
export { diagnose } from './diagnose/diagnose.js'
export { formatDiagnosis } from './diagnose/format-diagnosis.js'
export { preflight } from './diagnose/preflight.js'
export { listTrustedPublishers } from './trust/list-trusted-publishers.js'
export { addTrustedPublisher } from './trust/add-trusted-publisher.js'
export { revokeTrustedPublisher } from './trust/revoke-trusted-publisher.js'
export { planTrustRequest } from './trust/plan-trust-request.js'
export { verifyPublished } from './verify/verify-published.js'
export { OidcError, isOidcError, oidcErrorCodes } from './errors.js'
export { defaultProviders, githubActions, gitlab, circleci, buildkite } from './providers/index.js'
export { defaults } from './options.js'
export { expectedPublisher, describePublisher } from './client/publisher-hint.js'
export { version } from './version.js'
export type { ClientErrorCode, OidcErrorCode, OidcErrorDetails } from './errors.js'
export type { OidcOptions, Logger, LogLevel } from './options.js'
export type { ProgressEvent, ProgressCallback } from './client/progress.js'
export type {
  PublishAllPackage, PublishAllOptions, PublishAllResult,
} from './publish/publish-all-with-oidc.js'
export type { DistTagOptions, DistTagResult } from './publish/dist-tag-with-oidc.js'
export type { OidcToken } from './client/token.js'
export type { GetOidcTokensOptions, OidcTokenResult } from './client/get-oidc-tokens.js'
export type { PublishOptions, PublishOutcome, PublishAuth, PublishResult } from './publish/publish-with-oidc.js'
export type { ProvenanceDecision } from './publish/provenance.js'
export type {
  OidcDiagnosis, DiagnosisCheck, DiagnosisCheckId, DiagnosisCheckStatus, DiagnoseOptions,
} from './diagnose/diagnosis.js'
export type { FormatDiagnosisOptions } from './diagnose/format-diagnosis.js'
export type { PreflightPackage, PreflightOptions, PreflightResult, PreflightReport } from './diagnose/preflight.js'
export type {
  TrustedPublisherInput, GithubPublisherInput, GitlabPublisherInput, CircleciPublisherInput, TrustPackage,
  TrustManifest, TrustOptions, TrustRequest, TrustOperation, TrustedPublisher, TrustedPublisherPermission,
} from './trust/types.js'
export type {
  PublishedExpectation, VerifyPublishedOptions, PublishedEvidence, PublishedProvenance,
} from './verify/verify-published.js'
export type { AttestationSource } from './contract/attestation-source.js'
export type { IdTokenClaims } from './client/claims.js'
export type { OidcProvider, ProviderContext, IdTokenSource } from './providers/provider.js'
export type { Env } from './util/env.js'
export type { PublisherField } from './client/publisher-hint.js'
